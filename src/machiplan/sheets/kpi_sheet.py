"""Read evaluation sheets, one per KPI (実績評価シート【個別施策-KPI】), even scrambled by extraction.

A sheet gives the KPI's place (基本目標 Ⅰ → 基本施策 1 → 個別施策 (1)), its name (after 'KPI その1'),
a header of years ('従前値 (単位) H27 H28 H29 H30 H31 目標値'), a row of yearly targets and a row
of actuals (each may carry the unit, the 基準年度 and the 目標年度 among its cells), the 従前値
standing alone, 指標の方向性, the city's 進捗状況 and its grades (有効性 / 効率性 / 総合評価, each
'中:…'), 設定根拠, 実績値の計算方法, 数値確定の時期, 指標担当部課 and the narrative blocks.
Cells out of order are placed by what they are, not where they stand; each guess is shown.
"""

from __future__ import annotations

import datetime as dt
import re

from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import _ERA_TOKEN
from machiplan.domain.plan import (
    ACTUAL,
    ANNUAL,
    FINAL,
    NONE,
    PLAN_HORIZON,
    Baseline,
    Grade,
    Indicator,
    Narrative,
    NarrativeItem,
    Node,
    Observation,
    Rating,
    Target,
)
from machiplan.domain.quantities import parse_quantity

from .build import Builder, fy_of
from .common import SheetOptions, SheetResult, slug
from .headings import child_code, heading
from .lines import document_lines

_YEAR = rf"(?:{_ERA_TOKEN})\s*(?:\d{{1,2}}|元)(?:年度)?|(?:19|20)\d\d(?:年度)?"
_YEAR_TOKEN_RE = re.compile(rf"^(?:{_YEAR})$", re.IGNORECASE)
_KPI_RE = re.compile(r"^(?:KPI|重要業績評価指標|成果指標|指標)\s*(?:その\s*(?P<n>\d+)|(?P<m>\d+))\s*$")
_VALUE_RE = re.compile(r"^[約▲△+\-]?\d[\d,]*(?:\.\d+)?%?$|^[-―—–‐－]$")
_GRADE_RE = re.compile(r"^(?P<grade>[A-EＡ-Ｅ]|[高中低]|[◎○△×]|[SＳ])\s*[:：]\s*(?P<label>.+)$")
RATING_NAMES = ("有効性", "効率性", "総合評価", "必要性", "妥当性", "達成度", "貢献度")
LABELS = ("指標担当部課等", "指標担当部課", "担当課", "実績値の計算方法", "計算方法", "設定根拠", "指標の方向性",
          "進捗状況", "数値確定の時期", "基準年度", "目標年度", "従前値", "目標値", "実績値", "(単位)")  # fmt: skip
_TRAILING_RE = re.compile(r"\s+(実績値の計算方法|計算方法|(?:H\d+)?数値確定の時期|設定根拠)(?=\s|$)")
_NARRATIVE_HEADS = ("効果発現要因(総合所見)", "効果発現要因", "課題", "今後の取組", "今後の方向性")


def read_kpi_sheets(
    text: str, *, source: str = "sheet.txt", options: SheetOptions | None = None
) -> SheetResult:
    every = document_lines(text)
    lines = [ln for ln in every if ln.text and not ln.noise]
    flat = " ".join(ln.text for ln in lines)
    if not (("従前値" in flat or "基準値" in flat) and ("指標の方向性" in flat or "目標年度" in flat)):
        raise MachiplanError("not an evaluation sheet per KPI (no 従前値 and 指標の方向性)", where=source)
    starts = [i for i, ln in enumerate(lines) if _KPI_RE.match(ln.text)]
    if not starts:
        raise MachiplanError("not an evaluation sheet per KPI (no 'KPI その1')", where=source)
    b = Builder(source, options or SheetOptions(), "kpi_sheet")
    b.title = lines[0].text[:120]
    b.noise(every)
    b.years_from_text(lines)
    # a sheet runs from the first line after the previous sheet to the next 'KPI その' line's sheet end
    bounds = [0, *[s + 1 for s in starts[1:]]]
    sheets = []
    for n, start in enumerate(starts):
        lo = 0 if n == 0 else _sheet_start(lines, starts[n - 1] + 1, start)
        hi = len(lines) if n + 1 == len(starts) else _sheet_start(lines, start + 1, starts[n + 1])
        sheets.append((lines[lo:hi], start - lo))
    del bounds
    for sheet_lines, at in sheets:
        _sheet(b, sheet_lines, at)
    return b.plan()


def _sheet_start(lines, lo: int, kpi: int) -> int:
    """Where the sheet of the KPI at ``kpi`` begins: at its 基本目標 heading, else right after the last sheet."""
    for i in range(kpi, lo - 1, -1):
        if lines[i].text.startswith(("基本目標", "基本施策", "個別施策", "従前値")):
            j = i
            while j > lo and lines[j - 1].text.startswith(("基本目標", "基本施策", "個別施策", "従前値")):
                j -= 1
            return j
    return lo


def _sheet(b: Builder, lines, at: int) -> None:
    node = _nodes(b, lines)
    kpi_line = lines[at]
    name_parts = []
    for ln in lines[at + 1 :]:
        if ln.text.startswith(LABELS) or _VALUE_RE.match(ln.text) or ln.text in ("(単位)",):
            break
        name_parts.append(ln.text)
        if len(name_parts) == 3:
            break
    name = "".join(name_parts)
    if not name:
        b.warn(kpi_line.number, "a KPI without a name, left out", "名称のないKPIを除きました")
        return
    years, header_line = _years(lines)
    facts: dict[str, str] = {}
    for ln in lines:
        for label in ("指標の方向性", "進捗状況", "設定根拠", "指標担当部課等", "指標担当部課", "担当課"):
            m = re.search(rf"(?:^|\s){label}\s+(?P<v>\S.*?)(?=\s+(?:{'|'.join(LABELS)})|$)", ln.text)
            if m and label not in facts:
                facts[label] = m["v"].strip()
    rows = _rows(lines, len(years))
    for extra in rows[2:]:  # a sheet has a row of yearly targets and a row of actuals
        b.warn(
            extra["line"],
            "a third row of yearly figures on one KPI's sheet, left out",
            "1つのKPIのシートにある3行目の年度別の数値を除きました",
        )
    rows = rows[:2]
    unit = next((u for r in rows for u in r["units"]), None)
    observations, targets, baselines = [], [], []
    base_fy = target_fy = None
    for r in rows:
        if r["years"]:
            base_fy = base_fy or fy_of(r["years"][0])
            target_fy = fy_of(r["years"][-1]) if len(r["years"]) > 1 else target_fy
    where = b.where
    kinds = _row_kinds(rows)
    for r, kind in zip(rows, kinds, strict=True):
        cells = r["values"]
        yearly, rest = cells[: len(years)], cells[len(years) :]
        for fy, cell in zip(years, yearly, strict=False):
            q = parse_quantity(cell, default_unit=unit)
            if kind == "target":
                if q.value is not None:
                    targets.append(Target(PLAN_HORIZON, fy, q.value, kind=ANNUAL, source_text=cell,
                                          source=where(r["line"]), note="年度別目標"))  # fmt: skip
            else:
                observations.append(Observation(fy, ACTUAL if q.value is not None else NONE, q.value,
                                                source_text=cell, source=where(r["line"])))  # fmt: skip
        if rest:
            text = rest[0] + (f" {unit}" if unit and r["unit_after"] else "")
            q = parse_quantity(rest[0], default_unit=unit)
            if kind == "target" and q.value is not None:
                targets.append(Target(PLAN_HORIZON, target_fy or years[-1], q.value, kind=FINAL, source_text=text,
                                      source=where(r["line"]),
                                      note=f"目標年度 {r['years'][-1]}" if r["years"] else "目標値"))  # fmt: skip
            elif kind == "actual" and observations:
                first = observations[len(observations) - len(yearly)]
                index = observations.index(first)
                observations[index] = _with_note(first, f"実績値の行の目標値の列にも {text} とある")
    baseline = _lone_number(lines, header_line)
    if baseline is not None:
        line, value = baseline
        fy = base_fy or (years[0] if years else None)
        baselines.append(Baseline(fy=fy, value=value, label="従前値", as_of=dt.date(fy, 4, 1) if fy else None,
                                  source_text=str(value), source=where(line),
                                  note=f"基準年度 {next((r['years'][0] for r in rows if r['years']), '')}".strip()))  # fmt: skip
        b.saw("cell", f"従前値 {value}", "表の外に一つだけ立つ数値を従前値とみなす（基準年度の初め）",
              "a number standing alone outside the rows read as the 従前値, at the start of the 基準年度", line)  # fmt: skip
    direction_text = facts.get("指標の方向性", "")
    direction = "decrease" if re.search(r"下|減|↓|低", direction_text) else "increase"
    note = f"{kpi_line.text}。指標の方向性: {direction_text}" if direction_text else kpi_line.text
    if direction_text and not re.search(r"上|下|増|減|↑|↓|高|低", direction_text):
        note += "（抽出で文字が欠けている可能性）"
        b.saw("direction", direction_text, "指標の方向性の語に向きの字がない: 増加とみなす",
              "the 指標の方向性 has lost its word for up or down: taken as increase", kpi_line.number)  # fmt: skip
    ratings = _ratings(b, lines, facts)
    calc, confirmed = _scrambled_pairs(lines, years)
    dept = facts.get("指標担当部課等") or facts.get("指標担当部課") or facts.get("担当課")
    ind = Indicator(
        code=b.unique_code(f"{slug(node or '', 'kpi')}-KPI{_KPI_RE.match(kpi_line.text)['n'] or _KPI_RE.match(kpi_line.text)['m']}"),
        name=name, nodes=(node,) if node else (), type="kpi", unit=unit, direction=direction,
        measure="cumulative" if baselines and "まで" in name else "level",
        note=note, calculation=calc, confirmed_when=confirmed, target_rationale=facts.get("設定根拠", ""),
        baselines=tuple(baselines), observations=tuple(sorted(observations, key=lambda o: o.fy)),
        targets=tuple(targets), ratings=tuple(ratings),
        department=b.department(dept) if dept else None,
    )  # fmt: skip
    if ind.measure == "cumulative":
        b.saw("measure", ind.code, "「…から…までの」創出数で従前値がある: 累計とみなす",
              "a count 'from … until …' with a 従前値: a running total", kpi_line.number)  # fmt: skip
    b.indicator(ind, line=kpi_line.number)
    if node:
        _narratives(b, lines, node, years)
    if years:
        b.period = b.period or (years[0], years[-1])


def _with_note(obs: Observation, note: str) -> Observation:
    from dataclasses import replace

    return replace(obs, note=note)


def _nodes(b: Builder, lines) -> str | None:
    parent = None
    depth = 0
    for ln in lines:
        hs = heading(ln.text)
        if not hs or hs[0].kind not in ("基本目標", "基本施策", "個別施策", "施策", "政策"):
            continue
        for h in hs:
            rest = h.rest
            if h.kind == "個別施策" and rest.startswith("("):
                pass
            code = child_code(parent, h.key)
            b.add_node(Node(code=code, name=rest.strip() or h.number, parent=parent, number=h.key))
            b.level(depth, h.label)
            parent, depth = code, depth + 1
    return parent


def _years(lines) -> tuple[list[int], int]:
    for ln in lines:
        tokens = ln.text.split(" ")
        ys = [fy_of(t) for t in tokens if _YEAR_TOKEN_RE.match(t)]
        if len(ys) >= 3 and all(y is not None for y in ys) and ys == list(range(ys[0], ys[0] + len(ys))):
            return [y for y in ys if y is not None], ln.number
    return [], 0


def _rows(lines, width: int) -> list[dict]:
    rows = []
    if width == 0:
        return rows
    for ln in lines:
        tokens = ln.text.split(" ")
        values = [t for t in tokens if _VALUE_RE.match(t)]
        if len(values) not in (width, width + 1) or len(values) < 3:
            continue
        if any(t.endswith(("年", "月")) and not _YEAR_TOKEN_RE.match(t) for t in tokens):
            continue
        others = [t for t in tokens if not _VALUE_RE.match(t)]
        years = [t for t in others if _YEAR_TOKEN_RE.match(t)]
        words = [t for t in others if not _YEAR_TOKEN_RE.match(t)]
        units = [w for w in words if w not in ("目標値", "実績値", "目標", "実績") and len(w) <= 8]
        last_value = max(i for i, t in enumerate(tokens) if _VALUE_RE.match(t))
        rows.append({"line": ln.number, "values": values, "years": years, "units": units,
                     "label": " ".join(words), "unit_after": any(not _VALUE_RE.match(t) for t in tokens[last_value + 1 :])})  # fmt: skip
    return rows


def _row_kinds(rows) -> list[str]:
    kinds = []
    for n, r in enumerate(rows):
        if "実績" in r["label"]:
            kinds.append("actual")
        elif "目標" in r["label"]:
            kinds.append("target")
        else:  # the sheet's order: the yearly targets above the actuals
            kinds.append("target" if n == 0 and len(rows) > 1 else "actual")
    return kinds


def _lone_number(lines, header_line: int):
    from decimal import Decimal

    after = False
    for ln in lines:
        if ln.number == header_line or "従前値" in ln.text:
            after = True
            continue
        if after and re.fullmatch(r"\d[\d,]*(?:\.\d+)?", ln.text):
            return ln.number, Decimal(ln.text.replace(",", ""))
    return None


def _ratings(b: Builder, lines, facts) -> list[Rating]:
    ratings = []
    fy = b.evaluation_fy
    progress = facts.get("進捗状況")
    if progress and fy is not None:
        statuses = {"順調": ("on_track",), "概ね順調": ("roughly_on_track",), "やや遅れ": ("behind",),
                    "遅れ": ("behind",), "達成": ("achieved",)}.get(progress, ())  # fmt: skip
        b.scale("progress", "進捗状況", [Grade(code=progress, statuses=statuses)])
        ratings.append(Rating(fy=fy, scale="progress", grade=progress))
    names: list[str] = []
    for ln in lines:
        tokens = ln.text.split(" ")
        if len(tokens) >= 2 and all(t in RATING_NAMES for t in tokens):
            names = tokens
            continue
        if names:
            text = _TRAILING_RE.split(ln.text)[0]
            m = _GRADE_RE.match(text)
            if m:
                scale_name = names.pop(0)
                scale_key = {"有効性": "effectiveness", "効率性": "efficiency", "総合評価": "overall"}.get(
                    scale_name, slug(scale_name, "rating")
                )
                b.scale(scale_key, scale_name, [Grade(code=m["grade"], label=m["label"].strip())])
                if fy is not None:
                    ratings.append(
                        Rating(fy=fy, scale=scale_key, grade=m["grade"], source=b.where(ln.number))
                    )
    return ratings


def _scrambled_pairs(lines, years) -> tuple[str, str]:
    """'… 実績値の計算方法 H27数値確定の時期' then '新規プロジェクトとして…カウント 確定': labels, then values in order."""
    for i, ln in enumerate(lines):
        m = re.search(r"実績値の計算方法\s+(?P<y>\S*?)数値確定の時期", ln.text)
        if not m:
            continue
        for nxt in lines[i + 1 : i + 4]:
            if _GRADE_RE.match(nxt.text):
                continue
            parts = nxt.text.rsplit(" ", 1)
            if len(parts) == 2 and len(parts[1]) <= 6:
                return parts[0], f"{m['y']}: {parts[1]}" if m["y"] else parts[1]
            return nxt.text, ""
    for ln in lines:
        m = re.search(r"実績値の計算方法\s+(?P<v>\S.+)$", ln.text)
        if m:
            return m["v"], ""
    return "", ""


def _narratives(b: Builder, lines, node: str, years) -> None:
    for i, ln in enumerate(lines):
        tokens = ln.text.split(" ")
        if tokens and tokens[0] in _NARRATIVE_HEADS:
            body = []
            for nxt in lines[i + 1 :]:
                if nxt.text.split(" ")[0] in _NARRATIVE_HEADS or _KPI_RE.match(nxt.text):
                    break
                body.append(nxt.text)
            if body:
                text = "".join(body)
                fy = b.evaluation_fy
                b.update_node(node, narratives=(*b.nodes[node].narratives,
                              Narrative("effects", fy, (NarrativeItem(heading=tokens[0], text=text),))))  # fmt: skip
            return
