"""What an importer guesses of an indicator from its name and unit, each with its reason."""

import pytest

from machiplan.domain.guesses import guess_indicator


def guessed(name, unit=None):
    return {g.field: g.value for g in guess_indicator(name, unit)}


@pytest.mark.parametrize(
    ("name", "unit", "measure"),
    [
        ("整備・創出された地域活動の場の数(累計)", "件", "cumulative"),
        ("講演会の開催回数", "回", "flow"),  # a count per year, not a level (#13)
        ("市民講座の受講者数", "人", "flow"),
        ("さぽーとほっと基金寄附件数", "件", "flow"),
        ("観光入込客数", "人", "flow"),
        ("認証NPO法人数", "団体", "level"),  # 法人数 is not 人数
        ("市民活動サポートセンター登録団体数", "団体", "level"),
        ("町内会加入率", "%", "level"),
        ("自治会数", "自治会", "level"),
    ],
)
def test_the_measure_and_its_reason(name, unit, measure):
    (found,) = [g for g in guess_indicator(name, unit) if g.field == "measure"]
    assert found.value == measure and found.reason("ja") and found.reason("en")


def test_a_survey_share_and_a_rate_from_records():
    assert guessed("地域に愛着を感じている市民の割合", "%")["survey"] is True
    assert guessed("市民満足度", "%")["survey"] is True
    assert guessed("町内会加入率", "%")["survey"] is False
    assert guessed("満足している人の数", "人")["survey"] is False  # not a share


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("保育所待機児童数", "decrease"),
        ("交通事故死者数", "decrease"),
        ("不法投棄件数", "decrease"),
        ("一時保護児童一人当たりの平均在所日数", "decrease"),
        ("登録団体数", "increase"),
    ],
)
def test_the_direction(name, direction):
    assert guessed(name)["direction"] == direction


@pytest.mark.parametrize(
    ("name", "operators", "direction"),
    [
        ("家庭系排出物の量", ["at_most"], "decrease"),  # 800g以下: no word of the name says so
        ("事故ゼロ継続日数", ["at_least"], "increase"),  # 365日以上: the target's word over 事故
        ("ごみの排出量", [None, "maintain"], "decrease"),  # no 以上 or 以下: the name's
        ("市民講座の受講者数", ["at_least", "at_most"], "increase"),  # the targets disagree: the name's
    ],
)
def test_a_targets_word_for_the_better_way_is_taken_before_the_names(name, operators, direction):
    (found,) = [g for g in guess_indicator(name, None, operators) if g.field == "direction"]
    assert found.value == direction and found.reason("ja") and found.reason("en")
