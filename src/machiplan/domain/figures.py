"""One definition of the fields of a yearly figure, a target and a baseline.

A figure's fields (年度, 種別, 値, 時点, 概数, 内訳, 系列, 期間, 状態, 回答数, 誤差,
デザイン効果, 備考) are named,
typed, labelled and documented here once. Everything else derives from this:
the database columns (``plans.models``), the plan package's CSV columns, the
plan JSON, the OpenAPI schema of the write API, the open-data CSV and Excel
columns, and the staff form. Adding a field means adding it here, then a
migration: the rest follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import plan as domain


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # the attribute of the domain dataclass, the column, the JSON key
    type: str  # int | decimal | date | bool | text | choice | breakdown
    ja: str
    en: str
    help_ja: str = ""
    help_en: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None  # for text
    nullable: bool = False  # an empty text or choice is None in the domain (not '')
    default_value: object = None  # when not the type's own default
    maximum: int | None = None  # for an int that is not a year: the largest it may be

    def default(self) -> object:
        if self.default_value is not None:
            return self.default_value
        if self.nullable:
            return None
        if self.type == "bool":
            return False
        if self.type == "breakdown":
            return ()
        if self.type == "text":
            return ""
        if self.type == "choice" and not self.required:
            return self.choices[0]
        return None


# Figures: the precision every way in accepts and the database keeps.
MAX_DIGITS, DECIMAL_PLACES = 24, 6

FY = Field(
    "fy",
    "int",
    "年度",
    "Year",
    "年度が始まる西暦年（平成29年度 = 2017）。期間が暦年のときはその年。",
    "The Western year the fiscal year starts in (H29年度 = 2017); the calendar year when the period is 'cy'.",
    required=True,
)
KIND = Field(
    "kind",
    "choice",
    "種別",
    "Kind",
    "実績 (actual)、状況 (interim: 年度途中の値、時点つき)、見込 (forecast)、今後調査 (pending)、— (none)",
    "actual, interim (a value so far, with its as-of date), forecast (見込), pending (今後調査), none (—)",
    choices=domain.OBSERVATION_KINDS,
    required=True,
)
VALUE = Field(
    "value",
    "decimal",
    "値",
    "Value",
    "指標の単位での数値（円は円、%はポイント）",
    "A number in the indicator's unit (yen as yen, % as points)",
)
AS_OF = Field(
    "as_of",
    "date",
    "時点",
    "As of",
    "値が示す日（H29.8.31時点、3月末現在）。その年度（暦年）の中の日付。",
    "The day the figure stands at (a date inside its year)",
)
APPROXIMATE = Field(
    "approximate", "bool", "概数", "Approximate", "約・推計の値", "About (約) or estimated (推計)"
)
BREAKDOWN = Field(
    "breakdown",
    "breakdown",
    "内訳",
    "Breakdown",
    "合計が値になる内訳（認定9、仮認定5）",
    "Parts that add up to the value",
)
NOTE = Field("note", "text", "備考", "Note", max_length=None)

# A survey's own error (domain/surveys.py): how many answered, and what the survey itself reports
# of its precision. On a share of a questionnaire (survey: true) they set the band within which
# a change is taken as unchanged; without them the plan's fixed tolerance stands in.
MAX_SAMPLE_SIZE = 100_000_000
SAMPLE_SIZE = Field(
    "sample_size",
    "int",
    "回答数",
    "Sample size",
    "調査の回答者数（n）。割合の誤差の計算に使う。",
    "How many answered the survey (n): the share's margin of error follows from it",
    maximum=MAX_SAMPLE_SIZE,
)
MARGIN = Field(
    "margin",
    "decimal",
    "誤差",
    "Margin of error",
    "調査が公表する95%信頼区間の幅（±ポイント）。回答数より優先する。",
    "The survey's own 95 % margin of error, in ± points; it takes precedence over the sample size",
)
DESIGN_EFFECT = Field(
    "design_effect",
    "decimal",
    "デザイン効果",
    "Design effect",
    "層化・集落抽出などによる分散の倍率（単純無作為抽出は1）。回答数とともに使う。",
    "How much the sampling design inflates the variance (1 for a simple random sample); used with the sample size",
)
SAMPLE_FIELDS = (SAMPLE_SIZE, MARGIN, DESIGN_EFFECT)
SERIES = Field(
    "series",
    "text",
    "系列",
    "Series",
    "学年別・男女別などの系列名。空欄は指標そのものの値。",
    "The series (by grade, by sex…); empty for the indicator's own figure",
    max_length=100,
)
PERIOD = Field(
    "period",
    "choice",
    "期間",
    "Period",
    "fy = 年度（4月〜翌3月）、cy = 暦年（1月〜12月）",
    "fy = fiscal year (April–March), cy = calendar year",
    choices=domain.PERIODS,
)
TEXT = Field(
    "text",
    "text",
    "状態",
    "State",
    "数値でない指標の状態（なし、設置、策定済）",
    "The state of an indicator that is not a figure (none, established…)",
    max_length=300,
)
SOURCE_TEXT = Field(
    "source_text",
    "text",
    "原文",
    "As written",
    "資料に書かれたとおりの値",
    "The value as the document writes it",
    max_length=300,
)

# A yearly figure, as entered, approved and published (plans.Observation, staff.Entry).
FIGURE_FIELDS: tuple[Field, ...] = (
    SERIES,
    FY,
    PERIOD,
    KIND,
    VALUE,
    TEXT,
    AS_OF,
    APPROXIMATE,
    BREAKDOWN,
    *SAMPLE_FIELDS,
    NOTE,
)

TARGET_FIELDS: tuple[Field, ...] = (
    SERIES,
    Field(
        "horizon",
        "text",
        "目標の区分",
        "Horizon",
        "plan または上位計画の記号",
        "plan, or a higher plan's horizon",
        required=True,
        max_length=64,
    ),
    Field(
        "kind",
        "choice",
        "目標の種類",
        "Target kind",
        "final = 目標値、midterm = 中間目標、annual = 年度別目標",
        "final, midterm (中間目標) or annual (年度別目標)",
        choices=domain.TARGET_KINDS,
    ),
    Field("fy", "int", "目標年度", "Target year", required=True),
    Field("value", "decimal", "目標値", "Target value"),
    Field(
        "operator",
        "choice",
        "比較",
        "Operator",
        "at_least = 以上、at_most = 以下、maintain = 維持。空欄は指標の方向による。",
        "at_least, at_most, maintain; empty: as the indicator's direction says",
        choices=("", *domain.OPERATORS),
        nullable=True,
    ),
    Field(
        "text",
        "text",
        "目標（文言）",
        "Target in words",
        "設置、全員取得など",
        "A target state or a target in words",
        max_length=300,
    ),
    Field(
        "period_start_fy",
        "int",
        "合計の開始年度",
        "Sum from",
        "期間合計の目標（H26-30 計 → 2014）",
        "For a target summed over a period",
    ),
    APPROXIMATE,
    Field(
        "year_stated",
        "bool",
        "年度の明記",
        "Year stated",
        "資料が目標年度を書いているか",
        "Whether the document states the year",
        default_value=True,
    ),
    Field(
        "revision",
        "text",
        "見直し",
        "Revision",
        "この目標を定めた見直し",
        "The revision that set it",
        max_length=64,
        nullable=True,
    ),
    SOURCE_TEXT,
    NOTE,
)

BASELINE_FIELDS: tuple[Field, ...] = (
    SERIES,
    Field(
        "label",
        "text",
        "基準の名称",
        "Called",
        "初期値・基準値・現状値・従前値",
        "初期値, 基準値, 現状値, 従前値",
        max_length=50,
    ),
    Field("fy", "int", "基準年度", "Baseline year"),
    PERIOD,
    Field(
        "value",
        "decimal",
        "基準値",
        "Baseline value",
        "空欄で年度も空欄なら「なし（−）」",
        "Empty with no year: the document says there is none",
    ),
    TEXT,
    AS_OF,
    APPROXIMATE,
    Field(
        "revision",
        "text",
        "見直し",
        "Revision",
        "この基準値を訂正した見直し",
        "A revision that corrected it",
        max_length=64,
        nullable=True,
    ),
    *SAMPLE_FIELDS,
    SOURCE_TEXT,
    NOTE,
)


def field_named(fields: tuple[Field, ...], name: str) -> Field:
    return next(f for f in fields if f.name == name)
