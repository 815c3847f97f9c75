// fiw's scoring engine in the browser: the algorithm of src/fiw/methodology/engine.py applied
// to the methodology data the engine itself reads (GET /api/v1/rules/{index}). No code list,
// maximum, band or status is written here: everything comes from that document, so the two
// scorers cannot drift apart. tests/test_workbench_scorer.py runs this module over every row
// of the official workbook in Chromium and requires the engine's answer on every field.

/** One thing wrong with an assessment, as the engine's ScoreProblem: field, value, expected. */
export class ScoreProblem {
  constructor(field, value, expected) {
    this.field = field;
    this.value = value === undefined ? null : value;
    this.expected = expected;
  }

  toString() {
    if (this.value === null) return `${this.field}: ${this.expected}`;
    return `${this.field} = ${JSON.stringify(this.value)}: ${this.expected}`;
  }
}

/** Invalid scores for an edition; `problems` lists every problem found, not the first. */
export class ScoreError extends Error {
  constructor(problems) {
    const lines = problems.map((p) => `  - ${p}`).join("\n");
    super(`${problems.length} problem(s) with the scores:\n${lines}`);
    this.name = "ScoreError";
    this.problems = problems;
  }
}

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const INT_TEXT = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_TEXT = /^[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;

/** An integer score from a number or an integral string ("3", " 3.0 ", "−1"); null when it is
 * not one (the engine's `_as_int`). Booleans are not scores. */
export function asInt(value) {
  if (typeof value === "number") return Number.isInteger(value) ? value : null;
  if (typeof value !== "string") return null;
  const text = value.trim().replaceAll("−", "-");
  if (INT_TEXT.test(text)) return Number.parseInt(text.replaceAll("_", ""), 10);
  if (FLOAT_TEXT.test(text)) {
    const number = Number(text.replaceAll("_", ""));
    return Number.isInteger(number) ? number : null;
  }
  return null;
}

/** Whether an edition range (`from`, `to`; `to` null = open-ended) covers `edition`. */
export function covers(range, edition) {
  return range.from <= edition && (range.to === null || range.to === undefined || edition <= range.to);
}

const cache = new WeakMap(); // index document -> Map(edition -> flattened rules)

/** One edition's rules, flattened once (the engine's `_rules`). */
export function rulesFor(index, edition) {
  let byEdition = cache.get(index);
  if (byEdition === undefined) {
    byEdition = new Map();
    cache.set(index, byEdition);
  }
  let rules = byEdition.get(edition);
  if (rules === undefined) {
    const present = (index.discretionary || []).filter((d) => covers(d, edition));
    const absent = new Map();
    for (const d of index.discretionary || []) {
      if (!present.includes(d)) absent.set(d.code, d.to ? `${d.from}-${d.to}` : `${d.from} on`);
    }
    const ratingBands = new Map();
    for (const agg of index.aggregates || []) {
      const scale = ratingScale(index, agg.code, edition);
      if (scale) ratingBands.set(agg.code, scale.bands);
    }
    rules = {
      indicators: index.indicators,
      discretionary: present,
      absent,
      aggregates: index.aggregates || [],
      ratingBands,
    };
    byEdition.set(edition, rules);
  }
  return rules;
}

/** The rating scale of an aggregate in `edition`, or null. */
export function ratingScale(index, aggregate, edition) {
  return (index.ratings || []).find((r) => r.aggregate === aggregate && covers(r, edition)) || null;
}

/** The status scale of `edition`, or null. */
export function statusScale(index, edition) {
  return index.statuses.find((s) => covers(s, edition)) || null;
}

/** The discretionary questions that exist in `edition`. */
export function discretionaryFor(index, edition) {
  return rulesFor(index, edition).discretionary;
}

/** The 1-7 rating of an aggregate score under `edition`'s bands. */
export function rating(index, aggregate, value, edition) {
  const bands = rulesFor(index, edition).ratingBands.get(aggregate);
  if (bands === undefined) {
    throw new Error(`${index.id} defines no ${aggregate} rating in the ${edition} edition`);
  }
  for (const band of bands) {
    if (band.min <= value && value <= band.max) return band.rating;
  }
  throw new Error(`${aggregate} score ${value} lies outside every band of the ${edition} edition`);
}

/** Every status the rule of `edition` allows for these ratings (two for a pre-2004 5.5). */
export function statusesForRatings(index, ratings, edition) {
  const values = Array.isArray(ratings) ? ratings : Object.values(ratings);
  const scale = statusScale(index, edition);
  if (scale === null || (scale.basis || "ratings") !== "ratings") {
    throw new Error(`${index.id} has no ratings-based status rule in the ${edition} edition`);
  }
  const average = values.reduce((a, b) => a + b, 0) / values.length;
  return scale.bands.filter((b) => b.min <= average && average <= b.max).map((b) => b.status);
}

/** The status of a total where the index grades totals directly (Freedom on the Net). */
export function statusForTotal(index, total, edition) {
  const scale = statusScale(index, edition);
  if (scale === null || scale.basis !== "total") {
    throw new Error(`${index.id} has no total-based status rule in the ${edition} edition`);
  }
  for (const band of scale.bands) {
    if (band.min <= total && total <= band.max) return band.status;
  }
  throw new Error(`total ${total} lies outside every status band of the ${edition} edition`);
}

/**
 * Score one assessment of `edition` under the rules `index` (the /api/v1/rules document).
 *
 * `scores` maps indicator codes and discretionary codes (Q, ADD_A) to integers; a present
 * discretionary question defaults to 0. Returns the engine's `fiw score --json` object
 * (edition, subtotals, one key per aggregate, total, one `<agg>_rating` per rating, status)
 * or throws a ScoreError listing every problem, with the engine's wording.
 */
export function score(index, edition, scores) {
  const problems = [];
  if (!Number.isInteger(edition)) {
    throw new ScoreError([new ScoreProblem("edition", edition, "a whole year such as 2023")]);
  }
  if (edition < index.first_scored_edition) {
    const expected = `${index.name} indicator scores exist from the ${index.first_scored_edition} edition`;
    throw new ScoreError([new ScoreProblem("edition", edition, expected)]);
  }
  const rules = rulesFor(index, edition);
  const known = new Set([...rules.indicators, ...rules.discretionary].map((x) => x.code));
  for (const key of Object.keys(scores)) {
    if (known.has(key)) continue;
    if (rules.absent.has(key)) {
      const expected =
        `${key} is not part of the ${edition} edition ` +
        `(it exists in editions ${rules.absent.get(key)})`;
      problems.push(new ScoreProblem(key, scores[key], expected));
    } else {
      problems.push(new ScoreProblem(key, scores[key], `not an indicator of ${index.name} ${edition}`));
    }
  }

  const subtotals = {};
  for (const category of index.categories) subtotals[category.code] = 0;
  for (const ind of rules.indicators) {
    const low = ind.min ?? 0;
    if (!has(scores, ind.code)) {
      problems.push(new ScoreProblem(ind.code, null, `missing (an integer ${low} to ${ind.max})`));
      continue;
    }
    const value = asInt(scores[ind.code]);
    if (value === null || value < low || value > ind.max) {
      problems.push(new ScoreProblem(ind.code, scores[ind.code], `an integer ${low} to ${ind.max}`));
      continue;
    }
    subtotals[ind.category] += value;
  }

  const discretionary = {};
  for (const d of rules.discretionary) {
    const raw = has(scores, d.code) ? scores[d.code] : 0;
    const value = asInt(raw);
    if (value === null || value < d.min || value > d.max) {
      let expected = `an integer ${d.min} to ${d.max}`;
      if (d.code === "Q" && value !== null && value < 0) {
        expected += " (the points subtracted; pages print Q negative)";
      }
      problems.push(new ScoreProblem(d.code, raw, expected));
      continue;
    }
    discretionary[d.code] = value;
  }

  if (problems.length) throw new ScoreError(problems);

  const aggregates = {};
  for (const agg of rules.aggregates) {
    aggregates[agg.code] = agg.categories.reduce((sum, c) => sum + subtotals[c], 0);
  }
  for (const d of rules.discretionary) aggregates[d.aggregate] += d.sign * discretionary[d.code];
  const sum = (object) => Object.values(object).reduce((a, b) => a + b, 0);
  const total = rules.aggregates.length ? sum(aggregates) : sum(subtotals);

  const ratings = {};
  for (const [code, value] of Object.entries(aggregates)) {
    if (rules.ratingBands.has(code)) ratings[code] = rating(index, code, value, edition);
  }
  let status;
  if (index.status_rule === "ratings") {
    const possible = statusesForRatings(index, ratings, edition);
    status = possible.length === 1 ? possible[0] : null;
  } else {
    status = statusForTotal(index, total, edition);
  }

  const out = index.id === "fiw" ? {} : { index: index.id };
  out.edition = edition;
  out.subtotals = subtotals;
  for (const [code, value] of Object.entries(aggregates)) out[code.toLowerCase()] = value;
  out.total = total;
  for (const [code, value] of Object.entries(ratings)) out[`${code.toLowerCase()}_rating`] = value;
  out.status = status;
  return out;
}
