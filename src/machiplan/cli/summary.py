"""The evaluation as a terminal table: what ``report`` and ``evaluate`` print."""

from __future__ import annotations

from machiplan.domain.evaluation import PlanEvaluation
from machiplan.domain.fiscal import format_fiscal_year
from machiplan.domain.labels import fy_label, progress_label, status_label
from machiplan.domain.plan import Plan
from machiplan.reports.model import latest_actual, observation_text, target_text

from .terminal import table, truncate


def _short(fy: int, lang: str) -> str:
    return fy_label(fy, lang) if lang == "en" else format_fiscal_year(fy, style="short")


TABLE_LIMIT = 300  # more rows than anyone reads in a terminal: the report has them all


def print_summary(plan: Plan, evaluation: PlanEvaluation, *, lang: str = "ja") -> None:
    ja = lang == "ja"
    title = plan.title_en if not ja and plan.title_en else plan.title
    print(f"{title}（{plan.municipality.name}）")
    print(
        f"{'評価年度' if ja else 'Evaluation year'}: {fy_label(evaluation.evaluation_fy, lang, western=True)}"
    )
    print()
    rows = []
    scale = evaluation.scale  # a city's own bands carry their own words
    for ind in plan.indicators[:TABLE_LIMIT]:
        e = evaluation.indicators[ind.code]
        h = e.headline
        latest = latest_actual(ind, evaluation.evaluation_fy)
        rows.append(
            [
                ind.code,
                truncate(ind.name if ja or not ind.name_en else ind.name_en, 40),
                f"{observation_text(latest, ind, lang)} ({_short(latest.fy, lang)})" if latest else "—",
                f"{target_text(h.target, ind, lang)} ({_short(h.target.fy, lang)})" if h.target else "—",
                progress_label(h.progress, lang),
                status_label(h.status, lang, scale) + (" ⚠" if e.flags else ""),
            ]
        )
    header = (
        ["コード", "成果指標", "最新実績", "目標", "進捗", "評価"]
        if ja
        else ["code", "indicator", "latest actual", "target", "progress", "status"]
    )
    print(table(header, rows, right=(4,)))
    if len(plan.indicators) > TABLE_LIMIT:
        more = len(plan.indicators) - TABLE_LIMIT
        print(
            f"… 他{more:,}指標（報告書を参照）" if ja else f"… and {more:,} more indicators (see the report)"
        )
    print()
    counts = " / ".join(f"{status_label(s, lang, scale)} {n}" for s, n in evaluation.overall.items())
    print(f"{'計' if ja else 'Total'} {len(plan.indicators)}: {counts}")
    if any(e.flags for e in evaluation.indicators.values()):
        print("⚠ " + ("注意事項あり（報告書の説明を参照）" if ja else "see the report for cautions"))
