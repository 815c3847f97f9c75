"""Run every benchmark module in this package and write the table to docs/benchmarks.md.

Each module exposes `run() -> list[dict]` with rows {"benchmark", "value", "unit", "target"}
and optionally "note". `python -m bench NAME…` runs only the named modules.
"""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
import time
from pathlib import Path

import bench

OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def main(names: list[str]) -> None:
    modules = sorted(
        m.name
        for m in pkgutil.iter_modules(bench.__path__)
        if m.name != "common" and not m.name.startswith("_")
    )
    chosen = [m for m in modules if not names or m in names]
    rows: list[dict[str, object]] = []
    for name in chosen:
        print(f"bench: {name} …", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        for row in module.run():
            rows.append({"module": name, **row})
            target = row.get("target") or "—"
            print(f"  {row['benchmark']}: {row['value']} {row['unit']} (target {target})")
        print(f"  ({time.perf_counter() - started:.1f} s)")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand.",
        f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}.",
        "",
        "| area | benchmark | result | target | note |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['module']} | {row['benchmark']} | {row['value']} {row['unit']} | "
            f"{row.get('target') or '—'} | {row.get('note', '')} |"
        )
    if names and OUT.exists():
        print(f"(partial run: {OUT} not rewritten)")
        return
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main(sys.argv[1:])
