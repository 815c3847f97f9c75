"""Load test of the web explorer on loopback: a real `fiw serve` over a fresh SQLite store
(imported on its first start), 8 concurrent clients, 10 s per page (at most 20,000 requests
each) with the response cache warm and with every request rendered (unique query strings),
the compressed weight of a first visit, and datasette serving the same 210 rows from the same
SQLite file for comparison.

Run alone with `python -m bench.web`; `run()` returns rows for docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles
from typing import Any

import httpx

CLIENTS = 8
SECONDS = 10.0
MAX_REQUESTS = 20_000
TARGETS = {
    "country page /country/kazakhstan/2023": ("/country/kazakhstan/2023", 100.0),
    "countries table /countries?edition=2024": ("/countries?edition=2024", 100.0),
    "API /api/v1/assessments?edition=2024": ("/api/v1/assessments?edition=2024", 50.0),
}  # name -> (path, p99 target in ms)
FIRST_VISIT_TARGET_KB = 200.0
API = "API /api/v1/assessments?edition=2024"
DATASETTE_PATH = "/fiw/assessments.json?edition=2024&_size=max"
RATIO_TARGET = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(
    command: list[str], probe: str, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Run `command` (with {port} filled in) and wait until GET `probe` answers 200."""
    port = _free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
    process = subprocess.Popen(
        [part.format(port=port) for part in command], env={**os.environ, **env},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{command[0]} exited with {process.returncode}: {log.read()!r}")
        try:
            if httpx.get(url + probe, timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{command[0]} did not answer on {url} within 180 s")


def start_server(database: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`fiw serve` on a free loopback port over `database` (imported on first start)."""
    fiw = Path(sys.executable).with_name("fiw")
    return _start(
        [str(fiw), "serve", "--host", "127.0.0.1", "--port", "{port}"],
        "/api/openapi.json",
        {"FIW_DATABASE_URL": f"sqlite:///{database}"},
    )


def start_datasette(database: Path) -> tuple[subprocess.Popen[bytes], str]:
    """datasette serving the same SQLite file, read-only (immutable)."""
    datasette = Path(sys.executable).with_name("datasette")
    return _start(
        [str(datasette), "serve", "-i", str(database), "--host", "127.0.0.1", "--port", "{port}"],
        DATASETTE_PATH,
        {},
    )


async def load(
    url: str,
    clients: int = CLIENTS,
    seconds: float = SECONDS,
    max_requests: int = MAX_REQUESTS,
    bust: bool = False,
) -> dict[str, float]:
    """GET `url` from `clients` concurrent connections for `seconds`; latency in ms.
    `bust` adds a unique query parameter to every request, defeating the response cache."""
    latencies: list[float] = []
    budget = [max_requests]
    stop = time.perf_counter() + seconds
    headers = {"Accept-Encoding": "gzip"}

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop and budget[0] > 0:
            budget[0] -= 1
            target = f"{url}{'&' if '?' in url else '?'}_={budget[0]}" if bust else url
            t = time.perf_counter()
            r = await client.get(target, headers=headers)
            latencies.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {r.status_code}")

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        for _ in range(clients):  # warm up connections and caches
            await client.get(url)
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - began
    cuts = quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50": cuts[49], "p99": cuts[98]}  # fmt: skip


def first_visit_bytes(base: str, path: str) -> int:
    """Bytes on the wire (gzip where offered) for a page and the CSS, JS and icons it links."""
    with httpx.Client(base_url=base, headers={"Accept-Encoding": "gzip"}) as client:
        page = client.get(path)
        total = page.num_bytes_downloaded
        assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text))
        for asset in sorted(assets):
            total += client.get(asset).num_bytes_downloaded
    return total


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def run() -> list[dict[str, Any]]:
    """Every web benchmark as {"benchmark", "value", "unit", "target"} rows."""
    folder = Path(tempfile.mkdtemp(prefix="fiw-bench-web-"))
    database = folder / "fiw.sqlite"
    process, base = start_server(database)
    rows: list[dict[str, Any]] = []
    rps: dict[str, float] = {}
    try:
        for name, (path, p99_target) in TARGETS.items():
            for cached in (True, False):
                result = asyncio.run(load(base + path, bust=not cached))
                how = "cache warm" if cached else "rendered every time (unique query strings)"
                rps[f"{name} {cached}"] = result["rps"]
                rows += [
                    {"benchmark": f"{name}, {how}: requests/s ({CLIENTS} clients, "
                                  f"{result['requests']:,} requests)",
                     "value": round(result["rps"], 1), "unit": "req/s", "target": None},
                    {"benchmark": f"{name}, {how}: p50 latency", "value": round(result["p50"], 1),
                     "unit": "ms", "target": None},
                    {"benchmark": f"{name}, {how}: p99 latency", "value": round(result["p99"], 1),
                     "unit": "ms", "target": f"< {p99_target:g} ms"},
                ]  # fmt: skip
        kb = first_visit_bytes(base, "/country/kazakhstan/2023") / 1024
        rows.append({"benchmark": "first visit to the country page, with its assets (gzip)",
                     "value": round(kb, 1), "unit": "KB",
                     "target": f"< {FIRST_VISIT_TARGET_KB:g} KB"})  # fmt: skip
        home_kb = first_visit_bytes(base, "/") / 1024
        rows.append({"benchmark": "first visit to the home page, with its assets but not the "
                     "map geometry (gzip)", "value": round(home_kb, 1), "unit": "KB",
                     "target": None})  # fmt: skip
    finally:
        _stop(process)
    datasette, dbase = start_datasette(database)
    try:
        found = httpx.get(dbase + DATASETTE_PATH, timeout=30).json()["rows"]
        if len(found) != 210:
            raise RuntimeError(f"datasette answered {len(found)} rows, expected the 210 of 2024")
        result = asyncio.run(load(dbase + DATASETTE_PATH))
    finally:
        _stop(datasette)
    rows += [
        {"benchmark": f"datasette {DATASETTE_PATH} ({len(found)} rows, same SQLite file): "
                      f"requests/s ({CLIENTS} clients, {result['requests']:,} requests)",
         "value": round(result["rps"], 1), "unit": "req/s", "target": None},
        {"benchmark": "datasette: p50 / p99 latency",
         "value": f"{result['p50']:.1f} / {result['p99']:.1f}", "unit": "ms", "target": None},
        {"benchmark": f"{API} requests/s ÷ datasette's, cache warm",
         "value": round(rps[f"{API} True"] / result["rps"], 1), "unit": "×",
         "target": f"≥ {RATIO_TARGET:g}×"},
        {"benchmark": f"{API} requests/s ÷ datasette's, rendered every time",
         "value": round(rps[f"{API} False"] / result["rps"], 1), "unit": "×",
         "target": f"≥ {RATIO_TARGET:g}×"},
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['value']} {row['unit']}"
              + (f" (target {row['target']})" if row["target"] else ""))  # fmt: skip
