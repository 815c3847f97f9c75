"""Reports back to pages: the scraped-text shape (so parse(render(r)) == r), Markdown and HTML.

The text form follows the edition's layout: the 2024+ header (name line, total on two lines,
new disclaimer), and Q in its 2018–2019, 2020 or 2021+ form.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from fiw.methodology import AGGREGATE_MAX, DISCRETIONARY_RANGE, TOTAL_MAX, Status
from fiw.pages.layout import (
    LAST_YEAR,
    NEW_DISCLAIMER,
    OLD_DISCLAIMER,
    Q_TITLE,
    SEE_ALL,
    TERRITORY_MARK,
    categories,
    indicator_line,
)
from fiw.pages.model import Report, Standing

Format = Literal["text", "md", "html"]
FORMATS: tuple[str, ...] = ("text", "md", "html")
NEW_HEADER_EDITION = 2024


def _artifact(value: int) -> str:
    return f"{value}.00{value}"


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def _standing_line(standing: Standing, lower: bool = False) -> str:
    status = standing.status.value.lower() if lower else standing.status.value
    return f"{standing.total} {TOTAL_MAX} {status}"


def render_text(report: Report) -> str:
    """The page in the scraped-text shape that `parse_page` reads back to the same report."""
    edition = report.edition
    new = edition is not None and edition >= NEW_HEADER_EDITION
    out: list[str] = []
    add = out.append
    if new:
        add(report.country + ("*" if report.territory else ""))
        add("")
    if report.status is not None and report.status is not Status.FREE:
        add(report.status.value)
    if new:
        add(str(report.total))
        add(str(TOTAL_MAX))
    add(f"PR Political Rights {report.pr} {AGGREGATE_MAX['PR']}")
    add(f"CL Civil Liberties {report.cl} {AGGREGATE_MAX['CL']}")
    if report.last_year is not None:
        add(LAST_YEAR)
        add(_standing_line(report.last_year))
    add(NEW_DISCLAIMER.replace("'", "’") if new else OLD_DISCLAIMER)
    if report.territory:
        add(TERRITORY_MARK)
    add("")
    blocks = 0

    def block(label: str, paragraphs: list[str]) -> None:
        nonlocal blocks
        blocks += 1
        add(f"header{blocks} {label}")
        add("")
        for para in paragraphs:
            add(para)
            add("")

    for note in report.notes:
        block(note.label, _paragraphs(note.text))
    block("Overview", _paragraphs(report.overview))
    if edition is not None:
        block(f"Key Developments in {edition - 1}", [])
        if report.key_developments:
            for bullet in report.key_developments:
                add(f"  • {bullet}")
            add("")
    add("PR Political Rights")
    add("")
    indicators = {i.code: i for i in report.indicators}
    for code, name, codes in categories():
        if code == "D":
            _render_q(report, add)
            add("CL Civil Liberties")
            add("")
        add(f"{code} {name}")
        add("")
        for c in codes:
            item = indicators[c]
            add(indicator_line(c))
            add(f"{item.question} {_artifact(item.score)} {_artifact(item.max)}")
            add("")
            for para in item.paragraphs:
                add(para)
                add("")
    add(f"On {report.country}")
    add("")
    add(SEE_ALL)
    add("")
    if report.site_latest is not None or report.internet_freedom is not None:
        add("See More")
    for label, standing in (
        ("Global Freedom Score", report.site_latest),
        ("Internet Freedom Score", report.internet_freedom),
    ):
        if standing is not None:
            add(f"  • {label}")
            add("")
            add("    " + _standing_line(standing, lower=True))
    return "\n".join(out) + "\n"


def _render_q(report: Report, add: Callable[[str], None]) -> None:
    q = report.add_q
    if q is None:
        return
    edition = report.edition or 9999
    if edition <= 2019:
        add(f"Add Q {Q_TITLE} {_artifact(q.score)}")
        add(f"{q.question} {str(q.score).replace('-', '−')} / {-DISCRETIONARY_RANGE['Q'][0]}")
    elif edition == 2020:
        add(Q_TITLE)
        add(f"{q.question} {_artifact(q.score)}")
    else:
        add("Add Q")
        add(f"{q.question} {_artifact(q.score)}")
    add("")
    for para in q.paragraphs:
        add(para)
        add("")


def _markdown_text(value: object) -> object:
    """Page text made inert in Markdown: `<`, `>` and `&` escaped, so raw HTML stays text."""
    if isinstance(value, (int, float)):
        return value
    return html.escape(str(value), quote=False)


@cache
def _environment(markdown: bool = False) -> Environment:
    """Jinja for the templates: HTML autoescaped; Markdown with every value HTML-escaped."""
    env = Environment(
        loader=PackageLoader("fiw.pages", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_markdown_text if markdown else None,
    )
    env.filters["paragraphs"] = _paragraphs
    return env


def _context(report: Report) -> dict[str, object]:
    indicators = {i.code: i for i in report.indicators}
    sections = []
    subtotals = {}
    for code, name, codes in categories():
        items = [indicators[c] for c in codes]
        subtotals[code] = sum(i.score for i in items)
        sections.append(
            {
                "code": code,
                "name": name,
                "items": items,
                "score": subtotals[code],
                "max": sum(i.max for i in items),
            }
        )
    title = f"{report.country}: Freedom in the World"
    if report.edition is not None:
        title += f" {report.edition}"
    return {
        "r": report,
        "title": title,
        "pr_sections": sections[:3],
        "cl_sections": sections[3:],
        "status": report.status.value if report.status else "unknown",
        "total_max": TOTAL_MAX,
        "pr_max": AGGREGATE_MAX["PR"],
        "cl_max": AGGREGATE_MAX["CL"],
    }


def render_markdown(report: Report) -> str:
    """The report as Markdown: header figures, blocks, and each indicator under its heading."""
    return _environment(markdown=True).get_template("report.md").render(_context(report))


def render_html(report: Report) -> str:
    """A standalone, accessible and printable HTML page of the report (styles inline)."""
    return _environment().get_template("report.html").render(_context(report))


def render(report: Report, fmt: str = "text") -> str:
    """The report in `fmt`: "text" (the page shape), "md" or "html"."""
    if fmt == "text":
        return render_text(report)
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
