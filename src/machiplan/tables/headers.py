"""What a column's header says it holds: its role, and for a figure column its year and kind.

    指標名 | 単位 | 区分 | 出典 | 指標の説明                 the indicator's own columns
    基本目標 | 施策 | 施策番号                              the hierarchy
    令和2年実績 | 令和4年9月30日現在 | 令和4年末見込           figures of a year (as of a day, forecast)
    初期値(計画策定時) | 現状値 | 目標値 | 5ヵ年目標          figures whose year is in the cell (or none)
    年度 | 区分 | 値                                       a long table's year, kind and value

Each answer carries its reason, in Japanese and English, for the summary and the mapping file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from machiplan.domain import plan as domain

from . import mapping as m
from .cells import norm, read_when

KNOWN_UNITS = (
    "%", "件", "人", "回", "団体", "か所", "カ所", "ヵ所", "ケ所", "箇所", "所", "校", "円", "千円", "万円",
    "百万円", "億円", "年", "日", "ポイント", "pt", "点", "組", "社", "台", "t", "トン", "kg", "km", "ha",
    "戸", "世帯", "施設", "本", "冊", "店舗", "事業所", "プロジェクト", "分", "時間", "歳", "倍", "人泊",
    "万人", "千人", "人/年", "件/年", "回/年", "園", "床", "区画", "路線", "ヘクタール", "m", "m2", "km2", "㎡",
    "隻", "頭", "匹", "品目", "地区", "自治会", "団地", "人日", "GWh", "kWh", "MW", "ℓ", "L",
)  # fmt: skip
_UNIT_SET = {norm(u) for u in KNOWN_UNITS}
_UNIT_IN_HEADER = re.compile(
    r"[(（\[［【]\s*(?:単位\s*[:：]?\s*)?(?P<unit>[^()（）\[\]［］【】]{1,10}?)\s*[)）\]］】]\s*$"
)
_UNIT_WORD = re.compile(r"単位\s*[:：]\s*(?P<unit>\S{1,10})")
_NYEAR_TARGET = re.compile(r"(?P<n>\d{1,2})\s*(?:ヵ|か|カ|ケ|箇|ヶ)?年(?:間)?(?:後)?の?目標")


@dataclass(frozen=True, slots=True)
class HeaderGuess:
    role: str
    reason_ja: str
    reason_en: str
    fy: int | None = None
    period: str = domain.FISCAL_YEAR
    as_of: object = None  # a date
    target: str = domain.FINAL
    label: str = ""
    unit: str | None = None
    sure: bool = True  # the header says it outright (a known word), rather than suggests it


def unit_of(text: str) -> str | None:
    """A unit a header or a name ends with in brackets ('待機児童数（人）' -> '人'), or '単位：千円'."""
    m_ = _UNIT_IN_HEADER.search(text.strip())
    if m_ and norm(m_["unit"]) in _UNIT_SET:
        return _as_written(m_["unit"])
    m_ = _UNIT_WORD.search(text)
    if m_ and norm(m_["unit"]).strip("()") in _UNIT_SET:
        return _as_written(m_["unit"]).strip("()（）")
    return None


def _as_written(unit: str) -> str:
    """A unit as the table writes it (k㎡ stays k㎡), but full-width letters and % as ASCII."""
    return "".join(norm(c) if "\uff01" <= c <= "\uff5e" else c for c in unit.strip())


def without_unit(text: str) -> str:
    m_ = _UNIT_IN_HEADER.search(text.strip())
    if m_ and norm(m_["unit"]) in _UNIT_SET:
        return text.strip()[: m_.start()].strip()
    return text.strip()


# (words, role, Japanese reason, English reason): the first that a header contains decides.
# Order matters: 指標の説明 before 指標, 基本目標 before 目標, 目標年度 before 目標.
_WORDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("達成率", "進捗率", "前年比", "増減", "対前年", "順位"), m.IGNORE,
     "computed by the city: machiplan works it out itself"),
    (("一般財源", "事業数", "財源"), m.IGNORE, "money of the node beside its cost: not read"),
    (("目標年度", "目標年次", "目標時期"), m.TARGET_FY, "the year of the row's target"),
    (("基準年度", "基準年次", "基準年", "策定時の年度"), m.BASELINE_FY, "the year of the row's baseline"),
    (("数値確定の時期", "確定時期", "確定の時期"), m.CONFIRMED_WHEN, "when the figure is confirmed"),
    (("成果指標設定の考え方", "指標設定の考え方", "指標の選定理由", "選定理由", "指標設定の理由"), m.SELECTION_RATIONALE, "why this indicator"),
    (("設定根拠", "目標設定の考え方", "目標値の設定根拠", "目標値の考え方", "目標の根拠"), m.TARGET_RATIONALE, "why this target"),
    (("説明", "定義", "内容", "概要", "指標の考え方"), m.DEFINITION, "what the indicator measures"),
    (("算出方法", "計算方法", "算定方法", "計算式", "算出式"), m.CALCULATION, "how it is calculated"),
    (("出典", "出所", "把握方法", "測定方法", "測定企画", "データソース", "数値の根拠", "調査名"), m.DATA_SOURCE, "where the figures come from"),
    (("担当課", "所管課", "担当部署", "担当部課", "所管部署", "担当部局", "所管", "担当"), m.DEPARTMENT, "the department that owns it"),
    (("方向性", "方向", "目指す方向"), m.DIRECTION, "which way is better"),
    (("備考", "注記", "補足", "注"), m.NOTE, "a note"),
    (("単位",), m.UNIT, "the unit"),
    (("系列",), m.SERIES, "the series"),
    (("指標の種類", "指標種別", "KGI/KPI", "KPI/KGI", "指標区分"), m.TYPE, "KGI / KPI"),
    (("施策番号", "施策コード", "施策No", "政策番号", "体系番号", "体系コード", "事業番号", "項目番号"), m.NODE_CODE, "the code of the indicator's node"),
    (("指標番号", "指標No", "指標コード", "KPI番号", "No", "番号", "コード", "項番", "整理番号", "ID"), m.CODE, "the indicator's code"),
    (("指標名", "成果指標", "目標(指標)名", "目標指標", "評価指標", "重要業績評価指標", "指標項目", "数値目標", "KPI", "KGI", "指標", "項目名", "項目"), m.NAME, "the indicator's name"),
    (("基本目標", "基本施策", "個別施策", "基本方針", "政策", "施策", "章", "節", "分野", "柱", "基本事業", "事業", "取組"), m.LEVEL, "a level of the plan's hierarchy"),
    (("区分", "分類", "種別", "種類"), m.CATEGORY, "a label over several rows"),
    (("評価", "判定", "達成度", "進捗状況", "達成状況", "所見"), m.IGNORE, "the city's judgement in words: not read"),
)  # fmt: skip
_KIND_ONLY = {"実績": m.ACTUAL, "実績値": m.ACTUAL, "目標": m.TARGET, "目標値": m.TARGET, "見込": m.FORECAST,
              "見込み": m.FORECAST, "見込値": m.FORECAST, "値": m.VALUE, "数値": m.VALUE, "数量": m.VALUE}  # fmt: skip
_BASELINE_WORDS = ("初期値", "基準値", "計画策定時", "策定時", "従前値", "当初値", "基準")
_CURRENT_WORDS = ("現状値", "現状", "現在値", "直近値", "最新値", "直近実績")


def guess_header(text: str) -> HeaderGuess | None:
    """What a header says; None when it says nothing machiplan knows."""
    raw = text.strip()
    if not raw:
        return None
    unit = unit_of(raw)
    body = norm(without_unit(raw))
    if not body:
        return None
    if body in ("年度", "年", "年次", "年度(年)", "対象年度", "実績年度"):
        return HeaderGuess(m.FY, "年度の列", "the year of each row", unit=unit)
    year_of = re.fullmatch(r"(?P<kind>\D+?)(?:の)?(?:年度|年次|年)", body)
    if year_of and year_of["kind"] in {norm(w) for w in _BASELINE_WORDS + _CURRENT_WORDS}:
        return HeaderGuess(  # 基準値 over 値 | 年度: the baseline's year
            m.BASELINE_FY,
            f"「{year_of['kind']}」の年度",
            f"the year of the row's baseline ('{raw}')",
            unit=unit,
        )
    if year_of and year_of["kind"] in ("目標", "目標値", "最終目標", "計画目標"):
        return HeaderGuess(
            m.TARGET_FY, f"「{year_of['kind']}」の年度", f"the year of the row's target ('{raw}')", unit=unit
        )
    own = _rating_or_cost(raw, body, unit)
    if own is not None:
        return own
    if "→" in body or "⇒" in body:
        return HeaderGuess(
            m.BASELINE_TARGET, "「現状→目標」を一つのセルに書く列", "'now → target' in one cell", unit=unit
        )
    figure = _figure(body, unit)
    if figure is not None:
        return figure
    for words, role, reason in _WORDS:
        for word in words:
            if norm(word) in body:
                if role == m.LEVEL and ("名" in body or body == norm(word) or len(body) <= 6):
                    return HeaderGuess(
                        role, f"見出しの「{word}」は計画の階層", f"'{word}': {reason}", label=body
                    )
                if role == m.LEVEL:
                    continue
                if role == m.NAME and any(w in body for w in _BASELINE_WORDS + _CURRENT_WORDS):
                    continue
                return HeaderGuess(
                    role, f"見出しに「{word}」", f"'{word}' in the header: {reason}", unit=unit
                )
    return None


# the city's grade: the header without its year, its unit and its brackets
GRADE_HEADERS = {
    "評価": "evaluation", "評価結果": "evaluation", "判定": "evaluation", "評定": "evaluation",
    "自己評価": "evaluation", "内部評価": "evaluation", "一次評価": "evaluation", "二次評価": "evaluation",
    "担当課評価": "evaluation", "施策評価": "evaluation", "事業評価": "evaluation", "成果評価": "evaluation",
    "総合評価": "overall", "総合判定": "overall", "最終評価": "overall",
    "進捗状況": "progress", "進捗度": "progress", "進捗評価": "progress", "進捗": "progress",
    "達成度": "achievement", "達成状況": "achievement", "達成度評価": "achievement", "達成評価": "achievement",
}  # fmt: skip
_COST_WORDS = ("事業費", "決算額", "予算額", "執行額", "決算", "予算")
_COST_NOT = ("一般財源", "事業数", "財源", "率", "比", "差", "増減", "内訳", "番号")
_HEADER_YEAR_RE = re.compile(
    r"[(（\[［【]?\s*(?:(?:令和|平成|R|H)\s*(?:[0-9]{1,2}|元)|(?:19|20)[0-9]{2})\s*(?:年度|年)?\s*(?:分)?[)）\]］】]?"
)


def _rating_or_cost(raw: str, body: str, unit: str | None) -> HeaderGuess | None:
    """A column of the city's grades (評価, 令和4年度評価, 達成度) or of a node's money (事業費（千円）,
    R4決算額, 予算額(百万円)), with the year its header gives."""
    rest = _HEADER_YEAR_RE.sub("", body).strip("()（）[]［］【】:：・ ")
    if not rest:
        return None
    try:
        when = read_when(body, bare_western=True)
    except Exception:  # a date that is none
        when = None
    fy = when.fy if when is not None and when.fy is not None and rest != body else None
    said = f"{fy}年度の" if fy is not None else ""
    said_en = f" of FY{fy}" if fy is not None else ""
    if rest in GRADE_HEADERS:
        return HeaderGuess(
            m.RATING, f"見出しの「{rest}」: 市の評価（{said or '表の年度の'}評語）",
            f"'{rest}': the city's own grade{said_en or ' for the year of the table'}", fy=fy, label=rest,
        )  # fmt: skip
    if any(w in rest for w in _COST_WORDS) and not any(w in rest for w in _COST_NOT):
        basis = m.cost_basis(rest)
        what, what_en = (
            ("予算（計画）", "planned (a budget)") if basis == domain.PLANNED else ("決算（支出）", "spent")
        )
        return HeaderGuess(
            m.COST, f"見出しの「{rest}」: 施策の{said or '表の年度の'}事業費、{what}",
            f"'{rest}': the node's money{said_en or ' for the year of the table'}, {what_en}", fy=fy,
            label=rest, unit=unit,
        )  # fmt: skip
    return None


def _figure(body: str, unit: str | None) -> HeaderGuess | None:
    """A header of figures: a year (and kind), or a kind whose year the cells give."""
    if any(
        w in body
        for w in (
            "目標年度",
            "基準年度",
            "目標年次",
            "達成率",
            "進捗率",
            "評価",
            "基本目標",
            "事業費",
            "予算",
            "決算",
            "一般財源",
        )
    ):
        return None
    try:
        when = read_when(body, bare_western=True)
    except Exception:  # a date that is none (令和4年2月30日): not a figure header
        when = None
    kind_word = _kind_word(body)
    if when is not None:
        fy, period = when.fy, when.period
        if period == domain.CALENDAR_YEAR:  # 令和2年実績: cities mean the fiscal year
            period = domain.FISCAL_YEAR
        loose = "年" in body and "年度" not in body  # 令和2年: read as 令和2年度
        ja_year = f"{fy}年度" + ("（「年」を年度と読む）" if loose else "")
        en_year = f"FY{fy}" + (" ('年' read as the fiscal year)" if loose else "")
        if when.dated and kind_word not in (m.FORECAST, m.TARGET):
            return HeaderGuess(m.INTERIM, f"{ja_year}、{when.as_of}現在の値", f"{en_year} so far, as of {when.as_of}",
                               fy=fy, period=period, as_of=when.as_of, unit=unit)  # fmt: skip
        if kind_word == m.FORECAST or ("末" in body and "見込" in body):
            return HeaderGuess(
                m.FORECAST, f"{ja_year}の見込", f"{en_year}: a forecast", fy=fy, period=period, unit=unit
            )
        if kind_word == m.TARGET:
            midterm = "中間" in body
            return HeaderGuess(
                m.TARGET, f"{ja_year}の{'中間目標' if midterm else '目標'}",
                f"{en_year}: {'a mid-term target' if midterm else 'a target'}", fy=fy, period=period,
                target=domain.MIDTERM if midterm else domain.FINAL if "最終" in body or "目標値" in body else domain.ANNUAL,
                unit=unit,
            )  # fmt: skip
        if kind_word == m.BASELINE:
            label = next(w for w in _BASELINE_WORDS if w in body)
            return HeaderGuess(m.BASELINE, f"{ja_year}の{label}", f"{en_year}: the baseline ({label})",
                               fy=fy, period=period, label=label, unit=unit)  # fmt: skip
        if kind_word == "current":
            return HeaderGuess(m.ACTUAL, f"{ja_year}の現状値（実績）", f"{en_year}: the current value (an actual)",
                               fy=fy, period=period, unit=unit)  # fmt: skip
        if kind_word == m.INTERIM:
            return HeaderGuess(
                m.INTERIM, f"{ja_year}の途中の値", f"{en_year} so far", fy=fy, period=period, unit=unit
            )
        if kind_word == m.ACTUAL:
            return HeaderGuess(
                m.ACTUAL, f"{ja_year}の実績", f"{en_year}: actuals", fy=fy, period=period, unit=unit
            )
        return HeaderGuess(
            m.VALUE, f"{ja_year}（種別の記載なし: 区分の列、なければ実績）",
            f"{en_year}, no kind said: the row's kind, else an actual", fy=fy, period=period, unit=unit, sure=False,
        )  # fmt: skip
    nyear = _NYEAR_TARGET.search(body)
    if nyear or body in ("最終目標", "目標値", "目標", "計画目標", "最終目標値", "目標(最終)", "数値目標値"):
        said = nyear.group() if nyear else body
        return HeaderGuess(
            m.TARGET, f"「{said}」: 年度はセルから、なければ計画の最終年度", f"'{said}': the year from the cell, else the plan's end",
            unit=unit,
        )  # fmt: skip
    if "中間目標" in body:
        return HeaderGuess(
            m.TARGET,
            "中間目標: 年度はセルから",
            "a mid-term target: its year from the cell",
            target=domain.MIDTERM,
            unit=unit,
        )
    if kind_word == m.BASELINE:
        label = next(w for w in _BASELINE_WORDS if w in body)
        return HeaderGuess(m.BASELINE, f"「{label}」: 年度はセルから", f"'{label}': a baseline, its year from the cell",
                           label=label, unit=unit)  # fmt: skip
    if kind_word == "current":
        label = next(w for w in _CURRENT_WORDS if w in body)
        return HeaderGuess(
            "current",
            f"「{label}」: 年度はセルから",
            f"'{label}': its year from the cell",
            label=label,
            unit=unit,
        )
    if body in _KIND_ONLY:
        role = _KIND_ONLY[body]
        return HeaderGuess(
            role,
            f"「{body}」: 年度は行またはセルから",
            f"'{body}': its year from the row or the cell",
            unit=unit,
        )
    if "見込" in body:
        return HeaderGuess(
            m.FORECAST, "見込: 年度はセルから", "a forecast: its year from the cell", unit=unit
        )
    return None


def _kind_word(body: str) -> str | None:
    if "見込" in body:
        return m.FORECAST
    if "目標" in body or "計画値" in body:
        return m.TARGET
    if any(w in body for w in _BASELINE_WORDS):
        return m.BASELINE
    if any(w in body for w in _CURRENT_WORDS):
        return "current"
    if "実績" in body or "結果" in body:
        return m.ACTUAL
    if any(w in body for w in ("現在", "時点", "状況", "途中")):
        return m.INTERIM
    return None


# What a kind cell says (区分: 目標 / 実績), for a row per kind or a long table's rows.
def kind_of(text: str) -> str | None:
    body = norm(text)
    if not body:
        return None
    if "中間" in body and "目標" in body:
        return "midterm"
    word = _kind_word(body)
    if word == "current":
        return "current"
    if word is not None:
        return word
    if body in ("計画", "予定"):
        return m.TARGET
    return None
