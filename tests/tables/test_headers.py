"""What headers say of their columns, and how plans number their hierarchy."""

import datetime as dt

import pytest

from machiplan.tables.headers import guess_header, kind_of, unit_of
from machiplan.tables.outline import child_code, code_parts, heading, looks_like_code


@pytest.mark.parametrize(
    ("header", "role", "fy", "extra"),
    [
        ("令和元年", "value", 2019, {}),
        ("令和2年実績", "actual", 2020, {}),
        ("令和4年9月30日現在", "interim", 2022, {"as_of": dt.date(2022, 9, 30)}),
        ("令和4年度 9月30日現在", "interim", 2022, {"as_of": dt.date(2022, 9, 30)}),
        ("令和4年末見込", "forecast", 2022, {}),
        ("5ヵ年目標", "target", None, {"target": "final"}),
        ("目標(平成31年度)", "target", 2019, {"target": "annual"}),
        ("中間目標", "target", None, {"target": "midterm"}),
        ("初期値(計画策定時)", "baseline", None, {"label": "初期値"}),
        ("従前値", "baseline", None, {"label": "従前値"}),
        ("現状値", "current", None, {"label": "現状値"}),
        ("現状→目標", "baseline_target", None, {}),
        ("実績（件）", "actual", None, {"unit": "件"}),
        ("H27", "value", 2015, {}),
        ("2019", "value", 2019, {}),
        ("指標名", "name", None, {}),
        ("目標(指標)名", "name", None, {}),
        ("目標(指標)の説明", "definition", None, {}),
        ("出典", "data_source", None, {}),
        ("成果指標の測定企画", "data_source", None, {}),
        ("成果指標設定の考え方", "selection_rationale", None, {}),
        ("設定根拠", "target_rationale", None, {}),
        ("数値確定の時期", "confirmed_when", None, {}),
        ("基本目標", "level", None, {}),
        ("施策番号", "node_code", None, {}),
        ("No.", "code", None, {}),
        ("区分", "category", None, {}),
        ("年度", "fy", None, {}),
        ("目標年度", "target_fy", None, {}),
        ("達成率", "ignore", None, {}),
        ("指標の方向性", "direction", None, {}),
        ("担当課", "department", None, {}),
    ],
)
def test_headers(header, role, fy, extra):
    guess = guess_header(header)
    assert (guess.role, guess.fy) == (role, fy)
    for key, value in extra.items():
        assert getattr(guess, key) == value
    assert guess.reason_ja and guess.reason_en


def test_units_kinds_and_numbering():
    assert (
        unit_of("待機児童数（人）") == "人"
        and unit_of("森林面積（k㎡）") == "k㎡"
        and unit_of("（単位：千円）") == "千円"
    )
    assert unit_of("介護・支援を必要としない高齢者の割合（75歳以上85歳未満）") is None
    assert [kind_of(w) for w in ("目標", "実績", "見込", "中間目標", "初期値", "現状値", "計画", "その他")] == [
        "target", "actual", "forecast", "midterm", "baseline", "current", "target", None,
    ]  # fmt: skip
    assert heading("1章 市民の個性").number == "1章" and heading("①子育て").style == "circled"
    assert heading("【基本目標1】子育て日本一").style == "word:基本目標"
    assert heading("10年後の姿") is None and heading("32.4%") is None and heading("待機児童数") is None
    assert (
        child_code("Ⅰ-1", "(1)") == "Ⅰ-1-(1)"
        and child_code("1", "1-2") == "1-2"
        and child_code(None, "第3章") == "3"
    )
    assert code_parts("Ⅰ-2-(3)") == ["Ⅰ", "Ⅰ-2", "Ⅰ-2-(3)"] and code_parts("10301", (1, 2, 2)) == [
        "1",
        "103",
        "10301",
    ]
    assert looks_like_code("1-1-2") and looks_like_code("①") and not looks_like_code("待機児童")
