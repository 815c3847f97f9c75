"""Run the benchmark modules of this package and write their table to docs/benchmarks.md.

Each module exposes `run() -> list[dict]` with rows {"benchmark", "value", "unit", "target"}
and optionally "note". `python -m bench` runs them all and rewrites the table;
`python -m bench NAME…` runs only the named modules and replaces only their rows, keeping the
other modules' rows where they were (so benchmarks can be rerun module by module).
"""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import bench

OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
INTRO = ["# Benchmarks", "", "Written by `make bench` (`python -m bench`); do not edit by hand."]
HEADER = ["| area | benchmark | result | target | note |", "|---|---|---|---|---|"]


def modules() -> list[str]:
    """The benchmark modules of this package, sorted (every module but `common`)."""
    return sorted(
        m.name
        for m in pkgutil.iter_modules(bench.__path__)
        if m.name != "common" and not m.name.startswith("_")
    )


def table_row(module: str, row: dict[str, object]) -> str:
    """One line of the table."""
    return (
        f"| {module} | {row['benchmark']} | {row['value']} {row['unit']} | "
        f"{row.get('target') or '—'} | {row.get('note', '')} |"
    )


def _module_of(line: str) -> str:
    return line.split("|")[1].strip()


def merge(old: str | None, rows: dict[str, list[str]], machine: str) -> str:
    """The table file: `old`'s rows with those of each module in `rows` replaced (in the
    place of that module's old rows; a module new to the table in its sorted place), under
    the `machine` line. With `old` None, only `rows`, in their order."""
    kept: dict[str, list[str]] = {}
    if old is not None:
        lines = old.splitlines()
        start = lines.index(HEADER[1]) + 1 if HEADER[1] in lines else len(lines)
        for line in lines[start:]:
            if line.startswith("|"):
                kept.setdefault(_module_of(line), []).append(line)
    order = list(kept)
    for name in rows:
        if name not in order:
            later = [i for i, other in enumerate(order) if other > name]
            order.insert(later[0] if later else len(order), name)
    body = [line for name in order for line in rows.get(name, kept.get(name, []))]
    intro = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand.",
    ]
    return "\n".join([*intro, machine, "", *HEADER, *body]) + "\n"


def machine_line(names: Sequence[str], partial: bool) -> str:
    """The machine, Python and date of this run (and, after a partial run, what it ran)."""
    line = (
        f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    if partial:
        return f"{line} (this run: {', '.join(names)}; the other rows are from earlier runs)."
    return f"{line}."


def main(names: list[str]) -> None:
    known = modules()
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"bench: no module {', '.join(unknown)} (modules: {', '.join(known)})")
    chosen = [m for m in known if not names or m in names]
    rows: dict[str, list[str]] = {}
    for name in chosen:
        print(f"bench: {name} …", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        rows[name] = []
        for row in module.run():
            rows[name].append(table_row(name, row))
            target = row.get("target") or "—"
            print(f"  {row['benchmark']}: {row['value']} {row['unit']} (target {target})")
        print(f"  ({time.perf_counter() - started:.1f} s)")
    partial = bool(names) and OUT.exists()
    old = OUT.read_text(encoding="utf-8") if partial else None
    OUT.write_text(merge(old, rows, machine_line(chosen, partial)), encoding="utf-8")
    print(f"wrote {OUT}" + (f" (rows of {', '.join(chosen)} replaced)" if partial else ""))


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main(sys.argv[1:])
