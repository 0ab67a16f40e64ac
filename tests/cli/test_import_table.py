"""`machiplan import-table` through the command line: a preview, a mapping suggested and
corrected, a save in one transaction with the mapping kept, next year's sheet in one step, and
every refusal one line naming the file, sheet and cell with nothing written."""

from __future__ import annotations

import io
import json
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from machiplan.plans import models
from tests.tables import sheets

CODE = "urakawa-sousei"
X = "成果指標.xlsx!進捗管理表!"


def write(tmp_path: Path, made: tuple[str, bytes], name: str | None = None) -> Path:
    path = tmp_path / (name or made[0])
    path.write_bytes(made[1])
    return path


def counts() -> dict[str, int]:
    from machiplan.staff.models import AuditEvent

    return {
        "plans": models.Plan.objects.count(),
        "nodes": models.Node.objects.count(),
        "indicators": models.Indicator.objects.count(),
        "observations": models.Observation.objects.count(),
        "targets": models.Target.objects.count(),
        "baselines": models.Baseline.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def one_error(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("machiplan: warning: ")]
    assert len(lines) == 1 and lines[0].startswith("machiplan: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_the_preview_says_how_it_read_and_what_it_guessed_and_saves_nothing(cli, tmp_path):
    path = write(tmp_path, sheets.urakawa_r4())
    assert cli("plans").code == 0
    before = counts()
    result = cli("import-table", str(path), "--municipality-code", "016071")
    assert result.code == 0, result.err
    assert result.out.startswith(
        "read 成果指標.xlsx!進捗管理表 (xlsx, wide, header rows 3–4, as detected): "
        f"{sheets.URAKAWA_TITLE} — 基本目標 2, 施策 3, 6 indicators, 24 observations, 6 targets, 0 baselines, 3 warnings"
    )
    assert "  column J 令和4年 9月30日現在: interim FY2022 as of 2022-09-30 — FY2022" in result.out
    assert (
        "  column L 5ヵ年目標: target — '5ヵ年目標': the year from the cell, else the plan's end"
        in result.out
    )
    assert "  plan.end_fy: 2023 — a plan of 5 years" in result.out
    assert (
        "  1-2-2: measure flow ('件数' in the name: an amount per year); survey False (not a %); direction decrease (a target 'or less': lower is better)"
        in result.out
    )
    assert f"machiplan: warning: {X}H7: 1-2-1 FY2020: A change of -29" in result.err
    assert counts() == before  # nothing saved without --save


def test_json_carries_every_figures_cell_the_warnings_the_guesses_and_the_mapping(cli, tmp_path):
    path = write(tmp_path, sheets.chiba())
    result = cli(
        "import-table",
        str(path),
        "--json",
        "--municipality",
        "千葉市",
        "--start-fy",
        "2026",
        "--end-fy",
        "2028",
    )
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["schema"] == "machiplan/plan@2"
    assert doc["source"] == {"file": "chiba-kpi.csv", "sheet": None, "encoding": "cp932"}
    overall = next(i for i in doc["indicators"] if i["name"] == sheets.CHIBA_OVERALL)
    assert (
        overall["baselines"][0]["source"] == "chiba-kpi.csv!F2" and overall["baselines"][0]["period"] == "cy"
    )
    assert (
        overall["targets"][0]["operator"] == "at_least"
        and overall["targets"][0]["source_text"] == "80.0%以上（2032年度末）"
    )
    assert {
        "where": "chiba-kpi.csv",
        "message": "the municipality's code (全国地方公共団体コード) is not in the table: 000000 until given (--municipality-code)",
        "message_ja": "表に団体コード（全国地方公共団体コード）がありません：指定されるまで000000とします（--municipality-code）",
    } in doc["warnings"]
    assert {k: v for k, v in doc["guesses"][1].items() if k in ("indicator", "field", "value")} == {
        "indicator": "i1",
        "field": "survey",
        "value": True,
    }
    assert {g["where"]: g["value"] for g in doc["mapping_guesses"]}["column F"] == "baseline (現状値)"
    assert (
        doc["mapping"]["schema"] == "machiplan/table-mapping@1" and doc["mapping"]["plan"]["start_fy"] == 2026
    )


def test_suggest_correct_save_and_the_mapping_is_kept_with_the_plan(cli, tmp_path):
    path = write(tmp_path, sheets.urakawa_r4())
    mapping = tmp_path / "urakawa.yaml"
    suggested = cli(
        "import-table",
        str(path),
        "--suggest-mapping",
        str(mapping),
        "--code",
        CODE,
        "--municipality-code",
        "016071",
    )
    assert suggested.code == 0, suggested.err
    assert (
        f"mapping written to {mapping}: check it, then import-table 成果指標.xlsx --mapping urakawa.yaml --save"
        in suggested.out
    )
    text = mapping.read_text(encoding="utf-8")
    assert (
        "  - {column: J, header: 令和4年 9月30日現在, role: interim, fy: 2022, as_of: '2022-09-30'}  # FY2022"
        in text
    )
    assert "direction: decrease}  # measure: '件数' in the name" in text
    again = cli("import-table", str(path), "--suggest-mapping", str(mapping))
    assert again.code == 1 and f"{mapping}: already exists" in one_error(
        again.err
    )  # a person's edits are never overwritten
    doc = yaml.safe_load(text)
    next(i for i in doc["indicators"] if i["name"] == "空き家バンク登録件数").update(direction="increase")
    doc["departments"]["企画課"] = "kikaku"
    mapping.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    saved = cli("import-table", str(path), "--mapping", str(mapping), "--save")
    assert saved.code == 0, saved.err
    assert "with urakawa.yaml" in saved.out and f"saved as plan {CODE}" in saved.out
    assert "guessed from the indicators' names" not in saved.out  # the mapping says them all
    plan = models.Plan.objects.get(code=CODE)
    assert plan.municipality_code == "016071" and plan.import_mapping["departments"]["企画課"] == "kikaku"
    assert plan.import_mapping["columns"][9] == {
        "column": "J",
        "header": "令和4年 9月30日現在",
        "role": "interim",
        "fy": 2022,
        "as_of": "2022-09-30",
    }
    akiya = models.Indicator.objects.get(plan=plan, name="空き家バンク登録件数")
    assert (akiya.direction, akiya.department.code) == ("increase", "kikaku")
    obs = models.Observation.objects.get(indicator__plan=plan, indicator__code="2-1-1", fy=2022)
    assert (obs.kind, obs.value, obs.source, obs.source_text) == ("interim", 350, X + "J9", "R4.9.30現在 350")
    assert cli("evaluate", CODE, "--json").code == 0
    replaced = cli("import-table", str(path), "--mapping", str(mapping), "--save")
    assert replaced.code == 1 and f"plan '{CODE}' already exists (use --replace" in one_error(replaced.err)
    assert cli("import-table", str(path), "--mapping", str(mapping), "--save", "--replace").code == 0


def test_next_years_sheet_imports_in_one_step_with_the_kept_mapping(cli, tmp_path):
    first = write(tmp_path, sheets.urakawa_r4())
    assert (
        cli("import-table", str(first), "--save", "--code", CODE, "--municipality-code", "016071").code == 0
    )
    plan = models.Plan.objects.get(code=CODE)
    kept_before = plan.import_mapping
    assert kept_before["plan"]["code"] == CODE
    farmers = models.Indicator.objects.get(plan=plan, code="1-1-1")
    models.Observation.objects.create(
        indicator=farmers, fy=2018, kind="actual", value=1, source="staff"
    )  # approved since
    nxt = write(tmp_path, sheets.urakawa_r5(), "令和5年度.xlsx")
    before = counts()
    result = cli("import-table", str(nxt), "--plan", CODE, "--save")
    assert result.code == 0, result.err
    assert f"with plan {CODE}'s mapping" in result.out
    assert (
        f"updates plan {CODE}: 7 figures added, 6 changed, 24 as they were, 1 new indicators (2-1-3)"
        in result.out
    )
    n = "令和5年度.xlsx!進捗管理表!"
    rows = {
        (o.indicator.code, o.fy): (o.kind, o.value, o.source)
        for o in models.Observation.objects.filter(indicator__plan__code=CODE).select_related("indicator")
    }
    assert rows[("1-1-1", 2019)] == ("actual", 1, n + "G5")  # read again from this year's file
    assert rows[("1-1-1", 2022)] == ("actual", 4, n + "J5")  # was 1 so far (interim): now the year's actual
    assert rows[("1-1-1", 2023)] == ("interim", 2, n + "K5")
    assert rows[("2-1-3", 2022)] == ("actual", 85, n + "J11")  # the KPI added this year, on its node
    assert rows[("1-1-1", 2018)] == ("actual", 1, "staff")  # a year the table leaves out: as it was
    assert models.Indicator.objects.get(plan__code=CODE, code="2-1-3").nodes.get().code == "2-1"
    assert counts()["indicators"] == before["indicators"] + 1 and counts()["plans"] == before["plans"]
    kept = models.Plan.objects.get(code=CODE).import_mapping
    assert {"column": "J", "header": "実績 令和4年実績", "role": "actual", "fy": 2022} in kept["columns"]
    assert [i["code"] for i in kept["indicators"]][-1] == "2-1-3"


def test_a_plan_that_keeps_no_mapping_is_updated_as_detected(cli, tmp_path):
    first = write(tmp_path, sheets.urakawa_r4())
    assert cli("import-table", str(first), "--save", "--code", CODE).code == 0
    models.Plan.objects.filter(code=CODE).update(import_mapping={})  # loaded from a package, say
    result = cli(
        "import-table", str(write(tmp_path, sheets.urakawa_r5(), "r5.xlsx")), "--plan", CODE, "--save"
    )
    assert result.code == 0, result.err
    assert "as detected" in result.out and f"updates plan {CODE}: " in result.out
    assert models.Plan.objects.get(code=CODE).import_mapping["file"] == "r5.xlsx"  # kept from now on


def test_a_figure_the_rules_refuse_is_one_line_naming_its_cell_and_nothing_is_written(cli, tmp_path):
    name, data = sheets.urakawa_r4()
    book = load_workbook(io.BytesIO(data))
    book.active["H6"] = 120  # a share above 100 %
    out = io.BytesIO()
    book.save(out)
    path = write(tmp_path, (name, out.getvalue()))
    assert cli("plans").code == 0
    before = counts()
    result = cli("import-table", str(path), "--save", "--code", CODE)
    assert result.code == 1
    line = one_error(result.err)
    assert line.startswith(f"machiplan: error: {X}H6: 1-1-2 FY2020: ") and "100" in line
    assert counts() == before and result.out == ""


def test_a_formula_without_its_result_is_a_warning_naming_its_cell(cli, tmp_path):
    name, data = sheets.urakawa_r4()
    book = load_workbook(io.BytesIO(data))
    book.active["I5"] = "=H5+1"  # openpyxl keeps no result: the file holds none
    out = io.BytesIO()
    book.save(out)
    path = write(tmp_path, (name, out.getvalue()))
    result = cli("import-table", str(path), "--save", "--code", CODE)
    assert result.code == 0, result.err
    assert f"machiplan: warning: {X}I5: not read: a formula whose result the file does not hold" in result.err
    assert not models.Observation.objects.filter(
        indicator__plan__code=CODE, indicator__code="1-1-1", fy=2021
    ).exists()


def test_hostile_files_are_refused_within_the_bulk_uploads_limits_with_nothing_written(cli, tmp_path):
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(3, 700_000)
    )
    _name, data = sheets.mima()
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            target.writestr(info.filename, content)
    big = Workbook(write_only=True)
    sheet = big.create_sheet("Sheet1")
    sheet.append(["指標名", "令和2年実績"])
    for n in range(50_000):
        sheet.append([f"指標{n}", n])
    many = io.BytesIO()
    big.save(many)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)
    other = io.BytesIO()  # a zip that is no workbook (a backup, a .docx) named as one
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", "{}")
    assert cli("plans").code == 0
    before = counts()
    for path, message in [
        (
            write(tmp_path, ("bomb.xlsx", bomb.getvalue())),
            "bomb.xlsx: 50,199,329 bytes uncompressed (at most 25 MB): split the file",
        ),
        (write(tmp_path, ("many.xlsx", many.getvalue())), "many.xlsx: more than 5,000 rows: split the file"),
        (huge, "huge.csv: too large: 5,242,881 bytes (at most 5 MB)"),
        # said as import-table's own: no bulk template to point to
        (
            write(tmp_path, ("other.xlsx", other.getvalue())),
            "other.xlsx: not an Excel workbook: the zip holds no worksheet",
        ),
        (Path("/dev/zero"), "/dev/zero: cannot read: not a regular file (a device)"),
        (tmp_path / "missing.xlsx", "missing.xlsx: no such file"),
    ]:
        start = time.perf_counter()
        result = cli("import-table", str(path), "--save")
        assert result.code == 1 and message in one_error(result.err), (path, result.err)
        assert time.perf_counter() - start < 20
    assert counts() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "nowhere"], "no plan with code 'nowhere': import the table without --plan first"),
        (["--plan", CODE, "--code", "x"], "--plan updates that plan: leave out --code and --replace"),
        (
            ["--suggest-mapping", "-", "--save"],
            "--suggest-mapping writes a mapping to check: leave out --save",
        ),
        (["--start-fy", "R5", "--end-fy", "R1"], "--start-fy (FY2023) is after --end-fy (FY2019)"),
        (["--code", "町"], "code: '町' is not a valid code"),
        (["--sheet", "R5"], "成果指標.xlsx: no sheet named 'R5' (the sheets: 進捗管理表)"),
        (["--mapping", "/nonexistent/m.yaml"], "m.yaml: no such file"),
    ],
)
def test_a_wrong_request_is_one_line(cli, tmp_path, args, message):
    path = write(tmp_path, sheets.urakawa_r4())
    assert cli("plans").code == 0
    before = counts()
    result = (
        cli("import-table", str(path), "--save", *args)
        if "--suggest-mapping" not in args
        else cli("import-table", str(path), *args)
    )
    assert result.code == 1 and message in one_error(result.err), result.err
    assert counts() == before


def test_the_mapping_to_stdout_for_a_pipe(cli, tmp_path):
    path = write(tmp_path, sheets.ogaki())
    result = cli("import-table", str(path), "--suggest-mapping", "-")
    assert result.code == 0, result.err
    doc = yaml.safe_load(result.out)
    assert doc["layout"] == "long" and [c["role"] for c in doc["columns"]] == [
        "level",
        "name",
        "unit",
        "fy",
        "kind",
        "value",
    ]
    assert (
        "read ogaki-h28.csv (utf-8-sig, long, header rows 1–1, as detected)" in result.err
    )  # the summary, on stderr


def test_a_5000_row_sheet_imports_and_saves(cli, tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("成果指標")
    sheet.append(
        [
            "基本目標",
            "施策番号",
            "施策名",
            "指標名",
            "単位",
            "令和2年実績",
            "令和3年実績",
            "令和4年9月30日現在",
            "5ヵ年目標",
            "出典",
        ]
    )
    for k in range(4_999):
        goal, policy = k // 500 + 1, k // 50 + 1
        sheet.append(
            [
                f"{goal} 基本目標{goal}",
                f"{goal}-{policy}",
                f"施策{policy}",
                f"指標{k}の件数",
                "件",
                k % 97,
                k % 89 + 1,
                k % 50,
                f"{k % 100 + 100}件以上",
                "所管課調べ",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    path = write(tmp_path, ("big.xlsx", out.getvalue()))
    assert cli("plans").code == 0
    start = time.perf_counter()
    result = cli("import-table", str(path), "--save", "--code", "big", "--municipality-code", "011002")
    elapsed = time.perf_counter() - start
    assert result.code == 0, result.err
    assert "4999 indicators, 14997 observations, 4999 targets" in result.out
    assert models.Observation.objects.filter(indicator__plan__code="big").count() == 4_999 * 3
    assert elapsed < 120, elapsed


HIKARI = """令和5年度 ひかり町総合計画 進捗管理表
基本目標,施策,指標名,単位,令和4年度実績,目標値,達成度,予算額（百万円）,決算額（千円）
1 子育て,1-1 保育,,,,,○,12.5,"12,034"
,,待機児童数,人,3,0,△,,
,,保育士数,人,40,45,◎,,
2 防災,2-1 自主防災,,,,,×,3,
,,組織率,%,80.1,90,〇,,
合計,,,,,,,15.5,"12,034"
※達成度　◎：目標達成　○：概ね順調　△：やや遅れ　×：遅れ
"""


def test_grades_and_costs_of_indicators_nodes_and_the_plan(cli, tmp_path):
    path = tmp_path / "hikari.csv"
    path.write_text(HIKARI, encoding="utf-8")
    result = cli("import-table", str(path), "--json")
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    columns = {c["column"]: c for c in plan["mapping"]["columns"]}
    assert columns["G"] == {"column": "G", "header": "達成度", "role": "rating", "label": "達成度"}
    assert columns["H"] == {"column": "H", "header": "予算額（百万円）", "role": "cost", "label": "予算額",
                            "unit": "百万円", "basis": "planned"}  # fmt: skip
    assert columns["I"]["basis"] == "actual" and columns["I"]["unit"] == "千円"
    # the year the title states (令和5年度), not the latest actual column's (令和4年度)
    grades = {
        i["name"]: [(r["fy"], r["scale"], r["grade"]) for r in i["ratings"]] for i in plan["indicators"]
    }
    assert grades == {
        "待機児童数": [(2023, "achievement", "△")],
        "保育士数": [(2023, "achievement", "◎")],
        "組織率": [(2023, "achievement", "○")],  # 〇 as ○
    }
    nodes = {n["code"]: n for n in plan["nodes"]}
    assert [(r["fy"], r["grade"]) for r in nodes["1-1"]["ratings"]] == [(2023, "○")]  # the node's own row
    assert [(r["fy"], r["grade"]) for r in nodes["2-1"]["ratings"]] == [(2023, "×")]

    def money(costs):
        return [
            (c["start_fy"], c["basis"], c["label"], c["amount"], c["unit"], c["amount_yen"]) for c in costs
        ]

    assert money(nodes["1-1"]["costs"]) == [
        (2023, "planned", "予算額", 12.5, "百万円", 12500000),
        (2023, "actual", "決算額", 12034, "千円", 12034000),
    ]
    assert money(nodes["2-1"]["costs"]) == [(2023, "planned", "予算額", 3, "百万円", 3000000)]
    assert not nodes["1"]["costs"] and "合計" not in {n["name"] for n in plan["nodes"]}
    assert money(plan["plan"]["costs"]) == [
        (2023, "planned", "予算額", 15.5, "百万円", 15500000),
        (2023, "actual", "決算額", 12034, "千円", 12034000),
    ]
    (scale,) = plan["plan"]["rating_scales"]
    assert (scale["key"], scale["name"], scale["applies_to"]) == ("achievement", "達成度", "both")
    assert [(g["code"], g["label"]) for g in scale["grades"]] == [
        ("◎", "目標達成"), ("○", "概ね順調"), ("△", "やや遅れ"), ("×", "遅れ")
    ]  # fmt: skip
    said = {(g["where"], g["value"]) for g in plan["mapping_guesses"]}
    assert ("column G", "FY2023") in said and ("column H", "FY2023") in said


def test_grades_of_no_year_are_one_error_naming_the_column_and_the_mapping_gives_it(cli, tmp_path):
    path = tmp_path / "kpi.csv"
    path.write_text(
        "指標名,単位,現状値,目標値,評価\n待機児童数,人,3,0,B\n相談件数,件,820,1000,A\n", encoding="utf-8"
    )
    assert cli("plans").code == 0
    before = counts()
    result = cli("import-table", str(path), "--start-fy", "2020", "--end-fy", "2024", "--save")
    assert result.code == 1
    assert one_error(result.err) == (
        "machiplan: error: kpi.csv!E2: column E (評価) holds the city's grades, but the table names no year for "
        "them (not in the header, the title or an actual column): give it in the mapping (--suggest-mapping, "
        "then fy: on that column: {column: E, role: rating, fy: 2022})"
    )
    assert counts() == before
    # the suggestion is written all the same, the grades said and left out; fy given there reads them
    mapping = tmp_path / "m.yaml"
    result = cli(
        "import-table", str(path), "--start-fy", "2020", "--end-fy", "2024", "--suggest-mapping", str(mapping)
    )
    assert result.code == 0, result.err
    assert "kpi.csv!E2: column E (評価) holds the city's grades" in result.err
    doc = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    (grade,) = [c for c in doc["columns"] if c["role"] == "rating"]
    grade["fy"] = 2022
    mapping.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = cli("import-table", str(path), "--mapping", str(mapping), "--json")
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert {i["name"]: [(r["fy"], r["grade"]) for r in i["ratings"]] for i in plan["indicators"]} == {
        "待機児童数": [(2022, "B")],
        "相談件数": [(2022, "A")],
    }
    assert [g["code"] for g in plan["plan"]["rating_scales"][0]["grades"]] == ["A", "B"]  # best first


def test_a_wrong_cost_column_in_the_mapping_is_one_error_naming_its_key(cli, tmp_path):
    path = tmp_path / "hikari.csv"
    path.write_text(HIKARI, encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    assert cli("import-table", str(path), "--suggest-mapping", str(mapping)).code == 0
    doc = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    next(c for c in doc["columns"] if c["column"] == "I")["unit"] = "ドル"
    mapping.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = cli("import-table", str(path), "--mapping", str(mapping))
    assert one_error(result.err) == (
        "machiplan: error: m.yaml.columns[8].unit: a cost column's unit is one of 円, 千円, 万円, 百万円, 億円, not 'ドル'"
    )


def test_imported_grades_and_costs_show_in_the_report_and_next_years_sheet_replaces_them(cli, tmp_path):
    path = tmp_path / "hikari.csv"
    path.write_text(HIKARI, encoding="utf-8")
    assert (
        cli("import-table", str(path), "--save", "--code", "hikari", "--municipality-code", "999997").code
        == 0
    )
    out = tmp_path / "out"
    result = cli("report", "hikari", "--format", "html,md", "--out", str(out))
    assert result.code == 0, result.err
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "市の評価（令和5年度）達成度：**△**（やや遅れ）" in md  # beside machiplan's status
    assert "| 令和5年度 | 予算額 | 12.5百万円 |" in md.replace("（計画）", "")
    assert "達成度：<strong>◎</strong>（目標達成）" in (out / "index.html").read_text(encoding="utf-8")
    # next year's sheet: its grades and costs of the same year replace the stored ones
    nxt = tmp_path / "hikari-2.csv"
    nxt.write_text(HIKARI.replace("3,0,△", "3,0,○").replace("12.5", "13"), encoding="utf-8")
    result = cli("import-table", str(nxt), "--plan", "hikari", "--save")
    assert result.code == 0, result.err
    assert "updates plan hikari: 0 figures added, 2 changed" in result.out
    rating = models.Rating.objects.get(indicator__plan__code="hikari", indicator__name="待機児童数")
    assert (rating.fy, rating.grade, rating.source) == (2023, "○", "hikari-2.csv!G4")
    cost = models.Cost.objects.get(node__plan__code="hikari", node__code="1-1", basis="planned")
    assert (cost.amount, cost.unit) == (13, "百万円")


@pytest.mark.parametrize(
    "spelling",
    [
        lambda name: unicodedata.normalize("NFD", name),  # で as て + ゛ (a Mac's file, a PDF's text)
        lambda name: name.replace("で", "で ").replace("数", "数\u3000"),  # a space typed in
        lambda name: name.replace("用", "\u2f64"),  # 用 as the Kangxi radical a PDF's text gives
    ],
    ids=["nfd", "spaces", "compatibility"],
)
def test_next_years_sheet_finds_an_indicator_whose_name_is_written_in_other_characters(
    cli, tmp_path, spelling
):
    """Next year's sheet finds its indicators again by name, and matched them character by
    character: 給食での地場産物利用率 written as NFD, with a space, or with a compatibility character (⽤) was
    a new indicator beside the stored one, the year's figures on the copy and the history split."""
    first = write(tmp_path, sheets.urakawa_r4())
    assert (
        cli("import-table", str(first), "--save", "--code", CODE, "--municipality-code", "016071").code == 0
    )
    stored = set(models.Indicator.objects.filter(plan__code=CODE).values_list("name", flat=True))
    name, data = sheets.urakawa_r5()
    book = load_workbook(io.BytesIO(data))
    respelled = 0
    for row in book.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value in stored and spelling(cell.value) != cell.value:
                cell.value, respelled = spelling(cell.value), respelled + 1
    assert respelled
    out = io.BytesIO()
    book.save(out)
    result = cli(
        "import-table", str(write(tmp_path, (name, out.getvalue()), "r5.xlsx")), "--plan", CODE, "--save"
    )
    assert result.code == 0, result.err
    assert "1 new indicators (2-1-3)" in result.out  # as with the sheet spelled as last year's
    assert models.Indicator.objects.filter(plan__code=CODE).count() == len(stored) + 1
    assert set(models.Indicator.objects.filter(plan__code=CODE).values_list("name", flat=True)) >= stored
