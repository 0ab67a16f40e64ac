"""Writing several files into a folder as one step: all of them appear, or none."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..domain.errors import MachiplanError


def write_into(
    folder: str | Path, write: Callable[[Path], Iterable[Path]], *, owns: Iterable[str] = ()
) -> list[Path]:
    """Run ``write`` in a scratch folder inside ``folder``, then move each file it wrote into place.

    A failure while writing leaves ``folder`` as it was: no half-written report or package.
    ``owns``: the names (relative to ``folder``) of the files this kind of write makes; those of
    them an earlier write left and this one did not write are removed once its files are in place,
    so that the folder holds what this write said and nothing older. Other files are left alone.
    """
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MachiplanError(f"cannot create the output folder: {exc.strerror}", where=str(target)) from None
    scratch = Path(tempfile.mkdtemp(prefix=".machiplan-", dir=target))
    try:
        written = list(write(scratch))
        placed = []
        for path in written:
            final = target / path.relative_to(scratch)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
            placed.append(final)
        kept = {final.relative_to(target) for final in placed}
        for name in owns:
            stale = target / name
            if Path(name) not in kept and (stale.is_file() or stale.is_symlink()):
                try:
                    stale.unlink()
                except OSError as exc:
                    raise MachiplanError(
                        f"cannot remove the older {name}: {exc.strerror}", where=str(target)
                    ) from None
        return placed
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_file(path: str | Path, data: bytes) -> Path:
    """``data`` written to ``path`` in one step, private to the server's user (0600): a scratch file
    of its own in the same folder, then renamed over ``path``. Processes writing the same file at
    once (a WSGI server's workers) each rename a whole file; none reads or renames a half of another's."""
    target = Path(path)
    fd, scratch = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return target
