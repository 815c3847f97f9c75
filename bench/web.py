"""Load test of the web explorer on loopback: a real `fiw serve`, 8 concurrent clients, 10 s
per page (at most 20,000 requests each), and the compressed weight of a first visit.

Run alone with `python -m bench.web`; `run()` returns rows for docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
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
}
FIRST_VISIT_TARGET_KB = 200.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    """`fiw serve` on a free loopback port, once it answers."""
    port = _free_port()
    fiw = Path(sys.executable).with_name("fiw")
    process = subprocess.Popen(
        [str(fiw), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"fiw serve exited with {process.returncode}: {err}")
        try:
            if httpx.get(url + "/api/openapi.json", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"fiw serve did not answer on {url} within 60 s")


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


def run() -> list[dict[str, Any]]:
    """Every web benchmark as {"benchmark", "value", "unit", "target"} rows."""
    process, base = start_server()
    rows: list[dict[str, Any]] = []
    try:
        for name, (path, p99_target) in TARGETS.items():
            result = asyncio.run(load(base + path))
            rows += [
                {"benchmark": f"{name}: requests/s ({CLIENTS} clients, {result['requests']} "
                              f"requests)", "value": round(result["rps"], 1), "unit": "req/s",
                 "target": None},
                {"benchmark": f"{name}: p50 latency", "value": round(result["p50"], 1),
                 "unit": "ms", "target": None},
                {"benchmark": f"{name}: p99 latency", "value": round(result["p99"], 1),
                 "unit": "ms", "target": f"< {p99_target:g} ms"},
            ]  # fmt: skip
        for name, (path, _target) in TARGETS.items():
            cold = asyncio.run(load(base + path, seconds=SECONDS / 2, bust=True))
            rows += [
                {"benchmark": f"{name}, rendered every time (no response cache): requests/s",
                 "value": round(cold["rps"], 1), "unit": "req/s", "target": None},
                {"benchmark": f"{name}, rendered every time: p50 / p99 latency",
                 "value": f"{cold['p50']:.1f} / {cold['p99']:.1f}", "unit": "ms", "target": None},
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
        process.terminate()
        process.wait(timeout=10)
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['value']} {row['unit']}"
              + (f" (target {row['target']})" if row["target"] else ""))  # fmt: skip
