// The editor's score panel: the browser's result for the draft beside the previous
// edition's, every label and maximum taken from the methodology data.
import { badge, el, fill, signed } from "./api.js";

const byId = (id) => document.getElementById(id);

/** The change from `before` to `now`, coloured by whether it is better (ratings: lower). */
export function deltaSpan(now, before, lowerIsBetter = false) {
  if (now === null || now === undefined || before === null || before === undefined) return "";
  const delta = now - before;
  const good = lowerIsBetter ? delta < 0 : delta > 0;
  return el("span", { class: delta === 0 ? "same" : good ? "up" : "down" }, signed(delta));
}

/**
 * Show a result beside the previous edition's: the status line, total, aggregates and
 * ratings with their changes, the subtotals (also in each category's heading), and a
 * one-line summary for phones. `previous` is the draft's `previous` ({edition, result}).
 */
export function renderScoreboard(rules, edition, result, previous) {
  const prev = previous?.result || null;
  const rows = [];
  const row = (label, key, max, lowerIsBetter = false) => {
    const now = result ? result[key] : null;
    const before = prev ? prev[key] : null;
    rows.push(
      el(
        "tr",
        { dataset: { key } },
        el("th", { scope: "row" }, label),
        el("td", { class: "num now" }, now === null || now === undefined ? "–" : max ? `${now}/${max}` : String(now)),
        el("td", { class: "num before" }, before === null || before === undefined ? "–" : String(before)),
        el("td", { class: "num" }, deltaSpan(now, before, lowerIsBetter)),
      ),
    );
  };
  const abbr = (code, name) => el("abbr", { title: name }, code);
  row(rules.total_name, "total", rules.total_max);
  for (const agg of rules.aggregates) row(abbr(agg.code, agg.name), agg.code.toLowerCase(), agg.max);
  for (const agg of rules.aggregates) {
    row([abbr(agg.code, agg.name), " rating"], `${agg.code.toLowerCase()}_rating`, 0, true);
  }
  const status = result ? result.status : null;
  const before = prev ? prev.status : null;
  const statusLine = el(
    "p",
    { class: "status-line", dataset: { key: "status" } },
    "Status ",
    el("span", { class: "now" }, badge(status)),
    prev ? [" ", el("span", { class: "before" }, `${previous.edition}: `, badge(before))] : "",
    before && status && before !== status ? [" ", el("strong", {}, "changed")] : "",
  );
  const table = el(
    "table",
    { class: "data compact scores-table" },
    el("caption", {}, result ? "Recomputed as you type" : "Fix the scores to see the totals"),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, ""),
        el("th", { scope: "col", class: "num" }, String(edition)),
        el("th", { scope: "col", class: "num" }, prev ? String(previous.edition) : "before"),
        el("th", { scope: "col", class: "num" }, el("abbr", { title: "change" }, "±")),
      ),
    ),
    el("tbody", {}, rows),
  );
  const subtotals = el(
    "ul",
    { class: "subtotals", "aria-label": "Subtotals" },
    rules.categories.map((c) =>
      el(
        "li",
        { dataset: { category: c.code } },
        el("abbr", { title: c.name }, c.code),
        " ",
        result ? `${result.subtotals[c.code]}/${c.max}` : "–",
        " ",
        prev && result ? deltaSpan(result.subtotals[c.code], prev.subtotals[c.code]) : "",
      ),
    ),
  );
  fill(byId("scoreboard-body"), statusLine, table, subtotals);
  const line = byId("scoreline");
  if (line) {
    const part = (label, key) => [`${label} ${result ? result[key] : "?"}`, prev && result ? [" ", deltaSpan(result[key], prev[key])] : ""];
    fill(
      line,
      part(rules.total_name, "total"),
      rules.aggregates.map((a) => [" · ", part(a.code, a.code.toLowerCase())]),
      " · ",
      badge(status),
    );
  }
  for (const c of rules.categories) {
    const heading = byId(`sub-${c.code}`);
    if (heading) heading.textContent = result ? `${result.subtotals[c.code]} / ${c.max}` : `? / ${c.max}`;
  }
}
