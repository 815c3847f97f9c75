"""A draft or published assessment as a page: the seed's text shape (a fiw.pages Report
rendered by fiw.pages.render, so `fiw parse` reads it back to the same scores), Markdown,
HTML and PDF (WeasyPrint). Narratives are data: plain text (HTML removed) in the text and
Markdown pages, Markdown rendered through the sanitiser in HTML and PDF."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from fiw.methodology import Status
from fiw.methodology.vocabulary import DISCRETIONARY, INDICATOR_MAX
from fiw.pages import score_change
from fiw.pages.layout import categories
from fiw.pages.model import AddQ, Indicator, Note, Report, ScoreChange, Standing
from fiw.pages.render import render
from fiw.workbench.content import DraftContent, Q, question
from fiw.workbench.errors import WorkbenchError
from fiw.workbench.sanitize import markdown_html, paragraphs, plain_text

FORMATS = {
    "text": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def change_sentence(before: int, after: int, reason: str) -> str:
    """The body of a `Score Change:` paragraph, in the published pages' wording."""
    verb = "improved" if after > before else "declined"
    why = " ".join(plain_text(reason).split())
    if not why.casefold().startswith(("because", "due to", "after", "as ")):
        why = f"because {why}"
    return f"The score {verb} from {before} to {after} {why}"


def _change(code: str, content: DraftContent, previous: DraftContent | None) -> ScoreChange | None:
    if previous is None or content.value(code) == previous.value(code):
        return None
    reason = content.reasons.get(code, "")
    return ScoreChange(previous.value(code), content.value(code), reason)


def to_report(
    draft: dict[str, Any], content: DraftContent, previous: DraftContent | None
) -> Report:
    """The fiw.pages Report of a draft (`draft` is the API's view of it)."""
    edition = int(draft["edition"])
    result = draft["result"]
    if result is None:
        raise WorkbenchError("the draft's scores are incomplete: it cannot be exported yet")
    indicators = []
    for code in INDICATOR_MAX:
        change = _change(code, content, previous)
        paras = paragraphs(content.narratives.get(code, ""))
        if change is not None:
            paras.append(
                "Score Change: "
                + change_sentence(change.from_score, change.to_score, change.reason)
            )
        indicators.append(
            Indicator(
                code=code,
                question=question(code, edition),
                score=content.scores[code],
                max=INDICATOR_MAX[code],
                paragraphs=tuple(paras),
                score_change=None if change is None else score_change(paras[-1]),
            )
        )
    add_q = None
    if Q in DISCRETIONARY:
        q_paras = paragraphs(content.narratives.get(Q, ""))
        q_change = _change(Q, content, previous)
        if q_change is not None:
            q_paras.append(
                "Score Change: "
                + change_sentence(q_change.from_score, q_change.to_score, q_change.reason)
            )
        add_q = AddQ(question=question(Q, edition), score=-content.q, paragraphs=tuple(q_paras))
    prev = draft.get("previous")
    last_year = None
    if prev and prev.get("result"):
        last_year = Standing(prev["result"]["total"], Status(prev["result"]["status"]))
    return Report(
        country=draft["name"],
        edition=edition,
        territory=draft["kind"] == "territory",
        status=Status(result["status"]),
        pr=result["pr"],
        cl=result["cl"],
        total=result["total"],
        last_year=last_year,
        notes=tuple(Note(n.label, "\n\n".join(paragraphs(n.text))) for n in content.notes),
        overview="\n\n".join(paragraphs(content.overview)),
        key_developments=tuple(
            " ".join(plain_text(k).split()) for k in content.key_developments if k.strip()
        ),
        indicators=tuple(indicators),
        add_q=add_q,
        site_latest=None,
        internet_freedom=None,
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("fiw.workbench", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _html(report: Report, draft: dict[str, Any], content: DraftContent) -> str:
    by_code = {i.code: i for i in report.indicators}
    sections = []
    for code, name, codes in categories():
        items = []
        for c in codes:
            item = by_code[c]
            change = item.paragraphs[-1].removeprefix("Score Change: ") if item.score_change else ""
            items.append(
                {
                    "code": c,
                    "question": item.question,
                    "score": item.score,
                    "max": item.max,
                    "html": Markup(markdown_html(content.narratives.get(c, ""))),
                    "reason": bool(change),
                    "change": change,
                }
            )
        sections.append(
            {
                "code": code,
                "name": name,
                "items": items,
                "score": sum(item.score for item in report.indicators if item.code in codes),
                "max": sum(INDICATOR_MAX[c] for c in codes),
            }
        )
    q = None
    if report.add_q is not None:
        last = report.add_q.paragraphs[-1] if report.add_q.paragraphs else ""
        change = last.removeprefix("Score Change: ") if last.startswith("Score Change: ") else ""
        q = {
            "question": report.add_q.question,
            "score": content.q,
            "html": Markup(markdown_html(content.narratives.get(Q, ""))),
            "reason": bool(change),
            "change": change,
        }
    published = draft.get("published")
    provenance = (
        f"Authored in fiw: {draft['country_id']} {draft['edition']}, revision {draft['revision']}"
        + (
            f", approved by {published['approver']}, published {published['published_at']}"
            if published
            else ""
        )
    )
    return (
        _environment()
        .get_template("assessment.html")
        .render(
            title=f"{report.country}: Freedom in the World {report.edition}",
            r=report,
            status=report.status.value if report.status else "",
            state=draft["state"],
            revision=draft["revision"],
            sections=sections,
            q=q,
            provenance=provenance,
            overview=Markup(markdown_html(content.overview)),
            notes=[
                {"label": n.label, "html": Markup(markdown_html(n.text))} for n in content.notes
            ],
        )
    )


def export(
    draft: dict[str, Any], content: DraftContent, previous: DraftContent | None, fmt: str
) -> tuple[bytes, str]:
    """The draft as `fmt` (text, md, html or pdf): the bytes and their media type."""
    if fmt not in FORMATS:
        raise WorkbenchError(
            f"format {fmt!r}: expected one of {', '.join(FORMATS)}", where="format"
        )
    report = to_report(draft, content, previous)
    if fmt in ("text", "md"):
        return render(report, fmt).encode(), FORMATS[fmt]
    page = _html(report, draft, content)
    if fmt == "html":
        return page.encode(), FORMATS[fmt]
    from weasyprint import HTML

    return HTML(string=page).write_pdf(), FORMATS[fmt]
