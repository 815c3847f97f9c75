"""The fixed lines of a country page and the tokens in them, shared by the reader and renderer.

Labels and headings come from the methodology data where it has them (subcategory names,
maxima); the rest is the published pages' own wording.
"""

from __future__ import annotations

import re
from functools import cache

from fiw.methodology import AGGREGATE_MAX, INDICATOR_MAX, INDICATOR_MIN, Status, load_index
from fiw.pages.model import ScoreChange

FIRST_EDITION = 2018
SEE_ALL = "See all data, scores & information on this country or territory."
OLD_DISCLAIMER = "Global freedom statuses are calculated on a weighted scale. See the methodology."
NEW_DISCLAIMER = (
    "A country or territory's Freedom in the World status depends on its aggregate Political "
    f"Rights score, on a scale of 0–{AGGREGATE_MAX['PR']}, and its aggregate Civil Liberties "
    f"score, on a scale of 0–{AGGREGATE_MAX['CL']}. See the methodology."
)
TERRITORY_MARK = "* Indicates a territory as opposed to an independent country."
LAST_YEAR = "Last Year's Score & Status"
Q_TITLE = "ADDITIONAL DISCRETIONARY POLITICAL RIGHTS QUESTION"
STATUSES = {s.value.casefold(): s for s in Status}
FIGURE_LINE = {
    "PR": f"'PR Political Rights SCORE {AGGREGATE_MAX['PR']}'",
    "CL": f"'CL Civil Liberties SCORE {AGGREGATE_MAX['CL']}'",
}
MINUS = str.maketrans({"−": "-", "–": "-", "\xa0": " "})
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CHANGE = re.compile(r"(?:from\s+)?([-−–]?\d)\s*to\s*([-−–]?\d)(?![\d.])")


@cache
def categories() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(code, name, indicator codes) for A … G, from the methodology data."""
    index = load_index("fiw")
    return tuple(
        (
            c.code,
            c.name,
            tuple(i.code for i in index.indicators if i.category == c.code),
        )
        for c in index.categories
    )


@cache
def headings() -> frozenset[str]:
    return frozenset(f"{code} {name}" for code, name, _ in categories())


def indicator_line(code: str) -> str:
    """The line that opens an indicator, with its range from the methodology."""
    low, top = INDICATOR_MIN[code], INDICATOR_MAX[code]
    return f"{code} 1.00-{top}.00 pts{low}-{top} pts"


def line_key(line: str) -> str:
    """A structural line normalised: NBSP, doubled spaces and curly apostrophes tolerated."""
    return " ".join(line.replace("\xa0", " ").replace("’", "'").replace("‘", "'").split())


def artifact(token: str) -> int | None:
    """The number in a score artifact: '1.001' -> 1, '-3.00-3' -> -3; None if not one."""
    token = token.translate(MINUS)
    left, sep, right = token.partition(".00")
    if not sep or left != right:
        return None
    try:
        return int(left)
    except ValueError:
        return None


def integer(text: str) -> int | None:
    try:
        return int(text.translate(MINUS))
    except ValueError:
        return None


def is_block(key: str) -> bool:
    """`header3 Overview`: a block line (the number is ignored)."""
    if not key.startswith("header"):
        return False
    number, _, label = key[6:].partition(" ")
    return number.isdigit() and bool(label)


def score_change(paragraph: str) -> ScoreChange | None:
    """A `Score Change:` paragraph's from, to and reason, when its numbers can be read."""
    if paragraph[:13].casefold() != "score change:":
        return None
    text = paragraph[13:].strip()
    m = _CHANGE.search(text, 0, 80)
    if m is None:
        return None
    frm, to = integer(m.group(1)), integer(m.group(2))
    if frm is None or to is None:
        return None
    return ScoreChange(frm, to, text[m.end() :].strip())
