"""fiw benchmarks: each module exposes run() -> list[dict] (benchmark, value, unit, target)."""
