"""A dataset of a plan's indicators in JSON, as open-data transcriptions publish them.

Fields (分野) with their indicators: name, unit, KGI/KPI, a current value and a target, each
with its own period ('2024年度末', '2025年'), an operator (at_least), series (学年別) or a
composite current value (健康寿命/平均寿命 × 男女), a target in words, the data source and the
page; qualitative factors without figures become the field's initiatives; an overall goal
indicator belongs to the plan itself. Keys it does not know are said, never dropped silently.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from machiplan.domain.errors import MachiplanError
from machiplan.domain.plan import PLAN_HORIZON, Baseline, Indicator, Initiative, Node, Target

from .build import Builder
from .common import SheetOptions, SheetResult, slug

_PERIOD_RE = re.compile(r"(?P<year>\d{4})\s*年(?P<fy>度)?(?P<end>末)?")
_ID_RE = re.compile(r'"id"\s*:\s*"(?P<id>[^"\\]{1,200})"')
_KNOWN = {"id", "indicator_type", "indicator_name", "name", "unit", "current", "target", "series", "source_note",
          "source_location", "value_status", "direction"}  # fmt: skip
MAX_DEPTH = 20


def read_dataset(
    text: str, *, source: str = "dataset.json", options: SheetOptions | None = None
) -> SheetResult:
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        raise MachiplanError("not a JSON dataset", where=source)
    try:
        data = json.loads(stripped)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MachiplanError(f"not a JSON dataset: {exc}", where=source) from None
    b = Builder(source, options or SheetOptions(), "dataset")
    lines = {m["id"]: stripped.count("\n", 0, m.start()) + 1 + (len(text) - len(stripped) and text[: len(text) - len(stripped)].count("\n"))
             for m in _ID_RE.finditer(stripped)}  # fmt: skip
    b.id_lines = lines  # type: ignore[attr-defined]
    if isinstance(data, list):
        data = {"indicators": data}
    if not isinstance(data, dict):
        raise MachiplanError("not a JSON dataset of a plan", where=source)
    b.title = str(data.get("title") or data.get("plan_name") or data.get("id") or "")
    code = data.get("official_code")
    if isinstance(code, str) and re.fullmatch(r"\d{6}", code) and b.options.municipality_code is None:
        b.options = _with_code(b.options, code)
        if True:
            b.saw("municipality", data["official_code"], "データセットの official_code を団体コードとみなす",
                  "the dataset's official_code taken for the municipality's code")  # fmt: skip
    period = str(data.get("plan_period") or "")
    years = [int(m["year"]) for m in _PERIOD_RE.finditer(period)]
    if len(years) == 2:
        b.period = (years[0], years[1])
    overall = data.get("overall_goal_indicator")
    if isinstance(overall, dict):
        _indicator(b, overall, None)
    for item in data.get("indicators") or []:
        if isinstance(item, dict):
            _indicator(b, item, None)
    for n, fld in enumerate(data.get("fields") or []):
        if not isinstance(fld, dict):
            continue
        code = str(fld.get("field_code") or n + 1)
        name = str(fld.get("field_name") or code)
        initiatives = []
        for factor in fld.get("qualitative_constituent_factors") or []:
            if isinstance(factor, dict) and factor.get("factor_name"):
                facts = ["定性的な構成要素 (数値目標なし)"]
                for k in ("primary", "id", "repost_of"):
                    if k in factor:
                        facts.append(
                            f"{k}: {json.dumps(factor[k]) if isinstance(factor[k], bool) else factor[k]}"
                        )
                if factor.get("source_location"):
                    facts.append(str(factor["source_location"]))
                initiatives.append(Initiative(str(factor["factor_name"]), tuple(facts)))
        b.add_node(Node(code=code, name=name, initiatives=tuple(initiatives)))
        b.level(0, "分野")
        for item in fld.get("quantitative_indicators") or []:
            if isinstance(item, dict):
                _indicator(b, item, code)
    if not b.indicators and not b.nodes:
        raise MachiplanError("a JSON document with no indicators or fields", where=source)
    return b.plan()


def _with_code(options: SheetOptions, code: str) -> SheetOptions:
    from dataclasses import replace

    return replace(options, municipality_code=code)


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _period(text: str):
    m = _PERIOD_RE.search(text or "")
    if not m:
        return None, "fy", None
    import datetime as dt

    year = int(m["year"])
    if not m["fy"]:
        return year, "cy", None
    return year, "fy", dt.date(year + 1, 3, 31) if m["end"] else None


def _indicator(b: Builder, item: dict, node: str | None) -> None:
    name = str(item.get("indicator_name") or item.get("name") or "")
    if not name:
        b.warn(
            None,
            f"an indicator without a name, left out: {str(item)[:60]!r}",
            f"名称のない指標を除きました：{str(item)[:60]!r}",
        )
        return
    code = b.unique_code(slug(str(item.get("id") or ""), f"i{len(b.indicators) + 1}"))
    where = b.where(getattr(b, "id_lines", {}).get(str(item.get("id") or ""), None))
    unit = item.get("unit") or None
    kind = str(item.get("indicator_type") or "").lower()
    series_names: list[str] = []
    baselines: list[Baseline] = []
    targets: list[Target] = []

    def figures(current, target, series: str) -> None:
        if isinstance(current, dict):
            fy, period, as_of = _period(str(current.get("period") or ""))
            comps = current.get("components")
            if isinstance(comps, dict):
                for outer, inner in comps.items():
                    pairs = inner.items() if isinstance(inner, dict) else [("", inner)]
                    for label, value in pairs:
                        s = f"{outer}・{label}" if label else str(outer)
                        series_names.append(s)
                        baselines.append(Baseline(fy=fy, value=_number(value), label="現状値", series=s,
                                                  period=period, as_of=as_of, source_text=str(value),
                                                  note=str(current.get("period") or ""), source=where))  # fmt: skip
            elif "value" in current:
                baselines.append(Baseline(fy=fy, value=_number(current["value"]), label="現状値", series=series,
                                          period=period, as_of=as_of, source_text=str(current["value"]),
                                          note=str(current.get("period") or ""), source=where))  # fmt: skip
        if isinstance(target, dict):
            fy, _, _ = _period(str(target.get("period") or ""))
            value = _number(target.get("value"))
            words = str(target.get("value_text") or "")
            if value is None and not words:
                return
            targets.append(Target(horizon=PLAN_HORIZON, fy=fy or 0, value=value, series=series,
                                  operator=target.get("operator") if target.get("operator") in ("at_least", "at_most", "maintain") else None,
                                  text=words, year_stated=fy is not None,
                                  source_text=str(target.get("value")) if value is not None else words,
                                  note=str(target.get("period") or ""), source=where))  # fmt: skip

    figures(item.get("current"), item.get("target"), "")
    for s in item.get("series") or []:
        if isinstance(s, dict) and s.get("label"):
            series_names.append(str(s["label"]))
            figures(s.get("current"), s.get("target"), str(s["label"]))
    unknown = sorted(k for k in item if k not in _KNOWN)
    if unknown:
        b.warn(
            None,
            f"{name}: keys not read: {', '.join(unknown)}",
            f"{name}：読み込まなかった項目：{'、'.join(unknown)}",
        )
    ind = Indicator(code=code, name=name, nodes=(node,) if node else (), unit=unit,
                    type=kind if kind in ("kgi", "kpi") else None, series=tuple(dict.fromkeys(series_names)),
                    baselines=tuple(baselines), targets=tuple(targets),
                    data_source=str(item.get("source_note") or ""), note=str(item.get("source_location") or "") or None)  # fmt: skip
    b.indicator(ind)
