"""Files a user names: regular files only, of a bounded size, named printably — never a wait or a crash."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest

from machiplan.domain.errors import MachiplanError
from machiplan.interchange.files import display_name, open_user_file, read_user_file


@contextlib.contextmanager
def unblocking(fifo: Path, seconds: float = 5.0):
    """Open the FIFO for writing for a moment if someone waits on it, so that a reader
    that blocks on it (the bug) fails the test instead of hanging it."""
    done = threading.Event()

    def writer() -> None:
        while not done.wait(0.2):
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO while nobody reads
            except OSError:
                continue
            os.close(fd)
            return

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(seconds)


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "sheet.txt"
    path.write_bytes(b"abc" * 10)
    assert read_user_file(path, 30) == b"abc" * 10


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with (
        unblocking(fifo),
        pytest.raises(MachiplanError, match=r"pipe\.txt: cannot read: not a regular file \(a named pipe\)"),
    ):
        read_user_file(fifo, 1_000)


@pytest.mark.parametrize(("path", "kind"), [("/dev/zero", "a device"), ("/dev/null", "a device")])
def test_a_device_is_refused_unread(path, kind):
    with pytest.raises(MachiplanError, match=f"{path}: cannot read: not a regular file \\({kind}\\)"):
        read_user_file(path, 1_000)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(MachiplanError, match="cannot read: a folder, not a file"):
        read_user_file(tmp_path, 1_000)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(MachiplanError, match=r"big\.txt: too large: 11 MB \(at most 10 MB\)"):
        read_user_file(path, 10 * 1024 * 1024)


def test_a_file_that_grows_past_the_limit_while_read_is_stopped(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 10)
    with open_user_file(path, 20) as handle:
        path.write_bytes(b"x" * 100)  # the same inode, now longer than when it was checked
        with pytest.raises(MachiplanError, match="too large"):
            handle.read()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(MachiplanError, match=r"nope\.txt: no such file"):
        read_user_file(tmp_path / "nope.txt", 10)


def test_names_are_printable_and_storable():
    name = os.fsdecode(b"\xff\xfe\xe8\xa8\x88\xe7\x94\xbb.txt")  # not UTF-8: surrogate escapes
    assert display_name(Path("/tmp") / name) == "\ufffd\ufffd計画.txt"
    assert display_name(Path("a\nb.txt")) == "a\\nb.txt"  # one line, whatever the name
    display_name(Path(name)).encode("utf-8")  # no surrogates left


def test_a_file_written_whole_is_private_and_two_writers_never_share_a_scratch_file(tmp_path, monkeypatch):
    import os

    from machiplan.interchange import folders

    scratch_names = []
    real_replace = os.replace

    def replace(source, target):  # a second writer runs between the first's write and its rename
        scratch_names.append(source)
        if len(scratch_names) == 1:
            folders.write_file(tmp_path / "report.xlsx", b"second")
        real_replace(source, target)

    monkeypatch.setattr(folders.os, "replace", replace)
    path = folders.write_file(tmp_path / "report.xlsx", b"first")
    assert len(set(scratch_names)) == 2  # each its own scratch file: neither renamed the other's
    assert path.read_bytes() == b"first" and path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no scratch file left
