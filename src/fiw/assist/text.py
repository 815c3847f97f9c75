"""Narrative text as the assistant sees it: the answer removed, split into sentences, diffed.

The assistant exists to catch score changes that lack a note, so it must never read one:
`answer_free` cuts every "Score Change:" (or "Status Change:") note to the end of its paragraph
and drops any other sentence that states a score, in training and in use alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A change note runs from its label to the end of the paragraph (the corpus never continues a
# paragraph after one), so everything from the label on is cut.
_NOTE = re.compile(r"\b(?:score|status|rating|ratings)\s+change\s*:", re.IGNORECASE)
# Sentences that state a score: "the score declined from 2 to 1", "a score of 3", "3 out of 4",
# "scored 2", "2/4".
_STATES_SCORE = re.compile(
    r"\bscor(?:e|es|ed|ing)\b[^.]{0,80}?\bfrom\s+\d\s+to\s+\d"
    r"|\bscor(?:e|es|ed)\s+(?:of\s+|a\s+|at\s+)?\d\b"
    r"|\b\d\s*(?:out\s+of|/)\s*4\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def states_score(sentence: str) -> bool:
    """Whether a sentence states a score or carries a change note (the answer)."""
    return bool(_NOTE.search(sentence) or _STATES_SCORE.search(sentence))


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, split at ., ! or ? followed by a capital or a digit."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def answer_free(paragraphs: Iterable[str]) -> tuple[str, ...]:
    """The sentences of a narrative with every change note and score statement removed."""
    kept: list[str] = []
    for paragraph in paragraphs:
        note = _NOTE.search(paragraph)
        if note is not None:
            paragraph = paragraph[: note.start()]
        kept.extend(s for s in split_sentences(paragraph) if not states_score(s))
    return tuple(kept)


def _key(sentence: str) -> frozenset[str]:
    """A sentence's words, case-folded and with numbers (years, counts) made equal."""
    return frozenset(_WORD.findall(_DIGITS.sub("0", sentence.casefold())))


@dataclass(frozen=True)
class TextDiff:
    """What changed between last year's narrative and this year's, sentence by sentence."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    kept: int
    similarity: float  # word overlap (Jaccard) of the two narratives, 1.0 for identical text


def _matches(key: frozenset[str], others: Sequence[frozenset[str]], threshold: float) -> bool:
    for other in others:
        union = len(key | other)
        if union and len(key & other) / union >= threshold:
            return True
    return False


def diff(previous: Sequence[str], current: Sequence[str], threshold: float = 0.6) -> TextDiff:
    """Sentences added and removed; a sentence whose words mostly recur (Jaccard ≥ threshold,
    numbers ignored) in the other text counts as kept, so updated dates are not changes."""
    prev_keys = [_key(s) for s in previous]
    cur_keys = [_key(s) for s in current]
    added = tuple(
        s for s, k in zip(current, cur_keys, strict=True) if not _matches(k, prev_keys, threshold)
    )
    removed = tuple(
        s for s, k in zip(previous, prev_keys, strict=True) if not _matches(k, cur_keys, threshold)
    )
    words_prev = frozenset().union(*prev_keys) if prev_keys else frozenset()
    words_cur = frozenset().union(*cur_keys) if cur_keys else frozenset()
    union = len(words_prev | words_cur)
    similarity = len(words_prev & words_cur) / union if union else 1.0
    return TextDiff(added, removed, len(current) - len(added), similarity)
