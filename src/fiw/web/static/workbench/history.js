// A draft's history: every revision (GET …/revisions) and review step (GET …/transitions);
// any two revisions side by side (GET …/diff?a=&b=); restoring one as a new revision
// (POST …/restore with If-Match).
import { ApiError, el, fill, request, say, start, when, wireLogout, config, whoami } from "./api.js";

const page = config();
const draftUrl = `/api/v1/workbench/drafts/${encodeURIComponent(page.country)}/${Number(page.edition)}`;
const byId = (id) => document.getElementById(id);

function text(value) {
  if (value === null || value === undefined || value === "") return el("span", { class: "muted" }, "(empty)");
  if (Array.isArray(value)) {
    return el("ul", {}, value.map((v) => el("li", {}, typeof v === "object" && v !== null ? `${v.label}: ${v.text}` : String(v))));
  }
  if (typeof value === "object") return el("pre", {}, JSON.stringify(value, null, 1));
  return el("span", { class: "text" }, String(value));
}

async function showDiff(a, b) {
  const answer = await request("GET", `${draftUrl}/diff?a=${a}&b=${b}`);
  byId("diff-a").textContent = String(answer.a);
  byId("diff-b").textContent = String(answer.b);
  byId("diff-a-h").textContent = `Revision ${answer.a}`;
  byId("diff-b-h").textContent = `Revision ${answer.b}`;
  const rows = answer.changes.length
    ? answer.changes.map((c) =>
        el("tr", {}, el("th", { scope: "row" }, c.field), el("td", { class: "side a" }, text(c.a)), el("td", { class: "side b" }, text(c.b))),
      )
    : [el("tr", {}, el("td", { colspan: 3 }, "The two revisions hold the same content."))];
  fill(document.querySelector("#diff tbody"), rows);
  const section = byId("diff");
  section.hidden = false;
  section.focus();
}

async function load() {
  const [draft, revisions, transitions] = await Promise.all([
    request("GET", draftUrl),
    request("GET", `${draftUrl}/revisions`),
    request("GET", `${draftUrl}/transitions`),
  ]);
  const me = await whoami();
  byId("draft-name").textContent = draft.name;
  byId("crumb-name").textContent = draft.name;
  byId("draft-state").textContent = draft.state;
  byId("draft-revision").textContent = String(draft.revision);
  const canRestore = ["analyst", "admin"].includes(me.role) && ["draft", "returned", "published"].includes(draft.state);
  const last = revisions.length ? revisions[revisions.length - 1].revision : null;
  const rows = revisions.map((r, i) => {
    const restore = el("button", { type: "button", class: "secondary", "aria-label": `Restore revision ${r.revision}` }, "Restore");
    restore.hidden = !canRestore || r.revision === last;
    restore.addEventListener("click", async () => {
      try {
        const answer = await request("POST", `${draftUrl}/restore`, { revision: r.revision }, { "If-Match": String(draft.revision) });
        say(`Revision ${r.revision} restored as revision ${answer.revision}.`);
        await load();
      } catch (error) {
        say(error instanceof ApiError && error.status === 409 ? `Not restored: ${error.message}. Reload and try again.` : error.message, "alert");
      }
    });
    const pick = (side, checked) =>
      el(
        "label",
        { class: "pick" },
        el("input", { type: "radio", name: side, value: r.revision, checked }),
        el("span", { class: "visually-hidden" }, `revision ${r.revision} as `),
        side.toUpperCase(),
      );
    return el(
      "tr",
      { id: `revision-${r.revision}` },
      el("th", { scope: "row" }, String(r.revision)),
      el("td", {}, r.kind),
      el("td", {}, r.author || ""),
      el("td", {}, when(r.created_at)),
      el("td", {}, r.based_on === null || r.based_on === undefined ? "" : String(r.based_on)),
      el("td", { class: "changed-fields" }, (r.changed || []).join(", ")),
      el("td", { class: "picks" }, pick("a", i === revisions.length - 2), " ", pick("b", i === revisions.length - 1)),
      el("td", {}, restore),
    );
  });
  fill(document.querySelector("#revisions tbody"), rows);
  fill(
    document.querySelector("#transitions tbody"),
    transitions.map((t) =>
      el(
        "tr",
        {},
        el("td", {}, t.from || ""),
        el("td", {}, t.to),
        el("td", {}, t.user || ""),
        el("td", {}, when(t.at)),
        el("td", {}, t.revision === null || t.revision === undefined ? "" : String(t.revision)),
        el("td", {}, Object.entries(t.comments || {}).map(([code, comment]) => el("p", {}, el("strong", {}, `${code}: `), comment))),
      ),
    ),
  );
}

start(async () => {
  wireLogout();
  await load();
  byId("compare-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const a = form.querySelector("input[name=a]:checked");
    const b = form.querySelector("input[name=b]:checked");
    if (!a || !b) {
      say("Choose revision A and revision B.", "alert");
      return;
    }
    await showDiff(a.value, b.value).catch((error) => say(error.message, "alert"));
  });
});
