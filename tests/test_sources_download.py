"""`fiw download` against a real HTTP server on 127.0.0.1 serving copies of the workbooks."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fiw.cli import app
from fiw.settings import Settings
from fiw.sources.download import DownloadError, download_workbook, download_workbooks

ALL_DATA = "All_data_FIW_2013-2024.xlsx"
RATINGS = "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"


class Handler(SimpleHTTPRequestHandler):
    """Serves the folder; paths under /truncated/ promise the whole file but send half."""

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/truncated/"):
            body = (Path(self.directory) / self.path.removeprefix("/truncated/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("site")
    settings = Settings()
    shutil.copyfile(settings.all_data_workbook(), root / ALL_DATA)
    shutil.copyfile(settings.ratings_workbook(), root / RATINGS)
    (root / "page.html").write_text("<html><body>Not the workbook</body></html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def settings_for(base: str, cache: Path, all_data: str = ALL_DATA, ratings: str = RATINGS):
    return Settings(
        cache_dir=cache, all_data_url=f"{base}/{all_data}", ratings_url=f"{base}/{ratings}"
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_downloads_both_workbooks_with_checksums_and_a_manifest(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, root = served
    files = download_workbooks(settings_for(base, tmp_path / "cache"))
    assert [f.kind for f in files] == ["all_data", "ratings"]
    for f, name in zip(files, (ALL_DATA, RATINGS), strict=True):
        assert f.path == tmp_path / "cache" / name
        assert f.sha256 == sha256(root / name) == sha256(f.path)
        assert f.size == (root / name).stat().st_size
    manifest = json.loads((tmp_path / "cache" / "manifest.json").read_text())
    assert {(e["kind"], e["sha256"], e["size"]) for e in manifest["files"]} == {
        (f.kind, f.sha256, f.size) for f in files
    }
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        [ALL_DATA, RATINGS, "manifest.json"]
    )


def test_a_404_is_a_clear_error_and_leaves_no_file(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = served
    with pytest.raises(DownloadError, match=r"404.*FIW_RATINGS_URL") as caught:
        download_workbook(f"{base}/missing.xlsx", "ratings", tmp_path)
    assert caught.value.url == f"{base}/missing.xlsx"
    assert list(tmp_path.iterdir()) == []


def test_a_truncated_download_is_rejected_and_leaves_no_partial_file(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = served
    with pytest.raises(DownloadError, match=r"truncated|download failed"):
        download_workbook(f"{base}/truncated/{RATINGS}", "ratings", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_page_instead_of_a_workbook_is_rejected(served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    with pytest.raises(DownloadError, match=r"not usable.*not an xlsx workbook"):
        download_workbook(f"{base}/page.html", "all_data", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_wrong_workbook_is_rejected(served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    with pytest.raises(DownloadError, match="is the all_data workbook, expected ratings"):
        download_workbook(f"{base}/{ALL_DATA}", "ratings", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_download_keeps_the_previous_file(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, root = served
    kept = download_workbook(f"{base}/{RATINGS}", "ratings", tmp_path)
    with pytest.raises(DownloadError):
        download_workbook(f"{base}/truncated/{RATINGS}", "ratings", tmp_path)
    assert sha256(kept.path) == sha256(root / RATINGS)
    assert [p.name for p in tmp_path.iterdir()] == [RATINGS]


def test_cli_download_prints_json_and_honours_url_settings(
    served: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, root = served
    monkeypatch.setenv("FIW_ALL_DATA_URL", f"{base}/{ALL_DATA}")
    monkeypatch.setenv("FIW_RATINGS_URL", f"{base}/{RATINGS}")
    monkeypatch.setenv("FIW_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, ["download", "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert [f["sha256"] for f in files] == [sha256(root / ALL_DATA), sha256(root / RATINGS)]


def test_cli_download_failure_exits_2_with_a_message(
    served: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = served
    monkeypatch.setenv("FIW_ALL_DATA_URL", f"{base}/nothing-here.xlsx")
    result = CliRunner().invoke(app, ["download", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "404" in result.output and "Traceback" not in result.output
