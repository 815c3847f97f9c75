"""Full-text search of the narratives: the same hits on SQLite (FTS5) and PostgreSQL
(tsvector), checked against a brute-force scan of the parsed corpus (the specification)."""

from __future__ import annotations

import os
import re
import threading
import time
from functools import cache

import pytest
import snowballstemmer

import fiw
from fiw.pages import Report, parse_file
from fiw.sources.countries import lookup_name
from fiw.store import search as store_search
from fiw.store.searchpool import SearchPool
from fiw.store.textsearch import SearchError, parse_query, snippet
from tests.reports_data import pages_dir, reports_url

__all__ = ["reports_url"]

Hit = tuple[str, int, str, int]  # country_id, edition, section, position


@cache
def kazakhstan() -> Report:
    return parse_file(pages_dir() / "2023" / "kazakhstan.txt")


@cache
def corpus_paragraphs() -> list[tuple[str, int, str, int, str, str | None]]:
    """(country id, edition, section, position, text, status) of every narrative paragraph."""
    out = []
    for path in sorted(pages_dir().glob("*/*.txt")):
        r = parse_file(path)
        assert r.edition is not None
        status = r.status.value if r.status else None
        sections = [(n.label, 0, n.text) for n in r.notes]
        sections += [("overview", 0, r.overview)] if r.overview else []
        sections += [("key_developments", i, t) for i, t in enumerate(r.key_developments)]
        for item in r.indicators:
            sections += [(item.code, i, t) for i, t in enumerate(item.paragraphs)]
        if r.add_q is not None:
            sections += [("Q", i, t) for i, t in enumerate(r.add_q.paragraphs)]
        country = lookup_name(r.country)
        assert country is not None, r.country
        out += [(country.id, r.edition, s, p, t, status) for s, p, t in sections if t.strip()]
    return out


STEMMER = snowballstemmer.stemmer("english")


@cache
def corpus_tokens() -> list[tuple[tuple[str, int, str, int], list[str], list[str]]]:
    """Each paragraph's key, lower-cased words and their Snowball English stems (each
    distinct word stemmed once)."""
    stems: dict[str, str] = {}
    out = []
    for name, edition, section, position, text, _ in corpus_paragraphs():
        tokens = [w.lower() for w in re.findall(r"[^\W_]+", text)]
        for w in tokens:
            if w not in stems:
                stems[w] = STEMMER.stemWord(w)
        out.append(((name, edition, section, position), tokens, [stems[w] for w in tokens]))
    return out


def brute_force(phrase: list[str], prefix: bool = False) -> set[tuple[str, int, str, int]]:
    """Paragraphs whose lower-cased words contain `phrase` consecutively, by Snowball English
    stem unless `prefix` (where the last word is the beginning of one): an independent scan."""
    found = set()
    if not prefix:
        phrase = STEMMER.stemWords(phrase)
    for key, words, stemmed in corpus_tokens():
        tokens = words if prefix else stemmed
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            head = tokens[i : i + n - 1] == phrase[:-1]
            last = tokens[i + n - 1]
            if head and (last.startswith(phrase[-1]) if prefix else last == phrase[-1]):
                found.add(key)
                break
    return found


def rarest_word(text: str) -> str:
    """The longest word of a text: likely rare, and certainly in it."""
    return max(re.findall(r"[^\W_]+", text), key=len)


def hits_as_keys(url: str, q: str, **filters: object) -> set[tuple[str, int, str, int]]:
    hits = fiw.open(url).search(q, limit=100_000, **filters)  # type: ignore[arg-type]
    return {(h.country_id, h.edition, h.indicator, h.position) for h in hits}


def test_search_finds_a_word_of_a_page_narrative(reports_url: str) -> None:
    paragraph = kazakhstan().indicator("B2").paragraphs[0]
    word = rarest_word(paragraph)
    hits = fiw.open(reports_url).search(word, edition=2023, indicator="B2", limit=500)
    assert ("kazakhstan", 2023, "B2") in {(h.country_id, h.edition, h.indicator) for h in hits}
    hit = next(h for h in hits if h.country_id == "kazakhstan")
    assert hit.marks
    assert all(hit.snippet[s:e].lower() == word.lower() for s, e in hit.marks)
    assert hit.name == "Kazakhstan" and hit.region == "Eurasia" and hit.status == "Not Free"


@pytest.mark.parametrize("which", ["word", "phrase", "prefix", "two words"])
def test_search_hits_equal_a_brute_force_scan(reports_url: str, which: str) -> None:
    text = kazakhstan().overview
    tokens = [w.lower() for w in re.findall(r"[^\W_]+", text)]
    longest = rarest_word(text).lower()
    if which == "word":
        q, expected = longest, brute_force([longest])
    elif which == "phrase":
        q, expected = f'"{" ".join(tokens[3:6])}"', brute_force(tokens[3:6])
    elif which == "prefix":
        q, expected = longest[:5] + "*", brute_force([longest[:5]], prefix=True)
    else:
        q = f"{tokens[0]} {longest}"
        expected = brute_force([tokens[0]]) & brute_force([longest])
    assert expected, q
    assert hits_as_keys(reports_url, q) == expected


def test_word_forms_match_each_other(reports_url: str) -> None:
    singular = hits_as_keys(reports_url, '"internet shutdown"')
    plural = hits_as_keys(reports_url, '"internet shutdowns"')
    assert singular and singular == plural == brute_force(["internet", "shutdowns"])
    assert hits_as_keys(reports_url, "internet shutdowns") >= plural
    # a prefix still reads the words as written: "shutdown*" finds "shutdowns" too
    assert hits_as_keys(reports_url, "shutdown*") >= hits_as_keys(reports_url, "shutdowns")
    ds = fiw.open(reports_url)
    hit = ds.search('"internet shutdowns"', limit=1)[0]
    assert hit.snippet[hit.marks[0][0] : hit.marks[0][1]].lower().startswith("internet shutdown")


def test_filters_narrow_the_hits(reports_url: str) -> None:
    ds = fiw.open(reports_url)
    everything = ds.search("election", limit=100_000)
    scores = ds.scores(edition=[2019, 2020])
    columns = (scores["country_id"], scores["edition"], scores["region"])
    region = {(c, e): r for c, e, r in zip(*columns, strict=True)}
    hits = ds.search("election", edition=2020, region="Africa", status="PF", indicator="A1",
                     limit=100_000)  # fmt: skip
    assert hits and len(hits) < len(everything)
    for h in hits:
        assert (h.edition, h.region, h.status, h.indicator) == (2020, "Africa", "Partly Free", "A1")
        assert region[h.country_id, h.edition] == "Africa"
    both = ds.search("election", edition=[2019, 2020], limit=100_000)
    assert {h.edition for h in both} == {2019, 2020}
    assert ds.search("election", region="Nowhere") == []


def test_hits_come_newest_edition_first_then_by_country(reports_url: str) -> None:
    hits = fiw.open(reports_url).search("press", limit=300)
    keys = [(-h.edition, h.country_id) for h in hits]
    assert keys == sorted(keys)
    assert len(hits) == 300
    page_two = fiw.open(reports_url).search("press", limit=10, offset=10)
    assert page_two == hits[10:20]


def test_a_query_without_words_is_refused(reports_url: str) -> None:
    with pytest.raises(SearchError, match="at least one word"):
        fiw.open(reports_url).search(" !!! ")


def test_a_prefix_needs_three_letters(reports_url: str) -> None:
    """`a*` or `th*` matched most paragraphs and kept a core busy for most of a second."""
    for q in ("a*", "press th*", '"freedom of" as*'):
        with pytest.raises(SearchError, match=r"at least 3 letters before \*"):
            fiw.open(reports_url).search(q)
    assert fiw.open(reports_url).search("the*", limit=1)


def test_a_search_past_its_time_is_stopped(
    reports_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_search, "MAX_SECONDS", 0.001)
    broad = " ".join(["con*", "the*", "pro*", "for*", "and*", "pol*", "par*", "gov*"] * 4)
    with pytest.raises(SearchError, match=r"took longer than 0\.001 s"):
        fiw.open(reports_url).search(broad)


def test_the_search_worker_finds_what_the_library_finds(reports_url: str) -> None:
    """`fiw serve` runs searches in a worker process at the lowest priority: same hits."""
    pool = SearchPool()
    try:
        worker = pool.start()
        if hasattr(os, "SCHED_IDLE"):
            assert os.sched_getscheduler(worker) == os.SCHED_IDLE
        ds = fiw.open(reports_url)
        for q in ('"freedom of assembly" protest*', "journalists"):
            assert pool.search(ds, q, edition=2023, limit=80) == ds.search(
                q, edition=2023, limit=80
            )
        with pytest.raises(SearchError, match="at least one word"):
            pool.search(ds, "!!!")
    finally:
        pool.close()


def test_the_search_worker_outlives_the_thread_that_started_it() -> None:
    """A server's first search may come from a thread pool's thread, which ends when idle;
    PR_SET_PDEATHSIG kills a child when the *thread* that started it ends, so the worker
    watches its parent process instead and stays."""
    pool = SearchPool()
    try:
        started: list[int] = []
        thread = threading.Thread(target=lambda: started.append(pool.start()))
        thread.start()
        thread.join(timeout=60)
        time.sleep(1.0)
        assert started and pool.start() == started[0]
    finally:
        pool.close()


def test_query_parsing_reads_words_phrases_and_prefixes() -> None:
    terms = parse_query('Journalists "Freedom of  Assembly" elect* covid-19 "unclosed')
    assert [(t.words, t.prefix) for t in terms] == [
        (("journalists",), False),
        (("freedom", "of", "assembly"), False),
        (("elect",), True),
        (("covid", "19"), False),
        (("unclosed",), False),
    ]


def test_snippet_marks_every_match_inside_it() -> None:
    text = "Alpha beta gamma. " * 40 + "The Needle sits here, and needles too. " + "Delta. " * 40
    shown, marks = snippet(text, parse_query("needle*"))
    assert shown.startswith("…") and shown.endswith("…")
    assert [shown[s:e] for s, e in marks] == ["Needle", "needles"]
    assert len(shown) < 260
