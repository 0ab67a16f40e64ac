"""`machiplan import-sheet` through the command line."""

import json

import pytest

from machiplan.plans import models
from tests.conftest import SEED
from tests.sheets.test_reader import REIWA_SHEET


def test_json_is_the_plan_contract_with_provenance_and_warnings(cli):
    result = cli("import-sheet", str(SEED), "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["schema"] == "machiplan/plan@2"
    assert len(doc["indicators"]) == 15
    assert doc["source"] == {"file": "source-sheet.txt", "encoding": "utf-8"}
    # what the sheet cannot say (no line), then what the figure rules warn about, as load warns
    assert [w["line"] for w in doc["warnings"]] == [None, None, 18, 19, 20, 53, 55, 81, 83, 108]
    assert doc["warnings"][-1]["message"].startswith("4b FY2016: A change of +326件 from 576件 in FY2015")
    first = doc["indicators"][0]["observations"][0]
    assert first["source"] == "source-sheet.txt:17" and first["source_text"] == "32.4%"
    assert doc["status_counts"]["achieved"] == 6
    assert result.err.count("machiplan: warning: source-sheet.txt:") == 10


def test_warnings_in_japanese_with_lang_ja(cli):
    result = cli("import-sheet", str(SEED), "--json", "--lang", "ja")
    assert result.code == 0, result.err
    last = json.loads(result.out)["warnings"][-1]  # the document keeps both wordings, whatever --lang
    assert last["message_ja"].startswith("4b 平成28年度：平成27年度の 576件 から +326件 の変化は")
    assert "machiplan: warning: source-sheet.txt:108: 4b 平成28年度：" in result.err
    assert "A change of" not in result.err


def test_summary_without_json(cli):
    result = cli("import-sheet", str(SEED))
    assert result.code == 0
    assert (
        "read source-sheet.txt (utf-8): 第2期 市民まちづくり活動促進基本計画 — 4 goals, 15 indicators, 75 observations, 20 targets, 10 warnings"
        in result.out
    )
    assert not models.Plan.objects.filter(code="source-sheet").exists()  # nothing saved without --save


def test_save_replace_and_evaluate(cli, tmp_path):
    sheet = tmp_path / "town.txt"
    sheet.write_bytes(REIWA_SHEET.replace("〇〇", "大空").replace("—", "－").encode("cp932"))
    args = [
        "import-sheet",
        str(sheet),
        "--save",
        "--code",
        "ozora-kosodate-1",
        "--municipality-code",
        "013455",
        "--start-fy",
        "R2",
    ]
    result = cli(*args)
    assert result.code == 0, result.err
    assert "read town.txt (cp932)" in result.out and "saved as plan ozora-kosodate-1" in result.out
    plan = models.Plan.objects.get(code="ozora-kosodate-1")
    assert (plan.municipality_name, plan.municipality_code, plan.start_fy, plan.end_fy) == (
        "大空町",
        "013455",
        2020,
        2023,
    )
    obs = models.Observation.objects.get(indicator__plan=plan, indicator__code="1a", fy=2022)
    assert obs.source == "town.txt:13" and obs.source_text == "640 件 (R4.9.30時点)"
    from machiplan.staff.models import AuditEvent

    load = AuditEvent.objects.get(
        plan_code="ozora-kosodate-1"
    )  # approved on arrival, with the file it came from
    assert (load.action, load.state, load.subject) == ("load", "approved", str(sheet.resolve()))
    again = cli(*args)
    assert again.code == 1 and "plan 'ozora-kosodate-1' already exists (use --replace" in again.err
    assert cli(*args, "--replace").code == 0
    evaluated = json.loads(cli("evaluate", "ozora-kosodate-1", "--json").out)
    assert evaluated["evaluation_fy"] == 2022


def test_bad_input_saves_nothing(cli, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("こんにちは\n", encoding="utf-8")
    result = cli("import-sheet", str(letter), "--save")
    assert result.code == 1 and "letter.txt: not a progress sheet" in result.err
    result = cli("import-sheet", str(SEED), "--save", "--code", "bad code!")
    assert result.code == 1 and "'bad code!' is not a valid code" in result.err
    result = cli("import-sheet", str(tmp_path / "missing.txt"))
    assert result.code == 1 and "missing.txt: no such file" in result.err
    assert models.Plan.objects.exclude(code="sapporo-machizukuri-2").count() == 0


def test_what_the_rules_refuse_is_refused_here_too(cli, tmp_path):
    """The same rules as load and the staff pages (#10): no clamping, no trailing newline, ASCII digits."""
    for args, message in [
        (["--start-fy", "H30", "--end-fy", "H26"], "--start-fy (FY2018) is after --end-fy (FY2014)"),
        (["--start-fy", "R5"], "period: the plan ends (FY2018) before it starts (FY2023)"),
        (
            ["--start-fy", "1800"],
            "period.start_fy: FY1800 is outside the years machiplan keeps (1927 to 2200)",
        ),
        (["--code", "town\n"], "code: 'town\\n' is not a valid code"),
        (["--code", "town.v2"], "code: 'town.v2' is not a valid code"),
        (
            ["--municipality-code", "０１１００２"],
            "municipality.code: '０１１００２' is not a six-digit code (ASCII digits)",
        ),
    ]:
        result = cli("import-sheet", str(SEED), "--save", *args)
        lines = result.err.strip().splitlines()
        assert result.code == 1 and len(lines) == 1, (args, result.err)
        assert lines[0].startswith(f"machiplan: error: {message}"), (args, result.err)
    assert models.Plan.objects.exclude(code="sapporo-machizukuri-2").count() == 0


def test_a_file_name_with_dots_makes_a_code_the_web_can_reach(cli, tmp_path):
    sheet = tmp_path / "town.v2.txt"
    sheet.write_bytes(SEED.read_bytes())
    assert cli("import-sheet", str(sheet), "--save").code == 0
    assert models.Plan.objects.filter(code="town-v2").exists()


def _row_counts() -> dict[str, int]:
    from machiplan.staff.models import AuditEvent

    return {
        "plans": models.Plan.objects.count(),
        "observations": models.Observation.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("machiplan: warning: ")]
    assert len(lines) == 1 and lines[0].startswith("machiplan: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_a_fifo_is_refused_not_waited_on(cli, tmp_path):
    import os

    from tests.interchange.test_files import unblocking

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with unblocking(fifo):
        result = cli("import-sheet", str(fifo), "--save")
    assert result.code == 1 and "pipe.txt: cannot read: not a regular file (a named pipe)" in _one_error_line(
        result.err
    )


def test_a_device_is_refused_unread(cli):
    result = cli("import-sheet", "/dev/zero")
    assert result.code == 1 and "/dev/zero: cannot read: not a regular file (a device)" in _one_error_line(
        result.err
    )


def test_a_sheet_over_the_size_limit_is_refused_unread(cli, tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    result = cli("import-sheet", str(big))
    assert result.code == 1 and "big.txt: too large: 10,485,761 bytes (at most 10 MB)" in _one_error_line(
        result.err
    )


def test_a_file_name_that_is_not_utf8_is_saved_printably(cli, tmp_path):
    import os

    name = os.fsdecode(b"\xff\xe7\x94\xba.txt")  # a byte that is not UTF-8, then 町
    path = tmp_path / name
    path.write_text(REIWA_SHEET, encoding="utf-8")
    result = cli("import-sheet", str(path), "--save", "--code", "odd-name", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["source"]["file"] == "\ufffd町.txt"
    obs = models.Observation.objects.filter(indicator__plan__code="odd-name").first()
    assert obs.source.startswith("\ufffd町.txt:")
    assert "\ufffd町.txt" in models.Plan.objects.get(code="odd-name").source


@pytest.mark.parametrize(
    "change",
    [
        ("R元年度実績", "1800実績"),  # a year before any era the report can name
        ("1,204 件", "1111111111111111111111111111111 件"),  # a 31-digit count
        ("R4状況\t640 件 (R4.9.30時点)", "9999状況\t640 件 (9999.9.30時点)"),  # FY9999 ends in the year 10000
    ],
    ids=["1800", "31-digits", "fy9999"],
)
def test_save_with_json_leaves_no_plan_that_cannot_be_reported(cli, tmp_path, change):
    sheet = tmp_path / "odd.txt"
    sheet.write_text(REIWA_SHEET.replace(*change), encoding="utf-8")
    assert cli("plans").code == 0  # the embedded plan is loaded on first use: before counting
    before = _row_counts()
    result = cli(
        "import-sheet", str(sheet), "--save", "--json", "--code", "odd", "--municipality-code", "013455"
    )
    if result.code == 0:  # saved: then it can be evaluated and reported like any plan
        assert json.loads(result.out)["plan"]["code"] == "odd"
        assert cli("evaluate", "odd", "--json").code == 0
        report = cli("report", "odd", "--format", "json,md,csv", "--out", str(tmp_path / "report"))
        assert report.code == 0, report.err
    else:  # refused: one line, and nothing written
        _one_error_line(result.err)
        assert result.out == ""
        assert _row_counts() == before


def test_a_published_document_says_how_it_was_read(cli):
    from pathlib import Path

    document = Path(__file__).resolve().parents[1] / "data" / "documents" / "arrows.txt"
    result = cli("import-sheet", str(document))
    assert result.code == 0, result.err
    assert "layout: outline (read as a document of headings and indicators" in result.out
    assert "level: line 6: 1 → 1" in result.out  # which lines were taken for headings
    assert "第2期 大空町地方創生総合戦略（案）の数値目標とKPI — 第1階層 2, 第2階層 3" in result.out
    assert "guessed from the indicators' names" in result.out
    doc = json.loads(cli("import-sheet", str(document), "--json").out)
    assert doc["layout"]["reader"] == "outline"
    assert any(s["what"] == "target" for s in doc["structure"])  # the staged target, said
    assert doc["indicators"][0]["baselines"][0]["source"] == "arrows.txt:7"


YEAR_COLUMNS = """なぎさ町 総合戦略 効果検証シート
基本目標1 しごとをつくる
指標名 単位 基準値 R2実績 R3実績 R4実績 目標値(R6)
新規就農者数 人 ４（令和元年度） ６ ９ 集計中 累計 ２０人
社会増減数 人 △４８（H30） △３１ △１２ ５ 維持
移住者数（累計） 人 10（令和元年度） 12 20 31 累計 60人
"""


def test_a_year_column_tables_targets_as_import_table_reads_them(cli, tmp_path):
    path = tmp_path / "nagisa.txt"
    path.write_text(YEAR_COLUMNS, encoding="utf-8")
    result = cli("import-sheet", str(path), "--json", "--start-fy", "2020", "--end-fy", "2024")
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    targets = {
        i["name"]: [(t["fy"], t["value"], t["operator"], t["text"], t["period_start_fy"], t["source_text"])
                    for t in i["targets"]]
        for i in plan["indicators"]
    }  # fmt: skip
    assert targets == {
        "新規就農者数": [(2024, 20, None, "", 2020, "累計 20人")],  # summed over the plan: FY2020–2024
        "社会増減数": [(2024, None, "maintain", "維持", None, "維持")],  # the maintain rule
        "移住者数（累計）": [(2024, 60, None, "", None, "累計 60人")],  # a running total, named so
    }
