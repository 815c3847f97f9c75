"""Narratives are Markdown written by users: rendered to HTML by markdown-it-py (raw HTML off)
and cleaned by nh3 (an allow-list), so that no script, event handler or `javascript:` link
survives; or reduced to plain text for the page shape and the store's report."""

from __future__ import annotations

import html
import re
from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_SCRIPT_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|livescript)\s*:")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def markdown_html(text: str) -> str:
    """Safe HTML for a narrative's Markdown."""
    rendered = _markdown().render(text)
    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(text: str) -> str:
    """A narrative as plain text: any HTML removed (scripts with their content), entities
    decoded, and `javascript:` scheme prefixes broken so no link can be made from it."""
    cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}))
    return _defang(cleaned)


def _defang(text: str) -> str:
    return _SCRIPT_SCHEME.sub(lambda m: f"{m.group(1)} :", text)


def paragraphs(text: str) -> list[str]:
    """Plain-text paragraphs of a narrative (blank lines separate them)."""
    return [" ".join(p.split()) for p in plain_text(text).split("\n\n") if p.strip()]
