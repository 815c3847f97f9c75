"""What a draft holds (one revision's content), how an edit applies to it, what differs
between two revisions, and what must be fixed before it can be saved.

Codes, ranges and the previous edition's scores come from the methodology and the store,
never from a list typed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fiw.methodology import load_index
from fiw.methodology.engine import ScoreError, score
from fiw.methodology.vocabulary import DISCRETIONARY_RANGE, INDICATORS

Q = "Q"
SECTIONS: tuple[str, ...] = (*INDICATORS, Q)
"""Keys of narratives, reasons and comments: the indicators and the discretionary Q."""
TEXT_FIELDS = ("overview", "key_developments", "notes")
EDITABLE = ("scores", "q", "narratives", "reasons", "overview", "key_developments", "notes")


class Note(BaseModel):
    """A block before the overview (Note, Status Change, Capital …)."""

    model_config = ConfigDict(frozen=True)
    label: str
    text: str


class DraftContent(BaseModel):
    """One revision of a draft: scores, Q (points subtracted), narratives (Markdown) and
    score-change reasons per section, overview, key developments and notes."""

    model_config = ConfigDict(frozen=True)
    scores: dict[str, int]
    q: int = 0
    narratives: dict[str, str] = Field(default_factory=dict)
    reasons: dict[str, str] = Field(default_factory=dict)
    overview: str = ""
    key_developments: list[str] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    def value(self, code: str) -> int:
        """The score of an indicator, or Q."""
        return self.q if code == Q else self.scores[code]


class Edit(BaseModel):
    """A save: any subset of the editable fields; maps are merged into the current ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    scores: dict[str, Any] | None = None
    q: Any = None
    narratives: dict[str, str] | None = None
    reasons: dict[str, str] | None = None
    overview: str | None = None
    key_developments: list[str] | None = None
    notes: list[Note] | None = None

    def sent(self) -> dict[str, Any]:
        """The fields this edit carries (for a conflict's `yours`)."""
        return self.model_dump(mode="json", exclude_none=True)


def problems_of_keys(edit: Edit) -> list[dict[str, Any]]:
    """Unknown codes in the edit's maps."""
    out: list[dict[str, Any]] = []
    for name, allowed in (("scores", INDICATORS), ("narratives", SECTIONS), ("reasons", SECTIONS)):
        for key in getattr(edit, name) or {}:
            if key not in allowed:
                out.append(
                    {
                        "field": f"{name}.{key}",
                        "value": None,
                        "expected": f"one of {', '.join(allowed)}",
                    }
                )
    return out


def apply(content: DraftContent, edit: Edit) -> dict[str, Any]:
    """The content after `edit`, as a plain dict (validated by `check`, then typed)."""
    out = content.model_dump(mode="json")
    if edit.scores is not None:
        known = {k: v for k, v in edit.scores.items() if k in INDICATORS}  # others: listed
        out["scores"] = {**out["scores"], **known}
    if edit.q is not None:
        out["q"] = edit.q
    for name in ("narratives", "reasons"):
        given = getattr(edit, name)
        if given is not None:
            merged = {**out[name], **{k: v for k, v in given.items() if k in SECTIONS}}
            out[name] = (
                {k: v for k, v in merged.items() if v.strip()} if name == "reasons" else merged
            )
    for name in ("overview", "key_developments"):
        if getattr(edit, name) is not None:
            out[name] = getattr(edit, name)
    if edit.notes is not None:
        out["notes"] = [n.model_dump() for n in edit.notes]
    return out


def check(
    edition: int, content: Mapping[str, Any], previous: DraftContent | None
) -> list[dict[str, Any]]:
    """Every problem with a draft's content: scores and Q out of the methodology's range for
    the edition, and each score that differs from the previous edition without a reason."""
    problems: list[dict[str, Any]] = []
    values: dict[str, object] = {**content["scores"], Q: content["q"]}
    try:
        score(edition, values)
    except ScoreError as exc:
        problems += [
            {"field": p.field, "value": p.value, "expected": p.expected} for p in exc.problems
        ]
    if previous is not None:
        reasons = content.get("reasons", {})
        for code in SECTIONS:
            before = previous.value(code)
            now = values.get(code)
            if isinstance(now, bool) or not isinstance(now, int) or now == before:
                continue
            if not str(reasons.get(code, "")).strip():
                problems.append(
                    {
                        "field": code,
                        "value": now,
                        "expected": f"a reason: the score changed from {before} (Score Change)",
                    }
                )
    return problems


def changed_codes(content: DraftContent, previous: DraftContent | None) -> list[str]:
    """The sections whose score differs from the previous edition's."""
    if previous is None:
        return []
    return [c for c in SECTIONS if content.value(c) != previous.value(c)]


def result(edition: int, content: DraftContent) -> dict[str, Any] | None:
    """The engine's `fiw score --json` object for the content (None when it cannot score)."""
    try:
        return score(edition, {**content.scores, Q: content.q}).to_dict()
    except ScoreError:
        return None


def diff(a: DraftContent, b: DraftContent) -> list[dict[str, Any]]:
    """Field-by-field differences between two contents (`scores.A1`, `narratives.B2`, `q` …)."""
    out: list[dict[str, Any]] = []
    left, right = a.model_dump(mode="json"), b.model_dump(mode="json")
    for name in ("scores", "narratives", "reasons"):
        keys = [k for k in SECTIONS if k in left[name] or k in right[name]]
        for key in keys:
            if left[name].get(key) != right[name].get(key):
                out.append(
                    {"field": f"{name}.{key}", "a": left[name].get(key), "b": right[name].get(key)}
                )
    for name in ("q", "overview", "key_developments", "notes"):
        if left[name] != right[name]:
            out.append({"field": name, "a": left[name], "b": right[name]})
    return out


def question(code: str, edition: int) -> str:
    """The methodology's question for an indicator (or Q) in an edition."""
    index = load_index("fiw")
    if code == Q:
        found = next(
            (d.question(edition) for d in index.discretionary_for(edition) if d.code == Q), None
        )
    else:
        found = index.indicator(code).question(edition)
    return found.text if found is not None else code


Q_RANGE = DISCRETIONARY_RANGE[Q]
