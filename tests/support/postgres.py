"""A throwaway PostgreSQL server for the test suite, started with the machine's initdb/pg_ctl.

``start_server()`` makes a cluster in a temporary folder, starts it on a free
loopback port and returns a database URL; the server is stopped and removed
when the test process exits. As root (CI), the server runs as the ``postgres``
user (or ``nobody``), since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> tuple[list[str], str | None]:
    if os.geteuid() != 0:
        return [], None
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"], user
    raise PostgresUnavailable("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


def start_server() -> str:
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise PostgresUnavailable("initdb/pg_ctl not found (install Debian's postgresql package)")
    base = Path(tempfile.mkdtemp(prefix="machiplan-pg-"))
    data, log = base / "data", base / "server.log"
    prefix, user = _run_as()
    if user:
        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    subprocess.run(
        [*prefix, initdb, "-D", str(data), "-U", "machiplan", "--auth=trust", "-E", "UTF8", "--no-locale"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    result = subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"pg_ctl start failed: {result.stderr.strip()} {log.read_text() if log.exists() else ''}"
        )

    def stop() -> None:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(stop)
    url = f"postgresql://machiplan@127.0.0.1:{port}/machiplan"
    create_database(url.rsplit("/", 1)[0] + "/postgres", "machiplan")
    return url


def create_database(maintenance_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
