"""The line walker behind `parse_page`: one pass over a page's lines, top to bottom.

It knows at each point which structural line may come next (the next indicator,
subcategory, Q, "CL Civil Liberties", the footer); every other line is narrative. Structure
is keyed on labels and codes, never on `headerN` numbers. A line it cannot place raises
`ParseError` with the line number, the line and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fiw.methodology import (
    AGGREGATE_MAX,
    DISCRETIONARY_RANGE,
    INDICATOR_MAX,
    INDICATOR_MIN,
    INDICATORS,
    TOTAL_MAX,
    Status,
)
from fiw.pages.errors import ParseError, RefusedPage
from fiw.pages.layout import (
    FIGURE_LINE,
    FIRST_EDITION,
    LAST_YEAR,
    NEW_DISCLAIMER,
    OLD_DISCLAIMER,
    Q_TITLE,
    SEE_ALL,
    STATUSES,
    TERRITORY_MARK,
    artifact,
    categories,
    headings,
    indicator_line,
    integer,
    is_block,
    line_key,
    score_change,
)
from fiw.pages.model import AddQ, Indicator, Note, Problem, Standing


@dataclass
class Findings:
    """What the parser has found so far, with the line number of each finding."""

    name: str | None = None
    territory: bool = False
    status: Status | None = None
    total: int | None = None
    pr: int | None = None
    cl: int | None = None
    last_year: Standing | None = None
    notes: list[Note] = field(default_factory=list)
    overview: str | None = None
    kd_year: int | None = None
    key_developments: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    add_q: AddQ | None = None
    country: str | None = None
    site_latest: Standing | None = None
    internet_freedom: Standing | None = None
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, int] = field(default_factory=dict)


class LineReader:
    def __init__(self, text: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.n = len(self.lines)
        self.page = Findings()

    # --- helpers ----------------------------------------------------------------------

    def _error(self, i: int, expected: str) -> ParseError:
        line = self.lines[i] if i < self.n else ""
        return ParseError(min(i, self.n - 1) + 1, line, expected)

    def _skip_blank(self, i: int) -> int:
        lines, n = self.lines, self.n
        while i < n and not lines[i].strip():
            i += 1
        return i

    def _standing(self, i: int, what: str) -> Standing:
        """'23 100 Not Free' (or '23 100 not free' in the footer)."""
        parts = line_key(self.lines[i] if i < self.n else "").split(" ", 2)
        if len(parts) != 3:
            raise self._error(
                i, f"{what} as 'SCORE {TOTAL_MAX} STATUS', e.g. '23 {TOTAL_MAX} Not Free'"
            )
        total = integer(parts[0])
        status = STATUSES.get(parts[2].casefold())
        if total is None or parts[1] != str(TOTAL_MAX) or status is None:
            raise self._error(
                i, f"{what} as 'SCORE {TOTAL_MAX} STATUS', e.g. '23 {TOTAL_MAX} Not Free'"
            )
        return Standing(total, status)

    def _is_footer(self, i: int, key: str) -> bool:
        if not key.startswith("On "):
            return False
        j = self._skip_blank(i + 1)
        return j < self.n and line_key(self.lines[j]) == SEE_ALL

    # --- the page, top to bottom -------------------------------------------------------

    def parse(self) -> Findings:
        i = self._skip_blank(0)
        if i >= self.n:
            raise RefusedPage(1, "", "the input is empty (expected a country report page)")
        i = self._header(i)
        i = self._blocks(i)
        i = self._indicators(i)
        self._footer(i)
        return self.page

    def _refuse_unknown(self, i: int, key: str) -> None:
        """Name the kind of page when a header line shows it is not a FIW country report."""
        line = self.lines[i]
        if any(s in key for s in ("Obstacles to Access", "Limits on Content", "User Rights")):
            raise RefusedPage(
                i + 1, line, "a Freedom on the Net report, not a Freedom in the World page"
            )
        if key.upper().startswith("DEMOCRACY") or key.endswith(" Regime"):
            raise RefusedPage(
                i + 1, line, "a Nations in Transit report, not a Freedom in the World page"
            )
        rest = [line_key(x) for x in self.lines[i:]]
        if SEE_ALL in rest and not any(is_block(k) and k.endswith(" Overview") for k in rest):
            raise RefusedPage(
                i + 1,
                line,
                "a stub page without report text (no Overview and no indicator scores)",
            )

    def _header(self, i: int) -> int:
        """Everything before the first `headerN` block: status, scores, last year, marks."""
        p, lines, n = self.page, self.lines, self.n
        first = True
        disclaimer = False
        while i < n:
            key = line_key(lines[i])
            if not key:
                i += 1
                continue
            if is_block(key):
                break
            folded = key.casefold()
            if folded in STATUSES and p.pr is None:
                if p.status is not None:
                    raise self._error(i, "one status line")
                p.status = STATUSES[folded]
                p.where["status"] = i + 1
            elif key.startswith("PR Political Rights "):
                p.pr = self._figure(i, key[20:], "PR", p.pr)
                p.where["pr"] = i + 1
            elif key.startswith("CL Civil Liberties "):
                p.cl = self._figure(i, key[19:], "CL", p.cl)
                p.where["cl"] = i + 1
            elif p.pr is None and p.total is None and integer(key) is not None:
                p.total = integer(key)
                p.where["total"] = i + 1
                i = self._skip_blank(i + 1)
                if i >= n or line_key(lines[i]) != str(TOTAL_MAX):
                    raise self._error(i, f"'{TOTAL_MAX}' below the total score")
            elif key == LAST_YEAR:
                if p.last_year is not None:
                    raise self._error(i, "one 'Last Year's Score & Status'")
                i = self._skip_blank(i + 1)
                p.last_year = self._standing(i, "last year's score and status")
                p.where["last_year"] = i + 1
            elif key in (OLD_DISCLAIMER, NEW_DISCLAIMER) and not disclaimer:
                disclaimer = True
            elif key == TERRITORY_MARK:
                p.territory = True
            elif "Editorial credit:" in key and disclaimer:
                pass  # the 2024+ photo credit: not part of the report
            elif first and not key[0].isdigit():
                p.name = key.rstrip("*").strip()
                p.territory = p.territory or key.endswith("*")
                p.where["name"] = i + 1
            else:
                self._refuse_unknown(i, key)
                raise self._error(
                    i,
                    f"a header line (status, {FIGURE_LINE['PR']}, "
                    f"{FIGURE_LINE['CL']}, last year's score, the disclaimer) "
                    "or the first 'headerN' block",
                )
            first = False
            i += 1
        if p.pr is None or p.cl is None:
            if i >= n:
                self._refuse_unknown(self.n - 1, line_key(lines[-1]))
            missing = FIGURE_LINE["PR"] if p.pr is None else FIGURE_LINE["CL"]
            raise self._error(i, f"{missing} in the page header")
        return i

    def _figure(self, i: int, rest: str, code: str, seen: int | None) -> int:
        """PR's or CL's score from its header line; the maximum must be the methodology's."""
        top = AGGREGATE_MAX[code]
        if seen is not None:
            raise self._error(i, f"one {code} line in the header")
        value, _, maximum = rest.partition(" ")
        score = integer(value)
        if score is None or maximum != str(top):
            raise self._error(i, f"'{code} … SCORE {top}' with a whole-number score")
        return score

    def _blocks(self, i: int) -> int:
        """The `headerN` blocks: notes, Overview, Key Developments; up to 'PR Political Rights'."""
        p, lines, n = self.page, self.lines, self.n
        label: str | None = None
        texts: list[str] = []
        kind = ""
        seen: set[str] = set()  # a set, not a scan of p.notes: linear in the number of blocks

        def close() -> None:
            if kind == "note":
                assert label is not None
                if label in seen:
                    raise self._error(p.where["block"] - 1, f"one '{label}' block")
                seen.add(label)
                p.notes.append(Note(label, "\n\n".join(texts)))
            elif kind == "overview":
                p.overview = "\n\n".join(texts)

        while i < n:
            raw = lines[i]
            stripped = raw.strip()
            if not stripped:
                i += 1
                continue
            key = line_key(stripped) if len(stripped) < 100 else stripped
            if key == "PR Political Rights":
                break
            if is_block(key):
                close()
                texts = []
                label = key.partition(" ")[2]
                p.where["block"] = i + 1
                p.where.setdefault(f"block {label}", i + 1)
                if label == "Overview":
                    if p.overview is not None:
                        raise self._error(i, "one Overview block")
                    kind = "overview"
                elif label.startswith("Key Developments"):
                    year = integer(label.rpartition(" ")[2])
                    if p.overview is None or p.kd_year is not None:
                        raise self._error(i, "'Key Developments' once, after the Overview")
                    if year is None or not 1900 < year < 2200:
                        raise self._error(i, "'Key Developments in YEAR'")
                    if year + 1 < FIRST_EDITION:
                        raise RefusedPage(
                            i + 1,
                            raw,
                            f"a page of the {year + 1} edition: pages before the "
                            f"{FIRST_EDITION} edition carry no indicator scores",
                        )
                    p.kd_year = year
                    p.where["edition"] = i + 1
                    kind = "kd"
                elif p.overview is None:
                    kind = "note"
                else:
                    raise self._error(i, "'Key Developments in YEAR' or 'PR Political Rights'")
            elif kind == "kd":
                if not stripped.startswith("•"):
                    raise self._error(i, "a '  • ' bullet of the key developments")
                p.key_developments.append(stripped[1:].strip())
            elif kind:
                texts.append(stripped)
            else:
                raise self._error(i, "a 'headerN' block")
            i += 1
        close()
        if i >= n:
            raise self._error(i, "'PR Political Rights' and the indicators")
        if p.overview is None:
            raise self._error(i, "a 'headerN Overview' block before 'PR Political Rights'")
        return i + 1

    def _paragraphs(self, i: int) -> tuple[list[str], int, str]:
        """Narrative lines up to the next structural line; returns them, its index and key."""
        lines, n = self.lines, self.n
        out: list[str] = []
        while i < n:
            stripped = lines[i].strip()
            if not stripped:
                i += 1
                continue
            if len(stripped) < 100 and stripped[0] in "ABCDEFGPOSh":
                key = line_key(stripped)
                if (
                    is_block(key)
                    or key in headings()
                    or key in ("PR Political Rights", "CL Civil Liberties", SEE_ALL)
                    or key.startswith(("Add Q", Q_TITLE))
                    or (key[1:2].isdigit() and key[2:3] == " " and "pts" in key)
                    or self._is_footer(i, key)
                ):
                    return out, i, key
            out.append(stripped)
            i += 1
        return out, i, ""

    def _indicators(self, i: int) -> int:
        p = self.page
        key = ""
        for code, name, codes in categories():
            heading = f"{code} {name}"
            if code == "D":
                if key.startswith(("Add Q", Q_TITLE)):
                    i = self._add_q(i)
                    key = line_key(self.lines[i]) if i < self.n else ""
                if key != "CL Civil Liberties":
                    raise self._error(i, "'CL Civil Liberties' after C3 (or Q)")
                i += 1
            i = self._skip_blank(i)
            if i >= self.n or line_key(self.lines[i]) != heading:
                raise self._error(i, f"the subcategory heading '{heading}'")
            i += 1
            for ind in codes:
                i = self._skip_blank(i)
                key = line_key(self.lines[i]) if i < self.n else ""
                if not (key.startswith(ind + " ") and "pts" in key):
                    raise self._error(i, f"the indicator line '{ind} 1.00-4.00 pts0-4 pts'")
                p.where[ind] = i + 1
                self._indicator_line(i, ind, key)
                i = self._skip_blank(i + 1)
                question, score, top = self._question(i, ind)
                p.where[f"{ind} question"] = i + 1
                paragraphs, i, key = self._paragraphs(i + 1)
                change = None
                for para in paragraphs:
                    if para[:13].casefold() == "score change:":
                        change = score_change(para)
                        if change is not None:
                            break
                p.indicators.append(Indicator(ind, question, score, top, tuple(paragraphs), change))
        if not self._is_footer(i, key):
            raise self._error(i, f"the footer 'On COUNTRY' after {INDICATORS[-1]}")
        return i

    def _indicator_line(self, i: int, code: str, key: str) -> None:
        """`A1 1.00-4.00 pts0-4 pts`: a range other than the methodology's is a problem."""
        low, top = INDICATOR_MIN[code], INDICATOR_MAX[code]
        expected = indicator_line(code)
        if key.replace(" ", "") != expected.replace(" ", ""):
            self.page.problems.append(
                Problem(
                    f"{code}'s line reads {key[:60]!r}, but {code} is scored {low}–{top} "
                    f"(expected {expected!r})",
                    (i + 1,),
                )
            )

    def _question(self, i: int, code: str) -> tuple[str, int, int]:
        line = self.lines[i].replace("\xa0", " ").strip() if i < self.n else ""
        head, _, max_token = line.rpartition(" ")
        question, _, score_token = head.rpartition(" ")
        score, top = artifact(score_token), artifact(max_token)
        if score is None or top is None:
            raise self._error(
                i, f"{code}'s question ending in its score and maximum, e.g. '… 1.001 4.004'"
            )
        return question.strip(), score, top

    def _add_q(self, i: int) -> int:
        """The discretionary question Q in its three edition forms; returns the index of CL."""
        p = self.page
        key = line_key(self.lines[i])
        p.where["Q"] = i + 1
        rest = key[5:].strip() if key.startswith("Add Q") else key
        if rest.startswith(Q_TITLE):
            rest = rest[len(Q_TITLE) :].strip()
        head_score = None
        if rest:
            head_score = artifact(rest)
            if head_score is None:
                raise self._error(i, f"'Add Q', '{Q_TITLE}' or 'Add Q {Q_TITLE} -3.00-3'")
        i = self._skip_blank(i + 1)
        line = self.lines[i].replace("\xa0", " ").strip() if i < self.n else ""
        parts = line.rsplit(" ", 3)
        question_score: int | None = None
        if len(parts) == 4 and parts[2] == "/" and integer(parts[3]) is not None:
            question, question_score = parts[0], integer(parts[1])
            top = -DISCRETIONARY_RANGE["Q"][0]  # Q is printed as points off: at most 0
            if question_score is not None and integer(parts[3]) != top:
                p.problems.append(
                    Problem(f"Q is printed out of {parts[3]}, but Q's maximum is {top}", (i + 1,))
                )
        else:
            question, _, token = line.rpartition(" ")
            question_score = artifact(token)
        no_score = question_score is None and head_score is None
        if no_score or line_key(line) == "CL Civil Liberties":
            raise self._error(i, "Q's question ending in its score, e.g. '… -2.00-2' or '… −3 / 0'")
        p.where["Q question"] = i + 1
        if question_score is None:
            question = line
        elif head_score is not None and head_score != question_score:
            p.problems.append(
                Problem(
                    f"Q is printed as {head_score} above its question but {question_score} "
                    "after it",
                    (p.where["Q"], i + 1),
                )
            )
        score = question_score if question_score is not None else head_score
        assert score is not None
        paragraphs, i, key = self._paragraphs(i + 1)
        p.add_q = AddQ(question.strip(), score, tuple(paragraphs))
        return i

    def _footer(self, i: int) -> None:
        """'On COUNTRY', 'See all data …', then the site's latest scores."""
        p, lines, n = self.page, self.lines, self.n
        p.country = line_key(lines[i])[3:].strip()
        p.where["country"] = i + 1
        i = self._skip_blank(i + 1) + 1  # the 'See all data' line
        while True:
            i = self._skip_blank(i)
            if i >= n:
                return
            key = line_key(lines[i])
            label = key.lstrip("•").strip()
            if key == "See More":
                pass
            elif label in ("Global Freedom Score", "Internet Freedom Score"):
                j = self._skip_blank(i + 1)
                standing = self._standing(j, label)
                if label == "Global Freedom Score":
                    if p.site_latest is not None:
                        raise self._error(i, "one Global Freedom Score")
                    p.site_latest = standing
                else:
                    if p.internet_freedom is not None:
                        raise self._error(i, "one Internet Freedom Score")
                    p.internet_freedom = standing
                i = j
            else:
                raise self._error(
                    i, "'See More', 'Global Freedom Score' or 'Internet Freedom Score' (footer)"
                )
            i += 1
