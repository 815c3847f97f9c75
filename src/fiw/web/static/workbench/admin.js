// The admin page: open an edition (POST …/editions/{edition}/open), and manage users (list,
// add, assign countries, disable) through /api/v1/workbench/users.
import { el, fill, request, say, start, when, wireLogout } from "./api.js";

const byId = (id) => document.getElementById(id);

async function loadEditions() {
  const editions = await request("GET", "/api/v1/workbench/editions");
  fill(
    document.querySelector("#editions tbody"),
    editions.map((e) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, el("a", { href: `/workbench?edition=${e.edition}` }, String(e.edition))),
        el("td", {}, e.previous ? String(e.previous) : ""),
        el("td", {}, when(e.opened_at)),
        el("td", {}, e.opened_by || ""),
        el("td", { class: "num" }, String(e.drafts)),
        el("td", {}, e.completed_at ? when(e.completed_at) : "not yet"),
        el("td", {}, el("a", { href: `/workbench/editions/${e.edition}/progress` }, `Progress ${e.edition}`)),
      ),
    ),
  );
}

function userRow(u) {
  const id = `assign-${u.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const assign = el(
    "form",
    { class: "inline" },
    el("label", { for: id, class: "visually-hidden" }, `Countries of ${u.name} (ids, comma-separated)`),
    el("input", { id, list: "country-ids", value: u.countries.join(", "), size: 28 }),
    el("button", { type: "submit", class: "secondary" }, "Assign"),
  );
  assign.addEventListener("submit", async (event) => {
    event.preventDefault();
    const countries = assign.querySelector("input").value.split(",").map((c) => c.trim()).filter(Boolean);
    try {
      await request("POST", `/api/v1/workbench/users/${encodeURIComponent(u.name)}/assign`, { countries });
      say(`${u.name}: ${countries.length} ${countries.length === 1 ? "country" : "countries"} assigned.`);
      await loadUsers();
    } catch (error) {
      say(error.message, "alert");
    }
  });
  const disable = el("button", { type: "button", class: "secondary", "aria-label": `Disable ${u.name}` }, "Disable");
  disable.hidden = u.disabled;
  disable.addEventListener("click", async () => {
    try {
      await request("POST", `/api/v1/workbench/users/${encodeURIComponent(u.name)}/disable`);
      say(`${u.name} is disabled; their sessions have ended.`);
      await loadUsers();
    } catch (error) {
      say(error.message, "alert");
    }
  });
  return el(
    "tr",
    {},
    el("th", { scope: "row" }, u.name),
    el("td", {}, u.role),
    el("td", {}, u.disabled ? "disabled" : "active"),
    el("td", {}, u.countries.join(", ")),
    el("td", {}, u.role === "analyst" ? assign : el("span", { class: "muted" }, "sees every draft")),
    el("td", {}, disable),
  );
}

async function loadUsers() {
  const users = await request("GET", "/api/v1/workbench/users");
  fill(document.querySelector("#users tbody"), users.map(userRow));
}

start(async () => {
  wireLogout();
  await Promise.all([loadEditions(), loadUsers()]);
  byId("open-edition").addEventListener("submit", async (event) => {
    event.preventDefault();
    const year = Number(byId("open-year").value);
    try {
      const answer = await request("POST", `/api/v1/workbench/editions/${year}/open`);
      say(`Edition ${answer.edition} open from ${answer.previous}: ${answer.created.length} drafts created.`);
      await loadEditions();
    } catch (error) {
      say(error.message, "alert");
    }
  });
  byId("add-user").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: byId("new-name").value.trim(), role: byId("new-role").value, password: byId("new-password").value };
    try {
      await request("POST", "/api/v1/workbench/users", body);
      say(`${body.name} added as ${body.role}.`);
      event.target.reset();
      await loadUsers();
    } catch (error) {
      say(error.message, "alert");
    }
  });
});
