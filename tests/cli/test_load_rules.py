"""`machiplan load` keeps the rules every way in keeps (#10): one line of error for what they refuse,
its warnings on stderr, and whatever it accepts reports, exports and loads again."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from machiplan.cli import main as cli_main
from machiplan.domain import plan as domain
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package, write_package
from machiplan.plans import models

from .test_cli import one_line_error


@pytest.fixture
def package(tmp_path) -> Path:
    folder = tmp_path / "other"
    shutil.copytree(DEFAULT_PLAN_DIR, folder)
    edit(folder / "plan.yaml", "code: sapporo-machizukuri-2", "code: other-plan")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(params=["here", "apart"])
def checked_where(request, monkeypatch) -> str:
    """``load`` checks a large plan in a second process while it stores it (domain/apart.py), a
    small one here first: each of these tests runs both ways."""
    if request.param == "apart":
        monkeypatch.setattr(cli_main, "CHECK_APART_FROM", 0)
    return request.param


def test_load_prints_what_the_rules_warn_about(cli, package, checked_where):
    result = cli("load", str(package))
    assert result.code == 0, result.err
    assert "15 indicators, 75 observations, 20 targets, 8 warnings" in result.out
    lines = result.err.splitlines()
    assert len(lines) == 8 and all(line.startswith("machiplan: warning: observations.csv:") for line in lines)
    assert lines[0] == (
        "machiplan: warning: observations.csv:3: 1a FY2014: "
        "A change of +61.7 points from 32.4% in FY2013 is beyond this indicator's usual range (±44.775 points)."
    )


def test_an_empty_observations_file_loads_with_a_warning(cli, package):
    (package / "observations.csv").write_text("indicator,fy,kind,value\n", encoding="utf-8")
    result = cli("load", str(package))
    assert result.code == 0 and "0 observations" in result.out
    assert result.err == "machiplan: warning: observations.csv: no figures: the plan has no observations\n"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("observations.csv", "1a,2014,actual,94.1", "1a,9999,actual,94.1", "FY9999 is outside the years"),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            f"1a,{2**63},actual,94.1",
            f"FY{2**63} is outside the years",
        ),
        ("observations.csv", "1a,2014,actual,94.1", "1a,2014,actual,1e400", "1e+400 cannot be kept exactly"),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            "1a,2014,actual,120",
            "A percentage must be between 0 and 100",
        ),
        ("observations.csv", "2a,2014,actual,2400", "2a,2014,actual," + "9" * 29, "cannot be kept exactly"),
        ("observations.csv", "2a,2014,actual,2400", "2a,2014,actual,2400.0000001", "cannot be kept exactly"),
        ("targets.csv", "1a,vision,2022", f"1a,vision,{2**63}", "targets.csv:4: FY9223372036854775808"),
        ("plan.yaml", "  - number: 2", "  - number: 0", "goals[1].number: a goal number is a whole number"),
        ("plan.yaml", "  params: {}", "  params: {survey_tolerance_points: .inf}", "must be a number from"),
        (
            "plan.yaml",
            "  params: {}",
            "  params: {survey_tolerance_points: 1.0e+400}",
            "must be a number from",
        ),
        (
            "plan.yaml",
            "  params: {}",
            f"  params: {{baseline_fy: {2**63}}}",
            "must be a fiscal year from 1927",
        ),
        ("plan.yaml", "title: 第2期", "title: 第2期\ntitle: 第3期", "key 'title' appears twice"),
        # a text longer than its column: refused alike on SQLite (which would keep it) and PostgreSQL
        (
            "indicators.csv",
            "町内会加入率",
            "町" * 301,
            "indicators[1b].name: At most 300 characters (this has 301).",
        ),
        (
            "indicators.csv",
            ",%,increase,level,false",
            ",%" + "x" * 32 + ",increase,level,false",
            "1b].unit: At most 32",
        ),
        (
            "observations.csv",
            "1a,2014,actual,94.1,,false,,94.1%,",
            "1a,2014,actual,94.1,,false,," + "x" * 301 + ",",
            "observations.csv:3: source_text: At most 300 characters (this has 301).",
        ),
        ("plan.yaml", "title: 第2期", "title: " + "計" * 300 + "第2期", "title: At most 300 characters"),
    ],
)
def test_what_the_rules_refuse_is_one_line_and_loads_nothing(
    cli, package, file, old, new, message, checked_where
):
    edit(package / file, old, new)
    cli("plans")  # the embedded plan is loaded on first use
    one_line_error(cli("load", str(package)), message)
    assert not models.Plan.objects.filter(code="other-plan").exists()


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        # a node whose children are itself: the node reader recursed until Python gave up (a traceback)
        ('nodes: &n\n  - code: "X"\n    name: loop\n    children: *n\n', 4),
        # 20 levels of two aliases each: a 1 KB file of a million nodes (minutes and gigabytes)
        (
            "defs:\n  d0: &a0\n    - {code: L0, name: leaf}\n"
            + "".join(
                f"  d{k}: &a{k}\n    - {{code: A{k}, name: n, children: *a{k - 1}}}\n"
                f"    - {{code: B{k}, name: n, children: *a{k - 1}}}\n"
                for k in range(1, 21)
            )
            + "nodes: *a20\n",
            5,
        ),
    ],
    ids=["a-node-its-own-child", "a-billion-nodes"],
)
def test_an_alias_in_plan_yaml_is_one_line_before_anything_is_built(shell, package, tail, line):
    plan_yaml = package / "plan.yaml"
    head = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(head + tail, encoding="utf-8")
    result = shell("load", str(package))
    assert result.code == 1, result.err
    first = head.count("\n") + line
    alias = "n" if "&n" in tail else "a0"
    assert result.err.strip().splitlines() == [
        f"machiplan: error: plan.yaml:{first}: an alias (*{alias}) repeats a value written elsewhere: "
        "write the value out where it is needed (anchors and aliases are not read)"
    ]


def test_a_cell_longer_than_the_csv_reader_takes_is_one_line_at_its_line(shell, package):
    observations = package / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines()
    lines[3] += "x" * 200_000  # the last cell of line 4, beyond the reader's 131,072 characters
    observations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = shell("load", str(package))
    assert result.code == 1, result.err
    assert result.err.strip().splitlines() == [
        "machiplan: error: observations.csv:4: not valid CSV: a cell longer than 131,072 characters"
    ]  # the words of the bulk upload's reader, and its line


def test_a_deeply_nested_plan_yaml_is_one_line_not_a_crash(shell, package):
    (package / "plan.yaml").write_text("title: " + "[" * 100_000 + "\n", encoding="utf-8")
    result = shell("load", str(package))
    assert result.code == 1, result.err
    assert result.err.strip().splitlines() == [
        "machiplan: error: plan.yaml:1: nested more than 64 levels deep"
    ]


def edge_plan(sapporo: domain.Plan) -> domain.Plan:
    """The embedded plan pushed to every edge the rules allow: the first and last years machiplan
    keeps, numbers of 15 significant digits and 6 decimals, labels and notes a CSV cell finds awkward."""
    first = domain.Observation(fy=1927, kind=domain.INTERIM, value=Decimal("999999999.999999"),
                               as_of=dt.date(1927, 4, 1), note="一行目\n\t二行目, \"引用\"")  # fmt: skip
    odd = (("認定=国;県", Decimal("0.000001")), (" [x] ", Decimal("999999999.999998")))
    indicators = []
    for ind in sapporo.indicators:
        if ind.code == "2a":
            ind = replace(ind, observations=(first,), targets=(replace(ind.targets[0], fy=2200),))
        if ind.code == "2e":
            ind = replace(ind, observations=(domain.Observation(fy=1937, kind=domain.ACTUAL, value=sum(v for _, v in odd), breakdown=odd),))  # fmt: skip
        if ind.code == "1a":
            ind = replace(ind, observations=(domain.Observation(fy=2199, kind=domain.ACTUAL, value=Decimal("99.999999")),),
                          targets=(replace(ind.targets[0], fy=2200, value=Decimal("100")),))  # fmt: skip
        indicators.append(ind)
    return replace(sapporo, code="edge-plan", start_fy=1937, end_fy=2199, evaluation_fy=2200,
                   higher_plans=tuple(replace(h, end_fy=2200) for h in sapporo.higher_plans),
                   indicators=tuple(indicators))  # fmt: skip


def test_whatever_load_accepts_reports_exports_and_loads_again(cli, sapporo, tmp_path):
    plan = edge_plan(sapporo)
    write_package(plan, tmp_path / "edge")
    result = cli("load", str(tmp_path / "edge"))
    assert result.code == 0, result.err
    report = cli("report", "edge-plan", "--out", str(tmp_path / "report"), "--charts", "always",
                 "--format", "html,xlsx,md,json,csv")  # fmt: skip
    assert report.code == 0, report.err
    assert {p.name for p in (tmp_path / "report").iterdir()} >= {"index.html", "report.xlsx", "plan.json"}
    pdf = cli("report", "edge-plan", "--out", str(tmp_path / "pdf"), "--charts", "never", "--format", "pdf")
    assert pdf.code == 0 and (tmp_path / "pdf" / "report.pdf").stat().st_size > 0, pdf.err
    assert (
        cli("report", "edge-plan", "--lang", "en", "--out", str(tmp_path / "en"), "--format", "html,md").code
        == 0
    )
    assert cli("evaluate", "edge-plan", "--json").code == 0
    assert cli("export", "edge-plan", "--out", str(tmp_path / "again")).code == 0
    assert read_package(tmp_path / "again") == read_package(tmp_path / "edge")
    assert cli("load", str(tmp_path / "again"), "--replace").code == 0


def test_a_cap_on_a_periods_sum_waits_for_the_period_end_through_the_cli(cli, package):
    # 3b as a count that should stay low: at most 200 new places over FY2014–2018 (20 → 23, 41, 62)
    edit(package / "indicators.csv", "件,increase,cumulative", "件,decrease,flow")
    edit(package / "targets.csv", "3b,plan,2018,100,2014,false,100 件", "3b,plan,2018,200,2014,false,200 件")
    assert cli("load", str(package)).code == 0
    doc = json.loads(cli("evaluate", "other-plan", "--json", "--fy", "2016").out)
    cap = next(i for i in doc["indicators"] if i["code"] == "3b")["evaluation"]
    assert (cap["status"], cap["reason"], cap["amount"]) == ("no_data", "cap_running", 126)
    assert "期間の終わりに判定" in cap["explanation"]
    edit(package / "targets.csv", "3b,plan,2018,200,2014", "3b,plan,2018,120,2014")  # 126 is over it
    assert cli("load", str(package), "--replace").code == 0
    doc = json.loads(cli("evaluate", "other-plan", "--json", "--fy", "2016").out)
    passed = next(i for i in doc["indicators"] if i["code"] == "3b")["evaluation"]
    assert (passed["status"], passed["amount"]) == ("missed", 126)


def test_a_check_begun_apart_is_the_error_even_when_storing_failed_first(cli, package, monkeypatch):
    monkeypatch.setattr(cli_main, "CHECK_APART_FROM", 0)
    assert cli("load", str(package)).code == 0
    edit(package / "observations.csv", "1a,2014,actual,94.1", "1a,2014,actual,120")
    # stored again without --replace: the store refuses at once, the check (slower) says why first
    one_line_error(cli("load", str(package)), "A percentage must be between 0 and 100")
    one_line_error(cli("load", str(package), "--replace"), "A percentage must be between 0 and 100")
    stored = models.Observation.objects.get(indicator__plan__code="other-plan", indicator__code="1a", fy=2014)
    assert stored.value == Decimal("94.1")  # the refused replacement rolled back whole


def test_a_check_process_that_dies_is_an_error_and_keeps_nothing(cli, package, monkeypatch):
    import os

    monkeypatch.setattr(cli_main, "CHECK_APART_FROM", 0)
    monkeypatch.setattr(cli_main, "_checked", lambda plan: os._exit(9))
    one_line_error(
        cli("load", str(package)), "the second process checking the plan ended early (exit code 9)"
    )
    assert not models.Plan.objects.filter(code="other-plan").exists()


@pytest.mark.parametrize(
    "code",
    [
        "1-1\\0",  # NUL: PostgreSQL cannot store it
        "1-1\\e[2J",  # an escape sequence: clears the terminal that prints the code
        "1-1\\a",
        "1-1\\x7f",
        "1-1\\u200b",  # invisible: looks like 1-1
        "1-1\\u202e",  # right-to-left override: shows another code than it is
        "1-1\\ufeff",
        "1-1\\u00ad",
    ],
)
def test_a_node_code_with_a_control_or_invisible_character_is_refused(cli, package, code):
    """A node code was held to its pattern only (no space or ; / \\ ? # % =): a control character,
    NUL and the escape included, or an invisible one loaded, though every other text of a plan
    refuses them; such a code is in URLs, file rows and the command line's output."""
    edit(package / "plan.yaml", 'code: "1-1"', f'code: "{code}"')
    one_line_error(cli("load", str(package)), "is not a valid node code")
    assert not models.Plan.objects.filter(code="other-plan").exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [("が", "か\\u3099"), ("1-が", "1-か\\u3099"), ("パ", "ハ\\u309a")],
    ids=["nfc-nfd", "nfd-inside", "handakuten"],
)
def test_two_node_codes_written_alike_are_refused(cli, package, first, second):
    """Two nodes whose codes differ only in how their characters are encoded (NFC and NFD) look
    the same on every page and file: one of them would be linked by mistake. (１ and 1, ① and 1
    look apart, and plans number their levels so: those stay two codes.)"""
    edit(package / "plan.yaml", 'code: "1-1"', f'code: "{first}"')
    edit(package / "plan.yaml", 'code: "1-2"', f'code: "{second}"')
    one_line_error(cli("load", str(package)), "appears twice")
    assert not models.Plan.objects.filter(code="other-plan").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("1a,2014,actual,94.1", "1a,2014,actual,9_4.1", "'value' must be a number, not '9_4.1'"),
        ("1a,2014,actual,94.1", "1a,2014,actual,٩٤.١", "'value' must be a number, not '٩٤.١'"),
        ("1a,2014,actual,94.1", "1a,2014,actual,９４.１", "'value' must be a number, not '９４.１'"),
        ("1a,2014,actual,94.1", "1a,2_014,actual,94.1", "'fy' must be an integer, not '2_014'"),
        ("1a,2014,actual,94.1", "1a,２０１４,actual,94.1", "'fy' must be an integer, not '２０１４'"),
    ],
)
def test_a_package_number_is_a_plain_number(cli, package, old, new, message):
    """A package's number is 'a plain number' (docs/plan-package.md): Python's int() and Decimal()
    read '9_4.1' as 94.1, '2_014' as 2014 and any script's digits (٩٤, ９４), which no other reader
    of machiplan takes as they stand; the line is named and nothing is loaded."""
    edit(package / "observations.csv", old, new)
    one_line_error(cli("load", str(package)), "observations.csv:3: ", message)
    assert not models.Plan.objects.filter(code="other-plan").exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",  # a browser takes the tab out
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https://example.jp/\x01",
    ],
)
def test_a_source_address_is_a_web_address(cli, tmp_path, url):
    """A source's address is a link on the public plan page, in the report's self-contained
    index.html (which cities put on their own sites, without machiplan's Content-Security-Policy)
    and in its PDF: a javascript: address ran there when clicked. Only http and https are links."""
    plan = read_package(DEFAULT_PLAN_DIR)
    plan = replace(plan, code="other-plan", sources=(domain.Source(title="出典", url=url),))
    write_package(plan, tmp_path / "pkg")
    one_line_error(cli("load", str(tmp_path / "pkg")), "is not a web address")
    assert not models.Plan.objects.filter(code="other-plan").exists()


def test_a_web_address_of_a_source_loads_and_reports(cli, tmp_path):
    plan = read_package(DEFAULT_PLAN_DIR)
    url = "https://www.city.sapporo.jp/shimin/shisaku/keikaku.html?x=1&y=2#第2期"
    plan = replace(plan, code="other-plan", sources=(domain.Source(title="出典", url=url),))
    write_package(plan, tmp_path / "pkg")
    assert cli("load", str(tmp_path / "pkg")).code == 0
    assert models.Plan.objects.get(code="other-plan") and read_package(tmp_path / "pkg").sources[0].url == url


def test_a_plan_code_differing_from_another_plans_only_in_case_is_refused(cli, tmp_path):
    """Each plan's files are kept in folders named by its code (published reports, downloads, the
    API's documents): on a file system that ignores case (macOS, Windows) plans 'sapporo-x' and
    'Sapporo-X' would share them, one plan's published report served for the other's."""
    assert cli("load", str(DEFAULT_PLAN_DIR)).code in (0, 1)  # the embedded plan, if not there yet
    plan = replace(read_package(DEFAULT_PLAN_DIR), code="Sapporo-Machizukuri-2")
    write_package(plan, tmp_path / "pkg")
    before = models.Plan.objects.count()
    one_line_error(cli("load", str(tmp_path / "pkg")), "'sapporo-machizukuri-2'", "only in case")
    assert models.Plan.objects.count() == before
    assert not models.Plan.objects.filter(code="Sapporo-Machizukuri-2").exists()


@pytest.mark.parametrize("written", ["0x7DE", "2_014", "33:34", "+2_0_1_4"])
def test_a_year_in_plan_yaml_is_a_plain_decimal_number(cli, package, written):
    """YAML 1.1, which the loader reads, takes 0x7DE, 2_014 and the sexagesimal 33:34 for 2014 (and
    an unquoted code 1:30 for 90): plan.yaml's numbers are plain decimal ones, as its CSV files'."""
    edit(package / "plan.yaml", "  start_fy: 2014", f"  start_fy: {written}")
    one_line_error(cli("load", str(package)), "plan.yaml:", "not a plain decimal number")
    assert not models.Plan.objects.filter(code="other-plan").exists()
