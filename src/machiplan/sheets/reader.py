"""Read a progress sheet of the seed's family into a plan.

A sheet is a sequence of goal pages. Each page has the goal's heading and
name, its policy block, an indicator table (category row, names row, year
rows), footnotes (※), narrative blocks and, on some pages, the glossary of
higher plans. The reader classifies every line into one of these; a line it
cannot place becomes a warning naming its number.

What a sheet cannot say (the municipality's code, the plan's period, who owns
an indicator) comes from ``SheetOptions`` or is inferred and reported.

Reading takes time linear in the sheet's size: every pattern here matches a
text one way only, and nothing is compared all-with-all (rows with footnotes,
labels with labels) beyond the small, bounded sets a real sheet has.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from machiplan.domain.errors import MachiplanError, excerpt
from machiplan.domain.fiscal import _ERA_TOKEN, parse_fiscal_year
from machiplan.domain.guesses import Guess, guess_indicator
from machiplan.domain.plan import (
    ACTUAL,
    GOALS_AND_POLICIES,
    INTERIM,
    NONE,
    PENDING,
    PLAN_HORIZON,
    HigherPlan,
    Indicator,
    Initiative,
    Municipality,
    Narrative,
    NarrativeItem,
    Node,
    Observation,
    Plan,
    Target,
)
from machiplan.domain.quantities import PENDING as Q_PENDING
from machiplan.domain.quantities import VALUE, Quantity, parse_quantity
from machiplan.interchange.files import MAX_SHEET_BYTES, display_name, read_user_file

from .common import SheetOptions, SheetResult, SheetWarning, code_from
from .encoding import decode
from .text import collapse, narrow, squash, strip_html

KNOWN_HORIZONS = {"アクションプラン": "action_plan", "戦略ビジョン": "vision"}
# No whitespace at either end: a pattern using it says where spaces may go, so that a run of
# spaces can be matched one way only (two \s* side by side backtrack quadratically).
_FY = rf"(?:(?:{_ERA_TOKEN})\s*(?:\d{{1,2}}|元)|\d{{4}})(?:\s*年度)?"
_ROW_RE = re.compile(rf"^(?P<fy>{_FY})\s*(?P<kind>実績|状況|目標|見込み?)$", re.IGNORECASE)
_HIGHER_ROW_RE = re.compile(rf"^(?P<label>[^\d\s].*?)\s*(?P<fy>{_FY})$", re.IGNORECASE)
_GOAL_RE = re.compile(r"^基本目標\s*(?P<n>\d+)\s*(?P<rest>.*)$")
_NAME_RE = re.compile(r"^[『「【](?P<name>[^』」】]+)[』」】]\s*(?P<rest>.*)$")
_NARRATIVE_RE = re.compile(
    rf"^(?:(?P<fy>{_FY})\s*)?(?P<label>取組結果|取組実績|実施結果|取組計画|実施計画|今後に向けて|今後の方向性)\s*(?P<rest>.*)$"
)
_NARRATIVE_KIND = {
    "取組結果": "results",
    "取組実績": "results",
    "実施結果": "results",
    "取組計画": "plan",
    "実施計画": "plan",
    "今後に向けて": "future",
    "今後の方向性": "future",
}
_GLOSSARY_RE = re.compile(r"^(?P<label>[^：:\s「]{1,30})[：:]\s*(?P<text>「.+)$")
_POLICY_RE = re.compile(r"(?:^|\s)(?P<mark>[◎○]?)\s*(?P<code>\d+\s*[-－‐]\s*\d+)(?=\s)")
_AS_OF_NOTE_RE = re.compile(rf"^※\s*(?P<fy>{_FY})の(?P<subject>.+?)は\s*(?P<date>[^\sは]+?)\s*時点")
_PERIOD_RE = re.compile(
    rf"計画期間は\s*(?P<start>{_FY})\s*[～〜~\-－]\s*(?P<end>(?:(?:{_ERA_TOKEN})\s*)?(?:\d{{1,4}}|元)\s*(?:年度)?)"
)
_REFERENCE_RE = re.compile(r"^(?:参考[:：]|【参考】|\(参考\)|（参考）)\s*")
_SEPARATOR_RE = re.compile(r"^[-ー─=＝\s]{3,}$")
_LINE_END_RE = re.compile(r"\r\n?|\n")
MAX_COLUMNS = 100  # indicators in one table: a real sheet has a handful
MAX_GOAL_NUMBER = 32_767  # what the database keeps
MAX_NOTE_SUBJECT = 200  # '※平成29年度のさぽーとほっと基金寄附件数・金額はH29.9.15時点': the subject is short


@dataclass
class _Line:
    number: int
    text: str  # as extracted, tabs kept

    @property
    def flat(self) -> str:
        return squash(self.text)


@dataclass
class _Page:
    number: int
    line: int
    rest: str
    lines: list[_Line] = field(default_factory=list)


class _Reader:
    def __init__(self, text: str, source: str, options: SheetOptions) -> None:
        self.source = source
        self.options = options
        self.warnings: list[SheetWarning] = []
        self.lines = [_Line(n, raw) for n, raw in enumerate(_LINE_END_RE.split(text), start=1)]
        self.higher: dict[str, HigherPlan] = {}
        self.row_labels: dict[str, str] = {}  # horizon -> label in the sheet, in order of appearance
        self.label_horizons: dict[str, str] = {}  # the other way round: label -> its first horizon
        self.other_horizons = 0  # higher-1, higher-2, …
        self.guesses: list[tuple[str, Guess]] = []

    def warn(self, line: int | None, message: str, message_ja: str) -> None:
        """A warning in English and Japanese (the staff pages'), at a line or the whole sheet."""
        self.warnings.append(SheetWarning(line, message, message_ja))

    # --- the document ---------------------------------------------------------------

    def read(self) -> Plan:
        title_line = next((ln for ln in self.lines if ln.text.strip()), None)
        pages = self._pages()
        if not pages or title_line is None:
            raise MachiplanError("not a progress sheet: no 基本目標 (goal) heading found", where=self.source)
        title = collapse(title_line.text) if not _GOAL_RE.match(title_line.flat) else ""
        if not title:
            self.warn(
                None, "no plan title before the first goal", "最初の基本目標の前に計画の名称がありません"
            )
        for ln in self.lines[: pages[0].line - 1]:
            if ln.text.strip() and ln is not title_line:
                self._stray(ln, title)
        goals: list[list[Node]] = []
        indicators = []
        for page in pages:
            goal, page_indicators = self._goal(page, title)
            goals.append(goal)
            indicators.extend(page_indicators)
        if not indicators:
            raise MachiplanError(
                "not a progress sheet: no indicator table (成果指標) found", where=self.source
            )
        return self._plan(title, tuple(goals), tuple(indicators))

    def _pages(self) -> list[_Page]:
        pages: list[_Page] = []
        for ln in self.lines:
            m = _GOAL_RE.match(ln.flat)
            if m:
                if len(m["n"]) > len(str(MAX_GOAL_NUMBER)) or int(m["n"]) > MAX_GOAL_NUMBER:
                    raise MachiplanError(
                        f"goal number {excerpt(m['n'])} is too large (at most {MAX_GOAL_NUMBER:,})",
                        where=f"{self.source}:{ln.number}",
                    )
                # the rest as extraction left it, less noise: '基本 目標' has a space in it
                pages.append(_Page(int(m["n"]), ln.number, m["rest"]))
            elif pages:
                pages[-1].lines.append(ln)
        numbers = [p.number for p in pages]
        if len(set(numbers)) != len(numbers):
            raise MachiplanError(f"goal numbers repeat: {numbers}", where=self.source)
        return pages

    def _stray(self, ln: _Line, title: str) -> None:
        flat = ln.flat
        if not flat or _SEPARATOR_RE.match(ln.text.strip()) or (title and flat == squash(title)):
            return
        self.warn(
            ln.number,
            f"not understood, left out: {collapse(ln.text)[:60]!r}",
            f"読み取れないため除きました：{collapse(ln.text)[:60]!r}",
        )

    # --- a goal page ------------------------------------------------------------------

    def _goal(self, page: _Page, title: str) -> tuple[list[Node], list[Indicator]]:
        """A goal page: the goal's node and its policies' nodes, and the goal's indicators."""
        rest = page.rest.strip()
        name, statement = "", ""
        blocks = self._blocks(page.lines)
        head_lines = blocks.pop("head", [])
        if rest:
            head_lines.insert(0, _Line(page.line, rest))
        for ln in head_lines:
            text = ln.text.strip()
            if not text or (title and ln.flat == squash(title)) or _SEPARATOR_RE.match(text):
                continue
            m = _NAME_RE.match(text)
            if m and not name:
                name = squash(m["name"])
                statement = squash(m["rest"]) or statement
            elif name and not statement:
                statement = squash(text)
            else:
                self._stray(ln, title)
        if not name:
            self.warn(
                page.line,
                f"goal {page.number} has no name in 『』",
                f"基本目標{page.number}に『』で囲んだ名称がありません",
            )
        policies = self._policies(blocks.pop("policies", []))
        footnotes = blocks.pop("footnotes", [])
        indicators = self._indicators(page.number, blocks.pop("table", []), footnotes)
        narratives = [self._narrative(lines) for key, lines in blocks.items() if key.startswith("narrative")]
        for key, lines in blocks.items():
            if key.startswith("stray"):
                for ln in lines:
                    self._stray(ln, title)
        goal = Node(
            code=str(page.number),
            name=name,
            statement=statement,
            narratives=tuple(n for n in narratives if n is not None),
            footnotes=tuple(squash(ln.text) for ln in footnotes),
        )
        return [goal, *(replace(p, parent=goal.code) for p in policies)], indicators

    def _blocks(self, lines: list[_Line]) -> dict[str, list[_Line]]:
        """Sort a page's lines into blocks; a block runs on until a blank line or the next block."""
        blocks: dict[str, list[_Line]] = {"head": []}
        current: str | None = "head"
        in_table = False
        table_has_rows = False
        counter = 0
        for ln in lines:
            flat, stripped = ln.flat, ln.text.strip()
            if not stripped:
                # the goal's name and statement may stand apart, each after a blank line
                current = None if current not in ("table", "head") else current
                if in_table and table_has_rows:
                    in_table, current = False, None
                continue
            if _SEPARATOR_RE.match(stripped):
                current, in_table = None, False
                continue
            counter += 1
            first_cell = squash(ln.text.split("\t")[0])
            if first_cell.startswith("基本施策") or flat.startswith("基本施策"):
                current = "policies"
            elif first_cell.startswith("成果指標"):
                current, in_table = "table", True
            elif flat.startswith("※"):
                blocks.setdefault("footnotes", []).append(ln)
                current = None if current != "table" else current
                continue
            elif _GLOSSARY_RE.match(collapse(ln.text)) and "のこと" in flat:
                self._glossary(ln)
                current = None
                continue
            elif in_table and self._is_row(ln):
                current = "table"  # before narratives: a row label may read like one (実施計画 R7)
                table_has_rows = True
            elif _NARRATIVE_RE.match(first_cell) or _NARRATIVE_RE.match(flat):
                current = f"narrative{counter}"
            elif current is None or (current == "head" and _head_complete(blocks["head"])):
                current = f"stray{counter}"
            blocks.setdefault(current, []).append(ln)
        return blocks

    # --- policies ---------------------------------------------------------------------

    def _policies(self, lines: list[_Line]) -> tuple[Node, ...]:
        if not lines:
            return ()
        first = lines[0].text
        body = first.split("主な取組", 1)[1] if "主な取組" in first else first.split("\t", 1)[-1]
        text = narrow(strip_html(" ".join([body, *(ln.text for ln in lines[1:])])))
        text = re.sub(r"\s+", " ", text)
        matches = list(_POLICY_RE.finditer(" " + text))
        if not matches:
            self.warn(
                lines[0].number,
                "a policy block without policy codes (such as 1-1)",
                "施策の番号（1-1など）のない施策のまとまりです",
            )
            return ()
        padded = " " + text
        policies = []
        for m, nxt in zip(matches, [*matches[1:], None], strict=True):
            chunk = padded[m.end() : nxt.start() if nxt else len(padded)]
            head, *items = re.split(r"(?:^|\s)・", chunk.strip())
            initiatives = []
            for item in items:
                item = squash(item)
                if not item:
                    continue
                fact = _fact(item)
                initiatives.append(Initiative(fact[0], (fact[1],)) if fact else Initiative(item))
            policies.append(
                Node(
                    code=re.sub(r"\s+", "", m["code"]).replace("－", "-").replace("‐", "-"),
                    name=squash(head),
                    priority=m["mark"] == "◎",
                    initiatives=tuple(initiatives),
                )
            )
        return tuple(policies)

    # --- the indicator table ------------------------------------------------------------

    @staticmethod
    def _row_label(text: str) -> re.Match[str] | None:
        label = narrow(text).strip()
        compact = re.sub(r"\s+", "", label)
        return _ROW_RE.match(compact) or _HIGHER_ROW_RE.match(re.sub(r"\s+", " ", label))

    def _is_row(self, ln: _Line) -> bool:
        cells = self._cells(ln.text)
        return (
            bool(cells)
            and self._row_label(cells[0]) is not None
            and len(cells) > 1
            and not squash(cells[0]).startswith("成果指標")
        )

    @staticmethod
    def _cells(text: str) -> list[str]:
        """Cells of a table line: tabs, else runs of two or more spaces."""
        if "\t" in text:
            return [c.strip() for c in text.split("\t")]
        return [c.strip() for c in re.split(r"\s{2,}", text.strip())]

    def _indicators(self, goal: int, lines: list[_Line], footnotes: list[_Line]) -> list[Indicator]:
        if not lines:
            self.warn(
                None,
                f"goal {goal} has no indicator table (成果指標)",
                f"基本目標{goal}に成果指標の表がありません",
            )
            return []
        header, rows, names_lines = lines[0], [], []
        for ln in lines[1:]:
            # before the first year row: the names row (perhaps split over lines); after it: rows
            if rows or self._is_row(ln):
                rows.append(ln)
            else:
                names_lines.append(ln)
        rows = [ln for ln in rows if self._is_row(ln) or self._warn_row(ln)]
        width, widest = max(((len(self._cells(r.text)) - 1, r.number) for r in rows), default=(0, 0))
        if width > MAX_COLUMNS:
            raise MachiplanError(
                f"{width:,} columns in the indicator table (at most {MAX_COLUMNS})",
                where=f"{self.source}:{widest}",
            )
        if not width:
            self.warn(
                header.number,
                f"goal {goal}: an indicator table without year rows",
                f"基本目標{goal}：成果指標の表に年度の行がありません",
            )
            return []
        categories = self._categories(header, width)
        names = self._names(names_lines, width, header.number)
        parsed = [self._row(ln, width) for ln in rows]
        units = self._column_units(parsed, width)
        notes = self._as_of_notes(footnotes)
        indicators = []
        for col in range(width):
            raw_name = names[col]
            reference = bool(_REFERENCE_RE.match(raw_name))
            name_text = _REFERENCE_RE.sub("", raw_name)
            name_part, _, note = name_text.partition("※")
            name = squash(name_part)
            dated = self._notes_for(notes, name)
            observations: list[Observation] = []
            targets: list[Target] = []
            for row in parsed:
                cell = row.cells[col] if col < len(row.cells) else None
                if cell is None:
                    continue
                quantity = cell.quantity
                if quantity is not None and quantity.kind == VALUE and quantity.unit is None:
                    quantity = replace(quantity, unit=units[col])
                self._place(row, cell, quantity, dated, observations, targets)
            code = f"{goal}{_letters(col)}"
            guessed = {g.field: g for g in guess_indicator(name, units[col])}
            self.guesses.extend((code, g) for g in guessed.values())
            indicators.append(
                Indicator(
                    code=code,
                    nodes=(str(goal),),
                    category=categories[col],
                    name=name,
                    unit=units[col],
                    measure=guessed["measure"].value,  # type: ignore[arg-type]
                    survey=bool(guessed["survey"].value),
                    direction=guessed["direction"].value,  # type: ignore[arg-type]
                    reference=reference,
                    note=squash("※" + note) if note.strip() else None,
                    observations=tuple(sorted(observations, key=lambda o: o.fy)),
                    targets=tuple(targets),
                )
            )
        return indicators

    def _warn_row(self, ln: _Line) -> bool:
        self.warn(
            ln.number,
            f"a line inside the indicator table that is not a year row, left out: {collapse(ln.text)[:60]!r}",
            f"成果指標の表の中に年度の行でない行があるため除きました：{collapse(ln.text)[:60]!r}",
        )
        return False

    def _categories(self, header: _Line, width: int) -> list[str]:
        cells = self._cells(header.text)[1:]
        labels: list[str] = []
        for cell in cells[:width]:
            label = squash(cell)
            labels.append(label if label or not labels else labels[-1])
        if len(labels) < width:
            if labels and len(cells) < width:
                self.warn(
                    header.number,
                    f"{width - len(labels)} column(s) without a category label: the one before is used",
                    f"区分の見出しのない列が{width - len(labels)}列あります：左の列の区分を使います",
                )
            labels += [labels[-1] if labels else ""] * (width - len(labels))
        return labels

    def _names(self, lines: list[_Line], width: int, header_line: int) -> list[str]:
        """Indicator names, cell by cell; a header split over several lines is joined per column."""
        parts: list[list[str]] = [[] for _ in range(width)]
        for ln in lines:
            cells = self._cells(ln.text)
            if (cells and not cells[0]) or len(cells) > width:
                cells = cells[1:]
            for i, cell in enumerate(cells[:width]):
                if cell:
                    parts[i].append(cell)
        columns = [" ".join(p) for p in parts]
        for i, name in enumerate(columns):
            if not name:
                self.warn(
                    lines[0].number if lines else header_line,
                    f"column {i + 1} of the indicator table has no name",
                    f"成果指標の表の{i + 1}列目に指標名がありません",
                )
                columns[i] = f"指標{i + 1}"
        return columns

    @dataclass
    class _Cell:
        text: str
        quantity: Quantity | None

    @dataclass
    class _Row:
        line: int
        kind: str  # actual | status | target
        fy: int
        horizon: str
        cells: list[_Reader._Cell]

    def _row(self, ln: _Line, width: int) -> _Row:
        cells = self._cells(ln.text)
        label = self._row_label(cells[0])
        assert label is not None
        fy = parse_fiscal_year(label["fy"])
        if "kind" in label.groupdict() and label["kind"]:
            kind = {"実績": "actual", "状況": "status", "目標": "target"}.get(label["kind"], "status")
            horizon = PLAN_HORIZON
        else:
            kind, label_text = "target", squash(label["label"])
            horizon = self._horizon(label_text)
        values = cells[1:]
        if len(values) != width:
            self.warn(
                ln.number,
                f"{len(values)} cells where the table has {width}",
                f"表は{width}列ですが、この行のセルは{len(values)}個です",
            )
        parsed = []
        for i, cell in enumerate(values[:width]):
            if not cell:
                parsed.append(self._Cell(cell, None))
                continue
            try:
                parsed.append(self._Cell(cell, parse_quantity(cell, where=f"{self.source}:{ln.number}")))
            except MachiplanError as exc:
                self.warn(
                    ln.number,
                    f"column {i + 1}: {exc.message}, left out",
                    f"{i + 1}列目：読み取れないため除きました（{exc.message}）",
                )
                parsed.append(self._Cell(cell, None))
        return self._Row(ln.number, kind, fy, horizon, parsed)

    def _horizon(self, label: str) -> str:
        for known, horizon in KNOWN_HORIZONS.items():
            if label == known:
                if horizon not in self.row_labels:
                    self.row_labels[horizon] = label
                    self.label_horizons.setdefault(label, horizon)
                return horizon
        if label in self.label_horizons:
            return self.label_horizons[label]
        self.other_horizons += 1
        horizon = f"higher-{self.other_horizons}"
        self.row_labels[horizon] = label
        self.label_horizons.setdefault(label, horizon)
        return horizon

    @staticmethod
    def _column_units(rows: list[_Row], width: int) -> list[str | None]:
        units: list[str | None] = []
        for col in range(width):
            found = Counter(
                r.cells[col].quantity.unit
                for r in rows
                if col < len(r.cells) and r.cells[col].quantity is not None and r.cells[col].quantity.unit
            )
            units.append(found.most_common(1)[0][0] if found else None)
        return units

    def _as_of_notes(self, footnotes: list[_Line]) -> list[tuple[int, str, object, str]]:
        """'※平成29年度のさぽーとほっと基金寄附件数・金額はH29.9.15時点' -> (2017, subjects, date, text)."""
        from machiplan.domain.fiscal import parse_date

        notes = []
        for ln in footnotes:
            m = _AS_OF_NOTE_RE.match(narrow(ln.text.strip()))
            if not m:
                continue
            subject = squash(m["subject"])
            if len(subject) > MAX_NOTE_SUBJECT:
                self.warn(
                    ln.number,
                    "a footnote naming more than any indicator's name: kept, but it dates no cell",
                    "指標名より長い対象を挙げた注記です：残しますが、どのセルの時点にも使いません",
                )
                continue
            try:
                notes.append((parse_fiscal_year(m["fy"]), subject, parse_date(m["date"]), squash(ln.text)))
            except MachiplanError as exc:
                self.warn(
                    ln.number,
                    f"a footnote's date cannot be read: {exc.message}",
                    f"注記の日付が読み取れません（{exc.message}）",
                )
        return notes

    def _notes_for(self, notes, name: str) -> dict[int, tuple[object, str]]:
        """The footnotes dating one indicator's cells: fiscal year -> (the first one's date, the last one's text)."""
        dated: dict[int, tuple[object, str]] = {}
        for fy, subject, day, text in notes:
            if self._note_covers(subject, name):
                dated[fy] = (dated[fy][0] if fy in dated else day, text)
        return dated

    @staticmethod
    def _note_covers(subject: str, name: str) -> bool:
        """'さぽーとほっと基金寄附件数・金額' covers '…寄附件数' and, abbreviated, '…寄附金額(累計)'.

        Abbreviated: the name is at least half of the first subject, then another subject
        ('さぽーとほっと基金寄附' + '金額').
        """
        parts = subject.split("・")
        first = parts[0]
        if name.startswith(first):
            return True
        lowest = max(1, len(first) // 2)
        highest = _shared_start(first, name)  # the name begins with first[:cut] for cuts up to this
        if highest < lowest:
            return False
        # some cut in lowest..highest where the part follows: an occurrence of the part beginning there
        return any(name.find(part, lowest, highest + len(part)) >= 0 for part in set(parts[1:]))

    def _place(self, row: _Row, cell: _Cell, q: Quantity | None, dated, observations, targets) -> None:
        source = f"{self.source}:{row.line}"
        if q is None:
            return
        if row.kind == "target":
            if q.kind != VALUE:
                return  # — : no target of this horizon
            targets.append(
                Target(
                    horizon=row.horizon, fy=row.fy, value=q.value, approximate=q.approximate,
                    period_start_fy=q.period[0] if q.period else None, source_text=cell.text, source=source,
                )
            )  # fmt: skip
            return
        as_of, note = q.as_of, ""
        if q.kind == VALUE and row.fy in dated:
            day, note = dated[row.fy]
            as_of = as_of or day
        if q.kind == Q_PENDING:
            kind = PENDING
        elif q.kind != VALUE:
            kind = NONE
        else:
            kind = ACTUAL if row.kind == "actual" else INTERIM
        observations.append(
            Observation(
                fy=row.fy, kind=kind, value=q.value, as_of=as_of, approximate=q.approximate,
                breakdown=q.breakdown, source_text=cell.text, note=note, source=source,
            )
        )  # fmt: skip

    # --- narratives and the glossary ------------------------------------------------------

    def _narrative(self, lines: list[_Line]) -> Narrative | None:
        first = lines[0]
        label_cell, _, body = first.text.partition("\t")
        m = _NARRATIVE_RE.match(squash(label_cell)) if body else None
        if m is None:
            m = _NARRATIVE_RE.match(first.flat)
            body = m["rest"] if m else ""
        assert m is not None
        fy = parse_fiscal_year(m["fy"]) if m["fy"] else None
        text = narrow(strip_html(" ".join([body, *(ln.text for ln in lines[1:])])))
        items = []
        for chunk in re.split(r"●", text):
            chunk = re.sub(r"\s+", " ", chunk).strip()
            if not chunk:
                continue
            head, *bullets = re.split(r"(?:^|\s)・", chunk)
            head = head.strip()
            heading, _, rest = head.partition(" ")
            bullets = [squash(b) for b in bullets if squash(b)]
            if not text.lstrip().startswith("●") and not items and head:
                items.append(NarrativeItem(text=squash(head), bullets=tuple(bullets)))
            else:
                items.append(
                    NarrativeItem(heading=squash(heading), text=squash(rest), bullets=tuple(bullets))
                )
        return Narrative(kind=_NARRATIVE_KIND[m["label"]], fy=fy, items=tuple(items))

    def _glossary(self, ln: _Line) -> None:
        m = _GLOSSARY_RE.match(collapse(ln.text))
        assert m is not None
        label = squash(m["label"])
        text = squash(m["text"])
        title = re.match(r"「(.+?)」", text)
        start = end = None
        period = _PERIOD_RE.search(narrow(text))
        if period:
            try:
                start = parse_fiscal_year(period["start"])
                end_text = period["end"]
                era = re.match(rf"({_ERA_TOKEN})", period["start"].strip())
                if not re.match(rf"\s*({_ERA_TOKEN})|\d{{4}}", end_text) and era:
                    end_text = era.group(1) + end_text
                end = parse_fiscal_year(end_text)
            except MachiplanError:
                self.warn(
                    ln.number, f"the period of {label} cannot be read", f"{label}の計画期間が読み取れません"
                )
        horizon = KNOWN_HORIZONS.get(label) or self._horizon(label)
        self.higher[horizon] = HigherPlan(
            horizon=horizon, label=label, title=title.group(1) if title else label,
            start_fy=start, end_fy=end, description=text,
        )  # fmt: skip

    # --- the plan -----------------------------------------------------------------------

    def _plan(self, title: str, goals: tuple[list[Node], ...], indicators: tuple[Indicator, ...]) -> Plan:
        opts = self.options
        observation_years = [o.fy for i in indicators for o in i.observations]
        actual_years = [o.fy for i in indicators for o in i.observations if o.kind == ACTUAL]
        status_years = [o.fy for i in indicators for o in i.observations if o.kind != ACTUAL]
        plan_targets = [t.fy for i in indicators for t in i.targets if t.horizon == PLAN_HORIZON]
        end_fy = opts.end_fy or (
            Counter(plan_targets).most_common(1)[0][0]
            if plan_targets
            else max(observation_years, default=None)
        )
        start_fy = opts.start_fy or (min(actual_years) + 1 if actual_years else None)
        if end_fy is None or start_fy is None:
            raise MachiplanError(
                "the sheet has no year rows to take the plan's period from", where=self.source
            )
        if opts.start_fy is None:
            self.warn(
                None,
                f"the plan's first year is not in the sheet: taken as FY{start_fy}, the year after the first actual (give --start-fy)",
                f"シートに計画の初年度がありません：最初の実績の翌年度の{start_fy}年度とします（--start-fy で指定できます）",
            )
        if opts.start_fy is None:
            start_fy = min(
                start_fy, end_fy
            )  # a guess yields to the period the sheet gives; a given year never
        evaluation_fy = (
            max(status_years) if status_years else (max(actual_years) + 1 if actual_years else None)
        )
        if evaluation_fy is not None:
            evaluation_fy = min(max(evaluation_fy, start_fy), end_fy + 1)
        municipality_name = opts.municipality_name or self._guess_municipality(title)
        municipality_code = opts.municipality_code or "000000"
        if opts.municipality_code is None:
            self.warn(
                None,
                "the municipality's code (全国地方公共団体コード) is not in the sheet: 000000 until given (--municipality-code)",
                "シートに団体コード（全国地方公共団体コード）がありません：指定されるまで000000とします（--municipality-code）",
            )
        higher = [
            self.higher.get(h) or HigherPlan(horizon=h, label=label, title=label)
            for h, label in self.row_labels.items()
        ]
        higher += [h for key, h in self.higher.items() if key not in self.row_labels]
        return Plan(
            code=opts.code or code_from(self.source),
            title=title,
            municipality=Municipality(name=municipality_name, code=municipality_code),
            start_fy=start_fy,
            end_fy=end_fy,
            evaluation_fy=evaluation_fy,
            higher_plans=tuple(higher),
            levels=GOALS_AND_POLICIES,
            nodes=tuple(node for nodes in sorted(goals, key=lambda g: int(g[0].code)) for node in nodes),
            indicators=indicators,
        )

    def _guess_municipality(self, title: str) -> str:
        for text in [*(h.title for h in self.higher.values()), title]:
            m = re.match(r"^(.{1,6}?[都道府県市区町村])", text)
            if m:
                return m.group(1)
        self.warn(
            None,
            "the municipality is not named in the sheet (give --municipality)",
            "シートに団体名がありません（--municipality で指定してください）",
        )
        return "不明"


def _shared_start(a: str, b: str) -> int:
    """How many characters two texts begin with in common."""
    for n, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return n
    return min(len(a), len(b))


def _fact(item: str) -> tuple[str, str] | None:
    """'…と締結 (H28に新たに2社)' -> ('…と締結', 'H28に新たに2社'): a closing parenthetical with a figure."""
    if not item.endswith((")", "）")):
        return None
    body = item[:-1]
    start = max(body.rfind("("), body.rfind("（"))
    inner = body[start + 1 :]
    text = body[:start].rstrip()
    if start < 0 or not text or ")" in inner or "）" in inner or not re.search(r"\d", inner):
        return None
    return text, inner


def _head_complete(head: list[_Line]) -> bool:
    """The goal's name (『…』) and its statement are in: a further line is not part of the heading."""
    return len(head) > 1 and bool(_NAME_RE.match(head[0].text.strip()))


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def read_sheet(text: str, *, source: str = "sheet.txt", options: SheetOptions | None = None) -> SheetResult:
    reader = _Reader(text, source, options or SheetOptions())
    plan = reader.read()
    return SheetResult(
        plan=plan, warnings=tuple(reader.warnings), guesses=tuple(reader.guesses), layout="sapporo"
    )


def read_sheet_file(path: str | Path, *, options: SheetOptions | None = None) -> SheetResult:
    """A sheet file a user names: a regular file of at most ``MAX_SHEET_BYTES``, in any of the encodings."""
    data = read_user_file(path, MAX_SHEET_BYTES)
    name = display_name(path)  # the provenance of every figure: 'sheet.txt:12'
    text, encoding = decode(data, name=name)
    result = read_sheet(text, source=name, options=options)
    return replace(result, encoding=encoding)
