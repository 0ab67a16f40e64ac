"""One sentence per evaluation that a reader understands, in Japanese or English."""

from __future__ import annotations

from decimal import Decimal

from .evaluation import ACHIEVED, NO_DATA, NO_TARGET, REGRESSING, Evaluation, Judgement
from .fiscal import format_date
from .labels import fy_label, status_label
from .plan import Indicator
from .quantities import format_value


def _v(value: Decimal, unit: str | None, places: int | None = None) -> str:
    return format_value(value, unit, places)


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def explain_judgement(judgement: Judgement, indicator: Indicator, lang: str = "ja") -> str:
    j, unit, places = judgement, indicator.unit, indicator.display_places
    ja = lang == "ja"
    if j.status == NO_TARGET:
        if j.reason == "reference":
            return "参考指標のため目標を設定していない" if ja else "A reference indicator: it has no target."
        return "目標が設定されていない" if ja else "No target is set."
    target = j.target
    assert target is not None and target.value is not None
    t_text = _v(target.value, unit, places)
    t_fy = fy_label(target.fy, lang)
    if j.status == NO_DATA:
        return _explain_no_data(j, lang)
    latest = j.latest
    assert latest is not None
    l_text, l_fy = _v(latest.value, unit, places), fy_label(latest.fy, lang)
    status = status_label(j.status, lang)
    if target.period_start_fy is not None:
        assert j.amount is not None
        span = (
            f"{fy_label(target.period_start_fy, lang)}〜{t_fy}"
            if ja
            else f"FY{target.period_start_fy}–{target.fy}"
        )
        if ja:
            return (
                f"{span}の合計目標{t_text}に対し{l_fy}までに{_v(j.amount, unit, places)}"
                f"（進捗{_pct(j.progress or 0)}、経過{_pct(j.pace or 0)}）：{status}"
            )
        return (
            f"{_v(j.amount, unit, places)} by {l_fy} toward a {span} total of {t_text} "
            f"(progress {_pct(j.progress or 0)}, time elapsed {_pct(j.pace or 0)}): {status}."
        )
    baseline = j.baseline
    assert baseline is not None
    b_text, b_fy = _v(baseline.value, unit, places), fy_label(baseline.fy, lang)
    if j.status == ACHIEVED:
        if ja:
            return f"最新実績{l_text}（{l_fy}）が目標{t_text}（{t_fy}）に到達：{status}"
        return f"The latest actual {l_text} ({l_fy}) has reached the target {t_text} ({t_fy}): {status}."
    tolerance = ""
    if j.reason == "within_tolerance":
        tolerance = (
            "（調査の誤差の範囲内のため横ばいとみなす）"
            if ja
            else " (within survey error, taken as unchanged)"
        )
    if ja:
        move = f"基準値{b_text}（{b_fy}）から{l_text}（{l_fy}）へ{tolerance}"
        if j.status == REGRESSING:
            return f"{move}、目標{t_text}（{t_fy}）から遠ざかっている：{status}"
        return f"{move}、目標{t_text}（{t_fy}）への進捗{_pct(j.progress or 0)}、経過{_pct(j.pace or 0)}：{status}"
    move = f"From {b_text} ({b_fy}) to {l_text} ({l_fy}){tolerance}"
    if j.status == REGRESSING:
        return f"{move}, moving away from the target {t_text} ({t_fy}): {status}."
    return (
        f"{move}: {_pct(j.progress or 0)} of the way to {t_text} ({t_fy}) "
        f"with {_pct(j.pace or 0)} of the time elapsed: {status}."
    )


_NO_DATA = {
    "no_baseline": ("基準年度以降の実績がないため評価できない", "No actual value since the baseline year."),
    "no_actual_since_baseline": (
        "基準年度より後の実績がないため評価できない",
        "No actual value after the baseline year.",
    ),
    "no_actual_in_period": (
        "目標期間内の実績がないため評価できない",
        "No actual value within the target period.",
    ),
    "no_total_before_period": (
        "目標期間の前年度の累計がないため期間内の増加分を計算できない",
        "No running total for the year before the target period, so its increase is unknown.",
    ),
    "gap_in_period": (
        "目標期間内に実績の欠けた年度があり合計できない",
        "A year within the target period has no actual value.",
    ),
}


def _explain_no_data(j: Judgement, lang: str) -> str:
    ja_text, en_text = _NO_DATA.get(j.reason, ("実績がないため評価できない", "No actual value to judge."))
    return ja_text if lang == "ja" else en_text


def explain_flags(evaluation: Evaluation, indicator: Indicator, lang: str = "ja") -> list[str]:
    ja = lang == "ja"
    sentences = []
    for flag in evaluation.flags:
        kind, _, fy_text = flag.partition(":")
        fy = fy_label(int(fy_text), lang) if fy_text.isdigit() else fy_text
        if kind == "break_suspected":
            sentences.append(
                f"{fy}に大きな変動があり、設問や調査方法の変更が疑われる（進捗の比較は要確認）"
                if ja
                else f"A jump in {fy} suggests the survey question changed; read the progress with care"
            )
        elif kind == "cumulative_decrease":
            sentences.append(
                f"{fy}に累計値が減少している（要確認）"
                if ja
                else f"The running total falls in {fy}: check it"
            )
        elif kind == "breakdown_mismatch":
            sentences.append(
                f"{fy}の内訳の合計が総数と一致しない" if ja else f"The breakdown for {fy} does not add up"
            )
    interim = evaluation.interim
    if interim is not None:
        value = _v(interim.value, indicator.unit, indicator.display_places)
        if ja:
            when = f"{format_date(interim.as_of, style='short')}時点で" if interim.as_of else "途中の状況で"
            text = f"{fy_label(interim.fy, lang)}は{when}{value}（年度途中の値のため評価に含めない"
            if interim.projection is not None:
                text += f"、年度末見込み約{_v(interim.projection, indicator.unit)}"
            sentences.append(text + "）")
        else:
            when = f" as of {interim.as_of.isoformat()}" if interim.as_of else ""
            text = f"{fy_label(interim.fy, lang)} so far: {value}{when} (not judged as a full year"
            if interim.projection is not None:
                text += f"; about {_v(interim.projection, indicator.unit)} projected to year end"
            sentences.append(text + ")")
    return sentences


def explain(evaluation: Evaluation, indicator: Indicator, lang: str = "ja") -> str:
    """The headline judgement and what a reader must know besides, as one line."""
    parts = [explain_judgement(evaluation.headline, indicator, lang)]
    parts.extend(explain_flags(evaluation, indicator, lang))
    return ("。" if lang == "ja" else ". ").join(p.rstrip("。.") for p in parts) + (
        "。" if lang == "ja" else "."
    )
