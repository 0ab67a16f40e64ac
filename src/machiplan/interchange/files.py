"""Files a user names (import-sheet FILE, load DIR): regular files only, of a bounded size, named printably.

Whatever path a user gives, reading it never waits (a FIFO with no writer),
never reads without end (/dev/zero, a file growing as it is read) and never
fails on the name itself (bytes that are not UTF-8, a newline in a name):

    read_user_file(path, limit)   the whole content, or one MachiplanError naming the file
    open_user_file(path, limit)   the same as a binary stream, for readers that go line by line
    display_name(path)            the file's name as it can be printed and stored
    display_path(path)            the whole path likewise
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

from ..domain.errors import MachiplanError

MB = 1024 * 1024
MAX_SHEET_BYTES = 10 * MB  # a progress sheet: the seed is 25 KB, a 10,000-indicator sheet 2.7 MB
MAX_PACKAGE_FILE_BYTES = 200 * MB  # one file of a plan package: a 100,000-indicator plan's largest is 44 MB

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as it can be printed and stored in the database: bytes that were not UTF-8 in the
    file system (Python's surrogate escapes) become U+FFFD, control characters ``\\n``-style escapes."""
    text = os.fspath(path)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def display_name(path: str | os.PathLike[str]) -> str:
    """The file's name (the last part of its path), printable and storable: see ``display_path``."""
    return display_path(Path(path).name)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _size(size: int) -> str:
    return f"{size // MB:,} MB" if size % MB == 0 else f"{size:,} bytes"


def _refusal(mode: int, where: str) -> MachiplanError:
    if stat.S_ISDIR(mode):
        return MachiplanError("cannot read: a folder, not a file", where=where)
    return MachiplanError(f"cannot read: not a regular file ({_kind(mode)})", where=where)


class _Bounded(io.RawIOBase):
    """A file read no further than ``limit`` bytes: one more is an error, however the file grew."""

    def __init__(self, fd: int, limit: int, where: str) -> None:
        self._file = io.FileIO(fd, "rb", closefd=True)
        self._limit = limit
        self._read = 0
        self._where = where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        count = self._file.readinto(buffer)
        self._read += count or 0
        if self._read > self._limit:
            raise MachiplanError(
                f"too large: more than {_size(self._limit)} (it grew while read)", where=self._where
            )
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def open_user_file(path: str | os.PathLike[str], limit: int) -> io.BufferedReader:
    """A regular file of at most ``limit`` bytes, opened for reading in binary; anything else one error.

    Nothing but a regular file is ever opened (a device may act on being opened), and it is
    opened without blocking, in case the path was swapped for a FIFO in between.
    """
    where = display_path(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _refusal(mode, where)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise MachiplanError("no such file", where=where) from None
    except IsADirectoryError:
        raise MachiplanError("cannot read: a folder, not a file", where=where) from None
    except OSError as exc:
        raise MachiplanError(f"cannot read: {exc.strerror}", where=where) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refusal(info.st_mode, where)
        if info.st_size > limit:
            raise MachiplanError(f"too large: {_size(info.st_size)} (at most {_size(limit)})", where=where)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        raw = _Bounded(fd, limit, where)
    except BaseException:
        os.close(fd)
        raise
    return io.BufferedReader(raw)


def read_user_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The whole content of a regular file of at most ``limit`` bytes; anything else one error."""
    with open_user_file(path, limit) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise MachiplanError(f"cannot read: {exc.strerror}", where=display_path(path)) from None
