"""Long commands show progress on a terminal, and print nothing more when stderr is not one."""

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from bench.generate import generate

COMMAND = Path(sys.executable).parent / "machiplan"


def test_nothing_but_the_output_when_stderr_is_not_a_terminal(shell, tmp_path):
    package = generate(tmp_path / "package", indicators=40, years=4)
    quiet = {}  # by command
    for args in (
        ("load", str(package)),
        ("evaluate", "generated-40", "--json"),
        ("evaluate", "generated-40", "--fy", "2016"),
        ("report", "generated-40", "--format", "csv,json", "--charts", "never", "--out", str(tmp_path / "r")),
        ("import-sheet", str(tmp_path / "missing.txt")),
    ):
        result = shell(*args)
        quiet.setdefault(args[0], result)
        for stream in (result.out, result.err):
            assert "\r" not in stream and "\x1b" not in stream and "steps" not in stream, (args, stream)
    assert quiet["load"].code == 0 and quiet["load"].out.startswith("loaded generated-40")
    assert all(line.startswith("machiplan: warning: ") for line in quiet["load"].err.splitlines())
    assert json.loads(quiet["evaluate"].out)["schema"] == "machiplan/plan@2"
    assert quiet["import-sheet"].code != 0 and quiet["import-sheet"].err.startswith("machiplan: ")


def test_a_terminal_sees_the_steps_and_stdout_stays_the_document(shell, fresh_env, tmp_path):
    package = generate(tmp_path / "package", indicators=40, years=4)
    assert shell("load", str(package)).code == 0
    plain = shell("evaluate", "generated-40", "--json").out
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 wide
    proc = subprocess.run(
        [str(COMMAND), "evaluate", "generated-40", "--json"],
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=slave,
        timeout=300,
        check=True,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed and all was read
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert b"machiplan evaluate" in seen and b"steps" in seen
    assert proc.stdout.decode() == plain  # the bar goes to the terminal, the JSON is untouched
    off = subprocess.run(
        [str(COMMAND), "evaluate", "generated-40"],
        env={**fresh_env, "MACHIPLAN_PROGRESS": "0"},
        capture_output=True,
        check=True,
    )
    assert b"steps" not in off.stderr
