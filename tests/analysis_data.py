"""Test helper: the official indicator workbook as a frame in the shape of the store's `scores()`.

Until the store lands, country_id is the record name lowercased and slugified (provisional)
and iso3 is empty. Scores are recomputed with fiw's own engine, not copied from the sheet.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

from fiw.methodology import load_index, score
from fiw.sources.all_data import read_all_data

ALL_DATA = "data/fiw/All_data_FIW_2013-2024.xlsx"


def shared_file(relative: str) -> Path:
    """A file under FIW_SHARED; fails (never skips) with a clear message when it is missing."""
    root = Path(os.environ.get("FIW_SHARED", "../shared"))
    path = root / relative
    if not path.exists():
        raise AssertionError(
            f"{path} not found: set FIW_SHARED to the shared data folder (e.g. /work/shared)"
        )
    return path


def slug(name: str) -> str:
    """'Côte d'Ivoire' -> 'cote-d-ivoire': a provisional country id."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@cache
def official_scores() -> pd.DataFrame:
    """Every country-edition of the official workbook, scored by fiw, in the documented columns."""
    workbook = read_all_data(shared_file(ALL_DATA))
    indicators = load_index("fiw").indicator_codes()
    rows = []
    for record in workbook.records:
        given: dict[str, object] = dict(record.scores)
        given["Q"] = record.q
        if record.add_a is not None:
            given["ADD_A"] = record.add_a
        result = score(record.edition, given)
        rows.append(
            {
                "country_id": slug(record.name),
                "iso3": None,
                "name": record.name,
                "kind": record.kind,
                "region": record.region,
                "edition": record.edition,
                **{code: result.indicators[code] for code in indicators},
                "Q": result.discretionary.get("Q", 0),
                "add_a": result.discretionary.get("ADD_A"),
                **dict(result.subtotals),
                "pr": result.pr,
                "cl": result.cl,
                "total": result.total,
                "pr_rating": result.pr_rating,
                "cl_rating": result.cl_rating,
                "status": result.status.value if result.status else None,
            }
        )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    # Regenerate docs/analysis.md until the CLI has a command for it:
    #   FIW_SHARED=/work/shared .venv/bin/python -m tests.analysis_data
    from fiw.analysis.report import analysis_doc

    target = Path(__file__).resolve().parent.parent / "docs" / "analysis.md"
    target.write_text(analysis_doc(official_scores()), encoding="utf-8")
    print(f"wrote {target}")
