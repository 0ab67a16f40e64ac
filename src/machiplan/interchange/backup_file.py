"""The backup file: one zip, a manifest and one JSON-lines member per table, each member checksummed.

```
manifest.json                  format, machiplan version, created at, database, migrations per app,
                               and per table: its member, row count and SHA-256
tables/<app>.<model>.jsonl     first line {"table": label, "columns": [...]}, then one JSON array per row
files/<path>                   the data folder's files that rows point to (published reports), each
                               listed in the manifest with its size and SHA-256
```

Writing goes to a temporary file beside the target, readable by its owner only
(it holds password hashes and token digests), moved into place when complete:
a failure leaves no file, and an older backup of the same name as it was.
Reading checks everything — the manifest, every member's checksum and row
count — before a single row is handed out, so a damaged file is refused whole.
Values are JSON as the caller gives them; what they mean is the caller's business.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from machiplan.domain.errors import MachiplanError

FORMAT = "machiplan/backup@1"
MANIFEST = "manifest.json"
FILES = "files/"
FILE_FOLDERS = ("reports",)  # the data folder's folders a backup carries (a name's first part)
_CHUNK = 1 << 20
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, TypeError, ValueError)


def _member(label: str) -> str:
    return f"tables/{label}.jsonl"


def _line(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class BackupWriter:
    """``with BackupWriter(path, info) as backup: backup.table(label, columns, rows)``; placed on a clean exit."""

    def __init__(self, path: str | Path, info: dict[str, Any]) -> None:
        self.path = Path(path)
        self.info = info
        self.tables: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        folder = self.path.parent
        if not folder.is_dir():
            raise MachiplanError("no such folder", where=str(folder))
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=folder)  # mode 0600
        self._temp = Path(temp)
        self._handle = os.fdopen(fd, "wb")
        self._zip = zipfile.ZipFile(self._handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)

    def __enter__(self) -> BackupWriter:
        return self

    def table(self, label: str, columns: list[str], rows: Iterable[list[Any]]) -> int:
        digest, count = hashlib.sha256(), -1
        info = zipfile.ZipInfo(_member(label), date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self._zip.open(info, "w", force_zip64=True) as member:
            for row in chain([_line({"table": label, "columns": columns})], map(_line, rows)):
                digest.update(row)
                member.write(row)
                count += 1
        self.tables[label] = {"member": _member(label), "rows": count, "sha256": digest.hexdigest()}
        return count

    def file(self, name: str, path: Path) -> int:
        """A file of the data folder, under its path relative to that folder (``reports/…``)."""
        digest, size = hashlib.sha256(), 0
        info = zipfile.ZipInfo(FILES + name, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with path.open("rb") as source, self._zip.open(info, "w", force_zip64=True) as member:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                member.write(chunk)
        self.files[name] = {"member": FILES + name, "size": size, "sha256": digest.hexdigest()}
        return size

    def __exit__(self, kind, exc, tb) -> None:
        placed = False
        try:
            if kind is None:
                manifest = {
                    "format": FORMAT,
                    "created_at": self.created_at,
                    **self.info,
                    "tables": self.tables,
                    "files": self.files,
                }
                self._zip.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
                self._zip.close()
                self._handle.flush()
                os.fsync(self._handle.fileno())
                self._handle.close()
                os.replace(self._temp, self.path)
                placed = True
                _sync_folder(self.path.parent)
        finally:
            if not placed:
                with contextlib.suppress(Exception):
                    self._zip.close()
                self._handle.close()
                with contextlib.suppress(FileNotFoundError):
                    self._temp.unlink()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class Backup:
    """A backup file whose every member has been checked."""

    path: Path
    manifest: dict[str, Any]

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return self.manifest["tables"]

    def columns(self, label: str) -> list[str]:
        with self._open(label) as lines:
            return next(lines)["columns"]

    def rows(self, label: str) -> Iterator[list[Any]]:
        with self._open(label) as lines:
            next(lines)
            yield from lines

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """The data folder's files it holds: relative path -> member, size, sha256 (checked on reading)."""
        return self.manifest.get("files", {})

    def extract(self, name: str, dest: Path) -> None:
        """Write the file ``name`` to ``dest`` (mode 0600)."""
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(fd, "wb") as out,
            zipfile.ZipFile(self.path) as archive,
            archive.open(self.files[name]["member"]) as member,
        ):
            while chunk := member.read(_CHUNK):
                out.write(chunk)

    @contextlib.contextmanager
    def _open(self, label: str) -> Iterator[Iterator[Any]]:
        with zipfile.ZipFile(self.path) as archive, archive.open(self.tables[label]["member"]) as member:
            yield (json.loads(line) for line in io.TextIOWrapper(member, encoding="utf-8"))


def read_backup(path: str | Path) -> Backup:
    """The backup at ``path``, checked whole: a damaged or foreign file is one error, and nothing is read from it."""
    path = Path(path)
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise MachiplanError(
                    f"not a machiplan backup (format {manifest.get('format')!r})", where=where
                )
            tables = manifest.get("tables")
            if not isinstance(tables, dict) or not isinstance(manifest.get("migrations"), dict):
                raise MachiplanError("the backup's manifest is incomplete", where=where)
            for label, table in tables.items():
                _check_member(archive, label, table, where)
            files = manifest.get("files", {})
            if not isinstance(files, dict):
                raise MachiplanError("the backup's manifest is incomplete", where=where)
            for name, entry in files.items():
                _check_file(archive, name, entry, where)
    except FileNotFoundError:
        raise MachiplanError("no such file", where=where) from None
    except IsADirectoryError:
        raise MachiplanError("a folder, not a backup file", where=where) from None
    except _DAMAGED as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MachiplanError(
            f"damaged or incomplete backup, nothing restored ({reason})", where=where
        ) from None
    return Backup(path=path, manifest=manifest)


def _check_member(archive: zipfile.ZipFile, label: str, table: Any, where: str) -> None:
    digest, count, first = hashlib.sha256(), -1, b""
    with archive.open(table["member"]) as member:
        pending = b""
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if count < 0 and lines:
                first = lines[0]
            count += len(lines)
    if pending or digest.hexdigest() != table["sha256"] or count != table["rows"]:
        raise MachiplanError(
            f"damaged backup: table {label} does not match its checksum, nothing restored", where=where
        )
    header = json.loads(first or b"null")
    if (
        not isinstance(header, dict)
        or header.get("table") != label
        or not isinstance(header.get("columns"), list)
    ):
        raise MachiplanError(f"damaged backup: table {label} has no header, nothing restored", where=where)


def _check_file(archive: zipfile.ZipFile, name: str, entry: Any, where: str) -> None:
    """A data-folder file of the backup: a plain relative path in a folder a backup carries, whose
    bytes match its size and checksum."""
    parts = name.split("/")
    if (
        not isinstance(entry, dict)
        or entry.get("member") != FILES + name
        or parts[0] not in FILE_FOLDERS
        or len(parts) < 2
        or any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts)
    ):
        raise MachiplanError(
            f"damaged backup: a file named {name!r} cannot be restored, nothing restored", where=where
        )
    digest, size = hashlib.sha256(), 0
    with archive.open(entry["member"]) as member:
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
        raise MachiplanError(
            f"damaged backup: file {name} does not match its checksum, nothing restored", where=where
        )
