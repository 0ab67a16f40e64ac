"""The command line through its public interface: arguments in, output, files and exit status out."""

import gc
import json
import shutil
from pathlib import Path

import pytest

from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.plans import models

REPORT_FILES = {"index.html", "plan.json", "observations.csv", "targets.csv", "evaluations.csv"}


def test_report_writes_the_files_and_prints_a_summary(cli, tmp_path):
    result = cli("report", "--out", str(tmp_path / "r"))
    assert result.code == 0, result.err
    assert {p.name for p in (tmp_path / "r").iterdir()} >= REPORT_FILES
    assert "市民活動サポートセンター登録団体数" in result.out
    assert "達成 6 / 順調 1 / 概ね順調 1 / 遅れ 2 / 後退 4 / 未達成 0 / 評価不能 0 / 目標なし 1" in result.out
    assert f"報告書を書き出しました: {(tmp_path / 'r').resolve()}/" in result.out
    summary_line = next(line for line in result.out.splitlines() if line.startswith("2b "))
    assert "939団体 (H28)" in summary_line and "遅れ" in summary_line


def test_evaluate_json_is_the_contract(cli):
    result = cli("evaluate", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["schema"] == "machiplan/plan@2"
    assert doc["plan"]["code"] == "sapporo-machizukuri-2"
    assert doc["plan"]["municipality"] == {"name": "札幌市", "code": "011002"}
    assert (doc["plan"]["start_fy"], doc["plan"]["end_fy"], doc["evaluation_fy"]) == (2014, 2018, 2017)
    assert doc["method"]["name"] == "progress_vs_pace" and doc["method"]["params"]["roughly_ratio"] == 0.6
    assert len(doc["indicators"]) == 15
    assert sum(len(i["observations"]) for i in doc["indicators"]) == 75
    assert sum(len(i["targets"]) for i in doc["indicators"]) == 20
    by_name = {i["name"]: i for i in doc["indicators"]}
    support = by_name["市民活動サポートセンター登録団体数"]
    assert support["evaluation"]["status"] == "achieved"
    assert support["observations"][4] == {
        "fy": 2017,
        "kind": "interim",
        "value": 2684,
        "as_of": "2017-08-31",
        "approximate": False,
        "breakdown": {},
        "source_text": "2,684 団体 (H29.8.31.時点)",
        "note": None,
        "source": "observations.csv:26",
        "series": "",
        "period": "fy",
        "text": "",
        "sample_size": None,
        "margin": None,
        "design_effect": None,
    }
    assert by_name["身近に交流の機会があると感じている人の割合"]["evaluation"]["status"] == "regressing"
    npo = by_name["認証NPO法人数"]["evaluation"]
    assert npo["status"] == "behind"
    assert npo["baseline"] == {"fy": 2013, "value": 887} and npo["latest"] == {"fy": 2016, "value": 939}
    assert [h["horizon"] for h in npo["by_horizon"]] == ["action_plan", "vision"]
    share = by_name["市民まちづくり活動に参加したことのある人の割合"]
    assert share["observations"][0]["value"] == 32.4 and share["unit"] == "%"
    assert share["evaluation"]["flags"] == ["break_suspected:2014"]
    assert share["targets"][0] == {
        "horizon": "plan",
        "fy": 2018,
        "value": 70.0,
        "period_start_fy": None,
        "approximate": False,
        "source_text": "70.0%",
        "source": "targets.csv:2",
        "series": "",
        "kind": "final",
        "operator": None,
        "text": "",
        "year_stated": True,
        "revision": None,
        "note": None,
    }
    places = by_name["整備・創出された地域活動の場の数(累計)"]
    assert places["cumulative"] is True and places["targets"][0]["period_start_fy"] == 2014
    donations = by_name["さぽーとほっと基金寄附金額(累計)"]["observations"][0]
    assert donations["value"] == 496_000_000 and donations["approximate"] is True
    assert by_name["認定NPO法人・仮認定NPO法人・条例個別指定NPO法人数"]["observations"][1]["breakdown"] == {
        "認定": 9,
        "仮認定": 5,
        "条例個別指定": 1,
    }
    goal = doc["goals"][3]
    assert goal["policies"][1]["facts"] == ["H28に新たに2社、計14協定21社と締結"]
    assert [n["kind"] for n in goal["narratives"]] == ["results", "plan", "future"]
    assert all(ind["evaluation"]["explanation"] for ind in doc["indicators"])


def test_evaluate_leaves_the_cyclic_collector_as_it_found_it(cli):
    """It is paused for the whole command (cli/main.py _evaluate), and back on after, even on a failure."""
    assert gc.isenabled()
    assert cli("evaluate", "--json").code == 0
    assert gc.isenabled()
    assert cli("evaluate", "no-such-plan").code == 1
    assert gc.isenabled()


def test_evaluate_prints_a_table_in_either_language(cli):
    ja = cli("evaluate")
    assert ja.code == 0 and "評価年度: 平成29年度 (2017)" in ja.out and "後退" in ja.out
    en = cli("evaluate", "--lang", "en")
    assert en.code == 0 and "Evaluation year: FY2017" in en.out and "Regressing" in en.out
    regressing = [line for line in ja.out.splitlines() if line.rstrip().endswith("後退")]
    assert regressing and all("基準値より悪化" in line for line in regressing)  # not −352%
    assert "-" not in "".join(line.split()[-2] for line in regressing)
    assert any("worse than the baseline" in line for line in en.out.splitlines() if "Regressing" in line)


@pytest.mark.parametrize("fy", ["H27", "平成27年度", "2015"])
def test_fy_takes_every_spelling(cli, fy):
    doc = json.loads(cli("evaluate", "--json", "--fy", fy).out)
    assert doc["evaluation_fy"] == 2015


def one_line_error(result, *fragments):
    assert result.code == 1
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("machiplan: error: "), result.err
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.err


def test_fy_outside_the_plan(cli):
    one_line_error(
        cli("evaluate", "--fy", "2030"), "fiscal year 2030 is outside the plan sapporo-machizukuri-2"
    )
    one_line_error(cli("report", "--fy", "H20"), "fiscal year 2008 is outside the plan")


def test_unknown_plan(cli):
    one_line_error(cli("evaluate", "tokyo"), "no plan with code 'tokyo'", "sapporo-machizukuri-2")
    one_line_error(cli("export", "tokyo", "--out", "x"), "no plan with code 'tokyo'")


def test_bad_fy_spelling_is_a_usage_error(cli):
    result = cli("evaluate", "--fy", "soon")
    assert result.code == 2 and "not a fiscal year: 'soon'" in result.err


@pytest.fixture
def other_package(tmp_path) -> Path:
    folder = tmp_path / "other"
    shutil.copytree(DEFAULT_PLAN_DIR, folder)
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(
        text.replace("code: sapporo-machizukuri-2", "code: other-plan", 1), encoding="utf-8"
    )
    return folder


def test_load_export_round_trip(cli, other_package, tmp_path):
    result = cli("load", str(other_package))
    assert result.code == 0, result.err
    assert "loaded other-plan" in result.out and "15 indicators, 75 observations, 20 targets" in result.out
    assert "other-plan" in cli("plans").out
    assert cli("export", "other-plan", "--out", str(tmp_path / "exported")).code == 0
    from machiplan.interchange.package import read_package

    assert read_package(tmp_path / "exported") == read_package(other_package)


def test_load_twice_needs_replace(cli, other_package):
    assert cli("load", str(other_package)).code == 0
    one_line_error(cli("load", str(other_package)), "plan 'other-plan' already exists (use --replace")
    assert cli("load", str(other_package), "--replace").code == 0


def test_a_malformed_package_loads_nothing(cli, other_package):
    obs = other_package / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    assert lines[38].startswith("2d,2015,actual,72,")
    lines[38] = lines[38].replace(",actual,72,", ",actual,7２x,")
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("plans")  # the embedded plan is loaded on first use
    before = models.Observation.objects.count()
    one_line_error(cli("load", str(other_package)), "observations.csv:39: 'value' must be a number")
    assert not models.Plan.objects.filter(code="other-plan").exists()
    assert models.Observation.objects.count() == before


def test_unreadable_files(cli, other_package, tmp_path):
    (other_package / "targets.csv").unlink()
    (other_package / "targets.csv").mkdir()
    one_line_error(cli("load", str(other_package)), "targets.csv: cannot read")
    one_line_error(cli("load", str(tmp_path / "nowhere")), "no such plan package folder")
    (tmp_path / "file.txt").write_text("x")
    one_line_error(
        cli("load", str(tmp_path / "file.txt")), "file.txt: not a folder: a plan package is a folder"
    )
    one_line_error(cli("report", "--out", str(tmp_path / "file.txt")), "cannot create the output folder")


def test_adduser_and_token(cli, monkeypatch):
    from django.contrib.auth import authenticate

    from machiplan.staff.models import PlanRole, Profile
    from machiplan.staff.services.people import token_user

    monkeypatch.setenv("MACHIPLAN_PASSWORD", "a-long-cli-password-7")
    done = cli("adduser", "suzuki", "--role", "editor", "--department", "chiiki-katsudo")
    assert done.code == 0 and done.out.strip() == "suzuki: editor in chiiki-katsudo of every plan"
    user = authenticate(username="suzuki", password="a-long-cli-password-7")
    assert user is not None
    role = PlanRole.objects.get(user=user)
    assert (role.plan_code, role.role, role.department.code) == (
        "sapporo-machizukuri-2",
        "editor",
        "chiiki-katsudo",
    )
    assert not user.is_staff  # the Django admin is for admins only

    token = cli("token", "suzuki")
    assert token.code == 0 and token_user(token.out.strip()) == user

    # running it again changes the role: scripted set-up can be repeated
    assert cli("adduser", "suzuki", "--role", "owner", "--plan", "sapporo-machizukuri-2").code == 0
    assert PlanRole.objects.get(user=user).role == "owner" and Profile.objects.get(user=user).role == ""
    assert (
        cli("adduser", "suzuki", "--role", "planner").code == 0
    )  # the planning section: every plan, read-only
    assert (
        Profile.objects.get(user=user).role == "planner" and PlanRole.objects.get(user=user).role == "owner"
    )


def test_adduser_refusals(cli, monkeypatch):
    monkeypatch.setenv("MACHIPLAN_PASSWORD", "a-long-cli-password-7")
    no_dept = cli("adduser", "x", "--role", "editor")
    assert no_dept.code == 1 and "--department: a department editor needs --department" in no_dept.err
    unknown = cli("adduser", "x", "--role", "editor", "--department", "nowhere")
    assert (
        unknown.code == 1
        and "no department 'nowhere' (departments: chiiki-katsudo, shimin-jichi)" in unknown.err
    )
    monkeypatch.setenv("MACHIPLAN_PASSWORD", "short")
    assert (
        "no plan 'nowhere' (plans: sapporo-machizukuri-2)"
        in cli("adduser", "x", "--role", "viewer", "--plan", "nowhere").err
    )
    assert (
        "planner is a role in every plan: no --plan"
        in cli("adduser", "x", "--role", "planner", "--plan", "x").err
    )
    weak = cli("adduser", "x", "--role", "viewer")
    assert weak.code == 1 and weak.err.startswith("machiplan: error: password: ")
    assert (
        cli("token", "nobody").err.strip()
        == "machiplan: error: no user 'nobody' (add one with `machiplan adduser`)"
    )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="x").exists()


@pytest.mark.parametrize("name", ["observations.csv", "plan.yaml"])
def test_load_refuses_a_fifo_in_the_package_without_waiting(cli, other_package, name):
    import os

    from tests.interchange.test_files import unblocking

    (other_package / name).unlink()
    os.mkfifo(other_package / name)
    with unblocking(other_package / name):
        result = cli("load", str(other_package))
    expected = "plan.yaml is missing" if name == "plan.yaml" else f"{name}: cannot read: not a regular file"
    one_line_error(result, expected)


def test_load_refuses_a_device_in_the_package_unread(cli, other_package):
    (other_package / "targets.csv").unlink()
    (other_package / "targets.csv").symlink_to("/dev/zero")
    one_line_error(cli("load", str(other_package)), "targets.csv: cannot read: not a regular file (a device)")


def test_load_refuses_a_package_file_over_the_size_limit_unread(cli, other_package, monkeypatch):
    from machiplan.interchange import files

    monkeypatch.setattr(files, "MAX_PACKAGE_FILE_BYTES", 1_000)
    one_line_error(cli("load", str(other_package)), "plan.yaml: too large")


def test_evaluate_json_of_a_plan_written_in_two_processes_is_the_same_document(cli, monkeypatch):
    """A plan of APART_FROM indicators or more has half of them written by a forked copy of the
    command (here the embedded plan, the threshold lowered): the same bytes on stdout."""
    from machiplan.domain.apart import begun_apart as apart_
    from machiplan.interchange import plan_json

    whole = cli("evaluate", "--json")
    monkeypatch.setattr(plan_json, "APART_FROM", 1)
    begun = []
    monkeypatch.setattr(plan_json, "begun_apart", lambda *a, **k: begun.append(a[1]) or apart_(*a, **k))
    apart = cli("evaluate", "--json")
    assert (apart.code, apart.err, begun) == (0, "", ["writing the plan JSON"])
    assert apart.out == whole.out and json.loads(apart.out)["schema"] == "machiplan/plan@2"


def test_the_counts_a_command_prints_are_in_the_singular_for_one(cli, tmp_path):
    from machiplan.cli.main import counted

    assert [counted(n, "indicator") for n in (0, 1, 2)] == ["0 indicators", "1 indicator", "2 indicators"]
    package = tmp_path / "one"
    package.mkdir()
    (package / "plan.yaml").write_text(
        "schema: machiplan/package@2\ncode: one\ntitle: 一つの計画\nmunicipality: {name: 某市, code: '999999'}\n"
        "period: {start_fy: 2020, end_fy: 2024}\nnodes:\n  - {code: '1', name: 目標}\n",
        encoding="utf-8",
    )
    (package / "indicators.csv").write_text("code,name,nodes,unit\ni1,指標,1,人\n", encoding="utf-8")
    (package / "observations.csv").write_text("indicator,fy,kind,value\ni1,2020,actual,5\n", encoding="utf-8")
    result = cli("load", str(package))
    assert result.code == 0, result.err
    assert "1 top node, 1 in all, 1 indicator, 1 observation, 0 targets" in result.out


@pytest.mark.parametrize("command", ["import-sheet", "import-table"])
def test_replace_without_save_is_a_usage_error(cli, command, tmp_path):
    result = cli(command, str(tmp_path / "any.csv"), "--replace")
    assert result.code == 2
    assert "--replace replaces a plan as this one is saved: use it with --save" in result.err
