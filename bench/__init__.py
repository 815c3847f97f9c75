"""fiw benchmarks: each module has `run() -> list[dict]` (benchmark, value, unit, target)."""
