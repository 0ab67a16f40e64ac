"""Words a reader sees: a date in 和暦 or in English, a figure's kind and a target's kind."""

import datetime as dt

import pytest

from machiplan.domain.labels import date_label, kind_label, progress_label, target_kind_label
from machiplan.domain.plan import OBSERVATION_KINDS


@pytest.mark.parametrize(
    ("day", "ja", "en"),
    [
        (dt.date(2026, 11, 30), "令和8年11月30日", "30 November 2026"),
        (dt.date(2019, 5, 1), "令和元年5月1日", "1 May 2019"),  # the first day of Reiwa
        (dt.date(2019, 4, 30), "平成31年4月30日", "30 April 2019"),  # the last of Heisei
        (dt.date(1989, 1, 7), "昭和64年1月7日", "7 January 1989"),
    ],
)
def test_dates_in_wareki_and_in_english(day, ja, en):
    assert date_label(day) == ja == date_label(day, "ja")
    assert date_label(day, "en") == en


def test_every_figure_kind_and_target_kind_has_words():
    for kind in OBSERVATION_KINDS:
        for lang in ("ja", "en"):
            assert kind_label(kind, lang) not in (kind, "—", "")
    assert [kind_label(k) for k in ("actual", "interim", "forecast", "pending", "none")] == [
        "実績", "状況", "見込", "今後調査", "値なし",
    ]  # fmt: skip
    assert [target_kind_label(k) for k in ("final", "midterm", "annual")] == [
        "最終目標",
        "中間目標",
        "年度目標",
    ]
    assert target_kind_label("midterm", "en") == "Mid-term target"


@pytest.mark.parametrize(
    ("progress", "lang", "text"),
    [
        (None, "ja", "—"),
        (0.0, "ja", "0%"),
        (0.634, "ja", "63%"),
        (1.0, "en", "100%"),
        (2.3, "ja", "230%"),  # past the target: as it is
        (-3.52, "ja", "基準値より悪化"),  # not −352%
        (-0.001, "en", "worse than the baseline"),
        (-1.0, "easy", "はじめより わるい"),
    ],
)
def test_a_progress_rate_in_words_below_zero(progress, lang, text):
    assert progress_label(progress, lang) == text


@pytest.mark.parametrize("fy", [1989, 2018, 2019, 2020, 2030])
@pytest.mark.parametrize("western", [False, True])
def test_fy_label_in_japanese_is_the_fiscal_years_spelling_every_time(fy, western):
    from machiplan.domain.fiscal import format_fiscal_year
    from machiplan.domain.labels import fy_label

    first = fy_label(fy, "ja", western=western)
    assert first == format_fiscal_year(fy, western=western) == fy_label(fy, "ja", western=western)
