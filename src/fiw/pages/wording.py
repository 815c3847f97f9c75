"""The questions' wording: a page's question lines matched to the methodology's, per edition.

Matching ignores what published pages vary in (case, whitespace, quotes, dashes and other
punctuation). A question worded as another indicator's (two question lines swapped) or as
its own indicator in other editions is a problem; a wording fiw does not know at all is only
a remark, since fiw's wording data may lag a new edition (and fictional test pages use
placeholders).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from fiw.methodology import load_index
from fiw.pages.model import Problem, Report

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """The words of `text`: NFKC, case-folded, every run of non-alphanumerics one space."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass(frozen=True)
class Wording:
    """One published wording of a question: whose it is, and the editions that use it."""

    code: str
    first: int
    last: int | None
    text: str

    def covers(self, edition: int) -> bool:
        return self.first <= edition and (self.last is None or edition <= self.last)

    def editions(self) -> str:
        if self.last is None:
            return f"editions from {self.first}"
        if self.last == self.first:
            return f"the {self.first} edition"
        return f"editions {self.first}–{self.last}"


@cache
def wordings() -> dict[str, tuple[Wording, ...]]:
    """Every wording the methodology data knows, by normalised text (indicators and Q)."""
    index = load_index("fiw")
    out: dict[str, list[Wording]] = {}
    items = [(i.code, i.questions) for i in index.indicators]
    items += [(d.code, d.questions) for d in index.discretionary]
    for code, questions in items:
        for q in questions:
            out.setdefault(normalise(q.text), []).append(Wording(code, q.first, q.last, q.text))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _own(code: str, edition: int | None) -> tuple[frozenset[str], frozenset[str]]:
    """The wordings `code` may have in `edition` (all of its wordings when none covers it),
    as published and normalised: the first set lets the usual exact match skip `normalise`."""
    mine = tuple(w for ws in wordings().values() for w in ws if w.code == code)
    if edition is not None:
        mine = tuple(w for w in mine if w.covers(edition)) or mine
    return frozenset(w.text for w in mine), frozenset(normalise(w.text) for w in mine)


@cache
def _published() -> frozenset[str]:
    return frozenset(w.text for ws in wordings().values() for w in ws)


def _shown(question: str) -> str:
    return repr(question if len(question) <= 60 else question[:57] + "...")


def _questions(report: Report) -> list[tuple[str, str]]:
    out = [(i.code, i.question) for i in report.indicators]
    if report.add_q is not None:
        out.append(("Q", report.add_q.question))
    return out


def wording_problems(report: Report, where: Mapping[str, int] | None = None) -> list[Problem]:
    """Questions worded as another indicator's, or as their own in other editions.

    `where` maps "A1 question" … and "Q question" to line numbers (the parser supplies it).
    """
    where = where or {}
    problems: list[Problem] = []
    edition = report.edition
    for code, question in _questions(report):
        exact, normalised = _own(code, edition)
        if question in exact:
            continue
        text = normalise(question)
        if text in normalised:
            continue
        known = wordings().get(text, ())
        lines = (where[f"{code} question"],) if f"{code} question" in where else ()
        others = sorted({w.code for w in known if w.code != code})
        if others:
            problems.append(
                Problem(
                    f"{code}'s question line is worded as {' and '.join(others)}'s question "
                    f"({_shown(question)}): question lines out of place?",
                    lines,
                )
            )
        elif known:
            said = "; ".join(w.editions() for w in known)
            problems.append(
                Problem(
                    f"{code}'s question is worded as in {said}, not as in the {edition} edition",
                    lines,
                )
            )
    return problems


def unknown_wordings(report: Report) -> list[str]:
    """Remarks for questions whose wording the methodology data does not know at all."""
    out = []
    for code, question in _questions(report):
        if question not in _published() and normalise(question) not in wordings():
            out.append(f"{code}'s question {_shown(question)} is not a wording fiw knows")
    return out
