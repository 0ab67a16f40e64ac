"""One sentence per evaluation that a reader understands, in Japanese or English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from .evaluation import ACHIEVED, MISSED, NO_DATA, NO_TARGET, REGRESSING, Evaluation, Judgement
from .fiscal import format_date
from .labels import fy_label, status_label
from .plan import FORECAST, Indicator, RatingScale
from .quantities import format_value


def _v(value: Decimal, unit: str | None, places: int | None = None) -> str:
    return format_value(value, unit, places)


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def explain_judgement(judgement: Judgement, indicator: Indicator, lang: str = "ja", scale=None) -> str:
    """``scale``: the evaluation's statuses (a city's own bands carry their own words)."""
    j, unit, places = judgement, indicator.unit, indicator.display_places
    ja = lang == "ja"
    if j.status == NO_TARGET:
        return _explain_no_target(j, lang)
    if j.reason == "least_favourable_series":
        return _explain_series_headline(j, indicator, lang, scale)
    if j.reason == "trend" or (
        (j.target is None or j.target.value is None) and j.status != NO_DATA and j.latest
    ):
        return _explain_trend(j, indicator, lang, scale)
    if j.status == NO_DATA and (j.target is None or j.target.value is None):
        return _explain_no_data(j, lang)
    target = j.target
    assert target is not None
    if j.reason in ("state_reached", "state_not_reached", "no_state"):
        return _explain_state(j, lang, scale)
    assert target.value is not None
    t_text = _v(target.value, unit, places)
    t_fy = fy_label(target.fy, lang)
    if j.status == NO_DATA:
        return _explain_no_data(j, lang)
    latest = j.latest
    assert latest is not None
    l_text, l_fy = _v(latest.value, unit, places), fy_label(latest.fy, lang)
    status = status_label(j.status, lang, scale)
    if j.measure is not None and target.period_start_fy is None and j.baseline is not None:
        return _explain_method(j, indicator, lang, status)
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
    near = _near_target(j, lang)
    if j.status == ACHIEVED:
        if ja:
            return f"最新実績{l_text}（{l_fy}）が目標{t_text}（{t_fy}）に到達{near}：{status}"
        return (
            f"The latest actual {l_text} ({l_fy}) has reached the target {t_text} ({t_fy}){near}: {status}."
        )
    if j.status == MISSED:
        if ja:
            return f"目標年度の実績{l_text}（{l_fy}）が目標{t_text}（{t_fy}）に届かなかった{near}：{status}"
        return f"The actual of the target year, {l_text} ({l_fy}), did not reach the target {t_text} ({t_fy}){near}: {status}."
    tolerance = ""
    if j.reason == "within_tolerance":
        if j.interval is not None:
            band = _points(j.interval)
            tolerance = (
                f"（変化は調査の誤差の範囲（95%信頼区間 ±{band}ポイント）内のため横ばいとみなす）"
                if ja
                else f" (within the survey's sampling error, ±{band} points at 95 %, taken as unchanged)"
            )
        else:
            tolerance = (
                "（調査の誤差の範囲内のため横ばいとみなす）"
                if ja
                else " (within survey error, taken as unchanged)"
            )
    if ja:
        move = f"基準値{b_text}（{b_fy}）から{l_text}（{l_fy}）へ{tolerance}"
        if j.status == REGRESSING:
            return f"{move}、目標{t_text}（{t_fy}）から遠ざかっている：{status}"
        return f"{move}、目標{t_text}（{t_fy}）への進捗{_pct(j.progress or 0)}、経過{_pct(j.pace or 0)}{near}：{status}"
    move = f"From {b_text} ({b_fy}) to {l_text} ({l_fy}){tolerance}"
    if j.status == REGRESSING:
        return f"{move}, moving away from the target {t_text} ({t_fy}): {status}."
    return (
        f"{move}: {_pct(j.progress or 0)} of the way to {t_text} ({t_fy}) "
        f"with {_pct(j.pace or 0)} of the time elapsed{near}: {status}."
    )


def _points(value: float) -> str:
    return f"{value:.1f}"


def _near_target(j: Judgement, lang: str) -> str:
    """Where the latest survey share lies within its own margin of error of the target: said, since
    the status could go either way by sampling alone."""
    if j.margin is None or j.latest is None or j.target is None or j.target.value is None:
        return ""
    gap = abs(float(j.latest.value - j.target.value))
    if gap >= j.margin:
        return ""
    if lang == "ja":
        return f"（ただし目標との差{_points(gap)}ポイントは調査の誤差 ±{_points(j.margin)}ポイントの範囲内）"
    return f" (though the gap to the target, {_points(gap)} points, is within the survey's margin of error, ±{_points(j.margin)} points)"


def _explain_trend(j: Judgement, indicator: Indicator, lang: str, scale) -> str:
    """A judgement without a target: the move since the baseline."""
    assert j.latest is not None and j.baseline is not None
    unit, places = indicator.unit, indicator.display_places
    b = f"{_v(j.baseline.value, unit, places)}（{fy_label(j.baseline.fy, lang)}）"
    latest = f"{_v(j.latest.value, unit, places)}（{fy_label(j.latest.fy, lang)}）"
    status = status_label(j.status, lang, scale)
    if lang == "ja":
        return f"目標がないため傾向で判定：基準値{b}から{latest}へ：{status}"
    b, latest = b.replace("（", " (").replace("）", ")"), latest.replace("（", " (").replace("）", ")")
    return f"No target, so judged by its trend: from {b} to {latest}: {status}."


MEASURE_WORDS = {
    "achievement_bands": ("達成率", "achievement rate"),
    "osaka": ("目標に対する割合", "share of the target"),
    "open_sdg": ("必要な成長率に対する実際の成長率の比", "observed over required growth"),
    "fukuoka": ("進捗", "progress"),
}


def _explain_method(j: Judgement, indicator: Indicator, lang: str, status: str) -> str:
    """A judgement by a method other than progress_vs_pace: the figures and the method's own measure."""
    assert (
        j.latest is not None
        and j.baseline is not None
        and j.target is not None
        and j.target.value is not None
    )
    unit, places = indicator.unit, indicator.display_places
    b = (_v(j.baseline.value, unit, places), fy_label(j.baseline.fy, lang))
    latest = (_v(j.latest.value, unit, places), fy_label(j.latest.fy, lang))
    t = (_v(j.target.value, unit, places), fy_label(j.target.fy, lang))
    measure = "" if j.measure is None else _pct(j.measure)
    near = _near_target(j, lang)
    if lang == "ja":
        return f"基準値{b[0]}（{b[1]}）から{latest[0]}（{latest[1]}）、目標{t[0]}（{t[1]}）に対し{measure}{near}：{status}"
    return f"From {b[0]} ({b[1]}) to {latest[0]} ({latest[1]}) toward {t[0]} ({t[1]}), {measure}{near}: {status}."


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


def _explain_state(j: Judgement, lang: str, scale=None) -> str:
    ja = lang == "ja"
    assert j.target is not None
    goal, t_fy = j.target.text, fy_label(j.target.fy, lang)
    status = status_label(j.status, lang, scale)
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


def _explain_series_headline(j: Judgement, indicator: Indicator, lang: str, scale=None) -> str:
    inner_reason = ""
    if j.target is not None and j.target.value is None and j.target.text:  # a state target (設置)
        inner_reason = "state_reached" if j.state == j.target.text else "state_not_reached"
    inner = explain_judgement(replace(j, reason=inner_reason), indicator, lang, scale).rstrip("。.")
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
    "target_wrong_side": (
        "基準値が既に目標より良い側にあり、どちらが望ましい方向か確認が必要なため評価しない",
        "The baseline is already past the target in the indicator's direction: which way is better needs checking, so it is not judged.",
    ),
    "sum_of_levels": (
        "年度末の水準を表す指標に期間合計の目標があり、合計できないため評価しない",
        "A target summed over a period on an indicator of year-end levels: levels do not add up, so it is not judged.",
    ),
    "no_trend": (
        "傾向を判定できる実績が2つ以上ない",
        "Fewer than two actual values to read a trend from.",
    ),
    "no_growth_rate": (
        "基準値と最新値の符号が異なる等のため年平均成長率を計算できない",
        "No compound annual growth rate can be computed (a value of zero or a change of sign).",
    ),
    "cap_running": (
        "期間合計の上限（以下）の目標は期間の終わりに判定する（これまでの合計は上限内）",
        "A cap on a period's total is judged when the period ends (the total so far is within it).",
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
            sentence = (
                f"{fy}に大きな変動があり、設問や調査方法の変更が疑われる（進捗の比較は要確認）"
                if ja
                else f"A jump in {fy} suggests the survey question changed; read the progress with care"
            )
            since = (
                _since_break(evaluation, indicator, int(fy_text), detail, lang) if fy_text.isdigit() else ""
            )
            sentences.append(sentence + since)
        elif kind == "cumulative_decrease":
            sentences.append(
                f"{fy}に累計値が減少している（要確認）"
                if ja
                else f"The running total falls in {fy}: check it"
            )
        elif kind == "target_wrong_side":
            sentences.append(
                "基準値が既に目標より望ましい側にある：指標の方向（増加・減少のどちらが望ましいか）を確認してください"
                if ja
                else "The baseline is already past the target: check which direction is better for this indicator"
            )
        elif kind == "stale":
            sentences.append(
                f"最新の実績が{fy}のもので、評価年度より古い（更新の確認が必要）"
                if ja
                else f"The latest actual is from {fy}, well before the evaluation year: check for newer figures"
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


def _since_break(evaluation: Evaluation, indicator: Indicator, fy: int, series: str, lang: str) -> str:
    """After a suspected break: how the comparable surveys since it moved ('H26 94.1% → H28 81.4%')."""
    latest = evaluation.headline.latest if not series else None
    if latest is None:
        return ""
    after = [
        o for o in indicator.observations
        if o.series == series and o.kind == "actual" and o.value is not None and fy <= o.fy <= latest.fy
    ]  # fmt: skip
    if len(after) < 2:
        return ""
    first, last = after[0], after[-1]
    unit, places = indicator.unit, indicator.display_places
    change = last.value - first.value
    if lang == "ja":
        word = "上昇" if change > 0 else "低下" if change < 0 else "横ばい"
        return (
            f"。変動後の調査では{fy_label(first.fy, lang)}の{_v(first.value, unit, places)}から"
            f"{fy_label(last.fy, lang)}の{_v(last.value, unit, places)}へ{word}している"
        )
    word = "risen" if change > 0 else "fallen" if change < 0 else "held"
    return (
        f". Since then the comparable surveys have {word} from {_v(first.value, unit, places)} ({fy_label(first.fy, lang)}) "
        f"to {_v(last.value, unit, places)} ({fy_label(last.fy, lang)})"
    )


def explain(
    evaluation: Evaluation,
    indicator: Indicator,
    lang: str = "ja",
    scales: Mapping[str, RatingScale] | None = None,
    scale=None,
) -> str:
    """The headline judgement and what a reader must know besides, as one line."""
    parts = [explain_judgement(evaluation.headline, indicator, lang, scale)]
    parts.extend(explain_flags(evaluation, indicator, lang, scales))
    return ("。" if lang == "ja" else ". ").join(p.rstrip("。.") for p in parts) + (
        "。" if lang == "ja" else "."
    )
