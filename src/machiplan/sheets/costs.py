"""Costs as cities publish them: per node, the number of projects (事業数), their cost (事業費)
and its general revenue share (一般財源), in the unit the table names (単位:百万円).

The table may stand one cell a line ('基本目標', '事業数', '事業費', '一般財源', then '1 子育て…',
'47', '3,682', '1,736' …) or a row a line; its 合計 row is the plan's own figure.
"""

from __future__ import annotations

import re

from machiplan.domain.plan import COST_UNITS, PLANNED, SPENT, Cost, Node
from machiplan.domain.quantities import parse_number

from .build import Builder
from .tallies import fallback_fy

COLUMNS = {"事業数": "projects", "事業費": "amount", "一般財源": "general_revenue", "予算額": "amount",
           "決算額": "amount"}  # fmt: skip
_UNIT_RE = re.compile(r"単位\s*[:：…]?\s*(?:事業費\s*[:：]\s*)?(?P<unit>百万円|千円|億円|円)")
_NUMBER_RE = re.compile(r"^\d[\d,]*$")
_ROW_RE = re.compile(r"^(?P<code>\d{1,2}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)\s+(?P<name>\S.*)$")


def read_costs(b: Builder, lines, top: dict[str, str]) -> None:
    for i, ln in enumerate(lines):
        if ln.text not in COLUMNS and not (
            ln.text in ("基本目標", "施策", "政策", "分野") and _header_follows(lines, i)
        ):
            continue
        if ln.text in COLUMNS:
            continue
        header = [ln.text]
        j = i + 1
        while j < len(lines) and lines[j].text in COLUMNS:
            header.append(lines[j].text)
            j += 1
        columns = [COLUMNS[h] for h in header[1:]]
        unit = _unit(lines[max(0, i - 3) : i + 1])
        basis = (
            SPENT
            if any(re.search(r"実績|実施した|決算", x.text) for x in lines[max(0, i - 6) : i])
            else PLANNED
        )
        fy = fallback_fy(b)
        if fy is None:
            b.warn(ln.number, "a table of costs without a year, left out", "年度のない事業費の表を除きました")
            return
        label = next((x.text for x in reversed(lines[max(0, i - 4) : i]) if "事業" in x.text), "事業費")
        label = re.sub(r"\s*[(（]単位.*$", "", label).strip()
        _rows(b, lines, j, columns, unit, basis, fy, label, header[0])
        return


def _header_follows(lines, i: int) -> bool:
    return i + 1 < len(lines) and lines[i + 1].text in COLUMNS


def _unit(lines) -> str:
    for ln in lines:
        m = _UNIT_RE.search(ln.text)
        if m:
            return m["unit"]
    return "円"


def _rows(
    b: Builder, lines, j: int, columns: list[str], unit: str, basis: str, fy: int, label: str, level: str
) -> None:
    count = 0
    while j < len(lines):
        head = lines[j].text
        values = [x.text for x in lines[j + 1 : j + 1 + len(columns)]]
        if len(values) < len(columns) or not all(_NUMBER_RE.match(v) for v in values):
            break
        figures = {c: parse_number(v) for c, v in zip(columns, values, strict=True)}
        source_text = " / ".join(values)
        cost = Cost(start_fy=fy, end_fy=fy, basis=basis, amount=figures.get("amount"),
                    general_revenue=figures.get("general_revenue"),
                    projects=int(figures["projects"]) if "projects" in figures else None,
                    unit=unit if unit in COST_UNITS else "円", label=label, source_text=source_text,
                    source=b.where(lines[j].number))  # fmt: skip
        if re.sub(r"\s+", "", head) in ("合計", "計", "総計"):
            b.costs.append(cost)
        else:
            m = _ROW_RE.match(head)
            code = m["code"] if m else f"c{count + 1}"
            name = m["name"].strip() if m else head
            if code not in b.nodes:
                b.add_node(Node(code=code, name=name, number=code))
                b.level(0, level)
            elif b.nodes[code].name in ("", b.nodes[code].number):
                b.update_node(code, name=name)
            b.update_node(code, costs=(*b.nodes[code].costs, cost))
        count += 1
        j += 1 + len(columns)
    if count:
        b.saw("table", f"{count} rows of costs ({unit})", "事業数・事業費・一般財源の表を費用とみなす",
              "a table of 事業数 / 事業費 / 一般財源 read as costs", lines[j - 1].number if j else None)  # fmt: skip


ACCOUNTS = ("一般", "特別", "企業", "土地改良", "計")
_CHAPTER_RE = re.compile(r"^第\d+章$")
_INT_RE = re.compile(r"^\d[\d,]*$")


def read_grouped(b: Builder, lines) -> None:
    """A table flattened into one line whose columns are accounts grouped per chapter, each group
    closed by its 計 ('章 会計 第1章 安全・安心 一般 計 一般 企業 計 … 合計'), then rows of as many
    figures: 事業数 and 事業費 of the plan (A) and of the actuals (B)."""
    for ln in lines:
        tokens = ln.text.split(" ")
        if "会計" not in tokens:
            continue
        i = tokens.index("会計") + 1
        chapters: list[str] = []
        accounts: list[str] = []
        while i < len(tokens) and not _INT_RE.match(tokens[i]):
            t = tokens[i]
            if _CHAPTER_RE.match(t):
                chapters.append(re.sub(r"\D", "", t))
                i += 2  # the chapter's name follows it
                continue
            if t in ACCOUNTS:
                accounts.append(t)
            elif t == "合計":
                chapters.append("")
            i += 1
        groups: list[list[str]] = [[]]
        for a in accounts:
            groups[-1].append(a)
            if a == "計":
                groups.append([])
        groups = [g for g in groups if g]
        width = len(accounts)
        if not width or len(groups) != len(chapters):
            continue
        runs: list[tuple[int, list[str]]] = []
        j = i
        while j < len(tokens):
            if (
                _INT_RE.match(tokens[j])
                and j + width <= len(tokens)
                and all(_INT_RE.match(t) for t in tokens[j : j + width])
            ):
                runs.append((j, tokens[j : j + width]))
                j += width
            else:
                j += 1
        if len(runs) < 2:
            continue
        unit = _unit([ln]) if "事業費" in ln.text else "円"
        m = re.search(r"事業費\s*[:：]\s*(?P<u>百万円|千円|億円|円)", ln.text)
        unit = m["u"] if m else unit
        start, end = b.period if b.period and b.period[0] else (None, None)
        if start is None:
            return
        pairs = [runs[k : k + 2] for k in range(0, len(runs) - 1, 2)][:2]
        for (basis, label), pair in zip(((PLANNED, "計画 (A)"), (SPENT, "実績 (B)")), pairs, strict=False):
            sums = [sum(int(v.replace(",", "")) for v in run) for _, run in pair]
            counts, money = (pair[0][1], pair[1][1]) if sums[0] < sums[1] else (pair[1][1], pair[0][1])
            col = 0
            for chapter, group in zip(chapters, groups, strict=True):
                for account in group:
                    amount, projects = parse_number(money[col]), int(counts[col].replace(",", ""))
                    col += 1
                    if account == "計" and chapter:
                        continue  # a chapter's 計 is the sum of its accounts
                    cost = Cost(start_fy=start, end_fy=end, basis=basis, amount=amount, projects=projects, unit=unit,
                                account="" if account == "計" else account, label=f"投資的事業費 {label}",
                                source_text=money[col - 1], source=b.where(ln.number))  # fmt: skip
                    if not chapter:
                        b.costs.append(cost)
                    elif chapter in b.nodes:
                        b.update_node(chapter, costs=(*b.nodes[chapter].costs, cost))
        b.saw("table", f"{len(chapters)} groups × {width} columns of costs ({unit})",
              "会計ごとの列を章ごとにまとめた平らな表を費用とみなす（事業数と事業費は大きさで見分ける）",
              "a flattened table of accounts grouped per chapter read as costs (counts told from money by size)",
              ln.number)  # fmt: skip
        return
