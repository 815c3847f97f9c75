"""Marking the searched words in a narrative: `?hl=` on a page a search hit opens."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

MAX_WORDS = 8
# Endings dropped from a searched word so that its other forms are marked too (the search
# itself stems with the databases' own stemmers; this only needs to find the same words).
ENDINGS = ("ings", "ing", "ies", "es", "ed", "s")


def _stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def highlighter(hl: str | None) -> Callable[[str], Markup]:
    """A function that escapes a text and wraps every word starting with a stem of one of
    the words of `hl` in `<mark>`; plain escaping when `hl` has no word."""
    words = [w.casefold() for w in re.findall(r"\w+", hl or "") if len(w) > 1][:MAX_WORDS]
    if not words:
        return lambda text: Markup(escape(text))
    stems = sorted({_stem(w) for w in words}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)

    def mark(text: str) -> Markup:
        out: list[str] = []
        last = 0
        for m in pattern.finditer(text):
            out.append(str(escape(text[last : m.start()])))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            last = m.end()
        out.append(str(escape(text[last:])))
        return Markup("".join(out))

    return mark
