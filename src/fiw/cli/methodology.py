"""`fiw score`: one assessment through the methodology's scoring engine."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fiw.cli.common import JsonOption, out, print_json
from fiw.methodology import ScoreError, load_index, score
from fiw.methodology.engine import ScoreProblem


def _assignments(items: list[str]) -> tuple[dict[str, object], list[ScoreProblem]]:
    """CODE=SCORE arguments as a mapping, and a problem for each one not in that shape."""
    scores: dict[str, object] = {}
    bad: list[ScoreProblem] = []
    for item in items:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            bad.append(ScoreProblem(repr(item), None, "expected CODE=SCORE, e.g. A1=3"))
            continue
        key = code.strip().upper()
        if key in scores:
            bad.append(ScoreProblem(key, None, "given twice"))
        scores[key] = value.strip()
    return scores, bad


def score_command(
    assignments: Annotated[
        list[str], typer.Argument(help="CODE=SCORE pairs: A1=0 … G4=2, optionally Q=0, ADD_A=0")
    ],
    edition: Annotated[int, typer.Option(help="edition year, e.g. 2023")] = ...,  # type: ignore[assignment]
    index: Annotated[str, typer.Option(help="fiw (Freedom in the World) or fotn")] = "fiw",
    as_json: JsonOption = False,
) -> None:
    """Score one assessment: subtotals, aggregates, ratings and status."""
    scores, bad = _assignments(assignments)
    try:
        result = score(edition, scores, index=index)
    except ScoreError as exc:
        if not bad:
            raise
        raise ScoreError([*bad, *exc.problems]) from None
    if bad:
        raise ScoreError(bad)
    if as_json:
        print_json(result.to_dict())
        return
    rules = load_index(index)
    table = Table(title=f"{rules.name} {edition}", show_header=True)
    table.add_column("")
    table.add_column("score", justify="right")
    table.add_column("of", justify="right")
    for cat in rules.categories:
        table.add_row(f"{cat.code} {cat.name}", str(result.subtotals[cat.code]), str(cat.max))
    for code, points in result.discretionary.items():
        d = next(x for x in rules.discretionary if x.code == code)
        table.add_row(f"{code} ({'-' if d.sign < 0 else '+'})", str(points), str(d.max))
    for agg in rules.aggregates:
        rating = result.ratings.get(agg.code)
        label = f"{agg.code} {agg.name}" + (f" (rating {rating})" if rating else "")
        table.add_row(label, str(result.aggregates[agg.code]), str(agg.max), style="bold")
    table.add_row(rules.total_name, str(result.total), str(rules.total_max), style="bold")
    out.print(table)
    out.print(f"Status: [bold]{result.status}[/bold]")
