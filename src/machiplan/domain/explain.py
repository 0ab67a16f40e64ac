"""One sentence per evaluation that a reader understands, in Japanese or English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from .evaluation import ACHIEVED, NO_DATA, NO_TARGET, REGRESSING, Evaluation, Judgement
from .fiscal import format_date
from .labels import fy_label, status_label
from .plan import FORECAST, Indicator, RatingScale
from .quantities import format_value


def _v(value: Decimal, unit: str | None, places: int | None = None) -> str:
    return format_value(value, unit, places)


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def explain_judgement(judgement: Judgement, indicator: Indicator, lang: str = "ja") -> str:
    j, unit, places = judgement, indicator.unit, indicator.display_places
    ja = lang == "ja"
    if j.status == NO_TARGET:
        return _explain_no_target(j, lang)
    if j.reason == "least_favourable_series":
        return _explain_series_headline(j, indicator, lang)
    target = j.target
    assert target is not None
    if j.reason in ("state_reached", "state_not_reached", "no_state"):
        return _explain_state(j, lang)
    assert target.value is not None
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


def _explain_no_target(j: Judgement, lang: str) -> str:
    ja = lang == "ja"
    if j.reason == "reference":
        return "参考指標のため目標を設定していない" if ja else "A reference indicator: it has no target."
    if j.reason == "dropped":
        return (
            "計画の見直しで指標から除かれたため評価しない"
            if ja
            else "Dropped from the plan at a revision: not judged."
        )
    if j.reason == "text_target" and j.target is not None:
        if ja:
            return f"目標「{j.target.text}」は数値でないため、達成状況は数値で判定しない"
        return f"The target, “{j.target.text}”, is not a figure, so it is not judged by numbers."
    return "目標が設定されていない" if ja else "No target is set."


def _explain_state(j: Judgement, lang: str) -> str:
    ja = lang == "ja"
    assert j.target is not None
    goal, t_fy = j.target.text, fy_label(j.target.fy, lang)
    status = status_label(j.status, lang)
    if j.reason == "no_state":
        return (
            f"目標「{goal}」（{t_fy}）に対する実績がまだない"
            if ja
            else f"No state is recorded yet toward “{goal}” ({t_fy})."
        )
    if j.reason == "state_reached":
        return (
            f"目標の状態「{goal}」に到達：{status}"
            if ja
            else f"The target state “{goal}” has been reached: {status}."
        )
    if ja:
        return f"現在「{j.state}」、目標の状態「{goal}」（{t_fy}）に未到達：{status}"
    return f"Now “{j.state}”; the target state “{goal}” ({t_fy}) is not reached yet: {status}."


def _explain_series_headline(j: Judgement, indicator: Indicator, lang: str) -> str:
    inner = explain_judgement(replace(j, reason=""), indicator, lang).rstrip("。.")
    if lang == "ja":
        return f"系列のうち最も進んでいない「{j.series}」で判定：{inner}"
    return f"Judged by its least advanced series, “{j.series}”: {inner}."


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
    "no_data_in_series": (
        "どの系列にも評価できる実績がない",
        "No series has an actual value to judge.",
    ),
    "gap_in_period": (
        "目標期間内に実績の欠けた年度があり合計できない",
        "A year within the target period has no actual value.",
    ),
}


def _explain_no_data(j: Judgement, lang: str) -> str:
    ja_text, en_text = _NO_DATA.get(j.reason, ("実績がないため評価できない", "No actual value to judge."))
    return ja_text if lang == "ja" else en_text


def explain_flags(
    evaluation: Evaluation,
    indicator: Indicator,
    lang: str = "ja",
    scales: Mapping[str, RatingScale] | None = None,
) -> list[str]:
    """A sentence per flag and for a value shown beside the status. ``scales``: the plan's rating
    scales, so that a disagreement names the city's scale (総合評価), not its key."""
    ja = lang == "ja"
    sentences = []
    for flag in evaluation.flags:
        kind, _, rest = flag.partition(":")
        fy_text, _, detail = rest.partition(":")
        fy = fy_label(int(fy_text), lang) if fy_text.isdigit() else fy_text
        if detail and kind != "rating_disagrees":  # a named series: '2014:小学6年生'
            fy = f"{fy}（{detail}）" if ja else f"{fy} ({detail})"
        if kind == "rating_disagrees":
            scale = (scales or {}).get(detail)
            name = (scale.name if ja else scale.name_en or scale.name) if scale else detail
            grade = next(
                (r.grade for r in indicator.ratings if r.scale == detail and str(r.fy) == fy_text), ""
            )
            said = f"「{grade}」" if grade and ja else f" “{grade}”" if grade else ""
            sentences.append(
                f"{fy}の市の評価（{name}{said}）とこの方法による判定が一致しない（要確認）"
                if ja
                else f"The city's own rating ({name}{said}) for {fy} disagrees with this method's status: check it"
            )
        elif kind == "break_suspected":
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
    if interim is not None and interim.kind == FORECAST:
        value = _v(interim.value, indicator.unit, indicator.display_places)
        sentences.append(
            f"{fy_label(interim.fy, lang)}の見込みは{value}（見込み値のため評価に含めない）"
            if ja
            else f"{fy_label(interim.fy, lang)} is forecast at {value} (a forecast, not judged)"
        )
    elif interim is not None:
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


def explain(
    evaluation: Evaluation,
    indicator: Indicator,
    lang: str = "ja",
    scales: Mapping[str, RatingScale] | None = None,
) -> str:
    """The headline judgement and what a reader must know besides, as one line."""
    parts = [explain_judgement(evaluation.headline, indicator, lang)]
    parts.extend(explain_flags(evaluation, indicator, lang, scales))
    return ("。" if lang == "ja" else ". ").join(p.rstrip("。.") for p in parts) + (
        "。" if lang == "ja" else "."
    )
