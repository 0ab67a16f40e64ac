"""Open data CSV: observations, targets and evaluations, one row per fact; and, where the plan
has them, baselines, costs, the city's ratings, comments and tallies.

Follows the 自治体標準オープンデータセット conventions: 全国地方公共団体コード, ID
and 地方公共団体名 first, compound names joined with '_', UTF-8 with a BOM so
that Excel opens it as it is. A text a spreadsheet would run as a formula
('=…', '+…', '@…') is written with a leading apostrophe (interchange/spreadsheet_safety.py).

Columns are added only at the end of a file, never renamed or moved: a reader of an
older file reads a newer one (docs/report.md lists every column).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from machiplan.domain.evaluation import NO_DATA, NO_TARGET, Evaluation, Judgement
from machiplan.domain.explain import explain_judgement
from machiplan.domain.fiscal import format_fiscal_year
from machiplan.domain.labels import horizon_label, status_label
from machiplan.domain.plan import Indicator, Plan
from machiplan.interchange.spreadsheet_safety import csv_row

from ..model import Report, decimal_or_none
from ..text import BODY_LABELS

LEAD = ["全国地方公共団体コード", "ID", "地方公共団体名"]
NODE_COLUMNS = ["体系コード", "体系コード_一覧"]  # the home node, and every node it hangs on
SAMPLE_COLUMNS = ["回答数", "誤差", "デザイン効果"]  # a survey figure's own error (domain/figures.py)

OBSERVATION_HEADER = [*LEAD, "計画コード", "計画名", "基本目標", "指標コード", "分類", "指標名", "単位", "年度", "年度_和暦",
                      "種別", "値", "時点", "概数", "内訳", "原文", "備考", "出典",
                      "系列", "年区分", "文字値", *NODE_COLUMNS, *SAMPLE_COLUMNS]  # fmt: skip
TARGET_HEADER = [*LEAD, "計画コード", "計画名", "基本目標", "指標コード", "指標名", "単位", "目標区分", "目標区分_名称",
                 "目標年度", "目標年度_和暦", "目標値", "合計期間_開始年度", "概数", "原文",
                 "系列", "目標種類", "条件", "文字値", "年度明記", "改定", "備考", *NODE_COLUMNS]  # fmt: skip
EVALUATION_HEADER = [*LEAD, "計画コード", "計画名", "評価年度", "基本目標", "指標コード", "指標名", "単位", "目標区分",
                     "目標年度", "目標値", "評価", "評価_名称", "進捗率", "経過率", "基準_年度", "基準_値",
                     "最新実績_年度", "最新実績_値", "注意", "説明",
                     "系列", "目標種類", "目標_文字値", "最新_状態", *NODE_COLUMNS, "市の評価", "市の評価_一致",
                     "調査_変化の誤差", "調査_最新の誤差"]  # fmt: skip
BASELINE_HEADER = [*LEAD, "計画コード", "計画名", "基本目標", "指標コード", "指標名", "単位", "系列", "名称", "年度",
                   "年度_和暦", "年区分", "値", "文字値", "時点", "概数", "改定", "原文", "備考", "出典", *NODE_COLUMNS,
                   *SAMPLE_COLUMNS]  # fmt: skip
COST_HEADER = [*LEAD, "計画コード", "計画名", "対象", "基本目標", "体系コード", "体系名", "開始年度", "終了年度",
               "区分", "区分_名称", "名称", "会計", "単位", "事業費", "一般財源", "事業数", "事業費_円", "一般財源_円",
               "原文", "出典"]  # fmt: skip
RATING_HEADER = [*LEAD, "計画コード", "計画名", "対象", "基本目標", "体系コード", "指標コード", "名称", "年度", "年度_和暦",
                 "評価の種類", "評価の種類_名称", "評価", "評価_意味", "この方法の評価", "一致", "備考", "出典"]  # fmt: skip
COMMENT_HEADER = [*LEAD, "計画コード", "計画名", "対象", "基本目標", "体系コード", "指標コード", "年度", "年度_和暦",
                  "主体", "主体_名称", "主体名", "日付", "本文", "出典"]  # fmt: skip
TALLY_HEADER = [*LEAD, "計画コード", "計画名", "対象", "基本目標", "体系コード", "年度", "年度_和暦", "評価の種類",
                "評価の種類_名称", "評価", "評価_意味", "指標数", "備考", "出典"]  # fmt: skip


def top_code(plan: Plan, code: str | None) -> str:
    """The 基本目標 column: the code of the top node above a node ('' for the plan itself)."""
    if code is None:
        return ""
    top = plan.top_node_of(code)
    return top.code if top is not None else code


def _nodes(ind: Indicator) -> list[str]:
    return [ind.node or "", ";".join(ind.nodes)]


def _era(eras: dict[int, str], fy: int) -> str:
    return eras.get(fy) or eras.setdefault(fy, format_fiscal_year(fy))


class _Ids:
    """IDs unique within a file: the natural one, with -2, -3 … where two rows would share it."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self._seen:
            name, n = f"{wanted}-{n}", n + 1
        self._seen.add(name)
        return name


def observation_rows(
    plan: Plan, indicators: Iterable[Indicator], eras: dict[int, str] | None = None
) -> Iterator[list]:
    """observations.csv's rows for these indicators: the whole plan's file, or one indicator's download."""
    code, name = plan.municipality.code, plan.municipality.name
    eras = {} if eras is None else eras
    ids = _Ids()
    for ind in indicators:
        top, nodes = top_code(plan, ind.node), _nodes(ind)
        for o in ind.observations:
            key = (
                f"{plan.code}-{ind.code}-{o.fy}"
                + (f"-{o.series}" if o.series else "")
                + ("-cy" if o.period == "cy" else "")
            )
            yield [code, ids(key), name, plan.code, plan.title, top, ind.code, ind.category,
                   ind.name, ind.unit or "", o.fy, _era(eras, o.fy), o.kind, decimal_or_none(o.value), o.as_of.isoformat() if o.as_of else "",
                   int(o.approximate), ";".join(f"{label}={decimal_or_none(v)}" for label, v in o.breakdown), o.source_text,
                   o.note, o.source, o.series, o.period, o.text, *nodes, *_sample(o)]  # fmt: skip


def target_rows(plan: Plan, eras: dict[int, str]) -> Iterator[list]:
    code, name = plan.municipality.code, plan.municipality.name
    ids = _Ids()
    for ind in plan.indicators:
        top, nodes = top_code(plan, ind.node), _nodes(ind)
        for tg in ind.targets:
            key = f"{plan.code}-{ind.code}-{tg.horizon}"
            key += (f"-{tg.kind}-{tg.fy}" if tg.kind != "final" else "") + (
                f"-{tg.series}" if tg.series else ""
            )
            key += f"-{tg.revision}" if tg.revision else ""
            yield [code, ids(key), name, plan.code, plan.title, top, ind.code, ind.name, ind.unit or "",
                   tg.horizon, horizon_label(tg.horizon), tg.fy, _era(eras, tg.fy), decimal_or_none(tg.value), tg.period_start_fy or "",
                   int(tg.approximate), tg.source_text,
                   tg.series, tg.kind, tg.operator or "", tg.text, int(tg.year_stated), tg.revision or "", tg.note, *nodes]  # fmt: skip


def _sample(figure) -> list:
    return [figure.sample_size if figure.sample_size is not None else "", decimal_or_none(figure.margin),
            decimal_or_none(figure.design_effect)]  # fmt: skip


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _city_ratings(plan: Plan, ind: Indicator, e: Evaluation, evaluation_fy: int) -> list[str]:
    """The city's ratings of the evaluation year ('progress=概ね順調;overall=B') and whether
    machiplan's status agrees with those whose grades name statuses (1, 0, '' when none do)."""
    ratings = [r for r in ind.ratings if r.fy == evaluation_fy]
    verdicts = []
    for r in ratings:
        scale = plan.rating_scale(r.scale)
        grade = scale.grade(r.grade) if scale else None
        if grade is not None and grade.statuses and e.status not in (NO_DATA, NO_TARGET):
            verdicts.append(e.status in grade.statuses)
    agree = "" if not verdicts else str(int(all(verdicts)))
    return [";".join(f"{r.scale}={r.grade}" for r in ratings), agree]


def evaluation_rows(report: Report) -> Iterator[list]:
    plan, e_fy = report.plan, report.evaluation.evaluation_fy
    code, name = plan.municipality.code, plan.municipality.name
    scale = report.evaluation.scale  # a city's own bands carry their own words
    ids = _Ids()
    for view in report.indicators:
        ind, e = view.indicator, view.evaluation
        top, nodes = top_code(plan, ind.node), _nodes(ind)
        judged: list[tuple[Judgement, str, bool]] = [(e.headline, view.explanation, True)]
        judged += [(j, h.explanation, False) for j, h in zip(e.by_horizon, view.horizons, strict=True)]
        for s in e.series:
            judged += [
                (j, explain_judgement(j, ind, report.lang, scale), False) for j in (s.headline, *s.by_horizon)
            ]
        for j, explanation, headline in judged:
            key = f"{plan.code}-{ind.code}-{j.horizon}"
            key += f"-{j.kind}-{j.target.fy}" if j.kind != "final" and j.target else ""
            key += f"-{j.series}" if j.series and not headline else ""
            target = j.target
            yield [code, ids(key), name, plan.code, plan.title, e_fy,
                   top, ind.code, ind.name, ind.unit or "", j.horizon,
                   target.fy if target else "", decimal_or_none(target.value) if target else "",
                   j.status, status_label(j.status, "ja", scale), _ratio(j.progress), _ratio(j.pace),
                   j.baseline.fy if j.baseline else "", decimal_or_none(j.baseline.value) if j.baseline else "",
                   j.latest.fy if j.latest else "", decimal_or_none(j.latest.value) if j.latest else "",
                   ";".join(e.flags) if headline else "", explanation,
                   j.series, j.kind, target.text if target else "", j.state, *nodes,
                   *(_city_ratings(plan, ind, e, e_fy) if headline else ["", ""]),
                   _points(j.interval), _points(j.margin)]  # fmt: skip


def baseline_rows(plan: Plan, eras: dict[int, str]) -> Iterator[list]:
    code, name = plan.municipality.code, plan.municipality.name
    ids = _Ids()
    for ind in plan.indicators:
        top, nodes = top_code(plan, ind.node), _nodes(ind)
        for b in ind.baselines:
            key = f"{plan.code}-{ind.code}-baseline" + (f"-{b.series}" if b.series else "")
            key += f"-{b.revision}" if b.revision else ""
            yield [code, ids(key), name, plan.code, plan.title, top, ind.code, ind.name, ind.unit or "", b.series, b.label,
                   b.fy if b.fy is not None else "", _era(eras, b.fy) if b.fy is not None else "", b.period,
                   decimal_or_none(b.value), b.text, b.as_of.isoformat() if b.as_of else "", int(b.approximate),
                   b.revision or "", b.source_text, b.note, b.source, *nodes, *_sample(b)]  # fmt: skip


def _holders(plan: Plan):
    """The plan itself, then each node: (kind, node or None) with what they hold."""
    yield "plan", None, plan
    for node in plan.nodes:
        yield "node", node, node


def cost_rows(plan: Plan) -> Iterator[list]:
    code, name = plan.municipality.code, plan.municipality.name
    ids = _Ids()
    for kind, node, holder in _holders(plan):
        where = node.code if node else ""
        for c in holder.costs:
            key = f"{plan.code}-cost-{where or 'plan'}-{c.start_fy}-{c.end_fy}-{c.basis}" + (
                f"-{c.account}" if c.account else ""
            )
            yield [code, ids(key), name, plan.code, plan.title, kind, top_code(plan, node.code if node else None), where,
                   node.name if node else "", c.start_fy, c.end_fy, c.basis, "計画" if c.basis == "planned" else "実績",
                   c.label, c.account, c.unit, decimal_or_none(c.amount), decimal_or_none(c.general_revenue),
                   "" if c.projects is None else c.projects, decimal_or_none(c.yen(c.amount)),
                   decimal_or_none(c.yen(c.general_revenue)), c.source_text, c.source]  # fmt: skip


def rating_rows(report: Report, eras: dict[int, str]) -> Iterator[list]:
    plan, e_fy = report.plan, report.evaluation.evaluation_fy
    code, name = plan.municipality.code, plan.municipality.name
    ids = _Ids()
    holders = [(kind, node.code if node else "", node.name if node else "", "", holder.ratings, None)
               for kind, node, holder in _holders(plan)]  # fmt: skip
    holders += [
        ("indicator", ind.node or "", ind.name, ind.code, ind.ratings, report.evaluation.indicators[ind.code])
        for ind in plan.indicators
    ]
    for kind, where, label, ind_code, ratings, e in holders:
        for r in ratings:
            scale = plan.rating_scale(r.scale)
            grade = scale.grade(r.grade) if scale else None
            ours, agrees = "", ""
            if e is not None and r.fy == e_fy:
                ours = e.status
                if grade is not None and grade.statuses and e.status not in (NO_DATA, NO_TARGET):
                    agrees = str(int(e.status in grade.statuses))
            key = f"{plan.code}-rating-{ind_code or where or 'plan'}-{r.fy}-{r.scale}"
            yield [code, ids(key), name, plan.code, plan.title, kind, top_code(plan, where or None), where, ind_code,
                   label, r.fy, _era(eras, r.fy), r.scale, scale.name if scale else "", r.grade,
                   grade.label if grade else "", ours, agrees, r.note, r.source]  # fmt: skip


def comment_rows(plan: Plan, eras: dict[int, str]) -> Iterator[list]:
    code, name = plan.municipality.code, plan.municipality.name
    ids = _Ids()
    holders = [
        (kind, node.code if node else "", "", holder.comments) for kind, node, holder in _holders(plan)
    ]
    holders += [("indicator", ind.node or "", ind.code, ind.comments) for ind in plan.indicators]
    for kind, where, ind_code, comments in holders:
        for c in comments:
            key = f"{plan.code}-comment-{ind_code or where or 'plan'}-{c.fy}-{c.body}"
            yield [code, ids(key), name, plan.code, plan.title, kind, top_code(plan, where or None), where, ind_code,
                   c.fy, _era(eras, c.fy), c.body, BODY_LABELS["ja"].get(c.body, c.body), c.body_name,
                   c.date.isoformat() if c.date else "", c.text, c.source]  # fmt: skip


def tally_rows(plan: Plan, eras: dict[int, str]) -> Iterator[list]:
    code, name = plan.municipality.code, plan.municipality.name
    ids = _Ids()
    for kind, node, holder in _holders(plan):
        where = node.code if node else ""
        for t in holder.tallies:
            scale = plan.rating_scale(t.scale)
            grade = scale.grade(t.grade) if scale else None
            key = f"{plan.code}-tally-{where or 'plan'}-{t.fy}-{t.scale}-{t.grade}"
            yield [code, ids(key), name, plan.code, plan.title, kind, top_code(plan, node.code if node else None), where,
                   t.fy, _era(eras, t.fy), t.scale, scale.name if scale else "", t.grade, grade.label if grade else "",
                   t.count, t.note, t.source]  # fmt: skip


def csv_text(header: list[str], rows: Iterable[list[object]]) -> str:
    """A small CSV in memory, BOM first, as the files are written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return "\ufeff" + buffer.getvalue()


def _write(path: Path, header: list[str], rows: Iterable[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(
            csv_row(row) for row in rows
        )  # rows are generated as they are written: a million fit in little memory
    return path


def render_csv(report: Report, folder: Path) -> list[Path]:
    plan = report.plan
    eras = {
        fy: format_fiscal_year(fy)
        for fy in {o.fy for i in plan.indicators for o in i.observations}
        | {t.fy for i in plan.indicators for t in i.targets}
    }
    files = {
        "observations.csv": (OBSERVATION_HEADER, lambda: observation_rows(plan, plan.indicators, eras)),
        "targets.csv": (TARGET_HEADER, lambda: target_rows(plan, eras)),
        "evaluations.csv": (EVALUATION_HEADER, lambda: evaluation_rows(report)),
        "baselines.csv": (BASELINE_HEADER, lambda: baseline_rows(plan, eras)),
        "costs.csv": (COST_HEADER, lambda: cost_rows(plan)),
        "ratings.csv": (RATING_HEADER, lambda: rating_rows(report, eras)),
        "comments.csv": (COMMENT_HEADER, lambda: comment_rows(plan, eras)),
        "tallies.csv": (TALLY_HEADER, lambda: tally_rows(plan, eras)),
    }
    written = []
    for (
        file_name
    ) in report.data_files:  # the plan's files: observations, targets, evaluations, and those it has rows for
        header, rows = files[file_name]
        written.append(_write(folder / file_name, header, rows()))
    return written
