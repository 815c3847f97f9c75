"""The score assistant: reads an indicator's narrative (and last year's), suggests its score,
and flags published scores the text does not support. See docs/assist.md.

    from fiw.assist import load_model, suggest_page, check_edition
    model = load_model()                       # trained by `fiw assist train`
    rows, skipped = check_edition(model, fiw.open(), 2023, top=20)
"""

from __future__ import annotations

from pathlib import Path

from fiw.assist.check import check_edition, check_pages, ranked, suggest_page, suggest_text
from fiw.assist.corpus import Cell, Corpus, Previous, load_corpus, report_cells
from fiw.assist.errors import AssistError, ModelMissing, ModelStale, TrainedOnEdition
from fiw.assist.evaluate import Evaluation, evaluate
from fiw.assist.model import AssistModel, Suggestion, TrainingInfo, train
from fiw.assist.storage import load, save
from fiw.assist.text import answer_free, states_score
from fiw.settings import get_settings


def model_path(path: Path | None = None) -> Path:
    """Where the model lives: `path`, else FIW_ASSIST_MODEL (default: the user data dir)."""
    return path if path is not None else get_settings().assist_model


def load_model(path: Path | None = None) -> AssistModel:
    """The saved model; ModelMissing / ModelStale name `fiw assist train` when it cannot be."""
    return load(model_path(path))


__all__ = [
    "AssistError",
    "AssistModel",
    "Cell",
    "Corpus",
    "Evaluation",
    "ModelMissing",
    "ModelStale",
    "Previous",
    "Suggestion",
    "TrainedOnEdition",
    "TrainingInfo",
    "answer_free",
    "check_edition",
    "check_pages",
    "evaluate",
    "load",
    "load_corpus",
    "load_model",
    "model_path",
    "ranked",
    "report_cells",
    "save",
    "states_score",
    "suggest_page",
    "suggest_text",
    "train",
]
