"""Read a published document of headings and indicators: the layouts most plans publish.

Headings of any kind make the hierarchy (``headings``); under them the reader finds
indicators written as
- ``現状 → 目標`` lists ('① 新規就農者数:1.4人/年 → 4組/年'),
- records of labelled facts ('指標名：…', '初期値：1.38（平成26年）', '目標値：…', '出典：…',
  with 【基本目標N】 tags naming the goals an indicator belongs to),
- tables flattened into one line per row, or into columns by extraction
  ('目標(指標)名 単位 現状 目標(平成31年度) 待機児童 人 0 0 …', '単位 団体 人 件 現状 88 2,059 3'),
and what the city counted or spent: tallies of indicators per grade (``tallies``), costs per
node (``costs``). Prose becomes the plan's or the node's text; a line it cannot place is a
warning naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import fiscal_year_bounds
from machiplan.domain.plan import (
    ACTUAL,
    ANNUAL,
    FINAL,
    INTERIM,
    MIDTERM,
    NONE,
    PENDING,
    PLAN_HORIZON,
    STATE,
    Baseline,
    Indicator,
    Narrative,
    NarrativeItem,
    Node,
    Observation,
    Target,
)
from machiplan.domain.quantities import Cell, read_cell, split_arrows

from . import costs, tallies
from .build import Builder
from .common import SheetOptions, SheetResult, key, slug
from .fields import field_of
from .headings import Heading, child_code, heading, segments
from .lines import Line, document_lines

LONG_LINE = 200  # a line this long is a page flattened into one: a heading's name is its first word
_ARROW_RE = re.compile(r"→|⇒|➡|➔")
_NUMBERED_RE = re.compile(r"^(?:[①-⑳]|\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[.)．）]|[・\-●○■◆])\s*")
_ARROW_LABEL_RE = re.compile(
    r"^(?:数値目標|基本目標の数値目標|KGI|KPI|重要業績評価指標|成果指標|目標指標)\s*[:：]\s*(?=[^:：→]{2,80}[:：])"
)
_NAME_VALUE_RE = re.compile(r"^(?P<name>[^:：→]{2,80}?)\s*[:：]\s*(?P<value>.+)$")
_PAGE_REF_RE = re.compile(r"^\d+ページ$|^p\.\d+$|^\d+$")
_STOP_WORDS = ("目標の内容", "施策の方向性", "目標達成に向けた", "進捗状況", "施策事業の体系")
_SECTION_WORDS = re.compile(
    r"(方法|概要|目次|はじめに|について|経緯|背景|趣旨|評価結果|実績報告|の実績$|結果$)"
)
_NARRATIVE_LABELS = {
    "施策の方向性": "direction", "方向性": "direction", "今後の方向性": "future", "今後の取組": "future",
    "進捗状況": "results", "取組状況": "results", "取組結果": "results", "課題": "issues", "目標の内容": "statement",
}  # fmt: skip
_TAG_RE = re.compile(r"【(?P<tag>[^】]{1,30})】")
_UNITS = {
    "人", "件", "回", "%", "団体", "校", "カ所", "ヶ所", "か所", "箇所", "自治会", "世帯", "戸", "台", "冊",
    "本", "社", "店", "園", "館", "施設", "事業", "項目", "組", "円", "千円", "万円", "百万円", "億円", "年",
    "歳", "日", "時間", "km", "㎞", "m", "㎡", "k㎡", "ha", "t", "トン", "kg", "点", "ポイント", "倍", "割",
    "者", "名", "便", "経営体", "人/年", "件/年", "回/年", "地区", "団地", "路線", "頭", "種", "‰", "人日", "泊", "品目", "区画",
}  # fmt: skip
_VALUE_RE = re.compile(r"^[約▲△+\-]?\d[\d,]*(?:\.\d+)?(?:[万億千]\d*)*[^\s]{0,6}$|^[―—–‐−─ー-]+$")


@dataclass
class Piece:
    line: int
    node: str | None
    text: str


@dataclass
class _Row:
    """An indicator found in a table, before it is made: its name, unit and cells."""

    name: str
    node: str | None
    line: int
    unit: str | None = None
    base: str | None = None
    target: str | None = None
    target_text: str = ""
    definition: str = ""


@dataclass
class _Block:
    """A header's columns written one after another, each with its values ('単位 % 現状 0 目標')."""

    line: int
    units: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)  # rows in the row form that follow an empty one
    target_fy: int | None = None
    section: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.units or self.bases or self.targets)


class _Outline:
    def __init__(self, text: str, source: str, options: SheetOptions) -> None:
        self.b = Builder(source, options, "outline")
        self.lines = document_lines(text)
        self.kinds: list[str] = []  # heading kinds in order of depth
        self.stack: list[tuple[str, str]] = []  # (kind, node code) from the top
        self.target_fy: int | None = None  # the year of the table's 目標 column
        self.records: list[dict] = []
        self.record: dict | None = None
        self.unrated: list = []
        self.in_record = False
        # the first indicator of each (name, targets): one KPI under two headings is one indicator
        self.listed: dict[tuple[str, tuple], int] = {}
        self.columns: list | None = None  # a table's header of year columns (tables.headers guesses)

    # --- the document -----------------------------------------------------------------

    def read(self) -> SheetResult:
        b = self.b
        b.noise(self.lines)
        lines = [ln for ln in self.lines if ln.text and not ln.noise]
        if not lines:
            raise MachiplanError("not a plan document: no text", where=b.source)
        b.years_from_text(lines)
        pieces = self._pieces(lines)
        self._content(pieces)
        costs.read_costs(b, lines, self._top_nodes_by_number())
        costs.read_grouped(b, lines)
        tallies.read_tallies(b, lines)
        tallies.rate_not_evaluated(b, self.unrated)
        self._finish_records()
        self._drop_section_headings()
        return b.plan()

    def _pieces(self, lines: list[Line]) -> list[Piece]:
        pieces: list[Piece] = []
        b = self.b
        for ln in lines:
            for seg in segments(ln.text):
                tag_only = bool(re.fullmatch(r"(?:【[^】]{1,30}】\s*)+", seg))
                if self._is_record(seg):
                    self.in_record = True
                elif not tag_only and field_of(seg.split(":")[0].split("：")[0]) is None:
                    self.in_record = False
                hs = (
                    []
                    if _ARROW_RE.search(seg) or self._is_record(seg) or (tag_only and self.in_record)
                    else heading(seg)
                )
                if (
                    hs
                    and not b.title
                    and ln is lines[0]
                    and len(hs[0].rest) > 60
                    and len(ln.text) < LONG_LINE
                ):
                    hs = []
                if not hs:
                    if not b.title and re.fullmatch(r"[\d年月日()（）火水木金土日曜\s/.-]+", seg):
                        b.description.append(seg)  # a date above the title (a blog's, a page's)
                        continue
                    if not b.title:
                        b.title = _title(seg)
                        rest = seg[len(b.title) :].strip() if seg.startswith(b.title) else ""
                        if rest:
                            pieces.append(Piece(ln.number, None, rest))
                        continue
                    pieces.append(Piece(ln.number, self.stack[-1][1] if self.stack else None, seg))
                    continue
                for h in hs[:-1]:
                    self._node(h, ln, "")
                rest = self._node(hs[-1], ln, hs[-1].rest, long=len(ln.text) >= LONG_LINE)
                if rest:
                    pieces.append(Piece(ln.number, self.stack[-1][1], rest))
        return pieces

    def _is_record(self, seg: str) -> bool:
        f = field_of(seg)
        return f is not None and f.name == "name" and bool(re.match(r"^[^:：]{1,14}[:：]", seg))

    def _node(self, h: Heading, ln: Line, rest: str, long: bool = False) -> str:
        """Make (or find) the heading's node; return what follows its name."""
        b = self.b
        kind = h.kind
        if kind in self.kinds:
            depth = self.kinds.index(kind)
        else:
            depth = len(self.stack)
            self.kinds.insert(depth, kind) if depth <= len(self.kinds) else self.kinds.append(kind)
            b.saw("level", f"{h.number} → {depth + 1}", f"見出し「{h.number}」の種類を第{depth + 1}階層とみなす",
                  f"headings like {h.number!r} taken for level {depth + 1}", ln.number)  # fmt: skip
        # a code like 1-1 says its parent: 施策1-1 under 基本目標1
        parent = None
        if "-" in h.key and h.key.rsplit("-", 1)[0] in b.nodes:
            parent = h.key.rsplit("-", 1)[0]
            depth = len(b.nodes[parent].code.split("-"))
            while self.stack and self.stack[-1][1] != parent:
                self.stack.pop()
        else:
            while len(self.stack) > depth:
                self.stack.pop()
            depth = min(depth, len(self.stack))
            parent = self.stack[-1][1] if self.stack else None
        code = child_code(parent, h.key)
        name, after = _name(rest, long)
        if not name:
            name = h.number
        node = b.add_node(Node(code=code, name=name, parent=parent, number=h.number))
        self.stack.append((kind, node.code))
        b.level(depth, h.label)
        return after

    def _drop_section_headings(self) -> None:
        """Headings of the document itself ('⑴ 評価の方法'), not of the plan: dropped when nothing stands under them."""
        b = self.b
        used = {code for ind in b.indicators for code in ind.nodes}
        parents = {n.parent for n in b.nodes.values()}
        for code, node in list(b.nodes.items()):
            empty = not (node.costs or node.tallies or node.ratings or code in used or code in parents)
            if empty and _SECTION_WORDS.search(node.name):
                del b.nodes[code]
                b.saw("heading", f"{node.number} {node.name}", "文書自体の見出し（計画の構成ではない）として除外",
                      "a heading of the document itself, not of the plan: left out of the hierarchy")  # fmt: skip

    def _top_nodes_by_number(self) -> dict[str, str]:
        return {n.code: n.code for n in self.b.nodes.values() if n.parent is None}

    # --- what stands under the headings -------------------------------------------------

    def _content(self, pieces: list[Piece]) -> None:
        table: list[tuple[str, Piece]] = []
        counted: list[tuple[str | None, int, list[str]]] = []
        unrated: list[tuple[str | None, int, list[str], str]] = []
        for piece in pieces:
            text = piece.text
            tokens = text.split(" ")
            if tallies.numeric(tokens):
                if counted and counted[-1][0] == piece.node:
                    counted[-1][2].extend(tokens)
                else:
                    counted.append((piece.node, piece.line, list(tokens)))
                continue
            if _ARROW_RE.search(text) and self._arrow(piece):
                continue
            if self._record_piece(piece):
                continue
            found = tallies.not_evaluated(text)
            if found:
                unrated.extend((piece.node, piece.line, names, reason) for names, reason in found)
                continue
            if not table and self._year_table(piece, tokens):
                continue
            if table or any(_is_table_key(t) for t in tokens[:3]):
                table.extend((t, piece) for t in tokens if t)
                continue
            if self._name_value(piece):
                continue
            self._prose(piece)
        if table:
            self._table(table)
        for node, line, tokens in tallies.row_tallies(self.b, counted):
            self._prose(Piece(line, node, " ".join(tokens)))
        self.unrated = unrated

    # --- a table of year columns, a line per row: 指標名 単位 基準値 R2実績 R3実績 目標値(R6) ---------

    def _year_table(self, piece: Piece, tokens: list[str]) -> bool:
        """A header naming year columns, or a row under one; False for any other line."""
        from machiplan.tables import mapping as tm  # the tables' header words (a lazy import: no cycle)
        from machiplan.tables.cells import parse_cell
        from machiplan.tables.headers import guess_header

        tokens = [t for t in tokens if t]
        first = field_of(tokens[0]) if tokens else None
        if first is not None and first.name == "name" and len(tokens) >= 3:
            guesses = [guess_header(t) for t in tokens[1:]]
            years = [g for g in guesses if g is not None and g.fy is not None and g.role in tm.FIGURE_ROLES]
            if len(years) >= 2 and all(g is not None for g in guesses):
                self.columns = guesses
                self.b.saw("column", " ".join(tokens), "年度の列の見出し: 以下の行を指標とその年度の数値とみなす",
                           "a header of year columns: the lines under it are indicators and their figures", piece.line)  # fmt: skip
                return True
            return False
        if self.columns is None or len(tokens) < 2 or _NOTE_START_RE.match(tokens[0]):
            return False
        if not any(_VALUE_RE.match(t) or t in MORE_EMPTY for t in tokens[1:]):
            return False
        cells = _join_prefixes(tokens[1:], len(self.columns))
        columns = self.columns
        if len(cells) == len(columns) - 1 and columns[0].role == tm.UNIT and _VALUE_RE.match(cells[0]):
            columns = columns[1:]  # no unit written (合計特殊出生率)
        if len(cells) != len(columns):
            self.b.warn(piece.line, f"{tokens[0]}: {len(cells)} cell(s) under a header of {len(columns)} column(s): "
                        "the row is not read; write one cell per column ('―' for none)",
                        f"{tokens[0]}：見出しの列は{len(columns)}、この行のセルは{len(cells)}：この行は読み込みません"
                        "（列ごとに一つのセルを、値のない列には「―」を書いてください）")  # fmt: skip
            return True
        unit = None
        base = None
        texts = ["", ""]
        targets: list[Cell | None] = []
        kinds: list[str] = []
        summed: list[int] = []  # the targets summed over the plan (累計 20人)
        observations: list[tuple[Cell, int]] = []
        for g, text in zip(columns, cells, strict=True):
            if g.role == tm.UNIT:
                unit = None if text in MORE_EMPTY else text
            elif g.role == tm.BASELINE and base is None:
                base, texts[0] = self._cell(text, piece.line, g.fy), g.label or text
            elif g.role == tm.TARGET:
                # as import-table reads a target cell: 累計 N summed over the plan, 維持 the maintain rule
                try:
                    said = parse_cell(text)
                except MachiplanError:
                    said = None
                cell = self._cell(re.sub(r"^累計\s*", "", text), piece.line, g.fy)
                if cell is not None and said is not None:
                    if cell.operator is None and said.operator is not None:
                        cell = replace(cell, operator=said.operator)
                    if said.summed:
                        summed.append(len(targets))
                        cell = replace(cell, source_text=text)  # as written: 累計 20人
                targets.append(cell)
                kinds.append(MIDTERM if g.target == MIDTERM else FINAL if g.target == FINAL else ANNUAL)
                texts[1] = text
            elif text in MORE_EMPTY:
                observations.append((Cell(None, fy=g.fy, source_text=text), piece.line))
            elif g.role in (tm.ACTUAL, tm.INTERIM, tm.VALUE, tm.FORECAST):
                cell = self._cell(text, piece.line, g.fy)
                if cell is not None:
                    observations.append((cell, piece.line))
        if kinds and FINAL not in kinds:
            kinds[-1] = FINAL
        self._make(tokens[0], piece.node, piece.line, base=base, targets=targets, texts=texts, unit=unit,
                   observations=observations, kinds=kinds, summed=summed)  # fmt: skip
        return True

    # --- 現状 → 目標 ----------------------------------------------------------------------

    def _arrow(self, piece: Piece) -> bool:
        text = _NUMBERED_RE.sub("", piece.text).strip()
        text = _ARROW_LABEL_RE.sub("", text)  # 数値目標：名称：現状 → 目標
        m = _NAME_VALUE_RE.match(text)
        if m:
            name, values = m["name"].strip(), m["value"]
        else:
            parts = text.split(" ", 1)
            if len(parts) < 2:
                return False
            name, values = parts
        f = field_of(name)
        if f is not None:
            return False
        stages = [s for s in split_arrows(values) if s]
        stages = [re.sub(r"^(?:現状値?|基準値|初期値|目標値?)\s*[:：]?\s*", "", s) for s in stages]
        if len(stages) < 2:
            return False
        cells = []
        for stage in stages:
            try:
                cells.append(read_cell(stage, where=self.b.where(piece.line)))
            except MachiplanError as exc:
                self.b.warn(
                    piece.line, f"{exc.message}: left out", f"読み取れないため除きました（{exc.message}）"
                )
                cells.append(None)
        base, *targets = cells
        self._make(name, piece.node, piece.line, base=base, targets=targets, texts=stages)
        return True

    # --- records: 指標名：…, 初期値：…, 目標値：… --------------------------------------------

    def _record_piece(self, piece: Piece) -> bool:
        text = piece.text
        tags = _TAG_RE.findall(text)
        m = re.match(r"^[・■□◆◇●○]?\s*【?(?P<label>[^:：】]{1,16})】?\s*[:：]\s*(?P<value>.*)$", text)
        f = field_of(m["label"]) if m else None
        if f is None:
            if tags and self.record is not None and not _TAG_RE.sub("", text).strip():
                self._tags(tags, piece)
                return True
            return False
        value = m["value"].strip()
        if f.name == "name":
            self._finish_record()
            self.record = {"name": _TAG_RE.sub("", value).strip(), "node": piece.node, "line": piece.line,
                           "nodes": [], "fields": []}  # fmt: skip
            if tags:
                self._tags(tags, piece)
            return True
        if self.record is None:
            return False
        if tags and f.name not in ("definition", "note", "source"):
            self._tags(tags, piece)
            value = _TAG_RE.sub("", value).strip()
        self.record["fields"].append((f, value, piece.line))
        return True

    def _tags(self, tags: list[str], piece: Piece) -> None:
        assert self.record is not None
        for tag in tags:
            hs = heading(tag)
            if not hs:
                continue
            h = hs[-1]
            code = h.key
            if code not in self.b.nodes:
                self.b.add_node(Node(code=code, name=h.number, number=h.number))
                self.b.level(0, h.label)
            self.record["nodes"].append(code)

    def _finish_record(self) -> None:
        if self.record is not None:
            self.records.append(self.record)
            self.record = None

    def _finish_records(self) -> None:
        self._finish_record()
        for rec in self.records:
            self._record(rec)
        self.records = []

    def _record(self, rec: dict) -> None:
        base = None
        targets: list[Cell | None] = []
        texts = ["", ""]
        extra: dict[str, str] = {}
        unit = None
        observations: list[tuple[Cell, int]] = []
        kinds: list[str] = []
        starts = sum(1 for f, _, _ in rec["fields"] if f.name == "base")
        for f, value, line in rec["fields"]:
            if f.name == "base" and starts > 1 and base is not None:
                f = replace(f, name="actual")  # 初期値 then 現状値: the start, then the latest figure
            if f.name in ("base", "target", "midterm", "actual"):
                parts = split_arrows(value) if _ARROW_RE.search(value) else [value]
                for part in parts:
                    cell = self._cell(part, line, f.fy)
                    if cell is None:
                        continue
                    if f.name == "base" and base is None:
                        base, texts[0] = cell, part
                    elif f.name == "actual":
                        observations.append((cell, line))
                    else:
                        targets.append(cell)
                        kinds.append(MIDTERM if f.name == "midterm" else FINAL)
            elif f.name == "unit":
                unit = value or None
            elif f.name in (
                "definition",
                "source",
                "calculation",
                "rationale",
                "note",
                "direction",
                "department",
            ):
                extra[f.name] = (extra.get(f.name, "") + " " + value).strip()
        nodes = list(dict.fromkeys(rec["nodes"])) or ([rec["node"]] if rec["node"] else [])
        self._make(rec["name"], nodes, rec["line"], base=base, targets=targets, texts=texts, unit=unit,
                   extra=extra, observations=observations, kinds=kinds)  # fmt: skip

    def _cell(self, text: str, line: int, fy: int | None = None) -> Cell | None:
        try:
            cell = read_cell(text, where=self.b.where(line))
        except MachiplanError as exc:
            self.b.warn(line, f"{exc.message}: left out", f"読み取れないため除きました（{exc.message}）")
            return None
        if cell.fy is None and fy is not None:
            cell = replace(cell, fy=fy)
        return cell

    # --- 'name: value' with one value: a current figure in a list of 現状 → 目標 -----------

    def _name_value(self, piece: Piece) -> bool:
        text = _NUMBERED_RE.sub("", piece.text).strip()
        m = _NAME_VALUE_RE.match(text)
        if not m or (not any(i.name for i in self.b.indicators) and not self._arrows_seen()):
            return False
        if len(m["name"]) > 40 or field_of(m["name"]) is not None:
            return False
        cell = self._cell(m["value"], piece.line)
        if cell is None or cell.quantity is None:
            return False
        self._make(
            m["name"].strip(), piece.node, piece.line, base=cell, targets=[], texts=[m["value"].strip()]
        )
        self.b.saw("record", m["name"].strip(), "「名称:値」を現状値とみなす（目標の記載なし）",
                   "'name: value' read as a current value with no target", piece.line)  # fmt: skip
        return True

    def _arrows_seen(self) -> bool:
        return any(i.baselines for i in self.b.indicators)

    # --- prose ----------------------------------------------------------------------------

    def _prose(self, piece: Piece) -> None:
        text = piece.text.strip()
        if not text:
            return
        label = next((lab for lab in _NARRATIVE_LABELS if text.startswith(lab)), None)
        body = text[len(label) :].strip() if label else text
        if piece.node is None:
            self.b.description.append(text)
            return
        node = self.b.nodes[piece.node]
        if label == "目標の内容" or (not label and not node.statement and text.startswith("○")):
            self.b.update_node(piece.node, statement=(node.statement + "\n" + body.lstrip("○")).strip())
            return
        kind = _NARRATIVE_LABELS.get(label or "", "results")
        if kind == "statement":
            kind = "results"
        item = NarrativeItem(heading=label or "", text=body.lstrip("○"))
        narratives = list(node.narratives)
        if narratives and (not label or narratives[-1].items[-1].heading == label):
            last = narratives[-1]
            narratives[-1] = replace(last, items=(*last.items, item))
        else:
            narratives.append(Narrative(kind=kind, fy=None, items=(item,)))
        self.b.update_node(piece.node, narratives=tuple(narratives))

    # --- tables flattened into lines or columns -------------------------------------------

    def _table(self, tokens: list[tuple[str, Piece]]) -> None:
        """Rows 'name unit base target', and columns written one after another ('単位 % 人 現状 0 171')."""
        b = self.b
        rows: list[_Row] = []
        blocks: list[_Block] = []
        needing: list[str | None] = []  # sections whose names wait for a block of columns
        pending: dict[str | None, list[_Row]] = {}  # names without figures, by section
        orphans: list[tuple[str, int]] = []  # figures no column claimed: targets, in order
        definitions: list[tuple[str, int]] = []
        mode = None
        block: _Block | None = None
        names: list[tuple[str, Piece]] = []
        units: list[str] = []
        values: list[str] = []
        state: str = ""
        last_name_key: tuple[str | None, int] | None = None

        def flush_row_group() -> None:
            nonlocal names, units, values, state
            if not names:
                if values:
                    orphans.extend((v, 0) for v in values)
                names, units, values = [], [], []
                return
            k = len(names)
            section = names[0][1].node
            host = block if block is not None and block.empty else None
            if values and len(values) % k == 0:
                per = len(values) // k
                for i, (name, piece) in enumerate(names):
                    row = _Row(name, host.section if host else section, piece.line,
                               unit=units[i] if i < len(units) else (units[0] if len(units) == 1 else None))  # fmt: skip
                    cols = [values[j * k + i] for j in range(per)]
                    row.base = cols[0] if per >= 2 else None
                    row.target = cols[-1]
                    rows.append(row)
                    if host:
                        host.rows.append(row)
            else:
                for i, (name, piece) in enumerate(names):
                    row = _Row(name, section, piece.line)
                    if state and i == 0:
                        row.target_text = state
                    pending.setdefault(section, []).append(row)
                if values:
                    orphans.extend((v, names[0][1].line) for v in values)
            names, units, values, state = [], [], [], ""

        for token, piece in tokens:
            f = field_of(token)
            if f is not None and f.name in ("name", "unit", "base", "target", "definition", "actual"):
                if f.name == "name":
                    flush_row_group()
                    last_name_key = (piece.node, piece.line)
                    needing.append(piece.node)
                    block = None
                    mode = "name"
                elif f.name == "unit":
                    flush_row_group()
                    block = _Block(piece.line)
                    blocks.append(block)
                    if last_name_key is not None:  # straight after the names' label: its own block
                        block.section = last_name_key[0]
                        needing.pop()
                    last_name_key = None
                    mode = "unit"
                elif f.name in ("base", "actual"):
                    flush_row_group() if mode not in ("unit",) else None
                    mode = "base"
                elif f.name == "target":
                    if f.fy:
                        self.target_fy = f.fy
                    mode = "target"
                else:
                    flush_row_group()
                    mode = "definition"
                continue
            is_value = bool(_VALUE_RE.match(token)) and not token.endswith(("名", "数"))
            if mode == "definition":
                if is_value:
                    orphans.append((token, piece.line))
                else:
                    definitions.append((token, piece.line))
                continue
            if mode == "unit" and block is not None and not is_value and (token in _UNITS or len(token) <= 3):
                block.units.append(token)
                continue
            if mode == "base" and block is not None and is_value:
                block.bases.append(token)
                continue
            if mode == "target" and block is not None and is_value:
                block.targets.append(token)
                continue
            # the row form: names, then units, then figures
            last_name_key = None if mode != "name" else last_name_key
            if is_value:
                values.append(token)
                mode = "rows"
            elif token in _UNITS and names:
                if values:
                    flush_row_group()
                units.append(token)
                mode = "rows"
            elif _is_state(token):
                if names and (units or values):
                    flush_row_group()
                state = token
            else:
                if values or (units and names):
                    flush_row_group()
                if mode in ("base", "target", "unit"):
                    block = None if block is not None and not block.empty else block
                names.append((token, piece))
                if mode != "name":
                    mode = "rows"
        flush_row_group()
        # blocks without a section go, in order, to the sections that wait for one
        free = [bl for bl in blocks if bl.section is None]
        for bl, section in zip(free, needing, strict=False):
            bl.section = section
            for row in bl.rows:
                row.node = section
        if len(free) != len(needing):
            b.warn(blocks[0].line if blocks else None,
                   f"{len(free)} block(s) of columns for {len(needing)} list(s) of names: matched in order as far as they go",
                   f"名称の並び{len(needing)}つに対して列のまとまりが{len(free)}つです：順に対応づけられる分だけ対応づけました")  # fmt: skip
        waiting: list[_Row] = []
        for bl in blocks:
            if bl.section is None:
                continue
            names_here = pending.pop(bl.section, [])
            for i, row in enumerate(names_here):
                row.unit = bl.units[i] if i < len(bl.units) else row.unit
                row.base = bl.bases[i] if i < len(bl.bases) else row.base
                if i < len(bl.targets):
                    row.target = bl.targets[i]
                elif not row.target_text:
                    waiting.append(row)
                rows.append(row)
            if names_here:
                b.saw("column", f"{bl.section}: {len(names_here)}", "列ごとに書かれた単位・現状値を名称と順に対応づけ",
                      "units and current values written column by column, matched to the names in order", bl.line)  # fmt: skip
        for leftover in pending.values():
            for row in leftover:
                if not row.target_text:
                    waiting.append(row)
                rows.append(row)
        targets = [v for v, _ in orphans]
        waiting.sort(key=lambda r: r.line)
        if waiting and targets:
            b.saw("column", f"{len(targets)} figures → {len(waiting)} targets",
                  "表から離れた数値の並びを、目標値のない指標の目標値として順に対応づけ",
                  "a run of figures apart from the table read as the targets of the indicators without one, in order",
                  orphans[0][1] or None)  # fmt: skip
            for row, value in zip(waiting, targets, strict=False):
                row.target = value
            if len(targets) != len(waiting):
                b.warn(orphans[0][1] or None,
                       f"{len(targets)} figure(s) for {len(waiting)} indicator(s) without a target: matched in order as far as they go",
                       f"目標値のない指標{len(waiting)}件に対して数値が{len(targets)}個です：順に対応づけられる分だけ対応づけました")  # fmt: skip
        elif targets:
            b.warn(
                orphans[0][1] or None,
                f"figures not placed in any column, left out: {' '.join(targets[:10])}",
                f"どの列にも当てはまらない数値を除きました：{' '.join(targets[:10])}",
            )
        rows.sort(key=lambda r: (r.line, 0))
        order = {id(r): n for n, r in enumerate(rows)}
        for row in sorted(rows, key=lambda r: order[id(r)]):
            if not (row.base or row.target or row.target_text or row.unit):
                b.warn(
                    row.line,
                    f"a word of the table with no figure or unit, left out: {row.name[:40]!r}",
                    f"数値も単位もない表の語句を除きました：{row.name[:40]!r}",
                )
                continue
            base = self._cell(row.base, row.line) if row.base else None
            target = self._cell(row.target, row.line, self.target_fy) if row.target else None
            if target is None and row.target_text:
                target = Cell(None, text=row.target_text, fy=self.target_fy, source_text=row.target_text)
            self._make(row.name, row.node, row.line, base=base, targets=[target] if target else [],
                       texts=[row.base or "", row.target or row.target_text], unit=row.unit)  # fmt: skip
        if definitions:
            self._definitions(definitions)

    def _definitions(self, words: list[tuple[str, int]]) -> None:
        """'目標(指標)の説明' sentences: the first indicators without a definition take them in order."""
        text = "".join(w for w, _ in words)
        sentences = [s + "。" for s in text.split("。") if s.strip()]
        if text and not text.endswith("。") and sentences:
            sentences[-1] = sentences[-1][:-1]
        bare = [i for i, ind in enumerate(self.b.indicators) if not ind.definition]
        for i, sentence in zip(bare, sentences, strict=False):
            self.b.indicators[i] = replace(self.b.indicators[i], definition=sentence)
        if len(sentences) > len(bare):
            self.b.warn(
                words[0][1],
                f"{len(sentences) - len(bare)} explanation(s) with no indicator to go to",
                f"対応する指標のない説明が{len(sentences) - len(bare)}件あります",
            )

    # --- making an indicator ----------------------------------------------------------------

    def _make(self, name, nodes, line, *, base, targets, texts, unit=None, extra=None,
              observations=(), kinds=None, summed=()) -> None:  # fmt: skip
        b = self.b
        name = re.sub(r"\s+", "", name) if len(name) < 80 else name
        nodes = [n for n in ([nodes] if isinstance(nodes, str) or nodes is None else nodes) if n]
        where = b.where(line)
        units = [
            c.quantity.unit for c in (base, *targets) if c is not None and c.quantity and c.quantity.unit
        ]
        target_unit = next((c.quantity.unit for c in targets if c and c.quantity and c.quantity.unit), None)
        unit = unit or target_unit or (units[0] if units else None)
        if units and len(set(units)) > 1:
            differ = " / ".join(dict.fromkeys(units))
            b.warn(
                line,
                f"{name}: units differ ({differ}): {unit} is used",
                f"{name}：単位が異なります（{differ}）：{unit}を使います",
            )
        per = next((c.per for c in (*targets, base) if c is not None and c.per), None)
        baselines = []
        if base is not None:
            q = base.quantity
            value = q.value if q and q.kind == "value" else None
            baselines.append(Baseline(fy=base.fy if value is not None or base.fy else None, value=value,
                                      label=_label(texts[0]) or "現状", period=base.period,
                                      as_of=base.as_of, text=base.text, source_text=base.source_text,
                                      note=base.corrected, source=where))  # fmt: skip
        made_targets = []
        finals = [i for i, c in enumerate(targets) if c is not None]
        for i, cell in enumerate(targets):
            if cell is None:
                continue
            q = cell.quantity
            value = q.value if q and q.kind == "value" else None
            if value is None and not cell.text:
                continue
            kind = (kinds[i] if kinds and i < len(kinds) else None) or (FINAL if i == finals[-1] else ANNUAL)
            stated = cell.fy is not None
            made_targets.append(Target(horizon=PLAN_HORIZON, fy=cell.fy or 0, value=value,
                                       approximate=bool(q and q.approximate), source_text=cell.source_text,
                                       source=where, kind=kind, operator=cell.operator, text=cell.text,
                                       year_stated=stated, note=cell.corrected))  # fmt: skip
            if i in summed:  # its first year is the plan's, once the period is known
                b.summed.add((name, where, kind))
            if cell.corrected:
                b.warn(line, f"{name}: {cell.corrected}", f"{name}：{cell.corrected_ja}")
        if any(t.kind == ANNUAL for t in made_targets) and sum(t.kind == FINAL for t in made_targets) == 1:
            b.saw("target", name, "段階的な目標: 最後を最終目標、途中を年度別目標とみなす",
                  "a staged target: the last stage is the final target, the others yearly ones", line)  # fmt: skip
        made_obs = []
        for cell, ln in observations:
            q = cell.quantity
            if cell.fy is None:
                b.warn(
                    ln,
                    f"{name}: an actual without its year, left out",
                    f"{name}：年度のない実績値を除きました",
                )
                continue
            if q and q.kind == "value":  # a day inside its year (R5.2.28時点): a value so far
                kind = (
                    INTERIM
                    if cell.as_of is not None and cell.as_of != fiscal_year_bounds(cell.fy)[1]
                    else ACTUAL
                )
            else:
                kind = PENDING if cell.source_text.strip() in PENDING_TEXTS else NONE
            made_obs.append(Observation(fy=cell.fy, kind=kind, value=q.value if q else None, as_of=cell.as_of,
                                        period=cell.period, source_text=cell.source_text, source=b.where(ln),
                                        text=cell.text))  # fmt: skip
        extra = extra or {}
        # one KPI listed under two headings: the same name and the same target (found by a dictionary
        # of the ones made: a scan of the same-named ones was quadratic on a wide table read as rows)
        listed = (key(name), _targets_key(made_targets))
        if made_targets and (n := self.listed.get(listed)) is not None:
            old = b.indicators[n]
            b.indicators[n] = replace(old, nodes=tuple(dict.fromkeys((*old.nodes, *nodes))))
            if baselines and old.baselines and old.baselines[0].source_text != baselines[0].source_text:
                first = old.baselines[0]
                b.indicators[n] = replace(b.indicators[n], baselines=(replace(
                    first, note=(first.note + " " if first.note else "") + f"{where}: {baselines[0].source_text}"),))  # fmt: skip
            b.saw("merge", name, "同じ名称・同じ目標の指標を一つの指標（複数の施策に掲載）とみなす",
                  "the same name and target under another heading: one indicator on both", line)  # fmt: skip
            return
        numeric = any(c is not None and c.quantity is not None and c.quantity.kind == "value"
                      for c in (base, *(o for o, _ in observations)))  # fmt: skip
        value_type = (
            STATE
            if made_targets and all(t.value is None for t in made_targets) and not units and not numeric
            else "number"
        )
        home = nodes[0] if nodes else None
        code = b.unique_code(
            f"{slug(home, 'top')}-{b.per_node.get(home, 0) + 1}" if home else f"i{len(b.indicators) + 1}"
        )
        direction = extra.get("direction", "")
        ind = Indicator(
            code=code, name=name, nodes=tuple(dict.fromkeys(nodes)), unit=unit, per=per,
            value_type=value_type, baselines=tuple(baselines), targets=tuple(made_targets),
            observations=tuple(sorted(made_obs, key=lambda o: o.fy)),
            definition=extra.get("definition", ""), data_source=extra.get("source", ""),
            calculation=extra.get("calculation", ""), target_rationale=extra.get("rationale", ""),
            note=extra.get("note") or None,
            direction="decrease" if re.search(r"減|下げ|↓|低い", direction) else "increase",
        )  # fmt: skip
        if extra.get("department"):
            ind = replace(ind, department=b.department(extra["department"]))
        b.indicator(ind, line=line)
        if made_targets:
            self.listed.setdefault(listed, len(b.indicators) - 1)


PENDING_TEXTS = ("調査中", "集計中", "今後調査", "未集計")
MORE_EMPTY = ("―", "－", "-", "—", "ー", "調査中", "集計中", "今後調査", "未集計")
_NOTE_START_RE = re.compile(r"^(?:※|＊|\*|注[0-9０-９]*[.．:：)）]?$|出典[:：]|資料[:：])")
# the start of a cell that the extraction split from its figure: 累計 20人, R5.3.31時点 88, H31年度 100件
_PREFIX_RE = re.compile(
    r"^(?:累計|合計|約|(?:令和|平成|R|H)[0-9元]{1,2}(?:年度?|\.[0-9]{1,2}\.[0-9]{1,2}\.?)?(?:末)?(?:時点|現在|見込み?)?)$"
)


def _join_prefixes(tokens: list[str], wanted: int) -> list[str]:
    """A row's cells: a word that starts a cell (累計, R5.3.31時点) joined to the figure after it, while
    the row has more tokens than the header has columns."""
    cells = list(tokens)
    i = 0
    while len(cells) > wanted and i < len(cells) - 1:
        if _PREFIX_RE.match(cells[i]) and _VALUE_RE.match(cells[i + 1]):
            prefix, figure = cells[i], cells[i + 1]
            # a year or a day before the figure goes after it, as a document writes it: 88(R5.3.31時点)
            joined = f"{prefix} {figure}" if prefix in ("累計", "合計", "約") else f"{figure}({prefix})"
            cells[i : i + 2] = [joined]
        else:
            i += 1
    return cells


def _targets_key(targets) -> tuple:
    """What makes two listings one indicator, besides the name: each target's value, text and year."""
    return tuple((t.value, t.text, t.fy) for t in targets)


def _label(text: str) -> str:
    m = re.match(r"^(現状値?|基準値|初期値|従前値|策定時)", text or "")
    return m.group(1) if m else ""


def _is_table_key(token: str) -> bool:
    f = field_of(token)
    return f is not None and f.name in ("name", "unit") and not f.rest


def _is_state(token: str) -> bool:
    return bool(
        re.fullmatch(r"[^\d\s]{2,8}(?:取得|策定|実施|設置|完了|達成|開設|整備|導入|維持|運用)", token)
    )


def _title(seg: str) -> str:
    text = re.sub(r"\s+", " ", seg).strip()
    if len(text) <= 80:
        return text
    cut = re.search(r"[。]|\s(?=目次)", text)
    return (text[: cut.start()] if cut and cut.start() < 80 else text[:80]).strip()


def _name(rest: str, long: bool) -> tuple[str, str]:
    """A heading's name and what follows it: up to a label, a figure or a page number."""
    tokens = rest.split(" ")
    taken: list[str] = []
    for token in tokens:
        if not token:
            continue
        if _PAGE_REF_RE.match(token) or _VALUE_RE.match(token) or token.startswith(_STOP_WORDS):
            break
        if field_of(token) is not None and taken:
            break
        if _ARROW_RE.search(token):
            break
        taken.append(token)
        if long:
            break
    name = " ".join(taken)
    after = " ".join(tokens[len(taken) :]).strip() if taken else rest
    if re.match(r"^\d+ページ", after):
        after = ""  # a table of contents: '基本目標2 23ページ'
    return name, after


def read_outline(
    text: str, *, source: str = "document.txt", options: SheetOptions | None = None
) -> SheetResult:
    return _Outline(text, source, options or SheetOptions()).read()


__all__ = ["Decimal", "read_outline"]
