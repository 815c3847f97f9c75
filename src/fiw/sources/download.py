"""Fetch the two official workbooks from the publisher into fiw's cache, with checksums.

Each file streams into a temporary file beside its destination and replaces it only once
it is complete and recognised as the expected workbook, so a failed download never leaves
a partial or foreign file behind. A `manifest.json` in the cache records what was fetched.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
from rich.progress import Progress, TaskID

from fiw.errors import FiwError
from fiw.numerals import ascii_digits
from fiw.settings import Settings, get_settings
from fiw.sources.detect import WorkbookKind, detect_workbook
from fiw.sources.errors import WorkbookError

MANIFEST = "manifest.json"
CHUNK = 1 << 16


class DownloadError(FiwError, RuntimeError):
    """A workbook could not be fetched; the message names the URL and what went wrong."""

    http_status = 502

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.reason = message
        self.where = url
        super().__init__(f"{url}: {message}")


@dataclass(frozen=True)
class DownloadedFile:
    """One fetched workbook: where from, where to, its checksum and size."""

    kind: WorkbookKind
    url: str
    path: Path
    sha256: str
    size: int
    fetched_at: str  # ISO 8601, UTC

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "path": str(self.path)}


def file_name(url: str, kind: WorkbookKind) -> str:
    """The file name a URL's path ends with, else "<kind>.xlsx"."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name if name and name not in (".", "..") else f"{kind}.xlsx"


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def download_workbook(
    url: str,
    kind: WorkbookKind,
    directory: Path,
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> DownloadedFile:
    """Stream `url` into `directory` and check it is the `kind` workbook before keeping it."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / file_name(url, kind)
    partial = target.with_name(f".{target.name}.part")
    own_client = client is None
    http = client or httpx.Client(follow_redirects=True, timeout=60.0)
    digest = hashlib.sha256()
    size = 0
    task: TaskID | None = None
    try:
        with http.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadError(
                    url,
                    f"the server answered {response.status_code} "
                    f"{response.reason_phrase}; expected 200 and the workbook (check the URL "
                    f"or set FIW_{'ALL_DATA' if kind == 'all_data' else 'RATINGS'}_URL)",
                )
            length = response.headers.get("content-length")
            expected = int(length) if length and ascii_digits(length) else None
            if progress is not None:
                task = progress.add_task(target.name, total=expected)
            with partial.open("wb") as handle:
                for chunk in response.iter_bytes(CHUNK):
                    handle.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if task is not None and progress is not None:
                        progress.update(task, advance=len(chunk))
        if expected is not None and size != expected:
            raise DownloadError(url, f"received {size} of {expected} bytes: the file is truncated")
        try:
            found = detect_workbook(partial)
        except WorkbookError as exc:
            raise DownloadError(url, f"the file received is not usable: {exc.reason}") from exc
        if found != kind:
            raise DownloadError(url, f"the file received is the {found} workbook, expected {kind}")
        os.replace(partial, target)
    except httpx.HTTPError as exc:
        raise DownloadError(url, f"the download failed ({exc})") from exc
    finally:
        partial.unlink(missing_ok=True)
        if own_client:
            http.close()
    return DownloadedFile(
        kind=kind,
        url=url,
        path=target,
        sha256=digest.hexdigest(),
        size=size,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def write_manifest(directory: Path, files: Iterable[DownloadedFile]) -> Path:
    """Record the fetched files in `directory/manifest.json`, keeping entries of other files."""
    path = directory / MANIFEST
    entries: dict[str, dict[str, object]] = {}
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            entries = {str(e["path"]): e for e in old.get("files", []) if "path" in e}
        except (ValueError, AttributeError, TypeError):
            entries = {}
    for item in files:
        entries[str(item.path)] = item.to_dict()
    body = {"files": sorted(entries.values(), key=lambda e: str(e["path"]))}
    temporary = path.with_name(f".{MANIFEST}.part")
    temporary.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def download_workbooks(
    settings: Settings | None = None,
    *,
    directory: Path | None = None,
    progress: Progress | None = None,
) -> tuple[DownloadedFile, ...]:
    """Fetch both workbooks from the URLs in settings into the cache and write the manifest."""
    settings = settings or get_settings()
    target = directory or settings.cache_dir
    sources: tuple[tuple[str, WorkbookKind], ...] = (
        (settings.all_data_url, "all_data"),
        (settings.ratings_url, "ratings"),
    )
    files: list[DownloadedFile] = []
    with httpx.Client(follow_redirects=True, timeout=60.0) as client:
        for url, kind in sources:
            files.append(download_workbook(url, kind, target, client=client, progress=progress))
            write_manifest(target, files)  # a later failure keeps the record of this file
    return tuple(files)
