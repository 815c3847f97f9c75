"""`python -m bench`: run every bench module and write docs/benchmarks.md as one table.

Each module of this package exposes `run() -> list[dict]` with rows
{"benchmark", "value", "unit", "target"}; `python -m bench pages` runs only `bench/pages.py`.
"""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import bench

OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def main(argv: list[str]) -> None:
    names = argv or sorted(m.name for m in pkgutil.iter_modules(bench.__path__))
    rows: list[dict[str, object]] = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        for row in module.run():
            rows.append({"module": name, **row})
            print(
                f"{name}: {row['benchmark']}: {row['value']} {row['unit']} "
                f"(target {row['target']})",
                flush=True,
            )
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python -m bench`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| module | benchmark | value | unit | target |",
        "|---|---|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['module']} | {row['benchmark']} | {row['value']} | {row['unit']} "
            f"| {row['target']} |"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
