"""`fiw assist train|suggest|check|evaluate`: the score assistant (fiw.assist) on the CLI."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from fiw.cli.common import DatabaseOption, err, out, print_json
from fiw.errors import ParameterError

if TYPE_CHECKING:
    from fiw.assist import Suggestion
    from fiw.store.dataset import Dataset

assist_app = typer.Typer(
    help="The score assistant: suggest scores from narratives, flag unsupported ones.",
    no_args_is_help=True,
)

JsonLines = Annotated[bool, typer.Option("--json", help="print JSON lines, one per indicator")]
ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="model file (default: FIW_ASSIST_MODEL, else the data dir)"),
]


def _json_lines(rows: list[Suggestion]) -> None:
    import json

    for row in rows:
        sys.stdout.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")


def _listing(rows: list[Suggestion], title: str) -> None:
    """One block per cell: who, published score (and last edition's), suggested score,
    direction, then the sentences (text from pages is data: printed without Rich markup)."""
    out.print(Text(title, style="bold"))
    for row in rows:
        published = "—" if row.score is None else str(row.score)
        if row.previous is not None:
            published += f" ({row.edition - 1}: {row.previous})"
        suspicion = "" if row.suspicion is None else f", suspicion {row.suspicion:.2f}"
        chances = " ".join(f"{p:.2f}" for p in row.probabilities)
        out.print(
            Text.assemble(
                (f"{row.country} {row.edition} {row.indicator}", "bold"),
                f": published {published}, suggested {row.suggested}, text points "
                f"{row.direction}{suspicion} (P 0-4: {chances})",
            ),
            highlight=False,
        )
        for sentence in row.sentences:
            out.print(Text(f"    • {sentence}"), highlight=False)


def _dataset(database: str | None, required: bool) -> Dataset | None:
    from fiw.store.dataset import open_dataset
    from fiw.store.errors import StoreError

    try:
        ds = open_dataset(database)
        ds.editions()
        return ds
    except StoreError:
        if required:
            raise
        err.print("note: no database to read last year's reports from: text alone is used")
        return None


def train_command(
    until: Annotated[
        int | None,
        typer.Option(help="train on the editions before this one (default: every edition)"),
    ] = None,
    database: DatabaseOption = None,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Train the assistant on the store's country reports and save it in the data dir."""
    from dataclasses import asdict

    from fiw.assist import load_corpus, model_path, save, train

    started = time.perf_counter()
    ds = _dataset(database, required=True)
    assert ds is not None
    fitted = train(load_corpus(ds), until=until)
    path = save(fitted, model_path(model))
    info = asdict(fitted.info)
    if as_json:
        print_json({"model": str(path), **info, "seconds": round(time.perf_counter() - started)})
        return
    out.print(
        f"Trained on {info['cells']:,} indicator cells of {info['reports']:,} country reports "
        f"(editions {', '.join(map(str, info['editions']))}; "
        f"{_count(int(info['skipped_filler']), 'filler page')} skipped) in "
        f"{time.perf_counter() - started:.0f} s.",
        highlight=False,
    )
    out.print(Text(f"Saved to {path}; it judges edition {info['until']} and later."))


def suggest_command(
    file: Annotated[Path, typer.Argument(help="a country report page (.txt)")],
    database: DatabaseOption = None,
    model: ModelOption = None,
    as_json: JsonLines = False,
) -> None:
    """Suggest a score for each indicator of a report page, with the sentences behind it."""
    from fiw.assist import load_model, suggest_page

    fitted = load_model(model)
    rows = suggest_page(fitted, file, _dataset(database, required=False))
    if as_json:
        _json_lines(rows)
        return
    _listing(rows, f"{rows[0].country} {rows[0].edition}: suggested scores")


def _count(count: int, noun: str) -> str:
    """'1 page', '2 pages'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _skipped(count: int, names: Sequence[str] = ()) -> None:
    """The note for the `filler` pages a check left out (naming the first few)."""
    if count:
        shown = f": {', '.join(names[:3])}{', …' if len(names) > 3 else ''}" if names else ""
        err.print(
            f"note: {_count(count, 'page')} skipped, the same narrative under every "
            f"indicator (nothing to judge){shown}"
        )


def check_command(
    path: Annotated[
        Path | None, typer.Argument(help="a report page or a folder of pages (or --edition)")
    ] = None,
    edition: Annotated[
        int | None, typer.Option(help="check an edition's country reports in the store")
    ] = None,
    top: Annotated[int | None, typer.Option(help="only the K most suspicious cells")] = None,
    database: DatabaseOption = None,
    model: ModelOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON lines, most suspicious first")
    ] = False,
) -> None:
    """Rank every indicator score by how unlikely it is given its text, most suspicious first."""
    from fiw.assist import check_edition, check_pages, load_model

    if (path is None) == (edition is None):
        raise ParameterError("PATH/--edition", path or edition, "a page or folder, or --edition")
    if top is not None and top < 1:
        raise ParameterError("--top", top, "1 or more")
    fitted = load_model(model)
    if edition is not None:
        ds = _dataset(database, required=True)
        assert ds is not None
        rows, skipped = check_edition(fitted, ds, edition, top)
        _skipped(skipped)
    else:
        assert path is not None
        rows, fillers = check_pages(fitted, path, _dataset(database, required=False), top)
        _skipped(len(fillers), [f.name for f in fillers])
    if as_json:
        _json_lines(rows)
        return
    _listing(rows, f"{len(rows)} scores, most suspicious first")


def evaluate_command(
    edition: Annotated[int, typer.Option(help="the edition to evaluate (trained on those before)")],
    database: DatabaseOption = None,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Train on the editions before EDITION and print the three measures beside baselines
    (a saved model trained on exactly those cells is used instead, and keeps the measures)."""
    from fiw.assist import AssistError, evaluate, load_corpus, load_model, model_path, save
    from fiw.assist.evaluate import reusable

    ds = _dataset(database, required=True)
    assert ds is not None
    corpus = load_corpus(ds)
    saved = None
    with contextlib.suppress(AssistError):  # no usable saved model: train one for this run
        saved = load_model(model)
    if saved is not None and not reusable(saved, corpus, edition):
        saved = None
    err.print(
        "using the saved model: trained on the same cells before this edition"
        if saved is not None
        else f"training on the editions before {edition} (minutes) …"
    )
    result = evaluate(corpus, edition, saved)
    if saved is not None:  # the saved model keeps the measures taken on it
        saved.measures = result.measures()
        save(saved, model_path(model))
    if as_json:
        print_json(result.to_json())
        return
    c, h, t = result.change_detection, result.history, result.text_only
    table = Table(title=f"Score assistant on edition {edition}", title_justify="left")
    for column in ("measure", "assistant", "baseline", "target"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    table.add_row(
        "change detection: recall at 5%", f"{c.recall:.1%}", f"{c.baseline_recall:.1%}", "≥ 80%"
    )
    table.add_row(
        "  direction of those found", f"{c.direction:.1%}", f"{c.baseline_direction:.1%}", "≥ 97%"
    )
    table.add_row("with history: exact", f"{h.exact:.1%}", f"{h.baseline_exact:.1%}", "≥ 97.5%")
    table.add_row(
        "text alone, unseen countries: exact", f"{t.exact:.1%}", f"{t.baseline_exact:.1%}", "≥ 65%"
    )
    table.add_row("  mean absolute error", f"{t.mae:.2f}", f"{t.baseline_mae:.2f}", "≤ 0.45")
    out.print(table)
    out.print(
        f"{c.changed} of {c.cells} cells changed; top 5% = {c.top} cells. Trained on editions "
        f"{', '.join(map(str, result.trained_on))}; evaluated in {result.seconds:.0f} s.",
        highlight=False,
    )
    p = result.provenance
    out.print(
        f"Cells (sha256): trained {p.trained_cells[:12]}, evaluated {p.evaluated_cells[:12]}; "
        f"numpy {p.numpy}, scipy {p.scipy}, scikit-learn {p.scikit_learn}; {p.processor}.",
        highlight=False,
    )


assist_app.command("train")(train_command)
assist_app.command("suggest")(suggest_command)
assist_app.command("check")(check_command)
assist_app.command("evaluate")(evaluate_command)
