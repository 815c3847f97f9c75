"""Saving and loading the assistant's model (joblib), refusing files this fiw cannot use.

The file holds the model with its format number and the scikit-learn version that fitted
it: a different one of either makes the model stale (scikit-learn does not promise to read
its objects across versions), and the message says to run `fiw assist train`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import joblib
import sklearn

from fiw.assist.errors import ModelMissing, ModelStale
from fiw.assist.model import FORMAT, AssistModel


def save(model: AssistModel, path: Path) -> Path:
    """Write the model to `path` atomically (a half-written file never replaces a good one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "sklearn": sklearn.__version__, "model": model}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".assist-", suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(payload, temporary, compress=3)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def load(path: Path) -> AssistModel:
    """The model at `path`; ModelMissing or ModelStale (naming `fiw assist train`) otherwise."""
    if not path.exists():
        raise ModelMissing(path)
    try:
        payload: Any = joblib.load(path)
    except Exception as exc:  # a truncated file or one from another fiw: never a traceback
        raise ModelStale(path, f"unreadable: {type(exc).__name__}") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else None
        raise ModelStale(path, f"format {found}, this fiw reads format {FORMAT}")
    if payload.get("sklearn") != sklearn.__version__:
        raise ModelStale(
            path,
            f"fitted with scikit-learn {payload.get('sklearn')}, installed {sklearn.__version__}",
        )
    model = payload.get("model")
    if not isinstance(model, AssistModel):
        raise ModelStale(path, "no model in the file")
    return model
