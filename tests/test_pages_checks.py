"""What the parser checks against the methodology: maxima, question wording, last year's
figures; and what it refuses: pages over the size limit. Linear time on many blocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fiw.methodology import INDICATOR_MAX, INDICATORS, load_index
from fiw.pages import ParseError, RefusedPage, parse_file, parse_page, remarks
from fiw.pages.parse import MAX_PAGE_BYTES
from fiw.pages.render import render_markdown
from fiw.pages.wording import normalise
from tests.pages_corpus import corpus, line_of, seed_text, shared

SOURCE = "kazakhstan-2023.txt"


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def question_index(lines: list[str], code: str) -> int:
    """0-based index of `code`'s question line (the line after its indicator line)."""
    return next(i for i, line in enumerate(lines) if line.startswith(f"{code} 1.00")) + 1


# --- maxima ---------------------------------------------------------------------------------


def test_a_changed_maximum_and_a_score_above_it_are_problems_on_the_question_line() -> None:
    lines = lines_of(seed_text())
    g4 = question_index(lines, "G4")
    assert lines[g4].endswith(" 2.002 4.004")
    lines[g4] = lines[g4].replace(" 2.002 4.004", " 2.002 0.000")  # G4 2/0
    r = parse_page("\n".join(lines), source=SOURCE)
    messages = {p.message: p.lines for p in r.problems}
    assert messages == {
        f"G4 is printed out of 0, but the methodology scores G4 0–{INDICATOR_MAX['G4']}": (g4 + 1,),
        "G4 is scored 2, outside its printed range 0–0": (g4 + 1,),
    }


def test_a_larger_printed_maximum_is_a_problem_even_with_a_score_below_it() -> None:
    lines = lines_of(seed_text())
    a1 = question_index(lines, "A1")
    lines[a1] = lines[a1].replace(" 4.004", " 5.005")
    r = parse_page("\n".join(lines), source=SOURCE)
    assert [(p.lines, "A1 is printed out of 5" in p.message) for p in r.problems] == [
        ((a1 + 1,), True)
    ]


def test_a_changed_range_on_the_indicator_line_is_a_problem() -> None:
    text = seed_text().replace("D2 1.00-4.00 pts0-4 pts", "D2 1.00-3.00 pts0-3 pts")
    r = parse_page(text, source=SOURCE)
    assert len(r.problems) == 1
    assert r.problems[0].lines == (line_of(text, "D2 "),)
    assert "D2 is scored 0–4" in r.problems[0].message


def test_a_changed_maximum_of_q_is_a_problem_on_its_line() -> None:
    text = shared("data", "pages", "2018", "bahrain.txt").read_text(encoding="utf-8")
    lines = lines_of(text)
    q = next(i for i, line in enumerate(lines) if line.endswith(" / 0"))
    lines[q] = lines[q][:-1] + "4"
    r = parse_page("\n".join(lines), source="bahrain-2018.txt")
    assert [(p.lines, p.message) for p in r.problems] == [
        ((q + 1,), "Q is printed out of 4, but Q's maximum is 0")
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("PR Political Rights 5 40", "PR Political Rights 5 41"),
        ("CL Civil Liberties 18 60", "CL Civil Liberties 18 6"),
    ],
)
def test_a_changed_aggregate_maximum_is_refused_on_its_line(old: str, new: str) -> None:
    text = seed_text().replace(old, new)
    with pytest.raises(ParseError) as info:
        parse_page(text, source=SOURCE)
    assert info.value.line_number == line_of(text, new[:2])


# --- question wording ---------------------------------------------------------------------


def test_two_swapped_question_lines_are_problems_on_both_lines() -> None:
    lines = lines_of(seed_text())
    e1, f3 = question_index(lines, "E1"), question_index(lines, "F3")
    lines[e1], lines[f3] = lines[f3], lines[e1]
    r = parse_page("\n".join(lines), source=SOURCE)
    assert sorted((p.lines, p.message[:41]) for p in r.problems) == [
        ((e1 + 1,), "E1's question line is worded as F3's ques"),
        ((f3 + 1,), "F3's question line is worded as E1's ques"),
    ]


def test_a_question_worded_as_in_another_edition_is_a_problem() -> None:
    old_b3 = load_index("fiw").indicator("B3").question(2018)
    assert old_b3 is not None
    lines = lines_of(seed_text())
    b3 = question_index(lines, "B3")
    lines[b3] = f"{old_b3.text} 1.001 4.004"
    r = parse_page("\n".join(lines), source=SOURCE)
    assert [(p.lines, p.message) for p in r.problems] == [
        ((b3 + 1,), "B3's question is worded as in editions 2018–2019, not as in the 2023 edition")
    ]


def test_published_variants_of_a_wording_are_tolerated() -> None:
    lines = lines_of(seed_text())
    a3 = question_index(lines, "A3")
    lines[a3] = (
        "ARE the electoral  laws and framework fair; and are they implemented impartially by "
        "the relevant election–management bodies ? 1.001 4.004"
    )
    r = parse_page("\n".join(lines), source=SOURCE)
    assert r.problems == () and remarks(r) == []
    assert normalise("Are the people’s choices") == normalise("are the people's   CHOICES")


def test_an_unknown_wording_is_a_remark_not_a_problem() -> None:
    text = seed_text().replace("Is there freedom of assembly?", "Can people assemble?")
    r = parse_page(text, source=SOURCE)
    assert r.problems == ()
    assert remarks(r) == ["E1's question 'Can people assemble?' is not a wording fiw knows"]


def test_every_corpus_page_uses_a_known_wording_of_its_edition() -> None:
    bad = [
        f"{page.path}: {remarks(page.report)}"
        for page in corpus()
        if page.path.parent.name != "page-variants"
        and any("wording" in r for r in remarks(page.report))
    ]
    assert not bad, "\n".join(bad[:10])


# --- last year --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "says"),
    [
        ("93 100 Not Free", "cannot go with a total of 93"),
        ("101 100 Not Free", "outside the range of a total score (-4 to 100)"),
        ("-5 100 Not Free", "outside the range of a total score (-4 to 100)"),
        ("-4 100 Free", "cannot go with a total of -4"),
    ],
)
def test_last_year_figures_that_cannot_be_are_problems(new: str, says: str) -> None:
    text = seed_text().replace("23 100 Not Free", new, 1)
    r = parse_page(text, source=SOURCE)
    assert [(p.lines, says in p.message) for p in r.problems] == [((line_of(text, new),), True)]


def test_a_status_change_note_that_contradicts_last_year_is_a_problem() -> None:
    text = seed_text().replace(
        "header1 Overview",
        "header1 Status Change\n\nKazakhstan’s status declined from Partly Free to Not Free.\n\n"
        "header2 Overview",
    )
    r = parse_page(text, source=SOURCE)
    assert [p.lines for p in r.problems] == [
        (line_of(text, "23 100 Not Free"), line_of(text, "header1 Status Change"))
    ]
    assert "last year's status is Not Free" in r.problems[0].message


# --- size and time ------------------------------------------------------------------------------


def test_a_page_over_the_size_limit_is_refused_on_line_1() -> None:
    text = seed_text()
    big = text.replace("header1 Overview\n", "header1 Overview\n\n" + "x" * MAX_PAGE_BYTES, 1)
    with pytest.raises(RefusedPage) as info:
        parse_page(big, source=SOURCE)
    assert info.value.line_number == 1
    assert "at most 16,777,216 bytes (16 MiB)" in str(info.value)
    assert info.value.line == "Not Free"


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge-2023.txt"
    with path.open("wb") as f:
        f.truncate(MAX_PAGE_BYTES + 1)  # sparse: no 16 MiB written
    with pytest.raises(RefusedPage) as info:
        parse_file(path)
    assert str(path) in str(info.value) and info.value.line_number == 1
    assert os.path.getsize(path) == MAX_PAGE_BYTES + 1


def test_40000_note_blocks_and_a_10_mb_page_parse() -> None:
    """The page that took 24 s (quadratic duplicate-label check) parses; timing is in bench."""
    blocks = "".join(f"header{k + 2} Note {k}\n\nText of note {k}.\n\n" for k in range(40_000))
    text = seed_text().replace("header1 Overview", blocks + "header1 Overview", 1)
    r = parse_page(text, source=SOURCE)
    assert len(r.notes) == 40_000 and r.notes[-1].text == "Text of note 39999."
    overview = "Narrative paragraph of a very long page. " * 40
    big = seed_text().replace(
        "header1 Overview\n", "header1 Overview\n\n" + f"{overview}\n\n" * 6_500, 1
    )
    assert 10_000_000 < len(big.encode()) < MAX_PAGE_BYTES
    r = parse_page(big, source=SOURCE)
    assert r.problems == () and r.overview.count("\n\n") == 6_500


def test_a_repeated_note_label_is_an_error_on_the_second_block() -> None:
    blocks = "".join(f"header{k + 2} Note {k % 3000}\n\nText.\n\n" for k in range(3001))
    text = seed_text().replace("header1 Overview", blocks + "header1 Overview", 1)
    with pytest.raises(ParseError) as info:
        parse_page(text, source=SOURCE)
    assert info.value.line == "header3002 Note 0"
    assert info.value.line_number == line_of(text, "header3002 Note 0")


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_keeps_html_from_narratives_as_text() -> None:
    text = seed_text().replace(
        "President Nursultan Nazarbaev", "<script>alert(1)</script> <b>President</b> Nazarbaev", 1
    )
    md = render_markdown(parse_page(text, source=SOURCE))
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;President&lt;/b&gt;" in md


def test_no_indicator_code_is_typed_in_the_pages_package() -> None:
    root = Path(__file__).parents[1] / "src" / "fiw" / "pages"
    sources = {p.name: p.read_text(encoding="utf-8") for p in root.rglob("*.py")}
    typed = [
        f"{name}: {code}"
        for name, text in sources.items()
        for code in INDICATORS
        if f'"{code}"' in text or f"'{code}'" in text
    ]
    assert not typed
