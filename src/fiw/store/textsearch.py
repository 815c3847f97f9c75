"""Full-text search of report narratives, the same on SQLite (FTS5) and PostgreSQL (tsvector).

Both engines index the words fiw's own tokenizer finds (runs of Unicode letters and digits,
case-folded) twice: as written, and as their stems (the Snowball English stemmer, the one
PostgreSQL's `english` configuration uses, run here in Python for both engines). Queries
are built from the same tokens, so a query matches the same paragraphs on either database.
A query is a list of terms, all of which must occur: a word, a "quoted phrase" (its words
adjacent, in order) or a prefix (`journalis*`). Words and phrases match any form with the
same stem ("shutdown" and "shutdowns", "protest" and "protesters" do not: their stems
differ); a prefix matches the words as written. A word with inner punctuation (`covid-19`,
`state's`) is read as the phrase of its words.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from fiw.errors import FiwError

WORD = re.compile(r"[^\W_]+")
TERM = re.compile(r'"([^"]*)"?(\*?)|(\S+)')
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
# Bounds on a query and on indexed words: PostgreSQL refuses a lexeme of 2,048 bytes or more
# (500 characters are at most 2,000 UTF-8 bytes), and a query's work grows with its words.
MAX_WORD_CHARS = 500
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 32
# A prefix's letters before `*`: "a*" or "th*" matches thousands of words (and most paragraphs)
# and costs a core for most of a second; three letters narrow it to what a reader means.
MIN_PREFIX_CHARS = 3


class SearchError(FiwError, ValueError):
    """A search query fiw cannot run (no words in it); the message says what was expected."""

    http_status = 422
    where = "q"


def words(text: str) -> list[str]:
    """The indexed words of a text: runs of letters and digits, case-folded (none longer
    than MAX_WORD_CHARS: no language has such words, and PostgreSQL could not index them)."""
    return [w.casefold() for w in WORD.findall(text) if len(w) <= MAX_WORD_CHARS]


_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps state while it works


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of a case-folded word ("shutdowns" -> "shutdown")."""
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """The stems of a text's indexed words, in order (one per word: phrases still match)."""
    return [stem(w) for w in words(text)]


@dataclass(frozen=True)
class Term:
    """One required part of a query: its words in order; `prefix` when the last one is the
    beginning of a word (matched as written; other terms match by stem)."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """What the index is searched for: the words as written for a prefix, else stems."""
        return self.words if self.prefix else tuple(stem(w) for w in self.words)


def parse_query(q: str) -> tuple[Term, ...]:
    """The terms of a query string; SearchError when it holds no word to look for, or more
    than the bounds allow (characters, words, a word's length, a prefix's letters)."""
    if len(q) > MAX_QUERY_CHARS:
        raise SearchError(f"q: expected at most {MAX_QUERY_CHARS:,} characters, got {len(q):,}")
    longest = max(WORD.findall(q), key=len, default="")
    if len(longest) > MAX_WORD_CHARS:
        raise SearchError(
            f"q: expected words of at most {MAX_WORD_CHARS} characters, got one of {len(longest):,}"
        )
    terms: list[Term] = []
    for match in TERM.finditer(q):
        quoted, star, bare = match.groups()
        if bare is not None:
            star = "*" if bare.endswith("*") else ""
            found = tuple(words(bare))
        else:
            found = tuple(words(quoted))
        if found and star and len(found[-1]) < MIN_PREFIX_CHARS:
            raise SearchError(
                f"q: expected at least {MIN_PREFIX_CHARS} letters before * in a prefix, got "
                f"{found[-1] + '*'!r}; search the whole word or a longer prefix"
            )
        if found:
            terms.append(Term(found, prefix=bool(star)))
    if sum(len(t.words) for t in terms) > MAX_QUERY_WORDS:
        raise SearchError(f"q: expected at most {MAX_QUERY_WORDS} words to search for")
    if not terms:
        raise SearchError(
            f"q = {q!r}: expected at least one word to search for (letters or digits)"
        )
    return tuple(dict.fromkeys(terms))


def fts5_match(terms: tuple[Term, ...]) -> str:
    """The FTS5 MATCH expression: each term a quoted phrase, of the `stems` column, or of the
    `terms` column (the words as written) for a prefix, which ends in `*`; ANDed."""
    return " AND ".join(
        f'{"terms" if t.prefix else "stems"} : "{" ".join(t.keys)}"{"*" if t.prefix else ""}'
        for t in terms
    )


def tsquery(terms: tuple[Term, ...], prefix: bool) -> str | None:
    """The PostgreSQL tsquery literal of the prefix terms (`prefix`, for the words' vector)
    or of the others (for the stems' vector): words of a term joined by `<->`, terms by
    `&`; None when there is no such term."""
    parts = []
    for term in terms:
        if term.prefix != prefix:
            continue
        lexemes = [f"'{w}'" for w in term.keys]
        if term.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts) or None


def _vector(tokens: list[str]) -> str:
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(tokens, start=1):
        positions.setdefault(token, []).append(min(i, MAX_POSITION))
    return " ".join(f"'{w}':{','.join(map(str, p[:256]))}" for w, p in positions.items())


def tsvector(text: str) -> str:
    """The PostgreSQL tsvector literal of a text: each word with its positions (from 1)."""
    return _vector(words(text))


def stem_tsvector(text: str) -> str:
    """The PostgreSQL tsvector literal of a text's stems, at the positions of their words."""
    return _vector(stems(text))


def fts5_terms(text: str) -> str:
    """What the FTS5 table's `terms` column indexes for a text: its words, space-separated."""
    return " ".join(words(text))


def fts5_stems(text: str) -> str:
    """What the FTS5 table's `stems` column indexes for a text: its stems, space-separated."""
    return " ".join(stems(text))


# --- snippets -------------------------------------------------------------------------------

Span = tuple[int, int]


def match_spans(text: str, terms: tuple[Term, ...]) -> list[Span]:
    """Character spans of `text` where a term occurs (as the index matched it)."""
    found = [(m.group().casefold(), m.start(), m.end()) for m in WORD.finditer(text)]
    spans: list[Span] = []
    for term in terms:
        n = len(term.words)
        keys = term.keys
        tokens = found if term.prefix else [(stem(w), s, e) for w, s, e in found]
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            head = all(window[k][0] == keys[k] for k in range(n - 1))
            last, want = window[-1][0], keys[-1]
            if head and (last.startswith(want) if term.prefix else last == want):
                spans.append((window[0][1], window[-1][2]))
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: tuple[Term, ...], width: int = 240) -> tuple[str, tuple[Span, ...]]:
    """About `width` characters of `text` around its first match, with the matches' spans in
    the snippet; an ellipsis marks a cut."""
    spans = match_spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start > 0:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and first - space < width // 2 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(lead) - start
    marks = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    )
    return lead + text[start:end] + tail, marks
