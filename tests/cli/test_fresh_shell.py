"""The README's main job as a new user runs it: a new process, an empty data folder."""

import json
import stat


def test_report_from_a_fresh_shell(shell, tmp_path):
    result = shell("report")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    folder = tmp_path / "machiplan-report"
    assert (folder / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((folder / "plan.json").read_text(encoding="utf-8"))["schema"] == "machiplan/plan@2"
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


def _modes(data) -> dict[str, str]:
    return {
        p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in [data, *data.iterdir()] if p.name != "static"
    }


# While the database is open (WAL mode), list the data folder's modes.
OPEN_AND_LIST = """
import os, stat
from machiplan.cli.bootstrap import ready
ready()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM plans_plan")
    data = settings.DATA_DIR
    for p in [data, *data.iterdir()]:
        if p.name != "static":
            print(p.name, oct(stat.S_IMODE(p.stat().st_mode)))
"""


def test_the_data_folder_and_the_database_are_private(fresh_env, tmp_path):
    import subprocess
    import sys

    env = {k: v for k, v in fresh_env.items() if k != "MACHIPLAN_DATABASE_URL"}  # the SQLite file itself
    data = tmp_path / "data"

    def start() -> dict[str, str]:
        proc = subprocess.run([sys.executable, "-c", OPEN_AND_LIST], env=env, capture_output=True, text=True,
                              umask=0o022, check=True)  # fmt: skip
        return dict(line.split() for line in proc.stdout.splitlines())

    private = {"data": "0o700", "machiplan.sqlite3": "0o600", "machiplan.sqlite3-wal": "0o600",
               "machiplan.sqlite3-shm": "0o600", "secret_key": "0o600"}  # fmt: skip
    assert start() == private
    # an installation made before: opened up to every local user, tightened when it starts
    data.chmod(0o755)
    (data / "machiplan.sqlite3").chmod(0o644)
    (data / "secret_key").chmod(0o644)
    (data / "machiplan.sqlite3-wal").write_bytes(b"")  # left by a process that stopped uncleanly
    (data / "machiplan.sqlite3-wal").chmod(0o644)
    assert start() == private
    assert _modes(data) == {k: v for k, v in private.items() if not k.endswith(("-wal", "-shm"))}


def test_errors_are_still_one_line_now_that_the_app_logs_to_stderr(shell, fresh_env):
    fresh_env["MACHIPLAN_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/nothing"  # nobody listens there
    result = shell("plans")
    assert result.code == 1 and result.err.strip().splitlines() == [result.err.strip()]
    assert result.err.startswith("machiplan: error: OperationalError: ")


def test_a_command_that_ends_without_freeing_its_plan_has_said_and_stored_everything(shell, tmp_path):
    """``evaluate`` and ``load`` leave the plan they read for the process's end (cli/main.py
    ``left_for_the_end``): the program ends with its output flushed, its exit status, and what it
    stored committed."""
    from machiplan.embedded import DEFAULT_PLAN_DIR

    evaluated = shell("evaluate", "--json")
    assert evaluated.code == 0 and evaluated.out.endswith("}\n")
    assert len(json.loads(evaluated.out)["indicators"]) == 15
    package = tmp_path / "package"
    assert shell("export", "sapporo-machizukuri-2", "--out", str(package)).code == 0
    (package / "plan.yaml").write_text(
        (package / "plan.yaml")
        .read_text(encoding="utf-8")
        .replace("sapporo-machizukuri-2", "copy-of-sapporo"),
        encoding="utf-8",
    )
    loaded = shell("load", str(package))
    assert loaded.code == 0, loaded.err
    assert "loaded copy-of-sapporo" in loaded.out
    assert "copy-of-sapporo" in shell("plans").out  # committed: another process reads it
    refused = shell("load", str(DEFAULT_PLAN_DIR))  # already there, without --replace
    assert refused.code == 1 and refused.err.strip().splitlines() == [refused.err.strip()]


def test_a_reader_that_stops_reading_ends_the_command_quietly(fresh_env, tmp_path):
    """``machiplan evaluate --json | head``: the pipe closes before the document is written; the
    command stops with status 1 and says nothing (the reader chose to stop), as cat and git do."""
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).parent / "machiplan"
    proc = subprocess.Popen(
        [str(command), "evaluate", "--json"],
        cwd=tmp_path,
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.read(20).startswith(b"{")
    proc.stdout.close()  # the document is 130 KB: the command is still writing it
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert err == b""
