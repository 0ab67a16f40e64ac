"""Documents of the family written by us (tests/data/documents/family/, synthetic), read through the
command line: each value as the city meant it, each year as the era says, no row dropped unsaid."""

from __future__ import annotations

import json
from pathlib import Path

FAMILY = Path(__file__).resolve().parents[1] / "data" / "documents" / "family"


def imported(cli, command: str, name: str) -> dict:
    result = cli(command, str(FAMILY / name), "--json")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return json.loads(result.out)


def indicator(plan: dict, name: str) -> dict:
    return next(i for i in plan["indicators"] if i["name"] == name)


def actuals(ind: dict) -> dict[int, tuple]:
    return {o["fy"]: (o["kind"], o["value"]) for o in ind["observations"]}


def test_a_kpi_sheet_with_headers_written_once_and_a_page_break(cli):
    plan = imported(cli, "import-table", "kpi-kensho-wareki.csv")
    # 令和N年度 written once over 目標 | 実績: every column takes its year; 基準値 over 値 | 年度
    columns = {c["header"]: c for c in plan["mapping"]["columns"]}
    assert columns["令和２年度 実績"]["role"] == "actual" and columns["令和２年度 実績"]["fy"] == 2020
    assert columns["基準値 年度"]["role"] == "baseline_fy"
    assert plan["mapping"]["layout"] == "wide"
    # the header repeated after a ※ note: the rows under it are read, not taken for notes
    assert len(plan["indicators"]) == 8
    birth = indicator(plan, "合計特殊出生率")
    assert birth["baselines"][0]["value"] == 1.42 and birth["baselines"][0]["fy"] == 2015
    assert actuals(birth)[2022] == ("pending", None)
    farmers = indicator(plan, "新規就農者数")
    assert (farmers["baselines"][0]["fy"], farmers["baselines"][0]["value"]) == (2018, 12)  # 平成30年度, １２
    assert actuals(farmers) == {
        2019: ("actual", 11),
        2020: ("actual", 15),
        2021: ("actual", -2),
        2022: ("pending", None),
    }
    final = next(t for t in farmers["targets"] if t["kind"] == "final")
    assert (final["fy"], final["value"], final["period_start_fy"]) == (2024, 80, 2019)  # 累計 ８０人
    assert [(t["fy"], t["value"]) for t in farmers["targets"] if t["kind"] == "annual"] == [
        (2019, 13), (2020, 14), (2021, 15), (2022, 16)
    ]  # fmt: skip
    visitors = indicator(plan, "観光入込客数")
    assert visitors["unit"] == "千人" and visitors["baselines"][0]["value"] == 1250
    assert actuals(visitors)[2023] == ("forecast", 1200)  # R5見込 1、200
    assert actuals(visitors)[2020] == ("none", None)  # －
    moving = indicator(plan, "転入超過数")
    assert moving["baselines"][0]["value"] == -12 and actuals(moving)[2019] == ("actual", -30)
    assert next(t for t in moving["targets"] if t["kind"] == "final")["operator"] == "maintain"
    center = indicator(plan, "子育て支援センター利用者数")
    assert (center["baselines"][0]["fy"], center["baselines"][0]["value"]) == (
        2019,
        8210,
    )  # 令和元年度 ８，２１０
    assert plan["plan"]["municipality"]["name"] == "やまなみ市"  # after 第２期
    assert "調査を中止" in plan["plan"]["description"]


def test_an_evaluation_table_with_costs_and_grades(cli):
    plan = imported(cli, "import-table", "shisaku-hyoka-r4.xlsx")
    columns = {c["header"]: c for c in plan["mapping"]["columns"]}
    # money, not a category of indicators: the node's cost for the year the title states (令和４年度)
    assert columns["事業費（千円）"]["role"] == "cost" and columns["事業費（千円）"]["basis"] == "actual"
    assert columns["評価"]["role"] == "rating"
    assert all(not i["category"] for i in plan["indicators"])
    costs = {n["code"]: [(c["start_fy"], c["basis"], c["unit"], c["amount"], c["amount_yen"]) for c in n["costs"]]
             for n in plan["nodes"] if n["costs"]}  # fmt: skip
    assert costs == {
        "1-1-1": [(2022, "actual", "千円", 12340, 12340000)],  # １２，３４０
        "1-1-2": [(2022, "actual", "千円", 3200, 3200000)],
        "1-2-1": [(2022, "actual", "千円", 45600, 45600000)],
        "2-1-1": [(2022, "actual", "千円", 8210, 8210000)],
        "2-1-2": [(2022, "actual", "千円", 1520, 1520000)],
        "2-2-1": [(2022, "actual", "千円", 22480, 22480000)],
    }
    # the 合計 row is no node: its cost is the plan's
    assert "合計" not in {n["name"] for n in plan["nodes"]}
    assert [(c["start_fy"], c["amount"], c["unit"]) for c in plan["plan"]["costs"]] == [(2022, 93350, "千円")]
    grades = {
        i["name"]: [(r["fy"], r["scale"], r["grade"]) for r in i["ratings"]] for i in plan["indicators"]
    }
    assert grades == {
        "保育所待機児童数": [(2022, "evaluation", "A")],
        "子育て相談件数": [(2022, "evaluation", "A")],
        "全国学力調査で平均以上の児童の割合": [(2022, "evaluation", "B")],
        "自主防災組織の組織率": [(2022, "evaluation", "B")],
        "交通事故件数（人身）": [(2022, "evaluation", "C")],
        "特定健診受診率": [(2022, "evaluation", "D")],
    }
    # the scale, best first, each grade with the meaning the ※ legend gives it
    (scale,) = plan["plan"]["rating_scales"]
    assert (scale["key"], scale["name"], scale["applies_to"]) == ("evaluation", "評価", "indicator")
    assert [(g["code"], g["label"]) for g in scale["grades"]] == [
        ("A", "目標達成"), ("B", "概ね順調"), ("C", "やや遅れ"), ("D", "遅れ")
    ]  # fmt: skip
    assert len(plan["plan"]["levels"]) == 3 and len(plan["indicators"]) == 6
    nursery = indicator(plan, "保育所待機児童数")
    assert nursery["baselines"][0]["value"] == 14 and nursery["baselines"][0]["fy"] == 2018
    drill = indicator(plan, "自主防災組織の組織率")
    assert actuals(drill)[2022] == ("actual", 82.4)


def test_a_pdf_text_table_of_year_columns_a_line_per_row(cli):
    plan = imported(cli, "import-sheet", "kpi-kensho-text.txt")
    assert len(plan["nodes"]) == 7  # 基本目標 > 施策 > (1), the title repeated at the page break left out
    assert sorted(i["name"] for i in plan["indicators"]) == sorted([
        "町内事業所の従業者数", "新規就農者数（累計）", "農地の集積率", "間伐実施面積", "移住相談件数", "社会増減数",
        "空き家バンク登録件数",
    ])  # fmt: skip
    kgi = indicator(plan, "町内事業所の従業者数")  # 数値目標：名称：現状 → 目標
    assert (kgi["baselines"][0]["value"], kgi["targets"][0]["value"], kgi["targets"][0]["fy"]) == (
        3410,
        3500,
        2024,
    )
    farmers = indicator(plan, "新規就農者数（累計）")
    assert (farmers["baselines"][0]["fy"], farmers["baselines"][0]["value"]) == (2019, 4)  # ４（令和元年度）
    assert actuals(farmers) == {2020: ("actual", 6), 2021: ("actual", 9), 2022: ("pending", None)}
    assert [(t["fy"], t["value"]) for t in farmers["targets"]] == [(2024, 20)]  # 累計 ２０人, 目標値(R6)
    thinning = indicator(plan, "間伐実施面積")  # R5.3.31時点 88: split from its figure by the extraction
    assert actuals(thinning)[2022] == ("actual", 88)
    moving = indicator(plan, "社会増減数")  # a target in words does not make the figures states
    assert moving["value_type"] == "number" and actuals(moving)[2020] == ("actual", -31)
    houses = indicator(plan, "空き家バンク登録件数")
    assert [(t["fy"], t["value"]) for t in houses["targets"]] == [(2019, 100)]  # H31年度 100件
    assert actuals(houses)[2020] == ("none", None)


def test_a_row_that_does_not_fit_its_header_is_one_warning_naming_its_line(cli, tmp_path):
    text = (FAMILY / "kpi-kensho-text.txt").read_text(encoding="utf-8")
    path = tmp_path / "short.txt"
    path.write_text(
        text.replace(
            "移住相談件数 件/年 ３５（令和元年度） ４２ ５１ ６０ 増加", "移住相談件数 件/年 ３５ ４２ 増加"
        )
    )
    result = cli("import-sheet", str(path))
    assert result.code == 0
    said = [line for line in result.err.splitlines() if "移住相談件数" in line]
    assert said == [
        "machiplan: warning: short.txt: line 23: 移住相談件数: 4 cell(s) under a header of 6 column(s): the row is not"
        " read; write one cell per column ('―' for none)"
    ]
