"""Page parsing and rendering throughput over the whole corpus (FIW_SHARED/data/pages)."""

from __future__ import annotations

import os
from pathlib import Path

from bench.common import best_of
from fiw.pages import parse_page
from fiw.pages.batch import page_files, parse_folder_jsonl
from fiw.pages.render import render_html, render_text
from fiw.settings import get_settings


def run() -> list[dict[str, object]]:
    folder: Path = get_settings().fiw_pages_dir
    files = page_files(folder)
    if not files:
        raise SystemExit(f"no pages under {folder}: set FIW_SHARED or FIW_PAGES_DIR")
    texts = [(p, p.read_text(encoding="utf-8")) for p in files]
    n = len(texts)

    def parse_all() -> None:
        for path, text in texts:
            parse_page(text, source=path)

    parse_s = best_of(parse_all)
    reports = [parse_page(text, source=path) for path, text in texts]
    text_s = best_of(lambda: [render_text(r) for r in reports])
    html_s = best_of(lambda: [render_html(r) for r in reports], repeat=1)
    cores = os.cpu_count() or 1
    folder_s = best_of(lambda: sum(1 for _ in parse_folder_jsonl(folder)), repeat=3)
    serial_s = best_of(lambda: sum(1 for _ in parse_folder_jsonl(folder, workers=1)), repeat=3)
    return [
        {
            "benchmark": f"parse + check {n} pages (text in memory), one core",
            "value": round(n / parse_s),
            "unit": "pages/s",
            "target": ">= 1500",
        },
        {
            "benchmark": f"`fiw parse DIR --jsonl` over {n} files, one process",
            "value": round(n / serial_s),
            "unit": "pages/s",
            "target": "-",
        },
        {
            "benchmark": f"`fiw parse DIR --jsonl`: the same, {cores} processes",
            "value": round(n / folder_s),
            "unit": "pages/s",
            "target": "faster than one process",
        },
        {
            "benchmark": "render page text, one core",
            "value": round(n / text_s),
            "unit": "pages/s",
            "target": "-",
        },
        {
            "benchmark": "render standalone HTML, one core",
            "value": round(n / html_s),
            "unit": "pages/s",
            "target": "-",
        },
    ]
