// The drafts list: GET /api/v1/workbench/drafts with the form's filters, and one link per
// edition to its progress page.
import { config, el, fill, request, start, when, wireLogout } from "./api.js";

start(async () => {
  wireLogout();
  const want = config();
  const editions = await request("GET", "/api/v1/workbench/editions");
  const select = document.getElementById("f-edition");
  for (const e of editions) {
    select.append(el("option", { value: e.edition, selected: String(e.edition) === want.edition }, String(e.edition)));
  }
  fill(
    document.getElementById("edition-links"),
    editions.map((e) =>
      el("li", {}, el("a", { href: `/workbench/editions/${e.edition}/progress` }, `Progress of the ${e.edition} edition`)),
    ),
  );
  const query = new URLSearchParams();
  for (const key of ["edition", "state"]) if (want[key]) query.set(key, want[key]);
  const needle = (want.country || "").trim().toLowerCase(); // any part of the name or id
  const drafts = (await request("GET", `/api/v1/workbench/drafts?${query}`)).filter(
    (d) => !needle || d.name.toLowerCase().includes(needle) || d.country_id.includes(needle),
  );
  const caption = document.getElementById("drafts-caption");
  caption.textContent = drafts.length
    ? `${drafts.length} draft${drafts.length === 1 ? "" : "s"}`
    : editions.length
      ? "No draft matches."
      : "No edition is open yet: an admin opens one on the admin page.";
  const rows = drafts.map((d) => {
    const editor = `/workbench/drafts/${encodeURIComponent(d.country_id)}/${d.edition}`;
    return el(
      "tr",
      {},
      el("th", { scope: "row" }, el("a", { href: editor }, d.name)),
      el("td", {}, String(d.edition)),
      el("td", {}, d.region || ""),
      el("td", {}, el("span", { class: `state ${d.state}` }, d.state)),
      el("td", { class: "num" }, String(d.revision)),
      el("td", {}, (d.analysts || []).join(", ")),
      el("td", {}, when(d.updated_at)),
      el("td", {}, el("a", { href: `${editor}/history`, "aria-label": `History of ${d.name} ${d.edition}` }, "History")),
    );
  });
  fill(document.querySelector("#drafts-table tbody"), rows);
});
