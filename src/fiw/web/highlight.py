"""Marking the searched words in a narrative: `?hl=` on the page a search hit opens."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from fiw.store.textsearch import SearchError, match_spans, parse_query

MAX_LENGTH = 200  # of the `hl` parameter read


def highlighter(hl: str | None) -> Callable[[str], Markup]:
    """A function that escapes a text and wraps in `<mark>` every place the search `hl`
    matches it (the search's own reading: stems for words and phrases, prefixes as written);
    plain escaping when `hl` has no word."""
    try:
        terms = parse_query((hl or "")[:MAX_LENGTH])
    except SearchError:
        return lambda text: Markup(escape(text))

    def mark(text: str) -> Markup:
        out: list[str] = []
        last = 0
        for start, end in match_spans(text, terms):
            out.append(str(escape(text[last:start])))
            out.append(f"<mark>{escape(text[start:end])}</mark>")
            last = end
        out.append(str(escape(text[last:])))
        return Markup("".join(out))

    return mark
