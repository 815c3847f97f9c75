"""Parsing country report pages: the seed, the corpus, variants, refusals, tolerance, fuzzing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiw.methodology import Status
from fiw.pages import (
    ParseError,
    RefusedPage,
    Report,
    ScoreChange,
    parse_file,
    parse_page,
    remarks,
    score_change,
)
from fiw.sources.all_data import read_all_data
from tests.pages_corpus import corpus, shared


def seed_text() -> str:
    return shared("seed", "kazakhstan-2023.txt").read_text(encoding="utf-8")


def seed() -> Report:
    return parse_file(shared("seed", "kazakhstan-2023.txt"))


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text, f"the seed no longer contains {old!r}"
    return text.replace(old, new, 1)


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


# --- the seed ------------------------------------------------------------------------------


def test_seed_header_figures() -> None:
    r = seed()
    assert (r.country, r.edition, r.territory) == ("Kazakhstan", 2023, False)
    assert (r.pr, r.cl, r.total, r.status) == (5, 18, 23, Status.NOT_FREE)
    assert r.last_year is not None
    assert (r.last_year.total, r.last_year.status) == (23, Status.NOT_FREE)
    assert r.internet_freedom is not None
    assert (r.internet_freedom.total, r.internet_freedom.status) == (34, Status.NOT_FREE)
    assert r.site_latest is not None and r.site_latest.total == 23
    assert len(r.key_developments) == 3
    assert r.key_developments[0].startswith("In January, nationwide peaceful protests")
    assert r.notes == () and r.add_q is None and r.q == 0
    assert r.problems == ()


def test_seed_scores_match_the_workbook() -> None:
    book = read_all_data(shared("data", "fiw", "All_data_FIW_2013-2024.xlsx"))
    row = next(x for x in book.records if x.name == "Kazakhstan" and x.edition == 2023)
    r = seed()
    assert [i.code for i in r.indicators] == list(row.scores)
    assert r.scores == dict(row.scores)
    assert r.indicator("A1").max == 4
    assert r.indicator("A1").question.startswith("Was the current head of government")
    assert len(r.indicator("A1").paragraphs) == 2


# --- the corpus ----------------------------------------------------------------------------


def _mismatches(check: str) -> list[str]:
    bad = []
    for page in corpus():
        exp, r = page.expected, page.report
        name = f"{page.path.parent.name}/{page.path.name}"
        if check == "header":
            got = {
                "country": r.country,
                "edition": r.edition,
                "territory": r.territory,
                "status": r.status.value if r.status else None,
                "pr": r.pr,
                "cl": r.cl,
                "total": r.total,
                "last_year": r.last_year
                and {"total": r.last_year.total, "status": r.last_year.status.value},
                "site_latest": r.site_latest
                and {"total": r.site_latest.total, "status": r.site_latest.status.value},
                "internet_freedom": r.internet_freedom
                and {"total": r.internet_freedom.total, "status": r.internet_freedom.status.value},
                "add_q": r.add_q.score if r.add_q else None,
                "pre_blocks": [n.label for n in r.notes],
                "key_developments": len(r.key_developments),
            }
            diff = {k: (v, exp[k]) for k, v in got.items() if v != exp[k]}
            if diff:
                bad.append(f"{name}: {diff}")
        elif check == "text":
            if not r.overview.startswith(exp["overview_first"]):
                bad.append(f"{name}: overview {r.overview[:80]!r}")
            for item in r.indicators:
                n = exp["paragraphs"][item.code]
                if len(item.paragraphs) != n:
                    bad.append(f"{name} {item.code}: {len(item.paragraphs)} paragraphs, not {n}")
                elif n and not item.paragraphs[0].startswith(exp["text_first"][item.code]):
                    bad.append(f"{name} {item.code}: text {item.paragraphs[0][:60]!r}")
        elif check == "scores":
            if r.scores != exp["scores"]:
                bad.append(f"{name}: {r.scores} != {exp['scores']}")
        elif check == "problems" and r.problems:
            bad.append(f"{name}: {[str(p) for p in r.problems]}")
    return bad


@pytest.mark.parametrize("check", ["header", "text", "scores", "problems"])
def test_every_report_page_matches_its_json(check: str) -> None:
    assert len(corpus()) == 1230
    bad = _mismatches(check)
    assert not bad, f"{len(bad)} pages differ, e.g.:\n" + "\n".join(bad[:10])


def test_corpus_pages_match_the_official_workbook() -> None:
    book = read_all_data(shared("data", "fiw", "All_data_FIW_2013-2024.xlsx"))
    rows = {(x.name, x.edition): x for x in book.records}
    bad, matched = [], 0
    for page in corpus():
        if page.path.parent.name == "page-variants":
            continue  # fictional entities
        r = page.report
        key = (page.expected.get("workbook_name") or r.country, r.edition)
        row = rows.get(key)
        if row is None:
            bad.append(f"{page.path}: no workbook row for {key}")
            continue
        matched += 1
        published = row.published
        got = (r.scores, r.q, r.pr, r.cl, r.total, r.status)
        want = (
            dict(row.scores),
            row.q,
            published["PR"],
            published["CL"],
            published["Total"],
            published["Status"],
        )
        if got != want:
            bad.append(f"{page.path}: page {got[1:]} != workbook {want[1:]}")
    assert matched == 1228
    assert not bad, "\n".join(bad[:10])


def test_the_q_forms_of_every_edition_are_read() -> None:
    editions_with_q = {p.report.edition for p in corpus() if p.report.add_q is not None}
    assert {2018, 2019, 2020, 2021, 2022, 2023, 2024} <= editions_with_q
    for page in corpus():
        if page.report.add_q is not None:
            assert page.report.q == -page.report.add_q.score >= 0


# --- variants and refusals -------------------------------------------------------------------


def test_2024_territory_header() -> None:
    r = parse_file(shared("data", "page-variants", "2024-territory.txt"))
    assert (r.country, r.edition, r.territory, r.total, r.pr, r.q) == (
        "Freedonia",
        2024,
        True,
        13,
        -2,
        3,
    )
    assert [n.label for n in r.notes] == ["Population", "Note"]
    assert r.problems == ()


REFUSED = [
    "refuse-empty",
    "refuse-freedom-on-the-net",
    "refuse-layout-2017",
    "refuse-nations-in-transit",
    "refuse-stub",
]
REASON = {
    "refuse-empty": "empty",
    "refuse-freedom-on-the-net": "Freedom on the Net",
    "refuse-layout-2017": "2018 edition",
    "refuse-nations-in-transit": "Nations in Transit",
    "refuse-stub": "stub",
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_pages(name: str) -> None:
    path = shared("data", "page-variants", f"{name}.txt")
    with pytest.raises(RefusedPage) as info:
        parse_file(path)
    assert REASON[name] in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.line_number >= 1


# --- tolerance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n\n", "\n\n\n\n"),
        lambda t: t.replace(" pts0-4", "\xa0pts0-4").replace(
            "Political Rights 5", "Political\xa0Rights  5"
        ),
        lambda t: t.replace("Last Year's", "Last Year’s"),
        lambda t: t.replace("CL Civil Liberties 18 60", "CL  Civil Liberties 18  60  "),
        lambda t: "\ufeff" + t,
    ],
    ids=["crlf", "blank-lines", "nbsp", "curly-quote", "doubled-spaces", "bom"],
)
def test_scraping_noise_is_tolerated(mangle: object) -> None:
    assert callable(mangle)
    r = parse_page(mangle(seed_text()), source="kazakhstan-2023.txt")
    assert r == dataclasses.replace(seed())


# --- edition -----------------------------------------------------------------------------------


def _without_key_developments(text: str) -> str:
    start = text.index("header2 Key Developments")
    return text[:start] + text[text.index("PR Political Rights\n") :]


def test_edition_from_option_then_file_name() -> None:
    text = _without_key_developments(seed_text())
    assert parse_page(text, edition=2023).edition == 2023
    assert parse_page(text, source=Path("pages/2021/kazakhstan.txt")).edition == 2021
    r = parse_page(text)
    assert r.edition is None
    assert any("no edition" in p.message for p in r.problems)


def test_disagreeing_edition_sources_are_a_problem() -> None:
    r = parse_page(seed_text(), edition=2021)
    assert r.edition == 2023
    problem = next(p for p in r.problems if "edition" in p.message)
    assert "2021" in problem.message and "2023" in problem.message
    assert problem.lines == (line_of(seed_text(), "header2 Key Developments"),)


# --- checks ------------------------------------------------------------------------------------


def test_header_pr_that_the_indicators_contradict_is_a_problem() -> None:
    text = replace_line(seed_text(), "PR Political Rights 5 40", "PR Political Rights 6 40")
    r = parse_page(text, source="kazakhstan-2023.txt")
    assert r.pr == 6
    problem = next(p for p in r.problems if "PR" in p.message)
    assert "6" in problem.message and "5" in problem.message
    assert problem.lines == (2,)


def test_status_line_that_the_ratings_contradict_is_a_problem() -> None:
    text = replace_line(seed_text(), "Not Free\n", "Partly Free\n")
    r = parse_page(text, source="kazakhstan-2023.txt")
    assert r.status is Status.PARTLY_FREE
    assert [p.lines for p in r.problems] == [(1,)]
    assert "Not Free" in r.problems[0].message


def test_missing_status_line_on_a_not_free_page_is_a_problem() -> None:
    r = parse_page(seed_text().split("\n", 1)[1], source="kazakhstan-2023.txt")
    assert r.status is Status.NOT_FREE  # derived from the scores
    assert len(r.problems) == 1 and "status line" in r.problems[0].message


def test_free_pages_have_their_status_derived() -> None:
    free = [p for p in corpus() if p.expected["status_line"] is False]
    assert free and all(p.report.status is Status.FREE for p in free)


def test_indicator_score_out_of_range_is_a_problem_on_its_line() -> None:
    text = replace_line(seed_text(), "fair elections? 0.000 4.004", "fair elections? 5.005 4.004")
    r = parse_page(text, source="kazakhstan-2023.txt")
    a1 = line_of(text, "A1 ")
    assert any(p.lines == (a1,) and "A1" in p.message for p in r.problems), r.problems


# --- score changes -----------------------------------------------------------------------------


@pytest.mark.parametrize("minus", ["-", "−", "–"])
def test_score_change_numbers_with_each_minus(minus: str) -> None:
    para = f"Score change: The score improved from {minus}3 to {minus}2 due to a ceasefire."
    assert score_change(para) == ScoreChange(-3, -2, "due to a ceasefire.")


def test_unreadable_or_inline_score_change_stays_text() -> None:
    assert score_change("Score Change: The score declined for several reasons.") is None
    assert score_change("Fine. Score Change: The score declined from 3 to 2.") is None


def test_score_change_that_disagrees_with_the_score_is_noted_not_a_problem() -> None:
    text = replace_line(
        seed_text(),
        "The government has failed to release information",
        "Score Change: The score declined from 1 to 0 due to synthetic reasons.\n\n"
        "The government has failed to release information",
    )
    r = parse_page(text, source="kazakhstan-2023.txt")
    assert r.indicator("C3").score_change == ScoreChange(1, 0, "due to synthetic reasons.")
    assert r.problems == () and remarks(r) == []
    text = text.replace("declined from 1 to 0", "declined from 2 to 1")
    r = parse_page(text, source="kazakhstan-2023.txt")
    assert r.problems == ()
    assert remarks(r) == ["C3's Score Change paragraph reads 2 to 1, but C3 is scored 0"]


# --- parse errors --------------------------------------------------------------------------------


def test_missing_indicator_is_a_parse_error_naming_line_and_expectation() -> None:
    text = seed_text()
    text = replace_line(text, "A2 1.00-4.00 pts0-4 pts\n", "")
    with pytest.raises(ParseError) as info:
        parse_page(text, source="k.txt")
    err = info.value
    assert "A2" in err.expected
    assert err.line_number == line_of(text, "A3 1.00")
    assert err.line.startswith("A3")
    assert str(err).startswith("k.txt, line ")


def test_question_without_score_artifact_is_a_parse_error() -> None:
    text = replace_line(seed_text(), "fair elections? 0.000 4.004", "fair elections?")
    with pytest.raises(ParseError) as info:
        parse_page(text)
    assert "A1" in info.value.expected
    assert info.value.line_number == line_of(text, "A1 ") + 1


def test_truncated_page_is_a_parse_error() -> None:
    text = seed_text()
    cut = text[: text.index("G2 1.00")]
    with pytest.raises(ParseError) as info:
        parse_page(cut)
    assert info.value.line_number == cut.count("\n") + 1  # the end of the page
    assert "G2" in info.value.expected


# --- fuzzing ------------------------------------------------------------------------------

FUZZ_PAGES = ["2018/bahrain.txt", "2020/bahrain.txt", "2022/bahrain.txt", "2019/india.txt"]


def _fuzz_texts() -> list[str]:
    texts = [seed_text()]
    texts += [shared("data", "pages", name).read_text(encoding="utf-8") for name in FUZZ_PAGES]
    texts.append(shared("data", "page-variants", "2024-territory.txt").read_text(encoding="utf-8"))
    return texts


TEXTS = _fuzz_texts()


@st.composite
def mutated_pages(draw: st.DrawFn) -> tuple[str, int]:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "cut-line"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines = lines[:i]
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines), len(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_pages())
def test_mutated_pages_give_a_report_or_a_parse_error_with_a_line(page: tuple[str, int]) -> None:
    text, n_lines = page
    try:
        report = parse_page(text, source="fuzz-2023.txt")
    except ParseError as err:
        assert 1 <= err.line_number <= max(n_lines, 1)
        assert err.expected
        return
    assert isinstance(report, Report)
    assert len(report.indicators) == 25


def test_check_without_line_numbers_compares_the_status() -> None:
    from fiw.pages import check

    assert check(seed()) == []
    wrong = dataclasses.replace(seed(), status=Status.FREE, pr=6)
    messages = [p.message for p in check(wrong)]
    assert len(messages) == 3 and all(p.lines == () for p in check(wrong))
    assert "PR 6" in messages[0] and "total of 23" in messages[1] and "says Free" in messages[2]
