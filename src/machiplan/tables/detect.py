"""Finding the table in a sheet, and how to read it: the header rows, what each column holds,
where the body ends and the notes begin, the rows that head a group of indicators.

``detect(grid)`` proposes a mapping, with what it guessed and why; ``locate(grid, mapping)``
finds again what a mapping says (a column by its header's text, so next year's added year
column does not shift the rest) and guesses only the columns the mapping does not know.
Both give a ``Layout``: the mapping placed on this grid.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.validation import PlanWarning

from . import mapping as m
from .cells import parse_cell, read_when
from .grid import Grid, column_index, column_letter
from .headers import HeaderGuess, guess_header, kind_of, unit_of
from .outline import Heading, heading, looks_like_code

MAX_HEADER_ROWS = 5  # a header of more rows than this is a table of its own
FIRST_ROWS = 60  # rows searched for the header
SAMPLE = 400  # body rows a column's content is judged by
_NOTE_RE = re.compile(
    r"^(?:※|＊|\*|注\s*[0-9０-９]*\s*[.．:：)）\s]|[(（【]注|注記|注意|出典\s*[:：]|資料\s*[:：]|備考\s*[:：]|[(（]備考|参考\s*[:：]\s*\S)"
)
_TYPE_WORDS = {"KGI": "kgi", "KPI": "kpi", "成果指標": "outcome", "成果": "outcome", "活動指標": "activity",
               "活動": "activity", "対象指標": "context", "数値目標": "kgi", "重要業績評価指標": "kpi"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MappingGuess:
    """What the reader guessed of the table itself, and why: shown, and correctable in the mapping."""

    where: str  # 'column D', 'header_rows', 'layout', 'levels', 'plan.end_fy'
    value: str  # what it guessed, in words
    reason_ja: str
    reason_en: str
    header: str = ""

    @property
    def key(self) -> str:
        return self.where


# Something the reader could not read or place, and where (a cell, a row, the sheet): a plan's
# warning, in English and Japanese.
TableWarning = PlanWarning


@dataclass(frozen=True)
class Layout:
    """A mapping placed on one grid."""

    mapping: m.Mapping
    columns: dict[int, m.Column]  # by the column's index (A = 0)
    body: tuple[int, ...]  # the table's rows
    notes: tuple[int, ...]  # the rows below it
    groups: dict[int, Heading]  # body rows that head a group of indicators (1章 …, ①…)
    group_styles: tuple[str, ...]  # their numbering styles, top level first
    above: tuple[str, ...] = ()  # the lines above the table: its title first

    @property
    def title(self) -> str:
        return self.above[0] if self.above else ""

    guesses: tuple[MappingGuess, ...] = ()
    warnings: tuple[TableWarning, ...] = ()

    def column(self, role: str) -> int | None:
        return next((i for i, c in self.columns.items() if c.role == role), None)

    def of_role(self, *roles: str) -> list[tuple[int, m.Column]]:
        return [(i, c) for i, c in sorted(self.columns.items()) if c.role in roles]


# --- the header -------------------------------------------------------------------------------


def _anchored(grid: Grid, row: int) -> list[tuple[int, str]]:
    """The row's non-blank cells that are not covered by a merge from another cell."""
    return [(c, t) for c, t in enumerate(grid.rows.get(row, ())) if t and grid.anchor(row, c) == (row, c)]


def _is_number(text: str) -> bool:
    """A cell that reads as a figure (32.4%, 1,200), not as a year a header names (2019, H27)."""
    try:
        if read_when(re.sub(r"\s+", "", text), bare_western=True) is not None and not re.search(
            r"[%％]", text
        ):
            return False
    except MachiplanError:
        return False
    try:
        cell = parse_cell(text)
    except MachiplanError:
        return False
    unit = cell.unit or ""
    return (
        cell.kind == "value"
        and not cell.breakdown
        and len(unit) <= 6
        and not re.search(r"[年月日目標実績見込現在時点値度末]", unit)
    )


def find_header(grid: Grid) -> tuple[int, int] | None:
    """The first and last row of the header: the first row naming two or more known columns (an
    indicator's name or figures among them) and no figure, then the rows under it that go on
    naming columns (令和4年度 over 9月30日現在 | 末見込)."""
    rows = grid.numbers[:FIRST_ROWS]
    for i, row in enumerate(rows):
        cells = _anchored(grid, row)
        guesses = [g for _, t in cells if (g := guess_header(t)) is not None]
        if len(guesses) < 2 or any(_is_number(t) for _, t in cells):
            continue
        roles = {g.role for g in guesses}
        if not (m.NAME in roles or roles & {*m.FIGURE_ROLES, "current"}):
            continue
        last = row
        for below in rows[i + 1 : i + MAX_HEADER_ROWS]:
            if below != last + 1 or not _continues(grid, below, last):
                break
            last = below
        return row, last
    return None


def _continues(grid: Grid, row: int, above: int) -> bool:
    cells = _anchored(grid, row)
    if not cells or any(_is_number(t) for _, t in cells):
        return False
    for col, text in cells:
        if guess_header(text) is not None:
            continue
        if grid.span(above, col) < 2 and not spread_over(grid, above, col, row):
            return False  # not under a header spanning several columns
    return True


def spread_over(grid: Grid, row: int, col: int, below: int) -> bool:
    """Whether a blank header cell lies under a header of several columns that a CSV file (or an
    unmerged workbook) writes once, in its first column: ``令和2年度, ,`` over ``目標, 実績``."""
    return _spread_text(grid, row, col, below) != ""


def _spread_text(grid: Grid, row: int, col: int, below: int) -> str:
    if grid.filled(row, col) or grid.anchor(row, col) != (row, col) or not grid.filled(below, col):
        return ""
    left = col - 1
    while left >= 0 and not grid.filled(row, left) and grid.filled(below, left):
        left -= 1
    if left < 0 or grid.span(row, left) > 1 or not grid.filled(below, left):
        return ""
    return grid.filled(row, left)


def header_texts(grid: Grid, first: int, last: int) -> dict[int, str]:
    """Each column's header: the header rows' texts top to bottom (a merged cell's on every column
    and row it covers), joined with a space."""
    found: dict[int, str] = {}
    for col in range(grid.width):
        pieces: list[str] = []
        for row in range(first, last + 1):
            text = grid.filled(row, col)
            if not text and row < last:  # under a header of several columns written once
                text = _spread_text(grid, row, col, row + 1)
            text = " ".join(text.split())
            if text and (not pieces or pieces[-1] != text):
                pieces.append(text)
        found[col] = " ".join(pieces)
    return found


# --- the body and the notes ---------------------------------------------------------------------


def body_and_notes(
    grid: Grid, last_header: int, first_header: int | None = None
) -> tuple[list[int], list[int], list[int]]:
    """The table's rows, then the notes below it: from the first row that starts like a note (※,
    注, 出典:) and holds little else, every row is a note, until the header is written again (a
    page break): the table goes on under it. The third list is the rows of the header repeated,
    which are no rows of the table."""
    body: list[int] = []
    notes: list[int] = []
    repeated: list[int] = []
    in_notes = False
    first_header = last_header if first_header is None else first_header
    header = [t for r in range(first_header, last_header + 1) if (t := _texts(grid, r))]
    following: list[tuple[str, ...]] = []  # the header's rows still to come, once its first is seen
    for row in grid.numbers:
        if row <= last_header:
            continue
        texts = _texts(grid, row)
        if header and texts == header[0]:
            repeated.append(row)
            following = header[1:]
            in_notes = False
            continue
        if following and texts == following[0]:
            repeated.append(row)
            following = following[1:]
            continue
        following = []
        if not in_notes and body:
            cells = _anchored(grid, row)
            if cells and len(cells) <= 2 and _NOTE_RE.match(cells[0][1]):
                in_notes = True
        (notes if in_notes else body).append(row)
    return body, notes, repeated


def _texts(grid: Grid, row: int) -> tuple[str, ...]:
    """A row's texts, without spaces, for telling a header written again."""
    return tuple(re.sub(r"\s+", "", t) for _, t in _anchored(grid, row))


def group_rows(grid: Grid, body: list[int], columns: dict[int, m.Column]) -> dict[int, Heading]:
    """Body rows that head a group: one cell alone, numbered (1章, ①, (1)) or spread over several
    columns, and no figure."""
    found: dict[int, Heading] = {}
    structural = {m.LEVEL, m.NODE_NAME, m.CATEGORY, m.KIND, m.FY, m.UNIT}
    for row in body:
        cells = _anchored(grid, row)
        if len(cells) != 1:
            continue
        col, text = cells[0]
        column = columns.get(col)
        if column is not None and (column.is_figure or column.role in structural):
            continue
        found_heading = heading(text)
        if found_heading is not None and found_heading.name:
            found[row] = found_heading
        elif grid.span(row, col) >= 2:
            found[row] = Heading("", text, "span")
    return found


def styles_of(groups: dict[int, Heading]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.style for _, h in sorted(groups.items())))


# --- the columns ----------------------------------------------------------------------------------


def _values(grid: Grid, body: list[int], col: int) -> list[str]:
    return [t for row in body[:SAMPLE] if (t := grid.filled(row, col))]


def _guess(where: str, header: str, value: str, reason_ja: str, reason_en: str) -> MappingGuess:
    return MappingGuess(where=where, header=header, value=value, reason_ja=reason_ja, reason_en=reason_en)


def describe(column: m.Column) -> str:
    """A column's role in words: 'actual FY2020', 'target (the plan's end)', 'level 0'."""
    words = column.role
    if column.role == m.LEVEL:
        words += f" {column.level}"
    if column.role == m.TARGET and column.target != domain.FINAL:
        words = f"{column.target} target"
    if column.fy is not None:
        words += f" {'FY' if column.period == domain.FISCAL_YEAR else ''}{column.fy}"
    if column.as_of is not None:
        words += f" as of {column.as_of.isoformat()}"
    if column.label:
        words += f" ({column.label})"
    if column.basis:
        words += f" {column.basis}"
    if column.unit:
        words += f" [{column.unit}]"
    return words


def classify(
    grid: Grid, body: list[int], headers: dict[int, str], known: dict[int, m.Column] | None = None
) -> tuple[dict[int, m.Column], list[MappingGuess]]:
    """What each column holds, by its header and then by its cells; ``known`` columns (a mapping's)
    are kept as they are and only inform the others."""
    known = dict(known or {})
    proposed: dict[int, tuple[str, HeaderGuess | None]] = {}  # col -> (role, guess)
    reasons: dict[int, tuple[str, str]] = {}
    for col in range(grid.width):
        if col in known:
            continue
        header = headers.get(col, "")
        values = _values(grid, body, col)
        guess = guess_header(header)
        if guess is None and not values:
            continue
        if guess is None:
            role, why = _by_content(values)
            proposed[col] = (role, None)
            reasons[col] = why
        else:
            proposed[col] = (guess.role, guess)
            reasons[col] = (guess.reason_ja, guess.reason_en)
    roles = {c.role for c in known.values()}
    name_col = next((i for i, c in known.items() if c.role == m.NAME), None)
    # the name: the first column called so, else the column of the longest texts
    if name_col is None:
        names = [i for i, (role, _) in sorted(proposed.items()) if role == m.NAME]
        if names:
            name_col = names[0]
            for other in names[1:]:
                proposed[other] = (m.CATEGORY, proposed[other][1])
                reasons[other] = (
                    "指標名の列が他にあるため区分とみなす",
                    "another column holds the names: read as a category",
                )
        else:
            texts = {
                i: sum(len(v) for v in _values(grid, body, i)) / max(1, len(_values(grid, body, i)))
                for i, (role, g) in proposed.items()
                if role in (m.IGNORE, m.CATEGORY, m.NOTE)
                and not any(_is_number(v) for v in _values(grid, body, i)[:20])
            }
            if texts:
                name_col = max(texts, key=lambda i: texts[i])
                reasons[name_col] = (
                    "見出しがないが、最も長い文字列の列",
                    "no header says so: the column of the longest texts",
                )
        if name_col is not None:
            proposed[name_col] = (m.NAME, proposed.get(name_col, (m.NAME, None))[1])
    if name_col is None:
        raise MachiplanError(
            "no column of indicator names (指標名): give one in a mapping (role: name)", where=grid.where
        )
    names_by_row = {row: grid.filled(row, name_col) for row in body}
    columns: dict[int, m.Column] = {}
    guesses: list[MappingGuess] = []
    has_baseline = m.BASELINE in roles or any(r == m.BASELINE for r, _ in proposed.values())
    for col, (role, guess) in sorted(proposed.items()):
        values = _values(grid, body, col)
        why = reasons[col]
        g = guess or HeaderGuess(role, *why)
        if role == m.CATEGORY:
            kinds = sum(kind_of(v) is not None for v in values)
            types = sum(v.strip().upper() in _TYPE_WORDS for v in values)
            if values and kinds >= 0.6 * len(values):
                role, why = m.KIND, ("「目標」「実績」などの行の種別", "目標 / 実績 …: the kind of each row")
            elif values and types >= 0.6 * len(values):
                role, why = m.TYPE, ("KGI・KPIなどの指標の種類", "KGI / KPI …: the indicator's type")
        if role == m.LEVEL and col > name_col:
            role, why = (
                m.CATEGORY,
                ("指標名より右の階層語は区分とみなす", "right of the names: read as a category"),
            )
        if role == m.CODE:
            # a code on consecutive rows of different indicators codes their node (1-1 | 1-1 | 1-2);
            # one that comes back further down numbers the indicators within a group (① … ①)
            shared = False
            before = (None, None)
            for row in body:
                code, name = grid.filled(row, col), names_by_row.get(row, "")
                if code and code == before[0] and name != before[1]:
                    shared = True
                before = (code, name)
            if shared:
                role, why = (
                    m.NODE_CODE,
                    (
                        "同じ番号が複数の指標にあるため、指標の属する施策の番号とみなす",
                        "a code shared by several indicators: the code of their node",
                    ),
                )
        if role == "current":
            if has_baseline:
                role, why = (
                    m.ACTUAL,
                    (
                        f"「{g.label}」は実績（初期値の列が別にある）",
                        f"'{g.label}': an actual (a baseline column is there too)",
                    ),
                )
            else:
                role, why = (
                    m.BASELINE,
                    (
                        f"「{g.label}」を基準値とみなす（初期値の列がない）",
                        f"'{g.label}': the baseline (no other baseline column)",
                    ),
                )
        if role in (m.RATING, m.COST) and values:
            role, why = _own_by_content(role, values, why)
        column = m.Column(
            column=column_letter(col),
            header=headers.get(col, ""),
            role=role,
            fy=g.fy if role in (*m.FIGURE_ROLES, m.RATING, m.COST) else None,
            period=g.period,
            as_of=g.as_of if role in (m.INTERIM, m.VALUE, m.ACTUAL) else None,  # type: ignore[arg-type]
            target=g.target if role == m.TARGET else domain.FINAL,
            label=g.label if role in (m.BASELINE, m.RATING, m.COST) else "",
            unit=g.unit if role in (*m.FIGURE_ROLES, m.COST) else None,
            basis=m.cost_basis(g.label or headers.get(col, "")) if role == m.COST else "",
        )
        columns[col] = column
        guesses.append(_guess(f"column {column.column}", column.header, describe(column), *why))
    # a level column of bare codes (1-1, Ⅰ-2) gives the node's code; the level column after it, its name
    for col, column in sorted(columns.items()):
        values = _values(grid, body, col)
        if column.role == m.LEVEL and values and all(looks_like_code(v) for v in values):
            if any(c.role == m.NODE_CODE for c in (*known.values(), *columns.values())):
                continue
            columns[col] = replace(column, role=m.NODE_CODE)
            _reword(guesses, columns[col], "番号だけが並ぶため施策の番号", "only codes: the code of the node")
            after = columns.get(col + 1)
            if after is not None and after.role == m.LEVEL:
                columns[col + 1] = replace(after, role=m.NODE_NAME)
                _reword(
                    guesses,
                    columns[col + 1],
                    "左の番号の施策の名前",
                    "the name of the node coded on its left",
                )
    # a level column right of the node codes names the node they code (施策番号 | 施策名)
    for col, column in sorted(columns.items()):
        left = columns.get(col - 1) or known.get(col - 1)
        if column.role == m.LEVEL and left is not None and left.role == m.NODE_CODE:
            columns[col] = replace(column, role=m.NODE_NAME, level=None)
            _reword(guesses, columns[col], "左の番号の施策の名前", "the name of the node coded on its left")
    # one column each of what a row has one of: the first is read, the others are said and left
    for role in (m.CODE, m.NODE_CODE, m.NODE_NAME, m.UNIT, m.KIND, m.FY, m.TYPE):
        held = [i for i, c in known.items() if c.role == role]
        for col, column in sorted(columns.items()):
            if column.role != role:
                continue
            if held:
                columns[col] = replace(column, role=m.IGNORE)
                _reword(
                    guesses,
                    columns[col],
                    f"{role}の列が他にある: 読まない",
                    f"another column is the {role}: not read",
                )
            else:
                held.append(col)
    # a lone year-stated target column is the plan's final target
    targets = [i for i, c in {**known, **columns}.items() if c.role == m.TARGET]
    if len(targets) == 1 and targets[0] in columns and columns[targets[0]].target == domain.ANNUAL:
        columns[targets[0]] = replace(columns[targets[0]], target=domain.FINAL)
        _reword(
            guesses,
            columns[targets[0]],
            "目標の列が一つだけなので最終目標",
            "the only target column: the final target",
        )
    return columns, guesses


def _reword(guesses: list[MappingGuess], column: m.Column, ja: str, en: str) -> None:
    for n, g in enumerate(guesses):
        if g.where == f"column {column.column}":
            guesses[n] = replace(
                g, value=describe(column), reason_ja=f"{g.reason_ja}; {ja}", reason_en=f"{g.reason_en}; {en}"
            )


def _own_by_content(role: str, values: list[str], why: tuple[str, str]) -> tuple[str, tuple[str, str]]:
    """A grade column holds short marks (A, ◎, 概ね順調), not figures (a rate: 85%) nor sentences; a
    cost column holds figures."""
    numbers = sum(_is_number(v) for v in values)
    if role == m.RATING:
        if numbers >= 0.5 * len(values):
            return m.IGNORE, (
                "評価の列だが数値が並ぶ（率）: 読まない",
                "a grade's header over figures (a rate): not read",
            )
        if sum(len(v) > 12 for v in values) >= 0.5 * len(values):
            return m.IGNORE, ("評価の列だが文章が並ぶ: 読まない", "a grade's header over sentences: not read")
        return role, why
    if numbers < 0.5 * len(values):
        return m.IGNORE, (
            "事業費の列だが数値が並ばない: 読まない",
            "a cost's header over no figures: not read",
        )
    return role, why


def _by_content(values: list[str]) -> tuple[str, tuple[str, str]]:
    """A column without a header, by its cells."""
    codes = sum(looks_like_code(v) for v in values)
    if codes >= 0.8 * len(values):
        return m.CODE, ("見出しはないが番号が並ぶ", "no header; its cells are codes")
    numbers = sum(_is_number(v) for v in values)
    if numbers >= 0.8 * len(values):
        return m.IGNORE, (
            "見出しのない数値の列: 何の値か分からないため読まない",
            "figures under no header: not read (say what they are)",
        )
    return m.IGNORE, ("見出しのない列: 読まない", "no header: not read (give it a role)")


def _level_columns(columns: dict[int, m.Column], first_level: int) -> dict[int, m.Column]:
    level = first_level
    result = dict(columns)
    for col, column in sorted(columns.items()):
        if column.role == m.LEVEL:
            result[col] = replace(column, level=level)
            level += 1
    return result


def _level_name(column: m.Column) -> str:
    text = re.sub(r"(の)?(名称|名|番号|No\.?)$", "", column.header.strip()) or column.header.strip()
    return text or f"第{(column.level or 0) + 1}階層"


_STYLE_NAMES = {"章": "章", "節": "節"}


def level_names(
    styles: tuple[str, ...], columns: dict[int, m.Column], node_depth: int
) -> tuple[list[str], list[MappingGuess]]:
    """The levels' names: the group rows' styles (1章 -> 章, 【基本目標1】 -> 基本目標), then the level
    columns' headers, then the depths of the node codes."""
    names: list[str] = []
    unnamed: list[int] = []
    for style in styles:
        if style.startswith("word:"):
            names.append(style[5:])
        elif style in _STYLE_NAMES:
            names.append(_STYLE_NAMES[style])
        else:
            unnamed.append(len(names))
            names.append(f"第{len(names) + 1}階層")
    level_columns = [c for _, c in sorted(columns.items()) if c.role == m.LEVEL]
    names += [_level_name(c) for c in level_columns]
    named_by = next((c for c in columns.values() if c.role == m.NODE_NAME), None)
    extra = max(0, node_depth - len(level_columns))  # a code's first parts are the level columns' nodes
    for k in range(extra):
        if k == extra - 1 and named_by is not None and named_by.header:
            names.append(_level_name(named_by))
            continue
        unnamed.append(len(names))
        names.append(f"第{len(names) + 1}階層")
    guesses = []
    if unnamed:
        which = ", ".join(names[i] for i in unnamed)
        guesses.append(
            _guess(
                "levels",
                "",
                which,
                "表に階層の名前がない: levels で名付ける",
                "the table does not name these levels: name them in levels",
            )
        )
    return names, guesses


def _node_depth(
    grid: Grid, body: list[int], columns: dict[int, m.Column]
) -> tuple[int, dict[int, m.Column], list[MappingGuess]]:
    """How deep the node codes go, and the digits of each level of a code written without
    separators (11102)."""
    from .outline import code_parts

    col = next((i for i, c in columns.items() if c.role == m.NODE_CODE), None)
    if col is None:
        return 0, columns, []
    column = columns[col]
    values = [v for v in _values(grid, body, col) if v]
    guesses = []
    widths = column.widths
    if not widths and values and all(v.isdigit() for v in values) and len({len(v) for v in values}) == 1:
        size = len(values[0])
        # 11102: 1-11-11102; longer numbers (an ID, a date) are not read as levels: widths say otherwise
        widths = {3: (1, 2), 4: (2, 2), 5: (1, 2, 2), 6: (2, 2, 2), 7: (3, 2, 2)}.get(size, ())
        if widths:
            columns = {**columns, col: replace(column, widths=widths)}
            guesses.append(_guess(
                f"column {column.column}", column.header, f"widths {list(widths)}",
                f"区切りのない{size}桁の番号を {list(widths)} 桁ずつの階層と読む（widths で直す）",
                f"{size}-digit codes without separators read as levels of {list(widths)} digits (correct with widths)",
            ))  # fmt: skip
    depth = max((len(code_parts(v, widths)) for v in values), default=0)
    return depth, columns, guesses


# --- proposing, and finding again -----------------------------------------------------------------


def _above(grid: Grid, first: int) -> tuple[tuple[str, ...], str | None]:
    """The lines above the table (the first is its title) and a unit it states for all (（単位：千円）)."""
    lines: list[str] = []
    unit = None
    for row in grid.numbers:
        if row >= first:
            break
        text = " ".join(t for _, t in _anchored(grid, row))
        found = unit_of(text) if ("単位" in text) else None
        if found:
            unit = found
        elif text:
            lines.append(text)
    return tuple(lines), unit


def detect(grid: Grid) -> Layout:
    """The table's layout, proposed."""
    found = find_header(grid)
    if found is None:
        raise MachiplanError(
            "no table found: no row names its columns (指標名, 単位, 現状値, 目標値, 令和2年度実績 …)",
            where=grid.where,
        )
    first, last = found
    headers = header_texts(grid, first, last)
    body, notes, repeated = body_and_notes(grid, last, first)
    if not body:
        raise MachiplanError(
            f"the table has no rows under its header (rows {first}–{last})", where=grid.where
        )
    columns, guesses = classify(grid, body, headers)
    groups = group_rows(grid, body, columns)
    if groups:  # the columns judged again by the indicators' rows alone
        columns, guesses = classify(grid, [r for r in body if r not in groups], headers)
        groups = group_rows(grid, body, columns)
    styles = styles_of(groups)
    columns = _level_columns(columns, len(styles))
    depth, columns, depth_guesses = _node_depth(grid, body, columns)
    levels, level_guesses = level_names(styles, columns, depth)
    # the level columns' guesses now say their level
    guesses = [
        replace(g, value=describe(columns[column_index(g.where[7:])]))
        if g.where.startswith("column ") and column_index(g.where[7:]) in columns
        else g
        for g in guesses
    ]
    layout = m.LONG if any(c.role == m.FY for c in columns.values()) else m.WIDE
    above, unit = _above(grid, first)
    head = [
        _guess(
            "header_rows",
            "",
            f"{first}–{last}",
            f"見出しの行: {first}行目から{last}行目",
            f"the header: rows {first} to {last}",
        ),
        _guess("layout", "", layout, *_layout_reason(layout)),
    ]
    if notes:
        head.append(
            _guess(
                "notes",
                "",
                _rows_said(notes),
                f"{_rows_said(notes)}行目は表の下の注記",
                f"rows {_rows_said(notes)}: notes below the table",
            )
        )
    if repeated:
        head.append(_repeated_guess(repeated))
    if groups:
        head.append(
            _guess(
                "groups",
                "",
                ", ".join(styles),
                "指標のない見出しの行を計画の階層とみなす",
                "rows heading a group of indicators: the plan's hierarchy",
            )
        )
    mapping = m.Mapping(
        layout=layout,
        header_rows=(first, last),
        columns=tuple(c for _, c in sorted(columns.items())),
        sheet=grid.sheet,
        file=grid.file,
        unit=unit,
        levels=tuple(levels),
    )
    return Layout(
        mapping=mapping,
        columns=columns,
        body=tuple(body),
        notes=tuple(notes),
        groups=groups,
        group_styles=styles,
        above=above,
        guesses=(*head, *guesses, *depth_guesses, *level_guesses),
    )


def _rows_said(rows: list[int]) -> str:
    """11–13, 17–18: the rows in runs."""
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _repeated_guess(rows: list[int]) -> MappingGuess:
    said = ", ".join(str(r) for r in rows)
    return _guess(
        "header_repeated",
        "",
        said,
        f"{said}行目は見出しの繰り返し（改ページ）: 表の行ではない、表はその下に続く",
        f"rows {said}: the header repeated (a page break), not rows of the table; the table goes on under it",
    )


def _layout_reason(layout: str) -> tuple[str, str]:
    if layout == m.LONG:
        return (
            "年度の列があるため、1行が指標・年度・種別の1組",
            "a year column: a row per indicator, year and kind",
        )
    return (
        "1行が1指標（年度・種別は列の見出しかセルに）",
        "a row per indicator (years and kinds in the headers or the cells)",
    )


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", "", text)


def locate(grid: Grid, mapping: m.Mapping) -> Layout:
    """A mapping placed on this grid: its header rows (found afresh when this sheet's header has
    moved), its columns found by their header's text, the columns it does not know guessed."""
    warnings: list[TableWarning] = []
    guesses: list[MappingGuess] = []
    first, last = mapping.header_rows
    headers = header_texts(grid, first, last)
    found = find_header(grid)
    if found is not None and found != (first, last):  # a line above the table added or removed
        moved = header_texts(grid, *found)
        if _matched(mapping, moved) >= _matched(mapping, headers):
            first, last = found
            headers = moved
            guesses.append(
                _guess(
                    "header_rows",
                    "",
                    f"{first}–{last}",
                    f"見出しが{first}行目に移っていた",
                    f"the header has moved to row {first}",
                )
            )
    taken: dict[int, m.Column] = {}
    by_text: dict[str, list[int]] = {}
    for col, text in headers.items():
        if text:
            by_text.setdefault(_norm_header(text), []).append(col)
    for column in mapping.columns:
        col = None
        if column.header:
            candidates = [c for c in by_text.get(_norm_header(column.header), []) if c not in taken]
            preferred = column_index(column.column)
            col = preferred if preferred in candidates else (candidates[0] if candidates else None)
        else:
            index = column_index(column.column)
            if index not in taken and not headers.get(index):
                col = index
        if col is None:  # next year's sheet has moved on (令和4年9月30日現在 is now 令和4年実績)
            guesses.append(_guess(
                f"column {column.column}", column.header, "not in this sheet",
                "対応表のこの列はこの表にない: 読むものはない", "the mapping's column is not in this sheet: nothing read from it",
            ))  # fmt: skip
            continue
        taken[col] = replace(column, column=column_letter(col))
    if not any(c.role == m.NAME for c in taken.values()):
        name = next(c for c in mapping.columns if c.role == m.NAME)
        raise MachiplanError(
            f"the column of indicator names ({name.header or name.column}) is not in this sheet: make a new mapping",
            where=grid.where,
        )
    body, notes, repeated = body_and_notes(grid, last, first)
    if repeated:
        guesses.append(_repeated_guess(repeated))
    new, new_guesses = classify(grid, body, headers, known=taken)
    groups = group_rows(grid, body, {**taken, **new})
    if groups:
        new, new_guesses = classify(grid, [r for r in body if r not in groups], headers, known=taken)
    for g in new_guesses:
        guesses.append(
            replace(
                g, reason_ja=f"対応表にない列: {g.reason_ja}", reason_en=f"not in the mapping: {g.reason_en}"
            )
        )
    columns = {**taken, **new}
    groups = group_rows(grid, body, columns)
    styles = styles_of(groups)
    levels = list(mapping.levels)
    following = max(
        (c.level for c in taken.values() if c.role == m.LEVEL and c.level is not None),
        default=len(styles) - 1,
    )
    for i, c in sorted(columns.items()):
        if i in new and c.role == m.LEVEL:  # a level column the mapping does not know: after the known ones
            following += 1
            columns[i] = replace(c, level=following)
    depth, columns, _ = _node_depth(grid, body, columns)
    need = len(styles) + sum(1 for c in columns.values() if c.role == m.LEVEL) + depth
    if len(levels) < need:
        extra, _ = level_names(styles, columns, depth)
        levels += extra[len(levels) :]
    above, unit = _above(grid, first)
    placed = replace(
        mapping,
        header_rows=(first, last),
        columns=tuple(c for _, c in sorted(columns.items())),
        levels=tuple(levels),
        unit=mapping.unit or unit,
        sheet=grid.sheet,
        file=grid.file,
        layout=m.LONG if any(c.role == m.FY for c in columns.values()) else mapping.layout,
    )
    return Layout(
        mapping=placed,
        columns=columns,
        body=tuple(body),
        notes=tuple(notes),
        groups=groups,
        group_styles=styles,
        above=above,
        guesses=tuple(guesses),
        warnings=tuple(warnings),
    )


def _matched(mapping: m.Mapping, headers: dict[int, str]) -> int:
    present = Counter(_norm_header(t) for t in headers.values() if t)
    return sum(1 for c in mapping.columns if c.header and present[_norm_header(c.header)])
