"""Workbench benchmarks on PostgreSQL behind `fiw serve --workers 2`: save latency with 16
editors saving as the editor autosaves (after SAVE_DELAY of quiet, read from editor.js) and
with 16 editors saving back to back (a saturation figure, no target), the CPU the server
spends on a save (which does not depend on what else the machine runs), the time from a
publish to every worker serving it, and, in process, the SQL statements one save runs."""

from __future__ import annotations

import os
import re
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, event, text

from bench.web import _start
from fiw.settings import Settings, get_settings
from fiw.store.database import make_engine, normalise_url
from fiw.store.importer import import_files
from fiw.workbench import Workbench

EDITORS = 16
SAVES = 30
WORKERS = 2
PASSWORD = "benchmark password"
SAVE_P99_TARGET_MS = 100
PUBLISH_TARGET_S = 2.0
CONFIRMATIONS = 12  # fresh connections in a row that must all serve the publish
IN_PROCESS_SAVES = 200
EDITOR_JS = Path(__file__).resolve().parent.parent / "src/fiw/web/static/workbench/editor.js"


def _autosave_delay() -> float:
    """The editor's quiet time before an autosave, in seconds: no editor saves faster."""
    found = re.search(r"const SAVE_DELAY = (\d+);", EDITOR_JS.read_text(encoding="utf-8"))
    if found is None:
        raise RuntimeError(f"{EDITOR_JS}: no `const SAVE_DELAY = <ms>;` found")
    return int(found.group(1)) / 1000


def _schema() -> tuple[str, str]:
    server = normalise_url(get_settings().test_database_url)
    schema = f"fiw_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = server.update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def _drop(schema: str) -> None:
    admin = create_engine(normalise_url(get_settings().test_database_url))
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _prepare(url: str) -> list[str]:
    """Workbooks imported, an admin, a reviewer, 16 analysts with one country each, 2025 open."""
    settings = get_settings()
    engine = make_engine(url)
    import_files(engine, [settings.all_data_workbook(), settings.ratings_workbook()])
    wb = Workbench(engine)
    wb.add_user("admin", "admin", PASSWORD)
    wb.add_user("reviewer", "reviewer", PASSWORD)
    opened = wb.open_edition(wb.system_actor("admin"), 2025)
    countries = [d["country_id"] for d in opened["created"][:EDITORS]]
    for i, country in enumerate(countries):
        wb.add_user(f"analyst{i}", "analyst", PASSWORD)
        wb.assign(f"analyst{i}", [country])
    engine.dispose()
    return countries


@contextmanager
def _client(base: str, name: str) -> Iterator[httpx.Client]:
    """An HTTP client logged in as `name`, with its CSRF token set."""
    client = httpx.Client(base_url=base, timeout=30)
    r = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    try:
        yield client
    finally:
        client.close()


def _edit(
    base: str,
    name: str,
    country: str,
    latencies: list[float],
    start: threading.Barrier,
    pause: float = 0.0,
) -> None:
    with _client(base, name) as client:
        path = f"/api/v1/workbench/drafts/{country}/2025"
        revision = client.get(path).json()["revision"]
        start.wait()
        for i in range(SAVES):
            if pause:  # an editor typing: the autosave fires after the quiet time
                time.sleep(pause)
            began = time.perf_counter()
            r = client.put(
                path,
                headers={"If-Match": str(revision)},
                json={"narratives": {"A1": f"Autosave {i} of {name}'s draft."}},
            )
            latencies.append((time.perf_counter() - began) * 1000)
            r.raise_for_status()
            revision = r.json()["revision"]


def _saves(
    base: str, countries: list[str], server: list[int], pause: float
) -> tuple[list[float], float]:
    """Every editor saves SAVES times at once (pausing `pause` s before each): the latencies
    and the server's CPU milliseconds per save."""
    latencies: list[float] = []
    start = threading.Barrier(EDITORS + 1)
    threads = [
        threading.Thread(target=_edit, args=(base, f"analyst{i}", c, latencies, start, pause))
        for i, c in enumerate(countries)
    ]
    for t in threads:
        t.start()
    start.wait()
    cpu_before = _cpu_seconds(server)
    for t in threads:
        t.join()
    if len(latencies) != EDITORS * SAVES:
        raise RuntimeError(f"{EDITORS * SAVES - len(latencies)} saves failed")
    return latencies, (_cpu_seconds(server) - cpu_before) * 1000 / (EDITORS * SAVES)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _publish_time(base: str, country: str) -> float:
    """Seconds from a publish's answer to the first of CONFIRMATIONS fresh connections in a
    row (spread over the workers by their shared socket) that all serve it."""
    path = f"/api/v1/workbench/drafts/{country}/2025"
    with _client(base, "analyst0") as analyst, _client(base, "reviewer") as reviewer:
        draft = analyst.get(path).json()
        score = draft["scores"]["A1"]
        new = score + 1 if score < 4 else score - 1
        analyst.put(
            path,
            headers={"If-Match": str(draft["revision"])},
            json={"scores": {"A1": new}, "reasons": {"A1": "benchmark"}},
        ).raise_for_status()
        analyst.post(path + "/submit").raise_for_status()
        reviewer.post(path + "/approve").raise_for_status()
        for _ in range(CONFIRMATIONS):  # every worker has the old snapshot cached
            httpx.get(f"{base}/api/v1/countries/{country}", timeout=30).raise_for_status()
        reviewer.post(path + "/publish").raise_for_status()
        published = time.perf_counter()
    streak, streak_start = 0, 0.0
    while streak < CONFIRMATIONS:
        sent = time.perf_counter()
        latest = httpx.get(f"{base}/api/v1/countries/{country}", timeout=30).json()["latest"]
        if latest["edition"] != 2025:
            streak = 0
        else:
            streak_start = sent if streak == 0 else streak_start
            streak += 1
        if sent - published > 30:
            raise RuntimeError("the publish did not reach every worker within 30 s")
    # from the first request of the streak on, every connection was answered with the publish
    return streak_start - published


def _in_process(url: str, country: str) -> tuple[int, list[str], list[float], float]:
    """PUTs through the app in this process (no HTTP server, no other client): the SQL
    statements of one save (SQLAlchemy's before_cursor_execute) and each save's time."""
    import warnings

    from fiw.web.app import create_app

    with warnings.catch_warnings():  # starlette asks for httpx2; httpx is what fiw has
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_app(Settings(database_url=url, pages_dir=Path("/nonexistent")), watch=False)
    statements: list[str] = []
    event.listen(
        app.state.workbench.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: statements.append(statement),
    )
    times: list[float] = []
    with TestClient(app) as client:
        r = client.post("/api/v1/auth/login", json={"username": "analyst1", "password": PASSWORD})
        client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        path = f"/api/v1/workbench/drafts/{country}/2025"
        revision = client.get(path).json()["revision"]
        cpu = time.process_time()
        for i in range(IN_PROCESS_SAVES):
            statements.clear()
            began = time.perf_counter()
            r = client.put(
                path,
                headers={"If-Match": str(revision)},
                json={"narratives": {"A1": f"In-process save {i}."}},
            )
            times.append((time.perf_counter() - began) * 1000)
            r.raise_for_status()
            revision = r.json()["revision"]
        cpu_ms = (time.process_time() - cpu) * 1000 / IN_PROCESS_SAVES
    app.state.workbench.engine.dispose()
    kinds = [" ".join(s.split()[:1]).upper() for s in statements]
    return len(statements), kinds, times, cpu_ms


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _family(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's workers), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return sorted(family)


def run() -> list[dict[str, Any]]:
    """Save latency (p50, p99) with 16 editors, paced as the editor saves and back to back,
    and publish-to-every-worker time."""
    before = os.getloadavg()[0]  # what else the machine runs (1-minute average)
    delay = _autosave_delay()  # before anything starts: a missing constant fails at once
    schema, url = _schema()
    process = None
    try:
        countries = _prepare(url)
        fiw = Path(sys.executable).with_name("fiw")
        process, base = _start(
            [
                str(fiw),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "{port}",
                "--workers",
                str(WORKERS),
            ],
            "/api/openapi.json",
            {"FIW_DATABASE_URL": url, "FIW_PAGES_DIR": "/nonexistent-fiw-bench-pages"},
        )
        server = _family(process.pid)
        paced, _ = _saves(base, countries, server, delay)
        load = os.getloadavg()[0]
        latencies, server_ms = _saves(base, countries, server, 0.0)
        publish = _publish_time(base, countries[0])
        statements, kinds, alone, alone_cpu = _in_process(url, countries[1])
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        _drop(schema)
    saves = f"{EDITORS} editors × {SAVES} saves, {WORKERS} workers, PostgreSQL"
    busy = (
        f"load average {before:.1f} before, {load:.1f} at the end (with its own 16 clients and "
        f"server) on {os.cpu_count()} cores"
    )
    autosaving = f"{saves}, each after the editor's {delay * 1000:.0f} ms autosave delay"
    return [
        {
            "benchmark": f"workbench save (PUT), p50 / p99 latency ({autosaving})",
            "value": f"{statistics.median(paced):.1f} / {_percentile(paced, 0.99):.1f}",
            "unit": "ms",
            "target": f"p99 < {SAVE_P99_TARGET_MS} ms",
            "note": busy,
        },
        {
            "benchmark": f"workbench save (PUT), p50 / p99 latency ({saves}, back to back: "
            "saturation)",
            "value": f"{statistics.median(latencies):.1f} / {_percentile(latencies, 0.99):.1f}",
            "unit": "ms",
            "target": None,
            "note": "no pause between saves: every core busy; a ceiling, not a workload",
        },
        {
            "benchmark": f"workbench save (PUT), server CPU per save ({saves})",
            "value": round(server_ms, 2),
            "unit": "ms",
            "target": None,
            "note": "user + system time of the server's processes over the saves",
        },
        {
            "benchmark": "workbench save (PUT), SQL statements per save (in process)",
            "value": statements,
            "unit": "",
            "target": None,
            "note": " + ".join(kinds) + ": session, draft, write (docs/workbench.md)",
        },
        {
            "benchmark": "workbench save (PUT), p50 time through the app in process "
            f"(one editor, {IN_PROCESS_SAVES} saves, PostgreSQL)",
            "value": round(statistics.median(alone), 1),
            "unit": "ms",
            "target": None,
            "note": f"fastest {min(alone):.1f} ms; CPU {alone_cpu:.1f} ms a save (app and "
            "test client)",
        },
        {
            "benchmark": f"publish to every worker serving it ({WORKERS} workers, "
            f"{CONFIRMATIONS} fresh connections in a row)",
            "value": round(publish, 2),
            "unit": "s",
            "target": f"< {PUBLISH_TARGET_S:g} s",
        },
    ]
