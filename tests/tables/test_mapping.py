"""The mapping file: what --suggest-mapping writes reads back to the same plan; a person's
corrections take effect; a wrong file is one error naming the key; a kept mapping reads next
year's sheet, whose columns have moved."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from machiplan.domain.errors import MachiplanError
from machiplan.tables import (
    PlanFacts,
    mapping_document,
    mapping_from_document,
    mapping_yaml,
    read_mapping,
    read_table,
)
from tests.tables import sheets
from tests.tables.facts import check

FACTS = {"urakawa_arrows": PlanFacts(start_fy=2015, end_fy=2019)}


def suggest(layout: str, tmp_path: Path) -> tuple[Path, object]:
    name, data = sheets.LAYOUTS[layout]()
    result = read_table(data, name, facts=FACTS.get(layout))
    path = tmp_path / f"{layout}.yaml"
    path.write_text(mapping_yaml(result.mapping), encoding="utf-8")
    return path, result


@pytest.mark.parametrize("layout", sorted(sheets.LAYOUTS))
def test_the_suggested_mapping_reads_the_same_plan_with_nothing_left_to_guess(layout, tmp_path):
    path, detected = suggest(layout, tmp_path)
    mapping = read_mapping(path)
    name, data = sheets.LAYOUTS[layout]()
    again = read_table(data, name, mapping=mapping)
    assert again.plan == detected.plan
    assert again.guesses == ()  # the file says every indicator's measure, survey and direction
    assert mapping_from_document(mapping_document(mapping), "kept") == mapping  # as the plan keeps it (JSON)


def test_a_persons_corrections_take_effect(tmp_path):
    path, _ = suggest("urakawa_r4", tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for column in doc["columns"]:
        if column["header"] == "令和元年":  # not an actual: the baseline the plan starts from
            column.update(role="baseline", label="基準値")
    for item in doc["indicators"]:
        if item["name"] == "空き家バンク登録件数":
            item["direction"] = "increase"  # '空き家' suggested fewer; the city wants more listed
            item["measure"] = "level"
    doc["levels"] = ["基本目標", "施策"]
    doc["departments"]["企画課"] = "kikaku"
    doc["nodes"] = {"2": "潜在価値と魅力を活かした選ばれるまち"}
    doc["plan"].update(code="urakawa-sousei", start_fy=2020, end_fy=2024)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    name, data = sheets.urakawa_r4()
    result = read_table(data, name, mapping=read_mapping(path))
    facts = [
        ("plan", {"code": "urakawa-sousei", "start_fy": 2020, "end_fy": 2024}),
        ("baseline", "新規就農者数", "基準値", {"fy": 2019, "value": 1}),
        ("no obs", "新規就農者数", 2019),
        ("target", "新規就農者数", "final", 2024, {"year_stated": False}),
        (
            "indicator",
            "空き家バンク登録件数",
            {"direction": "increase", "measure": "level", "department": "kikaku"},
        ),
    ]
    assert check(result.plan, facts) == len(facts)
    assert (
        result.plan.node("2").name == ["2", "潜在価値と魅力を活かした選ばれるまちづくり"][1]
    )  # the table names it


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema="machiplan/table-mapping@9"), r"m\.yaml\.schema: unsupported schema"),
        (lambda d: d.update(layout="diagonal"), r"m\.yaml\.layout: must be one of wide, long"),
        (lambda d: d.update(header_rows=[4, 3]), r"m\.yaml\.header_rows: the last row is before the first"),
        (lambda d: d["columns"][3].update(role="year"), r"m\.yaml\.columns\[3\]\.role: unknown role 'year'"),
        (
            lambda d: d["columns"][0].update(column="A1"),
            r"m\.yaml\.columns\[0\]\.column: must be a column letter",
        ),
        (lambda d: d["columns"][9].update(fy="2020"), r"m\.yaml\.columns\[9\]\.fy: must be an integer"),
        (lambda d: d["columns"][9].update(fy=1800), r"m\.yaml\.columns\[9\]\.fy: FY1800 is outside"),
        (
            lambda d: d["columns"][4].update(role="note"),
            r"m\.yaml\.columns: no column is the indicators' name",
        ),
        (lambda d: d["columns"][5].update(column="A"), r"m\.yaml\.columns: column A appears twice"),
        (
            lambda d: d["indicators"][0].update(direction="up"),
            r"m\.yaml\.indicators\[0\]\.direction: must be one of increase, decrease",
        ),
        (
            lambda d: d["plan"].update(municipality={"code": 16071}),
            r"m\.yaml\.plan\.municipality\.code: 16071 is not a six-digit",
        ),
        (
            lambda d: d["departments"].update({"企画課": "企画"}),
            r"m\.yaml\.departments\.企画課: '企画' is not a valid code",
        ),
        # a key the mapping does not know is refused, not left unread
        (
            lambda d: d.update(levles=d.pop("levels")),
            r"^m\.yaml: unknown key 'levles' \(known: columns, departments, .*levels, ",
        ),
        (
            lambda d: d["columns"][11].update(taget="midterm"),
            r"^m\.yaml\.columns\[11\]: unknown key 'taget' \(known: as_of, basis, column, .*target, ",
        ),
        (
            lambda d: d["plan"].update(strat_fy=2020),
            r"^m\.yaml\.plan: unknown key 'strat_fy' \(known: code, end_fy, municipality, ",
        ),
    ],
)
def test_a_wrong_mapping_is_one_error_naming_its_key(tmp_path, change, message):
    path, _ = suggest("urakawa_r4", tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    wrong = tmp_path / "m.yaml"
    wrong.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MachiplanError, match=message):
        read_mapping(wrong)


def test_a_mapping_that_is_not_yaml_names_its_line(tmp_path):
    wrong = tmp_path / "m.yaml"
    wrong.write_text("schema: machiplan/table-mapping@1\nlayout: wide\nlayout: long\n", encoding="utf-8")
    with pytest.raises(MachiplanError, match=r"m\.yaml:3: not valid YAML: key 'layout' appears twice"):
        read_mapping(wrong)


def test_next_years_sheet_reads_with_the_kept_mapping_though_its_columns_moved(tmp_path):
    path, _ = suggest("urakawa_r4", tmp_path)
    name, data = sheets.urakawa_r5()
    result = read_table(data, name, mapping=read_mapping(path))
    x = "成果指標.xlsx!進捗管理表!"
    facts = [
        ("obs", "新規就農者数", 2021, {"value": 3, "source": x + "I5"}),
        (
            "obs",
            "新規就農者数",
            2022,
            {"kind": "actual", "value": 4, "source": x + "J5"},
        ),  # a new column: 令和4年実績
        (
            "obs",
            "新規就農者数",
            2023,
            {"kind": "interim", "value": 2, "as_of": "2023-09-30", "source": x + "K5"},
        ),
        (
            "target",
            "新規就農者数",
            "final",
            None,
            {"source": x + "M5"},
        ),  # 5ヵ年目標 found by its header, moved from L
        ("indicator", "移住相談件数", {"nodes": ("2-1",), "department": "dept-4"}),
        ("target", "移住相談件数", "final", None, {"value": 120}),
    ]
    assert check(result.plan, facts) == len(facts)
    said = {(g.where, g.value) for g in result.mapping_guesses}
    assert ("column J", "actual FY2022") in said  # what the mapping did not know: guessed and said
    assert ("column J", "not in this sheet") in said  # 令和4年 9月30日現在: gone
    assert {c for c, g in result.guesses} == {"2-1-3"}  # only the new indicator's name is guessed


def test_a_header_moved_down_by_a_line_is_found_again(tmp_path):
    path, _ = suggest("urakawa_r4", tmp_path)
    name, data = sheets.urakawa_r4(line_above="令和4年10月1日 企画課")  # a line above the table
    result = read_table(data, name, mapping=read_mapping(path))
    assert result.layout.mapping.header_rows == (4, 5)
    assert result.plan.indicators[0].observations[0].source == "成果指標.xlsx!進捗管理表!G6"
