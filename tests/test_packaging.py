"""`pip install fiw` from the built wheel, as a user without Node, npm or a checkout would.

Slow (marked `slow`): builds the sdist and the wheel from it (`python -m build`), installs
the wheel into a fresh venv with `--no-index` from a local wheelhouse of fiw's pinned
dependencies (var/wheelhouse, filled once by `pip download` from what `make` installs from),
starts `fiw serve` from that venv over a new SQLite database, and loads the home page's map
scripts and the /api/docs assets: each must be the vendored file, served by the installed
package. PATH holds only the fresh venv's bin during the install and the serve: no npm, no
node. Only this file's tests build anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from fiw import __version__
from tests.web_server import shared_dir, start_server, stop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "fiw" / "web" / "static" / "vendor"
WHEELHOUSE = ROOT / "var" / "wheelhouse"
# what a browser loads by itself: scripts, stylesheets, images, preloads, the map's atlas
ASSET_REF = re.compile(
    r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']|data-atlas=["']([^"']+)["']"""
)


def _assets(html: str) -> list[str]:
    return [a or b for a, b in ASSET_REF.findall(html)]


def _run(args: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run a command; fail showing its output when it exits non-zero."""
    done = subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    return done


def _vendored_files() -> dict[str, Path]:
    """Every vendored front-end file (`make assets`), by its path inside the package."""
    if not (VENDOR / ".installed").exists():
        pytest.fail(f"{VENDOR} is missing: run `make assets`", pytrace=False)
    return {
        f"fiw/web/static/vendor/{p.relative_to(VENDOR).as_posix()}": p
        for p in VENDOR.glob("*/*")
        if p.is_file()
    }


def _offline_env(venv: Path, **extra: str) -> dict[str, str]:
    """A bare environment: PATH is the venv's bin alone (no npm, no node), pip reads no
    configuration (no index, no find-links but ours), no PYTHON* variable leaks in."""
    env = {
        "PATH": str(venv / "bin"),
        "HOME": str(venv.parent / "home"),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    assert shutil.which("npm", path=env["PATH"]) is None
    assert shutil.which("node", path=env["PATH"]) is None
    return {**env, **extra}


def _checkout(destination: Path, *, vendor: bool) -> Path:
    """A copy of the working tree as git sees it (tracked and new files, nothing ignored),
    with or without the vendor folder `make assets` fills: builds run there, never in ROOT."""
    listed = _run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    names = [n for n in listed.stdout.splitlines() if (ROOT / n).is_file()]
    if vendor:
        names += [p.relative_to(ROOT).as_posix() for p in VENDOR.rglob("*") if p.is_file()]
    for name in names:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)
    return destination


def _build(out: Path) -> tuple[Path, Path]:
    """The sdist and the wheel built from it, as `python -m build` makes them."""
    source = _checkout(out.parent / "checkout", vendor=True)
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source])
    (sdist,) = out.glob("fiw-*.tar.gz")
    (wheel,) = out.glob("fiw-*.whl")
    return sdist, wheel


def _wheelhouse(wheel: Path) -> Path:
    """fiw's dependencies as wheels (pinned by constraints.txt), downloaded once and reused."""
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "pip", "download", "--quiet", "--dest", WHEELHOUSE,
          "-c", ROOT / "constraints.txt", wheel])  # fmt: skip
    for stale in WHEELHOUSE.glob("fiw-*.whl"):
        stale.unlink()  # only the wheel just built is installed, by its path
    return WHEELHOUSE


def _get(client: httpx.Client, path: str) -> httpx.Response:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text[:300]}"
    return response


def test_wheel_installs_without_npm_and_serves_its_vendored_assets(tmp_path: Path) -> None:
    shared = shared_dir()
    vendored = _vendored_files()
    sdist, wheel = _build(tmp_path / "dist")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    missing = sorted(set(vendored) - names)
    assert not missing, f"the wheel lacks vendored files: {missing}"
    packaged = (
        "fiw/py.typed",
        "fiw/methodology/data/fiw.toml",
        "fiw/store/migrations/env.py",
        "fiw/store/migrations/script.py.mako",
        "fiw/sources/data/countries.csv",
        "fiw/sources/data/codes.csv",
        "fiw/store/data/long-export.schema.json",
    )
    for name in packaged:
        assert name in names, f"the wheel lacks {name}"
    assert any(n.startswith("fiw/store/migrations/versions/0001") for n in names)
    licences = {n.split("/")[-2] for n in names if "/licenses/" in n and "vendor" in n}
    assert licences == {p.parent.name for p in VENDOR.glob("*/LICENSE")}, licences
    assert b"License-Expression: MIT" in metadata

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    started = time.monotonic()
    wheelhouse = _wheelhouse(wheel)
    downloaded = time.monotonic()
    env = _offline_env(venv)
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile",
          "--no-index", "--find-links", wheelhouse, wheel], env=env, cwd=tmp_path)  # fmt: skip
    sizes = f"wheel {wheel.stat().st_size:,} B, sdist {sdist.stat().st_size:,} B"
    took = f"wheelhouse {downloaded - started:.1f} s, install {time.monotonic() - downloaded:.1f} s"
    print(f"{sizes}; {took}")

    location = _run([venv / "bin" / "python", "-c", "import fiw; print(fiw.__file__)"],
                    env=env, cwd=tmp_path).stdout  # fmt: skip
    assert Path(location.strip()).is_relative_to(venv), location

    database = tmp_path / "fiw.sqlite"
    env = _offline_env(
        venv,
        FIW_SHARED=str(shared),
        FIW_DATABASE_URL=f"sqlite:///{database}",
        FIW_PAGES_DIR=str(tmp_path / "no-pages"),  # the workbooks only: a small database
    )
    before = _run([venv / "bin" / "fiw", "--version"], env=env, cwd=tmp_path).stdout
    assert before.splitlines()[0] == f"fiw {__version__}", before
    assert "database: none at" in before and not database.exists(), before

    process, url = start_server(
        env, 180, fiw=venv / "bin" / "fiw", log=tmp_path / "serve.log", inherit=False
    )
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            home = _get(client, "/").text
            refs = _assets(home)
            assert not [r for r in refs if r.startswith(("http:", "https:", "//"))], refs
            scripts = [r for r in refs if r.startswith("/static/vendor/")]
            wanted = {"d3-geo.min.js", "topojson-client.min.js", "countries-110m.json"}
            assert wanted <= {r.rsplit("/", 1)[-1] for r in scripts}, scripts
            for ref in [*scripts, "/static/map.js"]:
                body = _get(client, ref).content
                source = vendored.get("fiw" + ref.replace("/static/", "/web/static/", 1))
                if source is not None:
                    assert body == source.read_bytes(), f"{ref} is not the vendored file"

            docs = _get(client, "/api/docs").text
            docs_refs = _assets(docs)
            assert not [r for r in docs_refs if r.startswith(("http:", "https:", "//"))], docs
            for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
                (ref,) = [r for r in docs_refs if r.endswith(name)]
                source = vendored[f"fiw/web/static/vendor/swagger-ui-dist/{name}"]
                assert _get(client, ref).content == source.read_bytes(), f"{ref} differs"
    finally:
        stop(process)

    listed = _run([venv / "bin" / "fiw", "countries", "--json"], env=env, cwd=tmp_path).stdout
    countries = {c["id"]: c for c in json.loads(listed)["countries"]}
    assert (countries["kazakhstan"]["iso2"], countries["kazakhstan"]["cow"]) == ("KZ", 705)
    schema = _run([venv / "bin" / "fiw", "export", "--schema", "long"], env=env, cwd=tmp_path)
    assert json.loads(schema.stdout)["title"] == "fiw long table row"

    after = _run([venv / "bin" / "fiw", "--version"], env=env, cwd=tmp_path).stdout
    for workbook in sorted((shared / "data" / "fiw").glob("*.xlsx")):
        digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
        assert f"{workbook.name}  " in after and digest in after, after


def test_build_refuses_without_the_vendored_files(tmp_path: Path) -> None:
    """A checkout where `make assets` never ran: the build stops and names the fix instead of
    shipping a wheel whose map and API docs are blank."""
    source = _checkout(tmp_path / "checkout", vendor=False)
    assert not (source / "src/fiw/web/static/vendor").exists()
    for target in ("--sdist", "--wheel"):
        done = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", target, "--outdir",
             str(tmp_path / "out"), str(source)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode != 0, f"{target} built without the vendor folder"
        output = done.stdout + done.stderr
        assert "src/fiw/web/static/vendor/ is missing" in output, output[-2000:]
        assert "make assets" in output, output[-2000:]
    assert not list((tmp_path / "out").glob("fiw-*"))
