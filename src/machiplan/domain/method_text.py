"""A plan's evaluation method in words, for the report's appendix and the public 評価の方法 page:
the rule each status stands for, with the plan's own parameters filled in — never parameter names."""

from __future__ import annotations

from . import methods
from .evaluation import METHOD_NAME, Params
from .labels import fy_label, horizon_label


def _pct(x: float) -> str:
    return f"{round(x * 100, 6):g}%"


def _num(x: float) -> str:
    return str(x)  # as the parameter is written: 0.6, 1.0


def method_title(name: str, lang: str) -> str:
    definition = methods.METHODS[name]
    return definition.title_ja if lang == "ja" else definition.title_en


# Each parameter in words (the staff app's method page labels its fields with these, never the names).
PARAM_WORDS: dict[str, tuple[str, str]] = {
    "on_track_ratio": ("「順調」とする進捗率（経過率に対する倍率。1 = 経過率と同じ）",
                       "On track from progress of (× time elapsed; 1 = keeping pace)"),
    "roughly_ratio": ("「概ね順調」とする進捗率（経過率に対する倍率。0.6 = 経過率の6割）",
                      "Roughly on track from progress of (× time elapsed; 0.6 = 60 % of pace)"),
    "regressing_below": ("「後退」とする進捗率（これ未満。0 = 基準値より悪化）",
                         "Regressing below a progress of (0 = worse than the baseline)"),
    "survey_tolerance_points": ("アンケートの割合を横ばいとみなす変化の幅（±ポイント）",
                                "A survey share within this many points counts as unchanged (± points)"),
    "break_threshold_points": ("設問変更の疑いとする1年の変動（ポイント）",
                               "A year-to-year jump flagged as a changed question (points)"),
    "baseline_fy": ("基準年度（空欄: 計画開始の前年度）", "Baseline year (empty: the year before the plan starts)"),
    "horizon": ("評価に用いる目標", "The target judged"),
    "project_interim": ("年度途中の値から年度末を見込む", "Project a value so far in a year to the year's end"),
    "stale_after_years": ("最新の実績が何年より古ければ注意を付すか（年）",
                          "Flag a latest actual older than this many years"),
    "restart_after_break": ("設問変更の後は、その後の最初の調査から比べる",
                            "After a changed question, compare from the first survey after it"),
    "trend_without_target": ("目標のない指標を傾向（改善・横ばい・悪化）で示す",
                             "Show indicators without a target by their trend"),
    "rate": ("達成率の計算方法", "How the achievement rate is computed"),
    "bands": ("達成率の区分（良い順）", "Achievement-rate bands, best first"),
    "no_progress": ("基準値より良くなっていない場合の区分（空欄: 使わない）",
                    "The band for no better than the baseline (empty: none)"),
    "rollup": ("基本目標の評価（上から順に当てはめる）", "A goal's grade (the first rule that holds)"),
    "exceeded_ratio": ("A（目標を大きく上回った）とする目標に対する割合", "A (well above target) from this share of the target"),
    "b_ratio": ("B とする目標に対する割合", "B from this share of the target"),
    "c_ratio": ("C とする目標に対する割合（それ未満は D）", "C from this share of the target (D below)"),
    "high": ("目標あり：「大きく前進」とする成長率の比", "With a target: substantial progress from a growth ratio of"),
    "med": ("目標あり：「前進」とする成長率の比", "With a target: moderate progress from a growth ratio of"),
    "low": ("目標あり：「わずかに前進」とする成長率の比", "With a target: limited progress from a growth ratio of"),
    "high_no_target": ("目標なし：「大きく前進」とする年平均成長率", "Without a target: substantial progress from an annual growth of"),
    "med_no_target": ("目標なし：「前進」とする年平均成長率", "Without a target: moderate progress from an annual growth of"),
    "low_no_target": ("目標なし：「わずかに前進」とする年平均成長率", "Without a target: limited progress from an annual growth of"),
    "percent_limit": ("割合の上限（空欄: 上限なし）", "The natural limit of a share (empty: none)"),
    "compare": ("比べる相手", "Compared with"),
    # a band's, or a roll-up rule's, columns
    "code": ("記号", "Code"),
    "label": ("名称", "Label"),
    "label_en": ("英語の名称", "English label"),
    "min": ("下限の達成率（1 = 100%。最後の区分は空欄）", "Lowest rate (1 = 100 %; empty for the last band)"),
    "tone": ("色", "Colour"),
    "means": ("意味", "Meaning"),
    "means_en": ("英語の意味", "Meaning in English"),
    "easy_ja": ("やさしい日本語", "In easy Japanese"),
    "statuses": ("数える指標の評価（空白区切り）", "Indicator statuses counted (space-separated)"),
    "min_share": ("その割合の下限（1 = すべて。最後の規則は空欄）", "Lowest share (1 = all; empty for the last rule)"),
}  # fmt: skip

# A parameter's choices in words
CHOICE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "rate": {
        "progress": (
            "（最新実績 − 基準値）÷（目標値 − 基準値）",
            "(latest − baseline) ÷ (target − baseline)",
        ),
        "ratio": ("最新実績 ÷ 目標値", "latest ÷ target"),
    },
    "compare": {"baseline": ("基準値", "The baseline"), "previous": ("前年度", "The year before")},
    "tone": {
        "achieved": ("達成（★・濃い青）", "Achieved (★, dark blue)"),
        "good": ("良い（▲・青）", "Good (▲, blue)"),
        "fair": ("まずまず（◆・水色）", "Fair (◆, light blue)"),
        "poor": ("遅れ（▼・橙）", "Poor (▼, orange)"),
        "bad": ("悪い（×・赤茶）", "Bad (×, rust)"),
        "none": ("評価なし（－・灰）", "Not judged (－, grey)"),
    },
}


def param_label(name: str, lang: str) -> str:
    """A parameter (or a band's column) in words; its name when machiplan has no words for it."""
    words = PARAM_WORDS.get(name)
    return (words[1] if lang == "en" else words[0]) if words else name


def choice_label(name: str, value: str, lang: str) -> str:
    words = CHOICE_WORDS.get(name, {}).get(value)
    return (words[1] if lang == "en" else words[0]) if words else value


def method_lines(params: Params, lang: str, baseline_fy: int | None = None) -> tuple[str, ...]:
    """Sentences that say how each status is given: the method's own, then what every method shares."""
    ja = lang == "ja"
    own = params.own
    lines: list[str] = [*_METHODS[params.method](own, ja)]
    lines += _shared(params, ja, baseline_fy)
    return tuple(lines)


def _pace(p: methods.PaceParams, ja: bool) -> list[str]:
    if ja:
        return [
            "進捗率 ＝（最新実績 − 基準値）÷（目標値 − 基準値）。減少が望ましい指標にもそのまま使える。",
            "経過率 ＝（最新実績の年度 − 基準年度）÷（目標年度 − 基準年度）。",
            "期間の合計で示された目標（例：H26-30計）は、期間内に増えた量（累計指標は期間前年度末からの増分）を目標値と比べる。",
            f"評価：目標値に到達していれば「達成」。進捗率が経過率×{_num(p.on_track_ratio)}以上なら「順調」、経過率×{_num(p.roughly_ratio)}以上なら「概ね順調」、それ未満なら「遅れ」、進捗率が{_num(p.regressing_below)}未満（基準値より悪化）なら「後退」。目標年度の実績が出て目標に届いていなければ「未達成」。",
        ]
    return [
        "Progress = (latest actual − baseline) ÷ (target − baseline); it works unchanged when lower is better.",
        "Time elapsed = (year of the latest actual − baseline year) ÷ (target year − baseline year).",
        "A target summed over a period (e.g. FY2014–2018 total) is compared with what the period added (for a running total, the increase since the year before the period).",
        f"Status: Achieved when the target is reached; On track when progress ≥ time elapsed × {_num(p.on_track_ratio)}; Roughly on track from time elapsed × {_num(p.roughly_ratio)}; Behind below that; Regressing when progress is below {_num(p.regressing_below)} (worse than the baseline); Missed when the target year's actual is in and the target was not reached.",
    ]


def _bands(p: methods.BandParams, ja: bool) -> list[str]:
    rate = (
        (
            "達成率 ＝（最新実績 − 基準値）÷（目標値 − 基準値）"
            if ja
            else "Achievement rate = (latest − baseline) ÷ (target − baseline)"
        )
        if p.rate == "progress"
        else (
            "達成率 ＝ 最新実績 ÷ 目標値（減少が望ましい指標は 目標値 ÷ 最新実績）"
            if ja
            else "Achievement rate = latest ÷ target (target ÷ latest when lower is better)"
        )
    )
    parts = []
    for band in p.bands:
        name = (band.get("label") if ja else band.get("label_en") or band.get("label")) or band["code"]
        code = f"「{band['code']}」{name}" if ja and name != band["code"] else name
        if band["code"] == p.no_progress:
            parts.append(
                f"基準値より良くなっていなければ{code}" if ja else f"{code} when no better than the baseline"
            )
        elif band.get("min") is not None:
            parts.append(f"{_pct(band['min'])}以上で{code}" if ja else f"{code} from {_pct(band['min'])}")
        else:
            parts.append(f"それ未満は{code}" if ja else f"{code} below that")
    sep = "、" if ja else "; "
    if ja:
        return [f"{rate}。", f"評価：目標値に到達していれば最上位の区分。{sep.join(parts)}。"]
    return [f"{rate}.", f"Grades: the top one when the target is reached; {sep.join(parts)}."]


def _fukuoka(p: methods.FukuokaParams, ja: bool) -> list[str]:
    if ja:
        return [
            "a：目標値に向けて順調に進んでいる（進捗率が経過率以上）。b：目標値の達成に向けたペースは下回っているが、指標は改善している、または現状維持。c：初期値よりも指標が悪化している。",
            "基本目標の評価：すべての指標が a なら A（順調）、c がなければ B（概ね順調）、c が半数以下なら C（やや遅れている）、それ以外は D（遅れている）。",
        ]
    return [
        "a: on track toward the target (progress at least the time elapsed). b: behind that pace, but improved or holding. c: worse than the initial value.",
        "A goal's grade: A (on track) when every indicator is a, B when none is c, C when at most half are c, D otherwise.",
    ]


def _osaka(p: methods.OsakaParams, ja: bool) -> list[str]:
    if ja:
        return [
            f"目標年度以降：目標に対する割合が{_pct(p.exceeded_ratio)}以上で A、{_pct(p.b_ratio)}以上で B、{_pct(p.c_ratio)}以上で C、それ未満は D。",
            f"目標年度より前：既に{_pct(p.exceeded_ratio)}以上なら A、前年度から上昇していれば B、横ばいなら C、下降していれば D。",
        ]
    return [
        f"From the target year: A at {_pct(p.exceeded_ratio)} of the target or more, B from {_pct(p.b_ratio)}, C from {_pct(p.c_ratio)}, D below.",
        f"Before the target year: A when already at {_pct(p.exceeded_ratio)} or more; otherwise B rising since the year before, C flat, D falling.",
    ]


def _open_sdg(p: methods.OpenSdgParams, ja: bool) -> list[str]:
    if ja:
        return [
            f"目標がある指標：実際の年平均成長率 ÷ 目標達成に必要な年平均成長率 が {_num(p.high)}以上で「大きく前進」、{_num(p.med)}以上で「前進（加速が必要）」、{_num(p.low)}以上で「わずかに前進」、それ未満は「悪化」。目標に到達していれば「目標達成」。",
            f"目標がない指標：実際の年平均成長率が{_pct(p.high_no_target)}以上で「大きく前進」、{_pct(p.med_no_target)}以上で「前進」、0以上で「わずかに前進」、それ未満は「悪化」（割合は上限100%に近いほど基準を小さくする）。",
        ]
    return [
        f"With a target: observed ÷ required compound annual growth at {_num(p.high)} or more is substantial progress, from {_num(p.med)} moderate, from {_num(p.low)} limited, below that deterioration; a target reached is achieved.",
        f"Without a target: observed annual growth of {_pct(p.high_no_target)} or more is substantial, from {_pct(p.med_no_target)} moderate, from 0 limited, below deterioration (shares near their 100 % limit have smaller thresholds).",
    ]


def _trend(p: methods.TrendParams, ja: bool) -> list[str]:
    against = (
        ("基準値" if p.compare == "baseline" else "前年度")
        if ja
        else ("the baseline" if p.compare == "baseline" else "the year before")
    )
    if ja:
        return [
            f"{against}と比べて良くなっていれば「改善」、変わらなければ（誤差の範囲を含む）「横ばい」、悪くなっていれば「悪化」。目標値とは比べない。"
        ]
    return [f"Improving, flat (within error) or worsening against {against}; the target is not used."]


_METHODS = {
    METHOD_NAME: _pace,
    "achievement_bands": _bands,
    "fukuoka": _fukuoka,
    "osaka": _osaka,
    "open_sdg": _open_sdg,
    "trend_only": _trend,
}


def _shared(params: Params, ja: bool, baseline_fy: int | None) -> list[str]:
    lang = "ja" if ja else "en"
    lines = []
    if baseline_fy is not None:
        lines.append(
            f"基準値は指標ごとの初期値・基準値があればそれを、なければ{fy_label(baseline_fy, lang)}以降の最初の実績を用いる。評価に用いる目標は「{horizon_label(params.horizon, lang)}」。"
            if ja
            else f"The baseline is the indicator's own (初期値, 基準値) where it states one, else the first actual from {fy_label(baseline_fy, lang)} on. The target judged is the {horizon_label(params.horizon, lang).lower()}."
        )
    tol, brk = _num(params.survey_tolerance_points), _num(params.break_threshold_points)
    lines.append(
        f"アンケートによる割合は、基準値からの変化が±{tol}ポイント未満なら横ばいとみなす。前年度から{brk}ポイント以上の変動は設問・調査方法の変更の疑いとして注意を付す。"
        if ja
        else f"A survey share that moves less than ±{tol} points from the baseline counts as unchanged. A move of {brk} points or more from one year to the next is flagged as a possible change of question."
    )
    lines.append(
        "年度途中の値（〇〇時点）や見込みは通年の実績として評価せず、評価の横に示す。今後調査・—は欠測であり、ゼロとしては扱わない。"
        if ja
        else "A value so far in a year (as of a date) or a forecast is never judged as a full year; it is shown beside the status. 'To be surveyed' and '—' are missing data, never zero."
    )
    if params.trend_without_target:
        lines.append(
            "目標のない指標は、基準値からの傾向（改善・横ばい・悪化）で示す。"
            if ja
            else "An indicator without a target is shown by its trend since the baseline (improving, flat, worsening)."
        )
    return lines


def _share_words(ratio: float, ja: bool) -> str:
    """1.0 → 経過した期間の割合以上 / as fast as the time passed; 0.6 → その6割 / 60 % of that pace."""
    if ratio == 1:
        return "経過した期間に見合う速さ以上で" if ja else "at least as fast as the time passed"
    pct = _pct(ratio)
    return f"経過した期間に見合う速さの{pct}以上で" if ja else f"at least {pct} as fast as the time passed"


def status_meanings(params: Params, lang: str) -> dict[str, str]:
    """One line per status of the plan's method, in words a reader can check, with the plan's own
    parameters filled in (the legend above every status table). Statuses a method describes only
    by its StatusDef keep those words."""
    ja = lang != "en"
    found: dict[str, str] = {}
    scale = params.scale
    for s in scale:
        found[s.code] = (s.means_ja if ja else s.means_en) or ""
    if params.method == METHOD_NAME:
        p = params.own
        found.update(
            {
                "achieved": "最新の実績が目標値に届いた" if ja else "The latest actual has reached the target",
                "on_track": (f"目標に向けて{_share_words(p.on_track_ratio, True)}進んでいる" if ja
                             else f"Moving toward the target {_share_words(p.on_track_ratio, False)}"),
                "roughly_on_track": (f"目標に向けて{_share_words(p.roughly_ratio, True)}進んでいる" if ja
                                     else f"Moving toward the target {_share_words(p.roughly_ratio, False)}"),
                "behind": ("基準値より悪くはないが、経過した期間に比べて進みが遅い" if ja
                           else "No worse than the baseline, but slower than the time passed"),
                "regressing": ("基準値より悪くなっている" if ja else "Worse than the baseline") if p.regressing_below == 0
                else (f"進捗率が{_pct(p.regressing_below)}未満" if ja else f"Progress below {_pct(p.regressing_below)}"),
                "missed": ("目標年度の実績が出たが、目標値に届かなかった" if ja
                           else "The target year's actual is in and the target was not reached"),
            }
        )  # fmt: skip
    elif params.method == "achievement_bands":
        bands = params.own
        for band in bands.bands:
            means = band.get("means") if ja else band.get("means_en")
            if means:
                found[band["code"]] = means
            elif band["code"] == bands.no_progress:
                found[band["code"]] = "基準値より良くなっていない" if ja else "No better than the baseline"
            elif band.get("min") is not None:
                found[band["code"]] = (f"達成率{_pct(band['min'])}以上" if ja
                                       else f"Achievement rate of {_pct(band['min'])} or more")  # fmt: skip
            else:
                found[band["code"]] = "それ未満" if ja else "Below that"
    found["no_data"] = "判定に使える実績がまだない" if ja else "No actual value to judge yet"
    found["no_target"] = (
        "目標がない（参考指標など）" if ja else "No target (a reference indicator, or none set)"
    )
    return found


def method_lines_easy(params: Params, baseline_fy: int | None = None) -> tuple[str, ...]:
    """The method in やさしい日本語 (easy Japanese): short sentences, no formulas, the plan's numbers."""
    lines: list[str] = []
    if params.method == METHOD_NAME:
        p = params.own
        lines += [
            "しひょう（すすみぐあいを はかる かず）ごとに、はじめの かず（きじゅんち）と、もくひょうの かずを くらべます。",
            "「すすんだ わりあい」＝ いままでに すすんだ ぶん ÷ もくひょうまでに すすむ ぶん です。",
            "「すぎた きかんの わりあい」＝ すぎた としの かず ÷ もくひょうの としまでの としの かず です。",
            "もくひょうの かずに とどいたら「たっせい」です。",
            f"すすんだ わりあいが、すぎた きかんの わりあいの {_pct(p.on_track_ratio)} いじょうなら「じゅんちょう」です。",
            f"{_pct(p.roughly_ratio)} いじょうなら「だいたい じゅんちょう」、それより すくなければ「おくれている」です。",
            "はじめの かずより わるく なったら「わるく なった」です。",
            "もくひょうの としが すぎても とどかなかったら「たっせい できなかった」です。",
        ]
    else:
        lines.append("この けいかくは、つぎの きじゅんで はんだん します。")
        for s in params.scale[:-2]:
            words = s.easy_ja or s.ja
            lines.append(f"「{words}」：{s.means_ja or s.ja}")
    lines += [
        f"アンケートの わりあいは、{_num(params.survey_tolerance_points)}ポイントより ちいさい かわりは「かわらない」と みなします。",
        "とちゅうの かず（〇月〇日の じてん）は、1ねんの けっかとして はんだん しません。",
        "しらべて いない としは「かずが ない」と して、0 とは しません。",
    ]
    if baseline_fy is not None:
        lines.append(
            f"はじめの かずは、しひょうに きまった かずが なければ {baseline_fy}ねん の かずを つかいます。"
        )
    return tuple(lines)
