"""Report pages read for the store: every page file of an import parsed, with the sha256 and
size its provenance needs, and every country name mapped to a country id."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fiw.pages import ParseError, Report
from fiw.pages.batch import page_files, parse_folder
from fiw.pages.parse import parse_file
from fiw.sources.countries import PACKAGE, Country, Resolver, UnmappedNames
from fiw.store.errors import ImportFailed


def digest(data: bytes) -> str:
    """The sha256 of `data`, in hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Page:
    """One parsed page file with what provenance needs: its name, sha256 and size."""

    path: Path
    name: str
    report: Report
    sha256: str
    size: int


@dataclass
class PageSet:
    """The pages of one `fiw import` argument (a folder, walked recursively, or a file)."""

    path: Path
    pages: list[Page] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(p.size for p in self.pages)

    @property
    def sha256(self) -> str:
        """A digest of the set: the sha256 of its pages' names and digests, in order."""
        digest = hashlib.sha256()
        for page in self.pages:
            digest.update(f"{page.name}\0{page.sha256}\n".encode())
        return digest.hexdigest()


def is_pages_source(path: Path) -> bool:
    """A folder (of pages) or a `.txt` page file."""
    return path.is_dir() or path.suffix.lower() == ".txt"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_pages(path: Path, *, skip_bad: bool = False) -> PageSet:
    """Parse a folder of pages (every core) or one page. A page that cannot be parsed fails
    the import naming the file and line, or, with `skip_bad`, is listed as skipped."""
    if not path.exists():
        raise ImportFailed(path, "no such file or folder")
    pages = PageSet(path)
    if path.is_dir():
        files = page_files(path)
        if not files:
            raise ImportFailed(path, "holds no *.txt report pages (searched recursively)")
        results = [(r.file, r.report, r.error) for r in parse_folder(path)]
        base = path
    else:
        try:
            results = [(path, parse_file(path), None)]
        except ParseError as exc:
            results = [(path, None, exc)]
        base = path.parent
    for file, report, error in results:
        name = file.relative_to(base).as_posix() if path.is_dir() else file.name
        name = f"{path.name}/{name}" if path.is_dir() else name
        if report is None:
            assert error is not None
            message = str(error.with_source(name))
            if not skip_bad:
                raise ImportFailed(
                    file, f"cannot be parsed, nothing was imported ({message}); "
                    "`--skip-bad` imports the other pages"
                )  # fmt: skip
            pages.skipped.append(message)
            continue
        data = file.read_bytes()
        pages.pages.append(Page(file, name, report, digest(data), len(data)))
    if not pages.pages:  # `--skip-bad` skipped everything: nothing to import is a failure
        raise ImportFailed(
            path, f"none of its {len(pages.skipped):,} pages can be parsed, nothing was "
            f"imported (the first: {pages.skipped[0]})"
        )  # fmt: skip
    return pages


def map_countries(sets: Sequence[PageSet], resolver: Resolver = PACKAGE) -> dict[str, Country]:
    """Every page's country name mapped to its country (the package's and those added to the
    database, through `resolver`); fails listing every unmapped name with the files that use
    it and how to add it."""
    names = {p.report.country for s in sets for p in s.pages}
    try:
        return resolver.map_names(sorted(names))
    except UnmappedNames as exc:
        where = {
            n: [p.name for s in sets for p in s.pages if p.report.country == n] for n in exc.names
        }
        listed = "; ".join(f"{n!r} ({', '.join(files[:3])}{' …' if len(files) > 3 else ''})"
                           for n, files in where.items())  # fmt: skip
        raise ImportFailed(
            sets[0].path,
            f"{len(exc.names)} country name(s) map to no country, nothing was imported: "
            f"{listed}; {UnmappedNames.fix}",
        ) from exc
