"""`Suggestion`, the assistant's reading of one cell: one type from the model to the CLI's
`--json` and the API (pydantic serialises the dataclass itself; no mirror in the web app).
Kept apart from the model so that the web app can name it without loading scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, PlainSerializer

from fiw.analysis.shape import Hidden, json_of

Probability = Annotated[float, PlainSerializer(lambda p: round(p, 4), return_type=float)]
"""A probability, kept exact in Python and written with four decimals in the JSON."""


@dataclass(frozen=True)
class Suggestion:
    """The assistant's reading of one cell. Pydantic serialises it as it is (`to_json`): the
    JSON of `fiw assist check --json` and of `/api/v1/assist/…` (no `previous`)."""

    country_id: str
    country: str
    edition: int
    indicator: Annotated[str, Field(description="indicator code")]
    score: Annotated[int | None, Field(description="the published (or given) score; null if none")]
    suggested: Annotated[int, Field(description="the most probable score")]
    probabilities: Annotated[
        tuple[Probability, ...], Field(description="P(score = 0) … P(score = 4), four decimals")
    ]
    direction: Annotated[str, Field(description="where the text points: up, down or none")]
    suspicion: Annotated[
        Probability | None, Field(description="1 − P(published score): how little text supports it")
    ]
    sentences: Annotated[tuple[str, ...], Field(description="the sentences that weighed most")]
    previous: Annotated[int | None, Hidden] = None  # last edition's score, for Python callers

    def to_json(self) -> dict[str, Any]:
        """The one JSON shape (pydantic, as the API answers it)."""
        return dict(json_of(self))
