"""fiw's benchmarks: each module exposes `run() -> list[dict]` of result rows."""
