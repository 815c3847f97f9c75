"""Normal API requests while worst-case searches run: a real `fiw serve` over a fresh SQLite
store (imported on its first start); the p99 latency of normal API requests (every one
rendered: unique query strings) from 4 clients for 6 s alone, then 6 s while 4 more clients
send the most expensive searches fiw accepts (as many prefix terms and phrase words as the
bounds allow), five rounds in turn (so that a drift of the machine's speed, and its stalls
of a few hundred ms, fall on both sides), the latencies of each side pooled; the note gives
each round's ratio and the requests over 100 ms on each side. Target: the p99 under load
stays under twice the p99 without it.

Run alone with `python -m bench.search_load`; `run()` returns rows for docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from statistics import quantiles
from typing import Any

import httpx

from bench.web import _stop, start_server
from fiw.store.textsearch import MAX_QUERY_WORDS, MIN_PREFIX_CHARS

CLIENTS = 4
SEARCHERS = 4
SECONDS = 6.0
ROUNDS = 5
STALL_MS = 100.0  # a normal request this slow waited on the machine (seen alone as often)
UNIQUE = itertools.count()  # every request's own query string: none is answered from a cache
NORMAL = "/api/v1/countries/kazakhstan"
RATIO_TARGET = 2.0


def worst_searches(database: Path) -> list[str]:
    """The most work a query may ask for: every word a prefix of the fewest letters allowed,
    the prefixes the most paragraphs hold (read off the store's index); a long phrase of the
    commonest words; the four commonest prefixes repeated."""
    with closing(sqlite3.connect(database)) as db:
        db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, report_search, row)")
        counts: Counter[str] = Counter()
        for term, paragraphs in db.execute("SELECT term, doc FROM temp.vocab"):
            if len(term) >= MIN_PREFIX_CHARS:
                counts[term[:MIN_PREFIX_CHARS]] += paragraphs
    prefixes = [f"{p}*" for p, _ in counts.most_common(MAX_QUERY_WORDS)]
    return [
        " ".join(prefixes),
        '"' + " ".join(["the", "of", "and", "to", "in"] * (MAX_QUERY_WORDS // 5)) + '"',
        " ".join(prefixes[:4] * (MAX_QUERY_WORDS // 4)),
    ]


async def _measure(
    base: str,
    searches: list[str],
    latencies: list[float],
    search_times: list[float],
    statuses: dict[int, int],
) -> None:
    """Latencies (ms) of NORMAL from CLIENTS clients for SECONDS, with SEARCHERS sending
    `searches` alongside (none when empty); appended to the lists given."""
    stop = time.perf_counter() + SECONDS

    async def normal(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop:
            t = time.perf_counter()
            r = await client.get(f"{NORMAL}?_={next(UNIQUE)}")
            latencies.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                raise RuntimeError(f"{NORMAL}: HTTP {r.status_code}")

    async def search(client: httpx.AsyncClient, start: int) -> None:
        i = start
        while time.perf_counter() < stop:
            i += 1
            t = time.perf_counter()
            q = searches[i % len(searches)]
            r = await client.get("/api/v1/search", params={"q": q, "_": next(UNIQUE)})
            search_times.append(time.perf_counter() - t)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code >= 500:
                raise RuntimeError(f"search: HTTP {r.status_code}")

    limits = httpx.Limits(max_connections=CLIENTS + SEARCHERS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await client.get(NORMAL)
        tasks = [normal(client) for _ in range(CLIENTS)]
        if searches:
            tasks += [search(client, k * 1000) for k in range(SEARCHERS)]
        await asyncio.gather(*tasks)


def _summary(
    latencies: list[float], search_times: list[float], statuses: dict[int, int]
) -> dict[str, float]:
    cuts = quantiles(latencies, n=100)
    return {
        "p50": cuts[49],
        "p99": cuts[98],
        "requests": len(latencies),
        "searches": len(search_times),
        "slowest_search": max(search_times, default=0.0),
        "statuses": float(sum(v for k, v in statuses.items() if k == 200)),
    }


def run() -> list[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="fiw-bench-search-"))
    process, base = start_server(folder / "fiw.sqlite")
    try:
        worst = worst_searches(folder / "fiw.sqlite")
        sides: dict[bool, tuple[list[float], list[float], dict[int, int]]] = {
            False: ([], [], {}), True: ([], [], {}),
        }  # fmt: skip
        rounds: list[float] = []
        for _ in range(ROUNDS):
            p99: list[float] = []
            for loaded_side in (False, True):
                mine: list[float] = []
                asyncio.run(
                    _measure(base, worst if loaded_side else [], mine, *sides[loaded_side][1:])
                )
                sides[loaded_side][0].extend(mine)
                p99.append(quantiles(mine, n=100)[98])
            rounds.append(p99[1] / p99[0])
    finally:
        _stop(process)
    alone, loaded = _summary(*sides[False]), _summary(*sides[True])
    ratio = loaded["p99"] / alone["p99"]
    stalls = [sum(1 for ms in sides[side][0] if ms > STALL_MS) for side in (False, True)]
    note = (f"rounds: {', '.join(f'{r:.2f}' for r in rounds)}; requests over {STALL_MS:g} ms "
            f"alone {stalls[0]}, under searches {stalls[1]}")  # fmt: skip
    return [
        {"benchmark": f"{NORMAL} (rendered), {CLIENTS} clients: p50 / p99 latency alone "
                      f"({alone['requests']:,} requests, {ROUNDS} rounds of {SECONDS:g} s)",
         "value": f"{alone['p50']:.1f} / {alone['p99']:.1f}", "unit": "ms", "target": None},
        {"benchmark": f"the same while {SEARCHERS} clients send worst-case searches "
                      f"({loaded['searches']:,} searches, {loaded['statuses']:.0f} answered 200, "
                      f"slowest {loaded['slowest_search']:.1f} s): p50 / p99 latency",
         "value": f"{loaded['p50']:.1f} / {loaded['p99']:.1f}", "unit": "ms", "target": None},
        {"benchmark": "p99 of normal API requests under worst-case searches ÷ p99 without",
         "value": round(ratio, 2), "unit": "×", "target": f"< {RATIO_TARGET:g}×", "note": note},
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['value']} {row['unit']}"
              + (f" (target {row['target']})" if row["target"] else ""))  # fmt: skip
