"""The score assistant: reads an indicator's narrative (and last year's), suggests its score,
and flags published scores the text does not support. See docs/assist.md.

    from fiw.assist import load_model, suggest_page, check_edition
    model = load_model()                       # trained by `fiw assist train`
    rows, skipped = check_edition(model, fiw.open(), 2023, top=20)

The names load on first use (PEP 562): `fiw.assist.suggestion`, the shape the web app's
OpenAPI spec names, is importable without scikit-learn, numpy or scipy.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fiw.assist.suggestion import Suggestion
from fiw.settings import get_settings

if TYPE_CHECKING:
    from fiw.assist.check import check_edition, check_pages, ranked, suggest_page, suggest_text
    from fiw.assist.corpus import Cell, Corpus, Previous, load_corpus, report_cells
    from fiw.assist.draft import UNSUPPORTED, draft_cells, suggest_draft, unsupported
    from fiw.assist.errors import AssistError, ModelMissing, ModelStale, TrainedOnEdition
    from fiw.assist.evaluate import Evaluation, evaluate
    from fiw.assist.model import AssistModel, TrainingInfo, train
    from fiw.assist.storage import load, save
    from fiw.assist.text import answer_free, states_score

_HOMES = {
    "check": ("check_edition", "check_pages", "ranked", "suggest_page", "suggest_text"),
    "corpus": ("Cell", "Corpus", "Previous", "load_corpus", "report_cells"),
    "draft": ("UNSUPPORTED", "draft_cells", "suggest_draft", "unsupported"),
    "errors": ("AssistError", "ModelMissing", "ModelStale", "TrainedOnEdition"),
    "evaluate": ("Evaluation", "evaluate"),
    "model": ("AssistModel", "TrainingInfo", "train"),
    "storage": ("load", "save"),
    "text": ("answer_free", "states_score"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import a name's module on first use (scikit-learn loads only when the model does)."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'fiw.assist' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"fiw.assist.{module}"), name)
    globals()[name] = value
    return value


def model_path(path: Path | None = None) -> Path:
    """Where the model lives: `path`, else FIW_ASSIST_MODEL (default: the user data dir)."""
    return path if path is not None else get_settings().assist_model


def load_model(path: Path | None = None) -> AssistModel:
    """The saved model; ModelMissing / ModelStale name `fiw assist train` when it cannot be."""
    from fiw.assist.storage import load

    return load(model_path(path))


__all__ = [
    "UNSUPPORTED",
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
    "draft_cells",
    "evaluate",
    "load",
    "load_corpus",
    "load_model",
    "model_path",
    "ranked",
    "report_cells",
    "save",
    "states_score",
    "suggest_draft",
    "suggest_page",
    "suggest_text",
    "train",
    "unsupported",
]
