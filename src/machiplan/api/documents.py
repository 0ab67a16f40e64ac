"""The API's plan documents, built once per plan version into the data folder and served from there.

A 10,000-indicator plan's document is tens of megabytes, and building it (reading the plan,
evaluating it, writing the JSON) takes seconds: per request, or per process and in memory as
before, it kept 50 clients waiting (issue #15). It is built once for each version of the plan
(``plan_version``: approving a figure moves it on) and kept as files:

    <data folder>/api/<plan>/<key>/plan.json         the whole document
                                  /plan.json.gz      the same, gzip-compressed
                                  /head.json         the document without its indicators
                                  /indicators.jsonl  one indicator a line, in the plan's order
                                  /index.json        where each line starts, and the counts

``key`` hashes the plan's code, its version and machiplan's version (a new release may
write the document differently); it is the ETag too. A page (``?page=``) is the head and a
slice of the lines, read with one seek. Folders are 0700 and files 0600, as in the rest of
the data folder; the previous versions' folders are removed once the new one is in place.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from machiplan import __version__
from machiplan.domain.evaluation import evaluate_plan
from machiplan.interchange.plan_json import SCHEMA, encode, plan_json_parts
from machiplan.plans.selectors import plan_data, plan_version

PAGE_SIZE = 100  # indicators a page, unless ?page_size= says otherwise
MAX_PAGE_SIZE = 1000
LAYOUT = 1  # the files below: a change to them makes a new key
READ_ATTEMPTS = 3  # a plan that changes while it is read is read again
_LOCK = threading.Lock()  # one build at a time in a process; flock keeps processes apart


def dumps(value: object) -> bytes:
    """Compact JSON, as UTF-8 (orjson; see plan_json.encode)."""
    return encode(value, indent=None)


@dataclass(frozen=True, slots=True)
class Built:
    folder: Path
    etag: str  # W/"<key>": the same for the compressed and the plain body

    @property
    def whole(self) -> Path:
        return self.folder / "plan.json"

    @property
    def compressed(self) -> Path:
        return self.folder / "plan.json.gz"

    def index(self) -> dict:
        return json.loads((self.folder / "index.json").read_bytes())

    def page(self, number: int, size: int) -> tuple[bytes, list[bytes], dict]:
        """The head (compact JSON), the page's indicators (compact JSON each) and the index."""
        index = self.index()
        offsets = index["offsets"]
        start, end = (number - 1) * size, min(number * size, index["count"])
        lines: list[bytes] = []
        if start < end:
            with open(self.folder / "indicators.jsonl", "rb") as handle:
                handle.seek(offsets[start])
                block = handle.read(offsets[end] - offsets[start])
            lines = block.split(b"\n")[:-1]
        return (self.folder / "head.json").read_bytes(), lines, index


def key_of(code: str, version: str) -> str:
    return hashlib.sha256(f"{code}\0{version}\0{__version__}\0{SCHEMA}\0{LAYOUT}".encode()).hexdigest()[:24]


def plan_folder(code: str) -> Path:
    return Path(settings.DATA_DIR) / "api" / code


def built(code: str) -> Built:
    """The plan's documents at its current version, built first if they are not yet.

    Raises MachiplanError (from ``plan_version``) when there is no such plan."""
    version = plan_version(code)
    key = key_of(code, version)
    folder = plan_folder(code) / key
    if not (folder / "index.json").exists():
        with _LOCK, _process_lock(code):
            if not (folder / "index.json").exists():
                key = _build(code, version)
                folder = plan_folder(code) / key
    return Built(folder, f'W/"{key}"')


class _process_lock:
    """An exclusive lock on ``<data folder>/api/<plan>/.lock``: the server's other processes
    wait for the build under way instead of building the same files again."""

    def __init__(self, code: str) -> None:
        folder = plan_folder(code)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder.parent, 0o700)
        self.path = folder / ".lock"

    def __enter__(self) -> None:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _build(code: str, version: str) -> str:
    """Write the documents of the plan as read now; the key they are filed under (the version
    read, which is the one asked for unless the plan changed meanwhile)."""
    for _ in range(READ_ATTEMPTS):
        plan = plan_data(code)
        after = plan_version(code)
        if after == version:
            break
        version = after  # changed while it was read: read again
    key = key_of(code, version)
    folder = plan_folder(code) / key
    if (folder / "index.json").exists():
        return key
    scratch = plan_folder(code) / f".{key}.{os.getpid()}.{threading.get_ident()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(mode=0o700)
    try:
        _write(plan, scratch)
        os.rename(scratch, folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    for other in plan_folder(code).iterdir():  # the versions before
        if other.is_dir() and other.name != key and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)
    return key


def _write(plan, folder: Path) -> None:
    head, items, status_counts = plan_json_parts(plan, evaluate_plan(plan))
    head_bytes = dumps(head)
    offsets = [0]
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    with (
        open(os.open(folder / "indicators.jsonl", flags, 0o600), "wb") as lines,
        open(os.open(folder / "plan.json", flags, 0o600), "wb") as plain,
        open(os.open(folder / "plan.json.gz", flags, 0o600), "wb") as compressed,
        gzip.GzipFile(fileobj=compressed, mode="wb", compresslevel=6, mtime=0) as whole,
    ):

        def write(chunk: bytes) -> None:
            plain.write(chunk)
            whole.write(chunk)

        write(head_bytes[:-1] + b',"indicators":[')
        for n, item in enumerate(items):
            body = dumps(item)
            lines.write(body + b"\n")
            offsets.append(offsets[-1] + len(body) + 1)
            write(b"," + body if n else body)
        counts = b',"status_counts":' + dumps(status_counts) if status_counts is not None else b""
        write(b"]" + counts + b"}")
        size = plain.tell()
    with open(os.open(folder / "head.json", flags, 0o600), "wb") as handle:
        handle.write(head_bytes)
    index = {"count": len(offsets) - 1, "size": size, "status_counts": status_counts, "offsets": offsets}
    with open(os.open(folder / "index.json", flags, 0o600), "wb") as handle:
        handle.write(dumps(index))  # last: its presence says the folder is complete
