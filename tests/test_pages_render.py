"""Rendering reports back to pages, and the JSON shape: round trips over the whole corpus."""

from __future__ import annotations

import dataclasses
import itertools
from html.parser import HTMLParser

import pytest

from fiw.pages import (
    Report,
    ReportFormatError,
    parse_file,
    parse_page,
    report_from_json,
    report_to_json,
)
from fiw.pages.render import render, render_html, render_markdown, render_text
from tests.pages_corpus import corpus, shared


def seed() -> Report:
    return parse_file(shared("seed", "kazakhstan-2023.txt"))


def test_parse_of_render_is_the_same_report_for_every_page() -> None:
    bad = []
    for page in corpus():
        again = parse_page(render_text(page.report))
        if again != page.report:
            diff = [
                f.name
                for f in dataclasses.fields(Report)
                if getattr(again, f.name) != getattr(page.report, f.name)
            ]
            bad.append(f"{page.path}: {diff}")
    assert not bad, "\n".join(bad[:10])


def test_rendered_seed_reads_like_the_published_page() -> None:
    text = shared("seed", "kazakhstan-2023.txt").read_text(encoding="utf-8")
    assert render_text(seed()).rstrip("\n") == text.rstrip("\n")


def test_json_round_trip_for_every_page() -> None:
    bad = [p.path for p in corpus() if report_from_json(report_to_json(p.report)) != p.report]
    assert not bad


def test_json_shape_of_the_seed() -> None:
    data = report_to_json(seed())
    assert list(data) == [
        "country",
        "edition",
        "territory",
        "status",
        "pr",
        "cl",
        "total",
        "last_year",
        "notes",
        "overview",
        "key_developments",
        "indicators",
        "add_q",
        "site_latest",
        "internet_freedom",
        "problems",
    ]
    assert data["last_year"] == {"total": 23, "status": "Not Free"}
    assert data["internet_freedom"] == {"total": 34, "status": "Not Free"}
    assert data["add_q"] is None and data["notes"] == {} and data["problems"] == []
    a1 = data["indicators"]["A1"]
    assert list(a1) == ["question", "score", "max", "paragraphs", "score_change"]
    assert (a1["score"], a1["max"], len(a1["paragraphs"]), a1["score_change"]) == (0, 4, 2, None)


def test_json_of_q_and_score_change() -> None:
    page = next(p for p in corpus() if p.path.name == "2024-territory.txt")
    assert report_to_json(page.report)["add_q"]["score"] == -3
    changed = next(p.report for p in corpus() if any(i.score_change for i in p.report.indicators))
    item = next(i for i in changed.indicators if i.score_change)
    shape = report_to_json(changed)["indicators"][item.code]["score_change"]
    assert list(shape) == ["from", "to", "reason"]


def test_bad_json_names_the_field() -> None:
    data = report_to_json(seed())
    data["indicators"]["B2"]["score"] = "two"
    with pytest.raises(ReportFormatError, match=r"indicators\.B2\.score"):
        report_from_json(data)
    del data["indicators"]["G4"]
    with pytest.raises(ReportFormatError, match="G4"):
        report_from_json(data)


def test_markdown_has_headings_for_every_indicator() -> None:
    md = render_markdown(seed())
    assert md.startswith("# Kazakhstan: Freedom in the World 2023\n")
    assert "| **Status** | Not Free | |" in md
    for item in seed().indicators:
        assert f"#### {item.code}. {item.question} **{item.score} / 4**" in md
    assert "## Key Developments in 2022" in md


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_standalone_accessible_and_printable() -> None:
    page = render_html(seed())
    outline = _Outline()
    outline.feed(page)
    tags = [t for t, _ in outline.tags]
    assert outline.tags[0] == ("html", {"lang": "en"})
    assert tags.count("h1") == 1 and "main" in tags and "caption" in tags
    assert not [a for t, a in outline.tags if t in ("link", "script")]  # standalone
    levels = [int(t[1]) for t in tags if t in ("h1", "h2", "h3", "h4")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert all(a.get("scope") for t, a in outline.tags if t == "th")
    assert "@media print" in page
    assert tags.count("article") == 25
    assert "Kazakhstan" in page and "&lt;" not in render_html(seed()).split("<style>")[0]


def test_html_escapes_text() -> None:
    report = dataclasses.replace(seed(), overview="<script>alert(1)</script>")
    assert "<script>alert" not in render_html(report)


def test_render_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="text, md, html"):
        render(seed(), "pdf")
