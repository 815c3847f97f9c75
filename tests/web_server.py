"""Fixtures shared by the web tests: a real `fiw serve` on a free loopback port, an app served
by uvicorn in a thread (`ThreadServer`, the workbench and vintage tests' too), and Debian's
Chromium driven by Playwright. Imported by the tests that serve (not a conftest: only they use
it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Page

from fiw.settings import Settings
from fiw.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def shared_dir() -> Path:
    """FIW_SHARED, which must hold the official workbooks: fail (never skip) when it does not.
    Absolute, since the servers it is passed to may start in another folder."""
    shared = Path(os.environ.get("FIW_SHARED", ROOT.parent / "shared")).resolve()
    workbook = shared / "data" / "fiw" / "All_data_FIW_2013-2024.xlsx"
    if not workbook.exists():
        pytest.fail(f"{workbook} is missing: set FIW_SHARED to the folder with the shared data")
    return shared


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThreadServer:
    """An app (or the fiw app of `settings`) served by uvicorn in a thread of the test
    process, on a loopback socket it binds itself: a real HTTP server, `url` to ask it."""

    def __init__(self, app: FastAPI | Settings) -> None:
        self.app = create_app(app) if isinstance(app, Settings) else app
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = int(self.socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail(f"uvicorn did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def start_server(
    env: dict[str, str] | None = None,
    timeout: float = 60,
    args: tuple[str, ...] = (),
    *,
    fiw: Path | None = None,
    log: Path | None = None,
    inherit: bool = True,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `fiw serve` (with `args`, e.g. --workers 2) on a free port and wait until it
    answers; fail with its log if not. `fiw`: another install's command (default this
    venv's); `log`: where its output goes (and its working folder); `inherit=False`: `env`
    is the whole environment (no checkout paths leak in)."""
    port = free_port()
    fiw = fiw or Path(sys.executable).with_name("fiw")
    cwd = log.parent if log is not None else None  # a given log's folder is the server's
    if log is None:
        ARTIFACTS.mkdir(exist_ok=True)
        log = ARTIFACTS / f"server-{port}.log"
    base = {**os.environ, "FIW_SHARED": str(shared_dir())} if inherit else {}
    process = subprocess.Popen(
        [str(fiw), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        env={**base, **(env or {})},
        cwd=cwd,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"fiw serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/api/openapi.json", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"fiw serve did not answer on {url} within {timeout:g} s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by start_server (killed if it does not exit within 10 s)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server(reports_url: str) -> Iterator[str]:
    """Base URL of a running `fiw serve` over a store database imported from the shared
    workbooks and report pages (SQLite and PostgreSQL: tests using it run on both)."""
    process, url = start_server({"FIW_DATABASE_URL": reports_url})
    yield url
    stop(process)


@pytest.fixture(scope="session")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`fiw serve` started on an empty SQLite file: it migrates it and imports the shared
    workbooks (FIW_DATA_DIR) and report pages (FIW_PAGES_DIR) itself. Yields its URL and
    its log."""
    folder = tmp_path_factory.mktemp("first-start")
    database = f"sqlite:///{folder / 'fiw.sqlite'}"
    process, url = start_server({"FIW_DATABASE_URL": database}, timeout=120)
    yield url, ARTIFACTS / f"server-{url.rsplit(':', 1)[1]}.log"
    stop(process)


@pytest.fixture(scope="session")
def sqlite_client(first_start: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=first_start[0], timeout=30) as c:
        yield c


def open_page(browser: Browser, server: str, viewport: dict[str, int]) -> Iterator[Page]:
    """A fresh page whose console errors, warnings and uncaught exceptions fail the test."""
    context = browser.new_context(base_url=server, viewport=viewport)  # type: ignore[arg-type]
    pg = context.new_page()
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type in ("error", "warning"):
            problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    yield pg
    context.close()
    assert not problems, "\n".join(problems)
