"""`machiplan serve` as a user runs it: gunicorn on a loopback port, answering real HTTP."""

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from bench.web import free_port, wait_until_up


def test_serve_answers_pages_and_api_with_debug_off(fresh_env, tmp_path):
    command = Path(sys.executable).parent / "machiplan"
    subprocess.run([str(command), "plans"], env=fresh_env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([str(command), "serve", "--port", str(port), "--workers", "1"], env=fresh_env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_until_up(port, "/plans/")
        base = f"http://127.0.0.1:{port}"
        page = urllib.request.urlopen(f"{base}/plans/sapporo-machizukuri-2/indicators/3b/")
        html = page.read().decode()
        assert "整備・創出された地域活動の場の数(累計)" in html and "概ね順調" in html
        assert page.headers["X-Frame-Options"] == "DENY"
        api = urllib.request.urlopen(f"{base}/api/plans/sapporo-machizukuri-2/").read()
        assert b'"schema": "machiplan/plan@1"' in api
        assert urllib.request.urlopen(f"{base}/static/admin/css/base.css").status == 200
        try:
            urllib.request.urlopen(f"{base}/plans/nope/")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            body = error.read()
            assert b"Traceback" not in body and b"DEBUG" not in body
        else:
            raise AssertionError("an unknown plan must be 404")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "machiplan: serving on" in output and "gunicorn" in output
