"""The store's data version: an import that changes something bumps it (so running servers
reload), one that changes nothing leaves it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from fiw.store.importer import import_files
from fiw.store.state import data_version


def _version(engine: Engine) -> int:
    with engine.connect() as connection:
        return data_version(connection)


def test_an_import_bumps_the_data_version_only_when_it_changed_something(
    engine: Engine, seed_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "2023"
    folder.mkdir()
    (folder / seed_path.name).write_bytes(seed_path.read_bytes())
    start = _version(engine)
    import_files(engine, [folder])
    assert _version(engine) == start + 1
    import_files(engine, [folder])
    assert _version(engine) == start + 1
