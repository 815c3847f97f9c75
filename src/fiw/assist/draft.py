"""The assistant applied to a workbench draft: each indicator's narrative (Markdown, as the
analyst wrote it) judged with the store's previous report of the country as history, and
the draft's scores the text does not support flagged.

A score is *unsupported* when the model gives it less than half the probability
(`suspicion` >= UNSUPPORTED): the text makes some other score more likely than this one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fiw.assist.corpus import Cell, Previous, report_cells
from fiw.assist.model import AssistModel
from fiw.assist.suggestion import Suggestion
from fiw.assist.text import answer_free
from fiw.methodology.vocabulary import INDICATORS
from fiw.pages.model import Report

UNSUPPORTED = 0.5
"""A draft's score is flagged when 1 - P(score | text) reaches this: another score is likelier."""
_PARAGRAPH = re.compile(r"\n\s*\n")


def unsupported(suggestion: Suggestion) -> bool:
    """Whether the text does not support the cell's score (see UNSUPPORTED)."""
    return suggestion.suspicion is not None and suggestion.suspicion >= UNSUPPORTED


def draft_cells(
    country_id: str,
    country: str,
    edition: int,
    scores: Mapping[str, int],
    narratives: Mapping[str, str],
    previous: Report | None,
) -> list[Cell]:
    """The draft's indicator cells (in the methodology's order), each with the previous
    report's score and narrative of the same indicator as its history when there is one."""
    sentences = {
        code: answer_free(_PARAGRAPH.split(narratives.get(code, "") or "")) for code in INDICATORS
    }
    report_text = " ".join(" ".join(sentences[code]) for code in INDICATORS)
    earlier: dict[str, Previous] = {}
    if previous is not None:
        before = {c.code: c for c in report_cells(previous, country_id, edition - 1)}
        earlier = {
            code: Previous(cell.score, cell.sentences, cell.report_text)
            for code, cell in before.items()
            if cell.score is not None
        }
    return [
        Cell(
            country_id=country_id,
            country=country,
            edition=edition,
            code=code,
            score=scores.get(code),
            sentences=sentences[code],
            report_text=report_text,
            previous=earlier.get(code),
        )
        for code in INDICATORS
    ]


def suggest_draft(
    model: AssistModel,
    country_id: str,
    country: str,
    edition: int,
    scores: Mapping[str, int],
    narratives: Mapping[str, str],
    previous: Report | None,
) -> list[Suggestion]:
    """A suggestion per indicator of a draft; TrainedOnEdition when the model has seen it."""
    model.check_edition(edition)
    return model.judge(draft_cells(country_id, country, edition, scores, narratives, previous))
