"""Shared fixtures: the shared data folder, found through FIW_SHARED, never skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiw.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the tests read the shared data through FIW_SHARED "
            f"(now {Settings().shared.resolve()}); point it to the folder holding data/ and seed/",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def shared(settings: Settings) -> Path:
    return _need(settings.shared)


@pytest.fixture(scope="session")
def all_data_path(settings: Settings) -> Path:
    return _need(settings.fiw_data_dir / "All_data_FIW_2013-2024.xlsx")


@pytest.fixture(scope="session")
def ratings_path(settings: Settings) -> Path:
    return _need(
        settings.fiw_data_dir / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"
    )


@pytest.fixture(scope="session")
def seed_path(settings: Settings) -> Path:
    return _need(settings.shared / "seed" / "kazakhstan-2023.txt")
