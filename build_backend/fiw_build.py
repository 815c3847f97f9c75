"""fiw's build backend: setuptools, refusing to build without the vendored front-end files.

The explorer's map (d3, topojson, world-atlas) and the API docs (swagger-ui) are npm packages
that `make assets` copies, with their LICENSE files, into the git-ignored
src/fiw/web/static/vendor/. setuptools' package-data globs would silently match nothing when
that folder is missing and ship a wheel whose map and /api/docs are blank; this backend stops
the build instead, naming the fix. Everything else is setuptools.build_meta unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the PEP 517/660 hooks, re-exported)

VENDOR = Path("src/fiw/web/static/vendor")
STAMP = VENDOR / ".installed"  # written by `make assets` once every file is copied


class VendorMissing(RuntimeError):
    """The vendored front-end files are absent or incomplete."""


def check_vendor(root: Path = Path()) -> list[Path]:
    """The vendored packages' folders; raise VendorMissing unless `make assets` completed
    and each package folder holds its LICENSE and at least one asset."""
    vendor, stamp = root / VENDOR, root / STAMP
    fix = (
        "run `make assets` (npm ci + copy into the vendor folder) before building, "
        "or `make dist`, which does both"
    )
    if not stamp.is_file():
        raise VendorMissing(f"{vendor}/ is missing or incomplete (no {stamp.name}): {fix}")
    packages = sorted(p for p in vendor.iterdir() if p.is_dir())
    if not packages:
        raise VendorMissing(f"{vendor}/ holds no vendored package: {fix}")
    for package in packages:
        files = {p.name for p in package.iterdir() if p.is_file()}
        if "LICENSE" not in files or len(files) < 2:
            raise VendorMissing(f"{package}/ lacks its LICENSE or its assets: {fix}")
    return packages


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    check_vendor()
    return _setuptools.build_sdist(sdist_directory, config_settings)


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    check_vendor()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
