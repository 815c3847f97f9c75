"""Shared by the assistant's tests: a small slice of the pages corpus (eight countries and a
territory, editions 2021-2023) in a fresh database per backend, and a model trained on its
editions before 2023 (seconds, not the minutes of the whole corpus)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fiw.assist import AssistModel, load_corpus, save, train
from fiw.store.database import make_engine
from fiw.store.dataset import Dataset, open_dataset
from fiw.store.importer import import_files
from tests.conftest import BACKENDS, _fresh_url
from tests.reports_data import pages_dir

COUNTRIES = (
    "albania", "argentina", "armenia", "australia", "azerbaijan", "bangladesh", "belarus",
    "kazakhstan",
)  # fmt: skip
TERRITORY = "abkhazia"
EDITIONS = (2021, 2022, 2023)


def slice_pages(folder: Path) -> Path:
    """Copy the slice's pages (EDITION/country.txt) under `folder`."""
    source = pages_dir()
    for edition in EDITIONS:
        (folder / str(edition)).mkdir(parents=True)
        for name in (*COUNTRIES, TERRITORY):
            shutil.copy(source / str(edition) / f"{name}.txt", folder / str(edition))
    return folder


@dataclass(frozen=True)
class Slice:
    url: str
    pages: Path
    model_path: Path
    model: AssistModel

    def dataset(self) -> Dataset:
        return open_dataset(self.url)


@pytest.fixture(scope="session", params=BACKENDS)
def assist_slice(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Slice]:
    """The slice imported into a fresh database, and a model trained until 2023 and saved."""
    folder = tmp_path_factory.mktemp("assist")
    pages = slice_pages(folder / "pages")
    for url in _fresh_url(request.param, folder):
        engine = make_engine(url)
        import_files(engine, [pages])
        engine.dispose()
        ds = open_dataset(url)
        model = train(load_corpus(ds), until=2023)
        ds.engine.dispose()
        path = save(model, folder / "model.joblib")
        yield Slice(url, pages, path, model)
