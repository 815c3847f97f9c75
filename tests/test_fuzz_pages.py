"""Fuzzing in `make test`: 2,000 mutants of the corpus pages (fixed seed) and a sample
through `fiw parse`; `make fuzz` runs 10,000 (tests/fuzz_pages.py)."""

from __future__ import annotations

from tests.fuzz_pages import MUTATORS, fuzz, table


def test_mutated_pages_are_reported_refused_or_unchanged_never_a_crash() -> None:
    tally = fuzz(2_000, seed=11, cli_sample=40, cli_singles=6)
    assert not tally.failures, table(tally) + "\n" + "\n".join(tally.failures[:20])
    for kind in MUTATORS:
        assert sum(n for (k, _), n in tally.outcomes.items() if k == kind) == 200, kind
    for kind in ("score", "maximum", "swap-questions", "header-figure", "status"):
        assert tally.outcomes[(kind, "clean")] == 0, table(tally)
    assert tally.outcomes[("cli", "runs")] == 6 * 2 + 2
