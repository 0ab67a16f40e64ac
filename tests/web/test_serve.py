"""`machiplan serve` as a user runs it: gunicorn on a loopback port, answering real HTTP."""

import gzip
import json
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
        assert json.loads(api)["schema"] == "machiplan/plan@2"
        asked = urllib.request.Request(
            f"{base}/api/plans/sapporo-machizukuri-2/", headers={"Accept-Encoding": "gzip"}
        )
        compressed = urllib.request.urlopen(asked)  # the prebuilt file, as gunicorn sends it
        assert compressed.headers["Content-Encoding"] == "gzip" and compressed.headers["ETag"].startswith(
            'W/"'
        )
        assert gzip.decompress(compressed.read()) == api
        assert urllib.request.urlopen(f"{base}/static/admin/css/base.css").status == 200
        try:
            urllib.request.urlopen(f"{base}/plans/nope/")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            body = error.read()
            assert b"Traceback" not in body and b"DEBUG" not in body
            assert "ページが見つかりません" in body.decode()  # machiplan's own error page, in both languages
        else:
            raise AssertionError("an unknown plan must be 404")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "machiplan: serving on" in output and "gunicorn" in output


def test_staff_sign_in_and_token_writes_through_the_real_server(fresh_env):
    import http.cookiejar
    import json
    import re
    import urllib.parse

    command = Path(sys.executable).parent / "machiplan"
    env = {**fresh_env, "MACHIPLAN_PASSWORD": "a-long-serve-password-5"}
    subprocess.run([str(command), "adduser", "sato", "--role", "editor", "--department", "chiiki-katsudo"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    token = subprocess.run(
        [str(command), "token", "sato"], env=env, check=True, capture_output=True, text=True
    )
    port = free_port()
    server = subprocess.Popen([str(command), "serve", "--port", str(port), "--workers", "1"], env=fresh_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_up(port, "/plans/")
        base = f"http://127.0.0.1:{port}"
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = browser.open(f"{base}/staff/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        body = urllib.parse.urlencode(
            {"username": "sato", "password": "a-long-serve-password-5", "csrfmiddlewaretoken": csrf}
        )
        signed_in = browser.open(
            urllib.request.Request(f"{base}/staff/login/", body.encode(), headers={"Referer": base})
        )
        assert signed_in.url == f"{base}/staff/plans/sapporo-machizukuri-2/"
        assert "町内会加入率" in signed_in.read().decode()
        try:
            browser.open(f"{base}/staff/plans/sapporo-machizukuri-2/indicators/1a/")
        except urllib.error.HTTPError as error:
            assert error.code == 403 and "Traceback" not in error.read().decode()
        else:
            raise AssertionError("another department's indicator must be 403")

        write = urllib.request.Request(
            f"{base}/api/plans/sapporo-machizukuri-2/indicators/1b/observations/2017/",
            json.dumps({"kind": "actual", "value": "70.9", "revision": 0, "submit": True}).encode(),
            headers={"Authorization": f"Token {token.stdout.strip()}", "Content-Type": "application/json"},
        )
        state = json.loads(urllib.request.urlopen(write).read())
        assert state["status"] == "submitted" and state["figure"]["value"] == "70.9"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_https_settings(fresh_env):
    script = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    env = {**fresh_env, "DJANGO_SETTINGS_MODULE": "machiplan.settings"}
    plain = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + script], env=env,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert plain.stdout.split() == ["False", "False", "0", "False", "False"]
    https = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + script],
                           env={**env, "MACHIPLAN_HTTPS": "1"}, capture_output=True, text=True, check=True)  # fmt: skip
    assert https.stdout.split() == ["True", "True", "31536000", "True", "False"]


def test_a_server_error_is_logged_with_its_traceback_and_the_id_the_page_shows(fresh_env, tmp_path):
    import re
    import sqlite3

    command = Path(sys.executable).parent / "machiplan"
    env = {k: v for k, v in fresh_env.items() if k != "MACHIPLAN_DATABASE_URL"}  # a database we can break
    subprocess.run([str(command), "plans"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([str(command), "serve", "--port", str(port), "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_until_up(port, "/plans/")
        base = f"http://127.0.0.1:{port}"
        kept = urllib.request.urlopen(
            urllib.request.Request(f"{base}/plans/", headers={"X-Request-ID": "proxy-id-0001"})
        )
        assert kept.headers["X-Request-ID"] == "proxy-id-0001"  # a proxy's id, when it is a safe token
        with sqlite3.connect(
            tmp_path / "data" / "machiplan.sqlite3"
        ) as broken:  # the database breaks under it
            broken.execute("DROP TABLE plans_plan")
        try:
            urllib.request.urlopen(
                urllib.request.Request(
                    f"{base}/plans/sapporo-machizukuri-2/", headers={"X-Request-ID": "bad id\t"}
                )
            )
        except urllib.error.HTTPError as error:
            assert error.code == 500
            page = error.read().decode()
            request_id = error.headers["X-Request-ID"]
        else:
            raise AssertionError("a missing table must be a 500")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)  # made here: the client's was not a safe token
    text = re.sub(r"<[^>]+>", "", page)
    assert (
        f"エラー番号: {request_id}" in text and f"Error ID: {request_id}" in text and "Traceback" not in text
    )
    logged = err[err.index(f"[{request_id}]") :]
    assert "Internal Server Error: /plans/sapporo-machizukuri-2/" in logged.splitlines()[0]
    assert "Traceback (most recent call last)" in logged and "no such table: plans_plan" in logged
    access = [line for line in out.splitlines() if '"GET /plans/sapporo-machizukuri-2/ HTTP/1.1" 500' in line]
    assert len(access) == 1 and access[0].endswith(f" {request_id}")  # the access log names it too
