// The draft editor. Reads the draft (GET /api/v1/workbench/drafts/{country}/{edition}) and
// the rules (GET /api/v1/rules/fiw); recomputes subtotals, PR/CL, ratings and status in the
// browser on every keystroke (scorer.js: the engine's algorithm over the engine's data);
// autosaves what changed with a debounced PUT naming the revision it started from
// (If-Match), and on a 409 shows the saved version beside the user's without losing a
// character. Review actions (submit, return with comments, approve, publish) are buttons.
import { ApiError, config, el, fill, request, say, start, whoami, wireLogout } from "./api.js";
import { addNote, contentOf, differences, fillForm, get, put, readForm as read, valueOf } from "./draft-form.js";
import { deltaSpan, renderScoreboard } from "./scoreboard.js";
import { asInt, discretionaryFor, score, ScoreError } from "./scorer.js";

const SAVE_DELAY = 900; // ms of quiet before an autosave
const EDITABLE_STATES = new Set(["draft", "returned", "published"]);
const EDITOR_ROLES = new Set(["analyst", "admin"]);
const REVIEWER_ROLES = new Set(["reviewer", "admin"]);

const page = config();
const edition = Number(page.edition);
const draftUrl = `/api/v1/workbench/drafts/${encodeURIComponent(page.country)}/${edition}`;

let rules = null; // the methodology data
let me = null; // the logged-in user
let draft = null; // the server's latest answer (GET shape)
let base = null; // the content of the revision the editor is based on
let sections = []; // [{code, field}] scored sections: indicators, then discretionary
let timer = null;
let saving = null; // the save in flight (a promise)
let blocked = false; // a conflict waits for the user's decision
let editable = false;

const byId = (id) => document.getElementById(id);
const input = (kind, code) => byId(`${kind}-${code}`);
const readForm = () => read(sections, base);

// -- scoring ---------------------------------------------------------------------------

const previous = () => draft.previous || null;
const previousValue = (s) => (previous() ? valueOf(previous(), s) : undefined);

/** Score the form in the browser; null and the problems when it cannot be scored. */
function scoreForm(content) {
  const scores = { ...content.scores };
  for (const s of sections) if (s.field) scores[s.code] = valueOf(content, s) ?? 0;
  try {
    return { result: score(rules, edition, scores), problems: [] };
  } catch (error) {
    if (error instanceof ScoreError) return { result: null, problems: error.problems };
    throw error;
  }
}

/** The local problems: the engine's, and each changed score without a reason. */
function localProblems(content, scored) {
  const problems = scored.problems.map((p) => ({ field: p.field, expected: p.expected }));
  for (const s of sections) {
    const empty = valueOf(content, s) === null || valueOf(content, s) === undefined;
    if (empty && !problems.some((p) => p.field === s.code)) problems.push({ field: s.code, expected: "a score" });
  }
  if (!previous()) return problems;
  for (const s of sections) {
    const now = valueOf(content, s);
    const before = previousValue(s);
    if (asInt(now) !== null && now !== before && !(content.reasons[s.code] || "").trim()) {
      problems.push({ field: s.code, expected: `a reason: the score changed from ${before} (Score Change)` });
    }
  }
  return problems;
}

function renderSections(content, problems) {
  const byField = new Map();
  for (const p of problems) if (!byField.has(p.field)) byField.set(p.field, p.expected);
  for (const s of sections) {
    const now = valueOf(content, s);
    const before = previousValue(s);
    const changedNow = previous() !== null && asInt(now) !== null && now !== before;
    const box = byId(s.code);
    box.classList.toggle("changed", changedNow);
    const prev = input("prev", s.code);
    if (previous()) {
      fill(prev, `${previous().edition}: ${before}`, changedNow ? [" ", deltaSpan(asInt(now), before)] : "");
    }
    const reasonBox = byId(`reason-box-${s.code}`);
    reasonBox.hidden = !changedNow && !(content.reasons[s.code] || "").trim();
    const reason = input("reason", s.code);
    reason.required = changedNow;
    const missing = changedNow && !(content.reasons[s.code] || "").trim();
    reason.setAttribute("aria-invalid", String(missing));
    byId(`reason-err-${s.code}`).textContent = missing ? "Required: the score differs from last edition." : "";
    const scoreProblem = now === null ? "A score is required." : byField.get(s.code) && !missing ? byField.get(s.code) : "";
    input("score", s.code).setAttribute("aria-invalid", String(Boolean(scoreProblem)));
    byId(`score-err-${s.code}`).textContent = scoreProblem;
  }
}

function renderProblems(problems) {
  const box = byId("problems");
  box.hidden = problems.length === 0;
  fill(
    box.querySelector("ul"),
    problems.map((p) =>
      el("li", {}, byId(p.field) ? el("a", { href: `#${p.field}` }, p.field) : p.field, `: ${p.expected}`),
    ),
  );
}

let lastProblems = [];

function recompute() {
  const content = readForm();
  const scored = scoreForm(content);
  lastProblems = localProblems(content, scored);
  renderScoreboard(rules, edition, scored.result, previous());
  renderSections(content, lastProblems);
  renderProblems(lastProblems);
  return content;
}

// -- saving ----------------------------------------------------------------------------

/** The edit to send: what differs from the base, less the scores the server would refuse
 * (out of range, or changed without a reason yet); those wait in the form. */
function pendingEdit(content) {
  const waiting = new Set(lastProblems.map((p) => p.field));
  const edit = {};
  for (const path of differences(sections, content, base)) {
    const [head, key] = path.split(".");
    const code = key ?? sections.find((s) => s.field === head)?.code;
    if ((head === "scores" || sections.some((s) => s.field === head)) && waiting.has(code)) continue;
    if (key === undefined) edit[head] = content[head];
    else {
      edit[head] = edit[head] || {};
      edit[head][key] = head === "reasons" ? content.reasons[key] || "" : get(content, path) ?? "";
    }
  }
  return edit;
}

function showSaveState(text, kind = "") {
  const node = byId("save-state");
  node.textContent = text;
  node.className = `save-state ${kind}`;
}

function changed() {
  recompute();
  if (!editable || blocked) return;
  showSaveState("Unsaved changes…", "pending");
  clearTimeout(timer);
  timer = setTimeout(() => save(), SAVE_DELAY);
}

/** Save what changed now (waits for a save in flight first). Resolves true when the
 * server holds everything the form holds. */
async function save() {
  clearTimeout(timer);
  while (saving) await saving;
  if (blocked || !editable) return false;
  const content = recompute();
  const edit = pendingEdit(content);
  if (Object.keys(edit).length === 0) {
    const waiting = lastProblems.length > 0 && differences(sections, content, base).length > 0;
    showSaveState(waiting ? "Not saved: fix the marked scores" : "All changes saved", waiting ? "error" : "saved");
    return !waiting;
  }
  showSaveState("Saving…", "pending");
  saving = (async () => {
    try {
      const answer = await request("PUT", draftUrl, edit, { "If-Match": String(draft.revision) }, { toLogin: false });
      adopt(answer, false);
      const now = readForm();
      if (differences(sections, now, content).length) {
        // typed while the request was out: save that next (what the server normalised, such
        // as trimmed text, is not sent again and again)
        showSaveState("Unsaved changes…", "pending");
        timer = setTimeout(() => save(), SAVE_DELAY);
        return false;
      }
      const waiting = lastProblems.length > 0 && differences(sections, now, base).length > 0;
      const saved = `Saved revision ${answer.revision}`;
      showSaveState(waiting ? `${saved}; the marked scores wait` : saved, waiting ? "pending" : "saved");
      return !waiting;
    } catch (error) {
      return failed(error, edit);
    } finally {
      saving = null;
    }
  })();
  return saving;
}

function failed(error, edit) {
  if (!(error instanceof ApiError)) {
    showSaveState(`Not saved: ${error.message}`, "error");
    return false;
  }
  const body = error.body || {};
  if (error.status === 401) {
    // keep the text on screen: log in again in another tab, then save
    const again = el("button", { type: "button", class: "secondary" }, "Save now");
    again.addEventListener("click", () => save());
    fill(
      byId("save-state"),
      "Not saved: your session has ended. ",
      el("a", { href: "/workbench/login", target: "_blank", rel: "noopener" }, "Log in again (new tab)"),
      ", then ",
      again,
    );
    byId("save-state").className = "save-state error";
  } else if (error.status === 409 && body.theirs) {
    showConflict(body.yours || edit, body.theirs);
  } else if (error.status === 409) {
    showSaveState(`Not saved: ${error.message}`, "error");
    say(error.message, "alert");
  } else if (error.status === 422) {
    renderProblems(body.problems || [{ field: "draft", expected: error.message }]);
    showSaveState("Not saved: see the problems above", "error");
  } else {
    showSaveState(`Not saved: ${error.message}`, "error");
  }
  return false;
}

/** Take a server answer as the new base. `refill` puts its content into the form (load,
 * restore, "take theirs"); otherwise the form keeps whatever the user typed meanwhile. */
function adopt(answer, refill) {
  draft = answer;
  base = contentOf(answer);
  if (refill) fillForm(sections, base, changed);
  byId("draft-name").textContent = answer.name || page.country;
  byId("crumb-name").textContent = answer.name || page.country;
  fill(byId("draft-state"), el("span", { class: `state ${answer.state}` }, answer.state));
  byId("draft-revision").textContent = String(answer.revision);
  byId("previous-edition").textContent = answer.previous ? String(answer.previous.edition) : "no previous edition";
  renderComments(answer.comments || {});
  renderSuggestions(answer.suggestions || {});
  setMode();
  recompute();
}

// -- conflicts -------------------------------------------------------------------------

function shown(value) {
  if (value === null || value === undefined || value === "") return el("span", { class: "muted" }, "(empty)");
  if (Array.isArray(value)) return el("ul", {}, value.map((v) => el("li", {}, typeof v === "object" ? `${v.label}: ${v.text}` : String(v))));
  return el("span", { class: "text" }, String(value));
}

function showConflict(yours, theirs) {
  blocked = true;
  showSaveState("Not saved: someone else saved first", "error");
  const box = byId("conflict");
  byId("conflict-theirs").textContent = String(theirs.revision);
  const theirsContent = contentOf(theirs);
  const mine = readForm();
  const paths = differences(sections, mine, base);
  fill(
    box.querySelector("tbody"),
    paths.map((path) =>
      el("tr", {}, el("th", { scope: "row" }, path), el("td", {}, shown(get(theirsContent, path))), el("td", {}, shown(get(mine, path)))),
    ),
  );
  box.hidden = false;
  box.focus();
  box.dataset.theirs = JSON.stringify(theirs);
  box.dataset.mine = JSON.stringify(paths);
}

function resolveConflict(keepMine) {
  const box = byId("conflict");
  const theirs = JSON.parse(box.dataset.theirs);
  const minePaths = new Set(JSON.parse(box.dataset.mine));
  const mine = readForm();
  const theirsContent = contentOf(theirs);
  adopt(theirs, true); // the saved version becomes the base…
  if (keepMine) {
    // …and the fields the user changed go back on top of it, to be saved as a new revision
    const merged = contentOf(theirs);
    for (const path of minePaths) put(merged, path, get(mine, path));
    fillForm(sections, merged, changed);
  } else fillForm(sections, theirsContent, changed);
  box.hidden = true;
  blocked = false;
  if (keepMine) changed();
  else showSaveState(`Showing revision ${theirs.revision}`, "saved");
}

// -- review ----------------------------------------------------------------------------

function renderComments(comments) {
  const entries = Object.entries(comments).filter(([, text]) => text && text.trim());
  const box = byId("comments");
  box.hidden = entries.length === 0 || !["returned", "draft"].includes(draft.state);
  fill(
    box.querySelector("ul"),
    entries.map(([code, text]) => el("li", {}, byId(code) ? el("a", { href: `#${code}` }, code) : code, `: ${text}`)),
  );
  for (const s of sections) {
    const note = byId(`comment-${s.code}`);
    const text = comments[s.code];
    note.hidden = !text || box.hidden;
    fill(note, el("strong", {}, "Reviewer: "), text || "");
  }
}

/** Suggested scores, where the API offers them (`suggestions: {A1: {score, why}}`):
 * shown beside the score, never applied by themselves. */
function renderSuggestions(suggestions) {
  for (const node of document.querySelectorAll("[data-suggestion]")) {
    const s = suggestions[node.dataset.suggestion];
    node.hidden = !s;
    fill(node, s ? [`Suggested: ${s.score}`, s.why ? el("span", { class: "muted" }, ` (${s.why})`) : ""] : "");
  }
}

function setMode() {
  const role = me.role;
  editable = EDITOR_ROLES.has(role) && EDITABLE_STATES.has(draft.state);
  for (const node of byId("draft-form").querySelectorAll("input, textarea")) {
    if (node.dataset.review !== undefined) continue;
    node.readOnly = !editable;
  }
  byId("add-note").hidden = !editable;
  for (const button of byId("notes-list").querySelectorAll("button")) button.hidden = !editable;
  const reviewing = REVIEWER_ROLES.has(role) && draft.state === "submitted";
  for (const box of document.querySelectorAll(".wb-review-comment")) box.hidden = !reviewing;
  byId("submit-draft").hidden = !(EDITOR_ROLES.has(role) && ["draft", "returned"].includes(draft.state));
  byId("return-draft").hidden = !reviewing;
  byId("approve-draft").hidden = !reviewing;
  byId("publish-draft").hidden = !(REVIEWER_ROLES.has(role) && draft.state === "approved");
  const help = {
    draft: "Submit when every changed score has its reason.",
    returned: "The reviewer returned this draft: fix what the comments say, then submit again.",
    submitted: reviewing ? "Comment on any indicator below, then return or approve." : "Submitted: waiting for a reviewer.",
    approved: "Approved: a reviewer or admin who did not author it can publish it.",
    published: "Published: a new save starts a new round of review.",
  }[draft.state];
  const waiting = !EDITOR_ROLES.has(role) && ["draft", "returned"].includes(draft.state);
  byId("review-help").textContent = waiting ? "The analyst is drafting: nothing to review yet." : help || "";
}

async function act(action, body = undefined) {
  try {
    if (action === "submit") {
      const clean = await save();
      if (!clean || lastProblems.length) {
        say("Fix the problems listed at the top before submitting.", "alert");
        byId("problems").scrollIntoView();
        return;
      }
    }
    const answer = await request("POST", `${draftUrl}/${action}`, body);
    adopt(answer, true);
    say(`Draft ${answer.state}.`);
    showSaveState(`State: ${answer.state}`, "saved");
  } catch (error) {
    say(error.message || String(error), "alert");
  }
}

function reviewComments() {
  const comments = {};
  for (const node of document.querySelectorAll("[data-review]")) {
    if (node.value.trim()) comments[node.dataset.review] = node.value.trim();
  }
  return comments;
}

// -- previews --------------------------------------------------------------------------

async function preview(code) {
  const box = byId(`preview-${code}`);
  const { html } = await request("POST", "/workbench/preview", { text: input("narrative", code).value });
  box.innerHTML = html; // sanitised on the server (markdown-it, then nh3's allow-list)
}

function wirePreviews() {
  const timers = {};
  for (const button of document.querySelectorAll("[data-preview]")) {
    const code = button.dataset.preview;
    const box = byId(`preview-${code}`);
    button.addEventListener("click", async () => {
      const open = box.hidden;
      box.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "Hide preview" : "Preview";
      if (open) await preview(code).catch((e) => say(e.message, "alert"));
    });
    input("narrative", code).addEventListener("input", () => {
      if (box.hidden) return;
      clearTimeout(timers[code]);
      timers[code] = setTimeout(() => preview(code).catch(() => null), 500);
    });
  }
}

// -- start -----------------------------------------------------------------------------

start(async () => {
  wireLogout();
  [me, rules] = await Promise.all([whoami(), request("GET", "/api/v1/rules/fiw")]);
  const answer = await request("GET", draftUrl);
  sections = [
    ...rules.indicators.map((i) => ({ code: i.code, field: null })),
    ...discretionaryFor(rules, edition).map((d) => ({ code: d.code, field: d.code.toLowerCase() })),
  ].filter((s) => byId(s.code) && (s.field === null || s.field in answer));
  adopt(answer, true);
  showSaveState("Up to date", "saved");
  const form = byId("draft-form");
  form.addEventListener("input", (event) => {
    if (event.target.dataset.review === undefined) changed();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  byId("add-note").addEventListener("click", () => {
    addNote(changed).querySelector("input").focus();
    changed();
  });
  byId("keep-mine").addEventListener("click", () => resolveConflict(true));
  byId("take-theirs").addEventListener("click", () => resolveConflict(false));
  byId("submit-draft").addEventListener("click", () => act("submit"));
  byId("return-draft").addEventListener("click", () => act("return", { comments: reviewComments() }));
  byId("approve-draft").addEventListener("click", () => act("approve"));
  byId("publish-draft").addEventListener("click", () => act("publish"));
  wirePreviews();
  window.addEventListener("beforeunload", (event) => {
    if (editable && base && differences(sections, readForm(), base).length) event.preventDefault();
  });
});
