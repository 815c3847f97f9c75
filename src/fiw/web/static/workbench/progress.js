// An edition's progress (GET /api/v1/workbench/editions/{edition}/progress): drafts by state,
// by region and by analyst; scores changed against the previous edition; which of those
// still lack a reason.
import { config, el, fill, request, start, wireLogout } from "./api.js";

const edition = Number(config().edition);
const byId = (id) => document.getElementById(id);

function matrix(table, rows, states, label) {
  fill(
    table.querySelector("thead"),
    el("tr", {}, el("th", { scope: "col" }, label), states.map((s) => el("th", { scope: "col", class: "num" }, s)), el("th", { scope: "col", class: "num" }, "all")),
  );
  fill(
    table.querySelector("tbody"),
    Object.entries(rows).map(([name, counts]) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, name),
        states.map((s) => el("td", { class: "num" }, String(counts[s] || 0))),
        el("td", { class: "num" }, String(Object.values(counts).reduce((a, b) => a + b, 0))),
      ),
    ),
  );
}

function editorLink(row) {
  const href = `/workbench/drafts/${encodeURIComponent(row.country_id)}/${edition}#${row.code}`;
  return el("a", { href }, row.name);
}

start(async () => {
  wireLogout();
  const p = await request("GET", `/api/v1/workbench/editions/${edition}/progress`);
  const states = Object.keys(p.by_state);
  const done = p.by_state.published || 0;
  byId("progress-summary").textContent =
    `${p.total} drafts; ${done} published` +
    `${p.completed ? " — the edition is complete" : ""}; ` +
    `${p.changed.length} changed scores, ${p.missing_reasons.length} still without a reason.`;
  fill(
    byId("by-state"),
    states.map((s) => el("li", { class: `state ${s}` }, el("strong", {}, String(p.by_state[s])), ` ${s}`)),
  );
  matrix(byId("by-region"), p.by_region, states, "Region");
  matrix(byId("by-analyst"), p.by_analyst, states, "Analyst");
  fill(
    document.querySelector("#missing tbody"),
    p.missing_reasons.length
      ? p.missing_reasons.map((r) =>
          el("tr", {}, el("th", { scope: "row" }, editorLink(r)), el("td", {}, r.code), el("td", { class: "num" }, String(r.from)), el("td", { class: "num" }, String(r.to))),
        )
      : el("tr", {}, el("td", { colspan: 4 }, "Every changed score has its reason.")),
  );
  fill(
    document.querySelector("#changed tbody"),
    p.changed.length
      ? p.changed.map((r) =>
          el(
            "tr",
            { class: r.reason ? "" : "lacking" },
            el("th", { scope: "row" }, editorLink(r)),
            el("td", {}, r.code),
            el("td", { class: "num" }, String(r.from)),
            el("td", { class: "num" }, String(r.to)),
            el("td", {}, r.reason || el("strong", { class: "down" }, "no reason yet")),
          ),
        )
      : el("tr", {}, el("td", { colspan: 5 }, "No score has changed yet.")),
  );
});
