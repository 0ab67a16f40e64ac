"""The README's main job as a new user runs it: a new process, an empty data folder."""

import json


def test_report_from_a_fresh_shell(shell, tmp_path):
    result = shell("report")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    folder = tmp_path / "machiplan-report"
    assert (folder / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((folder / "plan.json").read_text(encoding="utf-8"))["schema"] == "machiplan/plan@1"
    assert "計 15: 達成 6" in result.out
    # the data folder now holds the database and this installation's own secret key
    data = tmp_path / "data"
    assert (data / "secret_key").exists()


def test_errors_from_a_fresh_shell_are_one_line(shell):
    result = shell("evaluate", "no-such-plan")
    assert result.code == 1
    assert result.err.strip().splitlines() == [result.err.strip()]
    assert "no plan with code 'no-such-plan'" in result.err


def test_a_mistyped_trusted_proxy_is_one_line(shell, fresh_env):
    fresh_env["MACHIPLAN_TRUSTED_PROXIES"] = "127.0.0.1, proxy.example.lg.jp"
    result = shell("plans")
    assert result.code == 1 and result.err.strip().splitlines() == [result.err.strip()]
    assert "MACHIPLAN_TRUSTED_PROXIES: 'proxy.example.lg.jp' is not an IP address or network" in result.err
