"""Mutation fuzzing of the corpus pages through the library and the `fiw parse` command.

Each mutant is one corpus page with one mutation (a score, a maximum, two question lines, a
header figure, the status, last year's figures, Rich-markup-looking text, a line repeated
thousands of times, CRLF or non-breaking spaces, lines deleted or duplicated). Every mutant
must give a report or a `ParseError` with a line inside the page, within a time limit; a
mutation of a checked fact must be reported (a problem) or refused; a mutation of scraping
noise must give the same report. A sample goes through `fiw parse` as a subprocess: exit
0, 1 or 2 as the library says, never a traceback.

    python -m tests.fuzz_pages --mutants 10000      # what `make fuzz` runs
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from fiw.methodology import DISCRETIONARY_RANGE, INDICATORS, STATUSES, TOTAL_MAX
from fiw.pages import ParseError, Report, parse_page, report_to_json
from fiw.pages.render import render
from fiw.settings import get_settings

HANG_S = 20
"""A mutant that takes longer than this to parse and render is a hang."""


@dataclass(frozen=True)
class Page:
    """A corpus page: its file name (for the edition), text, lines and clean report."""

    name: str
    text: str
    report: Report

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Mutant:
    """A mutated page; `flag`: must be reported or refused; `same`: must parse as before."""

    kind: str
    page: Page
    text: str
    flag: bool = False
    same: bool = False


def load_pages() -> list[Page]:
    """The corpus pages, the two report variants and the seed, each parsed once."""
    shared = get_settings().shared_file
    paths = sorted(shared("data", "pages").glob("*/*.txt"))
    assert len(paths) == 1228, f"expected the 1,228 corpus pages under {shared('data', 'pages')}"
    paths += [
        shared("data", "page-variants", "2018-capital-combined.txt"),
        shared("data", "page-variants", "2024-territory.txt"),
        shared("seed", "kazakhstan-2023.txt"),
    ]
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        name = f"{path.parent.name}-{path.name}"
        out.append(Page(name, text, parse_page(text, source=name)))
    return out


# --- mutators: each returns the mutated lines, or None where the page offers no target ------

Lines = list[str]
Rng = random.Random


def _artifact(value: int) -> str:
    return f"{value}.00{value}"


def _next_row(lines: Lines, i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _indicator_rows(lines: Lines) -> list[tuple[str, int, int]]:
    """(code, indicator line, question line) of each indicator, by their indices."""
    rows = []
    for i, line in enumerate(lines):
        code = line[:2]
        if code in INDICATORS and " pts" in line:
            rows.append((code, i, _next_row(lines, i + 1)))
    return rows


def _question(line: str) -> tuple[str, int, int]:
    """A question line's text, score and maximum (nbsp and CR dropped)."""
    head, score, top = line.replace("\xa0", " ").rstrip("\r").rsplit(" ", 2)
    return head, int(score.partition(".")[0]), int(top.partition(".")[0])


def _q_row(lines: Lines) -> int | None:
    """The index of Q's question line (the line after 'Add Q' or its title), if any."""
    for i, line in enumerate(lines):
        if line.rstrip("\r").startswith(("Add Q", "ADDITIONAL DISCRETIONARY")):
            return _next_row(lines, i + 1)
    return None


def _q_score(rng: Rng, lines: Lines, i: int) -> Lines:
    """Q's printed score (0 or negative) on its question line changed within Q's range."""
    line = lines[i].replace("\xa0", " ").rstrip("\r")
    low, high = DISCRETIONARY_RANGE["Q"]
    if line.endswith(" / 0"):
        head, value, _, _ = line.rsplit(" ", 3)
        old = -int(value.replace("−", "-"))
        new = rng.choice([v for v in range(low, high + 1) if v != old])
        lines[i] = f"{head} {str(-new).replace('-', '−')} / 0"
    else:
        head, token = line.rsplit(" ", 1)
        old = -int(token.partition(".")[0])
        new = rng.choice([v for v in range(low, high + 1) if v != old])
        lines[i] = f"{head} {_artifact(-new)}"
    return lines


def score(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """One indicator's score (or Q's, a fifth of the time) changed within its range."""
    q = _q_row(lines) if page.report.add_q is not None else None
    if q is not None and rng.random() < 0.2:
        return _q_score(rng, lines, q)
    _, _, i = rng.choice(_indicator_rows(lines))
    head, value, top = _question(lines[i])
    new = rng.choice([v for v in range(top + 1) if v != value])
    lines[i] = f"{head} {_artifact(new)} {_artifact(top)}"
    return lines


def maximum(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """One indicator's maximum changed, on its question line or its indicator line; or Q's
    printed maximum (`… −3 / 0`, 2018–2019 pages)."""
    q = _q_row(lines)
    if q is not None and lines[q].rstrip("\r").endswith(" / 0") and rng.random() < 0.3:
        lines[q] = lines[q].rstrip("\r")[:-1] + str(rng.randint(1, 9))
        return lines
    code, k, i = rng.choice(_indicator_rows(lines))
    head, value, top = _question(lines[i])
    new = rng.choice([v for v in range(10) if v != top])
    if rng.random() < 0.5:
        lines[i] = f"{head} {_artifact(value)} {_artifact(new)}"
    else:
        lines[k] = f"{code} 1.00-{new}.00 pts0-{new} pts"
    return lines


def swap_questions(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """The question lines of two indicators swapped (scores travel with them). The variant
    pages' placeholders ("Question A1?") stay: fiw cannot know whose question they are."""
    rows = [q for _, _, q in _indicator_rows(lines) if not lines[q].startswith("Question ")]
    i, j = rng.sample(rows, 2)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _header_row(lines: Lines, start: str) -> int | None:
    for i, line in enumerate(lines):
        if line.replace("\xa0", " ").startswith(start):
            return i
        if line.startswith("header"):
            return None
    return None


def figure(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """PR or CL in the header changed, or the printed total (2024+ header)."""
    choices = ["PR Political Rights ", "CL Civil Liberties "]
    total_row = next(
        (i for i, line in enumerate(lines[:12]) if line == str(page.report.total)), None
    )
    if total_row is not None and lines[total_row + 1 : total_row + 2] == [str(TOTAL_MAX)]:
        choices.append("total")
    what = rng.choice(choices)
    delta = rng.choice([-5, -2, -1, 1, 2, 7])
    if what == "total":
        assert total_row is not None
        lines[total_row] = str(page.report.total + delta)
        return lines
    i = _header_row(lines, what)
    if i is None:
        return None
    value, top = lines[i].replace("\xa0", " ")[len(what) :].split()
    lines[i] = f"{what}{int(value) + delta} {top}"
    return lines


def status(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """The status line changed, or deleted (only Free pages omit it), or a wrong one added to a
    Free page."""
    current = page.report.status
    others = [s for s in STATUSES if current is None or s != current.value]
    for i, line in enumerate(lines):
        if line.strip() in STATUSES:
            if line.strip() != STATUSES[0] and rng.random() < 0.3:
                del lines[i]
            else:
                lines[i] = rng.choice(others)
            return lines
        if line.startswith("PR Political Rights "):
            lines.insert(i, rng.choice([s for s in others if s != STATUSES[0]]))
            return lines
    return None


def last_year(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """Last year's score or status changed (not always detectable: see docs/pages.md)."""
    i = _header_row(lines, "Last Year")
    if i is None or page.report.last_year is None:
        return None
    i = _next_row(lines, i + 1) - 1
    old = page.report.last_year
    if rng.random() < 0.5:
        total, state = old.total + rng.choice([-40, -9, -1, 1, 9, 40]), old.status.value
    else:
        total, state = old.total, rng.choice([s for s in STATUSES if s != old.status.value])
    lines[i + 1] = f"{total} {TOTAL_MAX} {state}"
    return lines


MARKUP = ["[/x]", "[bold]", "[/]", "[red]x[/blue]", "[link=javascript:x]y[/link]", "[[/", "\\[/x]"]


def markup(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """Rich-markup-looking text in a narrative line, the footer's name or a Note label."""
    tag = rng.choice(MARKUP)
    where = rng.random()
    if where < 0.4:
        i = max(k for k, line in enumerate(lines) if line.startswith("On "))
        lines[i] = lines[i].rstrip("\r") + tag
    elif where < 0.6:
        i = next(k for k, line in enumerate(lines) if line.startswith("header"))
        lines[i:i] = [f"header9 Note {tag}", "", f"Text {tag} here.", ""]
    else:
        i = rng.choice([k for k, line in enumerate(lines) if len(line) > 80])
        cut = rng.randrange(len(lines[i]))
        lines[i] = lines[i][:cut] + tag + lines[i][cut:]
    return lines


def repetition(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """One line (narrative or structural) repeated hundreds to tens of thousands of times."""
    i = rng.randrange(len(lines))
    times = rng.choice([500, 5_000, 20_000])
    block = [lines[i], ""] if rng.random() < 0.5 else [lines[i]]
    lines[i:i] = block * times
    return lines


def noise(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """CRLF line ends, or non-breaking spaces in structural lines: the report must not change."""
    if rng.random() < 0.3:
        return [line + "\r" for line in lines[:-1]] + lines[-1:]
    starts = ("PR Political Rights ", "CL Civil Liberties ")
    rows = [k for _, k, _ in _indicator_rows(lines)]
    rows += [i for i, line in enumerate(lines) if line.startswith(starts)]
    for i in rng.sample(rows, min(5, len(rows))):
        spaces = [k for k, c in enumerate(lines[i]) if c == " "]
        k = rng.choice(spaces)
        lines[i] = lines[i][:k] + "\xa0" + lines[i][k + 1 :]
    return lines


def delete_duplicate(rng: Rng, lines: Lines, page: Page) -> Lines | None:
    """One to three lines deleted or duplicated anywhere."""
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        if rng.random() < 0.5:
            del lines[i]
        else:
            lines.insert(i, lines[i])
    return lines


Mutator = Callable[[Rng, Lines, Page], Lines | None]
MUTATORS: dict[str, tuple[Mutator, str]] = {
    "score": (score, "flag"),
    "maximum": (maximum, "flag"),
    "swap-questions": (swap_questions, "flag"),
    "header-figure": (figure, "flag"),
    "status": (status, "flag"),
    "last-year": (last_year, "count"),
    "markup": (markup, "any"),
    "repetition": (repetition, "any"),
    "crlf-nbsp": (noise, "same"),
    "delete-duplicate": (delete_duplicate, "any"),
}


def mutants(pages: list[Page], count: int, seed: int) -> Iterator[Mutant]:
    """`count` mutants, round-robin over the mutators, pages drawn with a fixed seed."""
    rng = random.Random(seed)
    kinds = list(MUTATORS)
    made = 0
    while made < count:
        kind = kinds[made % len(kinds)]
        page = rng.choice(pages)
        mutate, rule = MUTATORS[kind]
        lines = mutate(rng, page.lines, page)
        if lines is None:
            continue
        made += 1
        yield Mutant(kind, page, "\n".join(lines), flag=rule == "flag", same=rule == "same")


# --- running them --------------------------------------------------------------------------


class Hang(Exception):
    """A mutant ran past HANG_S."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@dataclass
class Tally:
    """Outcomes by mutator, and every failure with enough to reproduce it."""

    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0

    def fail(self, mutant: Mutant, what: str) -> None:
        self.failures.append(f"{mutant.kind} of {mutant.page.name}: {what}")


def run_library(mutant: Mutant, tally: Tally) -> tuple[str, str]:
    """Parse (and render) one mutant: 'clean', 'problem', 'refused', 'hang' or 'crash', and
    the country name the report gives (as `fiw parse` must print it)."""
    n_lines = mutant.text.count("\n") + 1
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_S)
    start = time.perf_counter()
    try:
        try:
            report = parse_page(mutant.text, source=mutant.page.name)
        except ParseError as err:
            if not (1 <= err.line_number <= n_lines and err.expected):
                tally.fail(mutant, f"ParseError without a line inside the page: {err}")
            return "refused", ""
        json.dumps(report_to_json(report))
        for fmt in ("text", "md"):
            render(report, fmt)
        outcome = "problem" if report.problems else "clean"
        if mutant.flag and outcome == "clean":
            tally.fail(mutant, "a checked fact was changed, but no problem was reported")
        if mutant.same and report != mutant.page.report:
            tally.fail(mutant, "scraping noise changed the report")
        return outcome, report.country
    except Hang:
        tally.fail(mutant, f"no result within {HANG_S} s (hang)")
        return "hang", ""
    except Exception as exc:
        tally.fail(mutant, f"crash: {type(exc).__name__}: {exc}")
        return "crash", ""
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        tally.slowest = max(tally.slowest, time.perf_counter() - start)


def fiw_command() -> list[str]:
    """The `fiw` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "fiw"
    return [str(script)] if script.exists() else ["fiw"]


EXIT = {"clean": 0, "problem": 1, "refused": 2}


def run_cli(sample: list[tuple[Mutant, str, str]], singles: int, tally: Tally) -> int:
    """`fiw parse FILE` for `singles` of the sample and `fiw parse DIR` over all of it."""
    with tempfile.TemporaryDirectory(prefix="fiw-fuzz-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        files = []
        for n, (mutant, outcome, country) in enumerate(sample):
            path = folder / f"{n:05d}-{mutant.page.name}"
            path.write_text(mutant.text, encoding="utf-8", newline="")
            files.append((path, mutant, outcome, country))
        runs = 0
        for path, mutant, outcome, country in files[:singles]:
            for extra in ([], ["--json"]):
                done = _fiw(["parse", str(path), *extra], tally, mutant)
                runs += 1
                if done is None:
                    continue
                if done.returncode != EXIT[outcome]:
                    tally.fail(mutant, f"`fiw parse FILE {extra}` exited {done.returncode}")
                elif not extra and country not in done.stdout:
                    tally.fail(mutant, f"`fiw parse FILE` does not show {country!r} as text")
        worst = max((EXIT[o] for _, _, o, _ in files), default=0)
        for extra in ([], ["--jsonl"]):
            done = _fiw(["parse", str(folder), *extra], tally, None)
            runs += 1
            if done is not None and done.returncode != worst:
                tally.failures.append(f"`fiw parse DIR {extra}` exited {done.returncode}")
        return runs


def _fiw(
    args: list[str], tally: Tally, mutant: Mutant | None
) -> subprocess.CompletedProcess[str] | None:
    try:
        done = subprocess.run(
            [*fiw_command(), *args],
            capture_output=True,
            text=True,
            timeout=HANG_S * 10,
            env={**os.environ, "COLUMNS": "200"},
        )
    except subprocess.TimeoutExpired:
        what = f"`fiw {' '.join(args)}` hung"
        tally.fail(mutant, what) if mutant else tally.failures.append(what)
        return None
    if (
        "Traceback" in done.stderr
        or "Traceback" in done.stdout
        or done.returncode not in EXIT.values()
    ):
        what = f"`fiw {args[0]}` exited {done.returncode}: {done.stderr[-300:]}"
        tally.fail(mutant, what) if mutant else tally.failures.append(what)
    return done


def fuzz(count: int, seed: int = 11, cli_sample: int = 200, cli_singles: int = 40) -> Tally:
    """Run `count` mutants through the library, and a sample of them through the CLI."""
    tally = Tally()
    pages = load_pages()
    sample: list[tuple[Mutant, str, str]] = []
    per_kind = -(-cli_sample // len(MUTATORS))
    taken: Counter[str] = Counter()
    for mutant in mutants(pages, count, seed):
        outcome, country = run_library(mutant, tally)
        tally.outcomes[(mutant.kind, outcome)] += 1
        if outcome in EXIT and taken[mutant.kind] < per_kind and len(mutant.text) < 2_000_000:
            taken[mutant.kind] += 1
            sample.append((mutant, outcome, country))
    sample.sort(key=lambda m: m[0].kind != "markup")  # the single-file runs see markup first
    if cli_sample:
        tally.outcomes[("cli", "runs")] = run_cli(sample, cli_singles, tally)
    return tally


def table(tally: Tally) -> str:
    """The outcomes by mutator as a plain-text table."""
    kinds = [*MUTATORS, "cli"]
    columns = ["clean", "problem", "refused", "crash", "hang", "runs"]
    rows = [f"{'mutator':<18}" + "".join(f"{c:>9}" for c in columns)]
    for kind in kinds:
        counts = [tally.outcomes[(kind, c)] for c in columns]
        if any(counts):
            rows.append(f"{kind:<18}" + "".join(f"{v:>9}" for v in counts))
    rows.append(f"slowest mutant: {tally.slowest:.2f} s; failures: {len(tally.failures)}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--cli-sample", type=int, default=1_000, help="mutants through `fiw parse DIR`"
    )
    parser.add_argument(
        "--cli-singles", type=int, default=100, help="of them, through `fiw parse FILE`"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    tally = fuzz(args.mutants, args.seed, args.cli_sample, args.cli_singles)
    print(table(tally))
    print(f"{args.mutants:,} mutants (seed {args.seed}) in {time.perf_counter() - start:.0f} s")
    for failure in tally.failures[:50]:
        print("FAIL", failure)
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
