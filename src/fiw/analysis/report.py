"""docs/analysis.md: fiw's headline figures for 2014–2024 beside the publisher's, generated.

`analysis_doc(scores)` returns the whole Markdown file, so a check can compare it with the
committed copy. Published figures are numbers in `data/published.toml`, with their sources.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from fiw.analysis.changes import EditionChanges, StatusChange, all_edition_changes
from fiw.analysis.frames import STATUSES, AnalysisError
from fiw.methodology import Status

FIRST, LAST = 2014, 2024
_PUBLISHED = "published.toml"


@dataclass(frozen=True)
class PublishedStatusChange:
    country: str
    before: str
    after: str
    territory: bool = False


@dataclass(frozen=True)
class PublishedFigures:
    """What Freedom House published for one edition (None where nothing is on record)."""

    edition: int
    declined: int | None
    improved: int | None
    source: str
    status_changes: tuple[PublishedStatusChange, ...] | None
    status_source: str | None


@cache
def published_figures() -> dict[int, PublishedFigures]:
    """The committed published figures, by edition, validated."""
    text = resources.files("fiw.analysis.data").joinpath(_PUBLISHED).read_text("utf-8")
    figures: dict[int, PublishedFigures] = {}
    for entry in tomllib.loads(text).get("edition", []):
        edition = entry.get("edition")
        if not isinstance(edition, int):
            raise AnalysisError(f"{_PUBLISHED}: an [[edition]] lacks a whole-year edition")
        changes = None
        if "status_changes" in entry:
            changes = []
            for item in entry["status_changes"]:
                for key in ("from", "to"):
                    if item.get(key) not in STATUSES:
                        raise AnalysisError(
                            f"{_PUBLISHED}, edition {edition}, {item.get('country')}: "
                            f"{key} = {item.get(key)!r}, expected one of {', '.join(STATUSES)}"
                        )
                changes.append(
                    PublishedStatusChange(
                        item["country"],
                        item["from"],
                        item["to"],
                        bool(item.get("territory", False)),
                    )
                )
        figures[edition] = PublishedFigures(
            edition=edition,
            declined=entry.get("declined"),
            improved=entry.get("improved"),
            source=str(entry.get("source", "")),
            status_changes=tuple(changes) if changes is not None else None,
            status_source=entry.get("status_source"),
        )
    return figures


def _short(status: str) -> str:
    return Status(status).short


def _move(country: str, before: str, after: str) -> str:
    return f"{country} {_short(before)}→{_short(after)}"


def _moves(changes: Iterable[StatusChange]) -> list[str]:
    return [_move(c.country, c.before, c.after) for c in changes]


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _counts_note(mine: EditionChanges, wide: EditionChanges, pub: PublishedFigures | None) -> str:
    if pub is None or (pub.declined is None and pub.improved is None):
        return "no published figure on record"
    gaps = []
    for label, fiw_n, wide_n, pub_n in (
        ("declined", len(mine.declined), len(wide.declined), pub.declined),
        ("improved", len(mine.improved), len(wide.improved), pub.improved),
    ):
        if pub_n is None or fiw_n == pub_n:
            continue
        if wide_n == pub_n:
            gaps.append(f"{label}: the published {pub_n} matches fiw with territories counted")
        else:
            gaps.append(
                f"{label}: published {pub_n}, fiw {fiw_n} ({fiw_n - pub_n:+d}); the current "
                "workbook differs from the data at publication (later revision)"
            )
    return "; ".join(gaps) if gaps else "matches"


def _status_note(mine: EditionChanges, wide: EditionChanges, pub: PublishedFigures | None) -> str:
    if pub is None or pub.status_changes is None:
        return "no published list on record"
    fiw_set = {_move(c.country, c.before, c.after) for c in mine.status_changes}
    wide_set = {_move(c.country, c.before, c.after) for c in wide.status_changes}
    pub_countries = {
        _move(p.country, p.before, p.after) for p in pub.status_changes if not p.territory
    }
    pub_territories = {
        _move(p.country, p.before, p.after) for p in pub.status_changes if p.territory
    }
    notes = []
    if fiw_set != pub_countries:
        missing = sorted(pub_countries - fiw_set)
        extra = sorted(fiw_set - pub_countries)
        if missing:
            notes.append("published but not in fiw: " + ", ".join(missing))
        if extra:
            notes.append("in fiw but not published: " + ", ".join(extra))
    if pub_territories:
        found = pub_territories <= wide_set
        names = ", ".join(sorted(pub_territories))
        notes.append(
            f"{names} is a territory: counted only with territories"
            + ("" if found else ", and fiw does not find it there either")
        )
    source = "" if pub.status_source == "published" else " (list from the research note)"
    return ("; ".join(notes) if notes else "matches") + source


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def comparison_tables(scores: pd.DataFrame, first: int = FIRST, last: int = LAST) -> str:
    """The two Markdown tables: counts and status changes, fiw beside the publisher."""
    countries = {c.edition: c for c in all_edition_changes(scores)}
    everything = {c.edition: c for c in all_edition_changes(scores, territories=True)}
    published = published_figures()
    editions = [e for e in range(first, last + 1) if e in countries]
    counts = [
        "| Edition | fiw declined / improved (countries) | unchanged (ties) | net decline | "
        "published declined / improved | fiw with territories | difference |",
        "|---|---|---|---|---|---|---|",
    ]
    statuses = [
        "| Edition | fiw status changes (countries) | territories only | published | difference |",
        "|---|---|---|---|---|",
    ]
    for edition in editions:
        mine, wide, pub = countries[edition], everything[edition], published.get(edition)
        counts.append(
            _row(
                [
                    str(edition),
                    f"{len(mine.declined)} / {len(mine.improved)}",
                    str(mine.unchanged),
                    str(mine.net_decline),
                    "—" if pub is None else f"{_count(pub.declined)} / {_count(pub.improved)}",
                    f"{len(wide.declined)} / {len(wide.improved)}",
                    _counts_note(mine, wide, pub),
                ]
            )
        )
        own = {c.id for c in mine.status_changes}
        territory_moves = [c for c in wide.status_changes if c.id not in own]
        shown_pub = "—"
        if pub is not None and pub.status_changes is not None:
            shown_pub = ", ".join(
                _move(p.country, p.before, p.after) + (" (t)" if p.territory else "")
                for p in pub.status_changes
            )
        statuses.append(
            _row(
                [
                    str(edition),
                    ", ".join(_moves(mine.status_changes)) or "none",
                    ", ".join(_moves(territory_moves)) or "none",
                    shown_pub,
                    _status_note(mine, wide, pub),
                ]
            )
        )
    return "\n".join(counts) + "\n\n" + "\n".join(statuses) + "\n"


def _sources() -> str:
    lines = []
    for edition, pub in sorted(published_figures().items()):
        status = ""
        if pub.status_changes is not None:
            status = (
                "; status changes from FH's page"
                if pub.status_source == "published"
                else "; status changes as listed by the research note (computed from FH "
                "data, no FH page read)"
            )
        lines.append(f"- {edition}: {pub.source}{status}")
    return "\n".join(lines)


_HEAD = """\
# Analysis: what changed, and does fiw reproduce the published figures?

<!-- Generated by `fiw docs analysis` (fiw.analysis.report.analysis_doc) from a store holding
     the official workbooks. Do not edit by hand: regenerate it with
       fiw import All_data_FIW_2013-2024.xlsx Country_and_Territory_Ratings_…xlsx
       fiw docs analysis
     `fiw docs analysis --check` (and a test in CI) fails when this file is out of date. -->

fiw's analysis functions (`fiw.analysis`) are pure functions over the store's DataFrames
(`ds.scores()`, `ds.ratings()`); nothing in them reads a database, so SQLite and PostgreSQL
give identical results. Every analysis has a command, an API endpoint and, for the headline
ones, a page of the explorer:

- who improved, declined, changed status: `fiw changes --edition 2024 [--territories]`,
  `GET /api/v1/changes/2024`, page `/changes/2024`
- regional and global averages: `fiw trends [--region R] [--regions historical]`,
  `GET /api/v1/trends`, page `/trends` (with status shares since 1973 and net declines)
- status transitions between two editions since 1973:
  `fiw transitions --from "Jan.-Feb. 1973" --to 2024`, `GET /api/v1/transitions?from=1&to=2024`
- largest gains and declines over a span, longest runs of decline:
  `fiw longrun --from 2014 --to 2024 --limit 10`, `GET /api/v1/longrun?from=2014&to=2024`;
  each country page shows its own largest changes
- this file: `fiw docs analysis [--check]`

Commands read the database of `--database` / `FIW_DATABASE_URL` (see [store.md](store.md));
`--json` prints one JSON object; list endpoints also answer `?format=csv`.

Each result is a frozen dataclass (`TotalChange`, `EditionChanges`, `TrendPoint`,
`StatusShare`, `DeclineRun`, …) that pydantic serialises as it is (`fiw.analysis.shape`), so a
concept has one JSON shape on every face: `--json`, the API and the pages' `.json` twins. A
change is `{{"country", "id", "from", "to", "change"}}` (in Python `before`, `after` and the
computed `change`); counts by status are `{{"Free": n, "Partly Free": n, "Not Free": n}}`.
Errors are `AnalysisError` (a `fiw.errors.FiwError`; `EditionNotFound` for an edition that is
not there) naming the argument at fault (`edition`, `from`, `to`, `region`).

## How changes are counted

- Each entity's **total** score is compared with its total in the previous edition of the same
  data (the current workbook, which Freedom House revises). Higher is *improved*, lower is
  *declined*, equal is *unchanged* — even when indicators moved in both directions (a tie).
- **Countries only** by default, as Freedom House counts its headline (195 countries a year);
  `territories=True` adds the 14–15 territories. An entity with no previous edition (Crimea
  in 2015, Eastern Donbas in 2020) is not compared.
- A **status change** is a different Free / Partly Free / Not Free from the previous edition.
- **Net decline** = declined − improved.
- Lists are sorted by the size of the change (largest first), then by name, then by id;
  status changes by name, then id; indicator moves by indicator (A1 … G4), then size, name, id.

## fiw beside the publisher, editions {first}–{last}

"—" means nothing published is on record (`src/fiw/analysis/data/published.toml`, numbers
only, sources below); 2023 and 2024 are held back on purpose to be checked in review.

"""

_TAIL = """
### Where the published figures come from

{sources}

### Why figures can differ

- **Territories counted**: headline counts are countries only. A territory's status change
  (Indian Kashmir in 2020) appears only with territories included.
- **Ties**: a country whose indicators moved but whose total did not is *unchanged*, in fiw
  as in Freedom House's count.
- **Later revisions**: the workbook is re-issued with earlier editions re-scored; figures
  published at the time (2015: 61 declines, 2017: 67) can differ by one from a recount today.

## Other analyses (library functions)

| question | function |
|---|---|
| improved / declined / status changes | `edition_changes(scores, 2024, territories=False)` |
| every edition; net-decline series | `all_edition_changes(scores)`, `net_decline_series(scores)` |
| which of the 25 indicators moved | `indicator_changes(scores, 2024)` |
| PR / CL rating and status changes since 1973 | `all_rating_changes(ratings)` |
| the same for one edition of the history | `rating_changes(ratings, "1983-84")` |
| Free / Partly Free / Not Free per edition (as published) | `status_distribution(ratings)` |
| regional and global averages | `trends(scores, region=None, regions="current")` |
| largest gains and declines over a span | `span_changes(scores, 2014, 2024, limit=10)` |
| longest runs of consecutive decline | `decline_runs(scores, limit=10)` |
| status transitions between two editions | `transitions(ratings, "Jan.-Feb. 1973", "2024")` |
| span changes and decline runs together | `long_run(scores, 2014, 2024, limit=10)` |

Editions of the ratings history are given by label (`"Jan.-Feb. 1973"`, `"1983-84"`, `"2024"`)
or by `order` (1 = the 1973 edition); a value equal to a label is read as a label.

**Averages** count each entity once per edition, without population weights. They are computed
exactly from integer sums and rounded to two decimals **half away from zero** (2.345 → 2.35),
which is what SQL `round()` does on SQLite and PostgreSQL.

**Regions**: the workbook gives every edition today's regions. `regions="historical"` uses the
committed table `src/fiw/analysis/data/regions.csv`: Algeria, Egypt, Libya, Morocco and Tunisia
sat with the Middle East before the 2022 edition; Western Sahara's earlier region (Middle East)
is unconfirmed, and `Trends.unconfirmed` names it whenever it is in the data.
"""


def analysis_doc(scores: pd.DataFrame, first: int = FIRST, last: int = LAST) -> str:
    """The whole of docs/analysis.md for this scores frame."""
    return (
        _HEAD.format(first=first, last=last)
        + comparison_tables(scores, first, last)
        + _TAIL.format(sources=_sources())
    )
