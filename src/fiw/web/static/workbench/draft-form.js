// The editor's form and the draft content it edits, in the API's shape: read the form into a
// content, fill a content into the form, and compare two contents field by field ("scores.A1",
// "q", "narratives.B2", "overview" …), which is what autosave and the conflict view need.
// `sections` lists the scored sections [{code, field}]: indicators (field null: under
// `scores`), then discretionary questions under their own field (`q`).
import { asInt } from "./scorer.js";
import { el, fill } from "./api.js";

const byId = (id) => document.getElementById(id);
const input = (kind, code) => byId(`${kind}-${code}`);

/** The draft's content as the API names it (only the editable fields). */
export function contentOf(answer) {
  return {
    scores: { ...answer.scores },
    q: answer.q,
    narratives: { ...(answer.narratives || {}) },
    reasons: { ...(answer.reasons || {}) },
    overview: answer.overview || "",
    key_developments: [...(answer.key_developments || [])],
    notes: (answer.notes || []).map((n) => ({ label: n.label, text: n.text })),
  };
}

/** A scored section's value in a content: indicators under `scores`, a discretionary
 * question under its own lower-case field (`q`). */
export function valueOf(content, section) {
  return section.field ? content[section.field] : content.scores[section.code];
}

function readScore(code) {
  const raw = input("score", code).value.trim();
  if (raw === "") return null;
  const value = asInt(raw);
  return value === null ? raw : value;
}

/** What the form holds now, in the API's shape (`base`: the saved content it started from). */
export function readForm(sections, base) {
  const content = { scores: {}, q: base ? base.q : 0, narratives: {}, reasons: {} };
  for (const s of sections) {
    const value = readScore(s.code);
    if (s.field) content[s.field] = value;
    else if (value !== null) content.scores[s.code] = value;
    const narrative = input("narrative", s.code).value;
    if (narrative !== "" || (base && base.narratives[s.code] !== undefined)) content.narratives[s.code] = narrative;
    const reason = input("reason", s.code).value;
    if (reason.trim() !== "") content.reasons[s.code] = reason;
  }
  content.overview = byId("overview").value;
  content.key_developments = byId("key-developments")
    .value.split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  content.notes = [...byId("notes-list").children].map((li) => ({
    label: li.querySelector("input").value,
    text: li.querySelector("textarea").value,
  }));
  return content;
}

/** Put a content into the form (`onChange` runs when a note is removed). */
export function fillForm(sections, content, onChange) {
  for (const s of sections) {
    const value = valueOf(content, s);
    input("score", s.code).value = value === null || value === undefined ? "" : String(value);
    input("narrative", s.code).value = content.narratives[s.code] || "";
    input("reason", s.code).value = content.reasons[s.code] || "";
  }
  byId("overview").value = content.overview;
  byId("key-developments").value = content.key_developments.join("\n");
  fill(byId("notes-list"));
  for (const note of content.notes) addNote(onChange, note);
}

/** A note (label and text) at the end of the notes list; returns its list item. */
export function addNote(onChange, note = { label: "Note", text: "" }) {
  const list = byId("notes-list");
  const n = list.children.length + 1;
  const id = `note-${Date.now().toString(36)}-${n}`;
  const remove = el("button", { type: "button", class: "secondary" }, `Remove note ${n}`);
  const li = el(
    "li",
    {},
    el("label", { for: `${id}-label` }, `Note ${n} label`),
    el("input", { id: `${id}-label`, value: note.label }),
    el("label", { for: `${id}-text` }, `Note ${n} text`),
    el("textarea", { id: `${id}-text`, rows: 2 }),
    remove,
  );
  li.querySelector("textarea").value = note.text;
  remove.addEventListener("click", () => {
    li.remove();
    onChange();
  });
  list.append(li);
  return li;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Paths of the fields that differ between two contents ("scores.A1", "q", "overview" …). */
export function differences(sections, a, b) {
  const out = [];
  for (const s of sections) {
    if (!same(valueOf(a, s), valueOf(b, s))) out.push(s.field || `scores.${s.code}`);
    for (const map of ["narratives", "reasons"]) {
      if ((a[map][s.code] || "") !== (b[map][s.code] || "")) out.push(`${map}.${s.code}`);
    }
  }
  for (const name of ["overview", "key_developments", "notes"]) if (!same(a[name], b[name])) out.push(name);
  return out;
}

/** The value at a field path of a content. */
export function get(content, path) {
  const [head, key] = path.split(".");
  return key === undefined ? content[head] : content[head][key];
}

/** Set the value at a field path of a content (undefined removes a map's key). */
export function put(content, path, value) {
  const [head, key] = path.split(".");
  if (key === undefined) content[head] = value;
  else if (value === undefined) delete content[head][key];
  else content[head][key] = value;
}
