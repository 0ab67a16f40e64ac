"""Concurrent readers on a real server: ``machiplan serve`` on loopback, N clients, bounded.

    .venv/bin/python bench/web.py [--clients 50] [--requests 5000] [--path /plans/…/indicators/2a/]

With wrk installed (Debian's package), wrk drives ``--clients`` keep-alive
connections for 10 seconds from one thread; without it, each client is a
Python thread with its own keep-alive connection, sending requests back to
back until the total is reached or the time limit passes. Reported: requests
per second and the 50th/99th percentile latency. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MACHIPLAN = Path(sys.executable).parent / "machiplan"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {path} within {timeout:.0f} s")


def load(
    port: int,
    paths: list[str],
    clients: int,
    total: int,
    limit: float = 120.0,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> dict[str, float]:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + limit

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        for n in counter:  # shared iterator: next() on a range iterator is atomic under the GIL
            if time.monotonic() > deadline:
                break
            start = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)], headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status != expect:
                    errors.append(response.status)
            except OSError as exc:
                errors.append(str(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def load_wrk(
    port: int, path: str, clients: int, seconds: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """The same measure with wrk (one thread, ``clients`` keep-alive connections, ``seconds`` long).

    wrk counts a 304 as a success (2xx or 3xx), so a conditional request is measured by it too."""
    sent = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", *sent, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "errors": int(errors.group(1)) if errors else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms(percentiles["50"]),
        "p99_ms": ms(percentiles["99"]),
        "tool": "wrk",
    }


def probe(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], int]:
    """One request: its status, its headers (lower-case names) and the length of its body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, len(body)
    finally:
        conn.close()


def run_server(
    data_dir: Path,
    paths: list[str],
    clients: int,
    total: int,
    seconds: int = 10,
    extra: list[str] | None = None,
    headers: dict[str, str] | None = None,
    *,
    database_url: str | None = None,
    conditional: bool = False,
) -> dict[str, float]:
    """``clients`` readers of ``paths`` on a fresh server; with ``conditional``, each request sends
    the ETag the first answer gave (If-None-Match) and a 304 is the answer expected.

    The result also says what the first answer was: ``status``, ``bytes`` (of its body) and
    ``encoding`` (its Content-Encoding), so a row can show that gzip or a 304 was really served.
    """
    port = free_port()
    env = {**os.environ, "MACHIPLAN_DATA_DIR": str(data_dir)}
    env.pop("MACHIPLAN_DATABASE_URL", None)
    if database_url:
        env["MACHIPLAN_DATABASE_URL"] = database_url
    server = subprocess.Popen(
        [str(MACHIPLAN), "serve", "--port", str(port), *(extra or [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(
            port, paths[0], timeout=600
        )  # the API's first answer builds the document: minutes at 100,000
        for path in paths:  # warm every worker's cache a little
            for _ in range(8):
                wait_until_up(port, path)
        headers, expect = dict(headers or {}), 200
        if conditional:
            _, first, _ = probe(port, paths[0], headers)
            headers["If-None-Match"], expect = first["etag"], 304
        status, answer, size = probe(port, paths[0], headers)
        seen = {"status": status, "bytes": size, "encoding": answer.get("content-encoding", "")}
        if shutil.which("wrk") and len(paths) == 1:
            return {**load_wrk(port, paths[0], clients, seconds, headers), **seen}
        measured = load(port, paths, clients, total, limit=seconds, headers=headers, expect=expect)
        return {**measured, **seen, "tool": "python threads"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument(
        "--path", action="append", help="paths to request (default: a Sapporo indicator page)"
    )
    args = parser.parse_args(argv)
    paths = args.path or ["/plans/sapporo-machizukuri-2/indicators/2a/"]
    with tempfile.TemporaryDirectory(prefix="machiplan-web-") as tmp:
        env = {**os.environ, "MACHIPLAN_DATA_DIR": tmp}
        subprocess.run([str(MACHIPLAN), "plans"], env=env, check=True, capture_output=True)
        result = run_server(Path(tmp), paths, args.clients, args.requests)
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
