"""The pages people read, in a real browser, checked by axe-core for WCAG 2.1 AA."""

import pytest
from django.core.cache import cache

from machiplan.cli.bootstrap import ensure_default_plan
from tests.web.urls import staff_urls_import

from .conftest import axe_violations

PLAN = "/plans/sapporo-machizukuri-2/"


@pytest.fixture
def site(live_server, transactional_db, settings):
    if not staff_urls_import():  # the staff app is moved to the general model in parallel (issue #11)
        settings.ROOT_URLCONF = "tests.web.urls"
    cache.clear()
    ensure_default_plan()
    return live_server.url


@pytest.mark.parametrize(
    "path",
    [
        PLAN,
        f"{PLAN}nodes/2/",
        f"{PLAN}nodes/2-1/",
        f"{PLAN}nodes/2/indicators/",
        f"{PLAN}nodes/3/?lang=en",
        f"{PLAN}indicators/2a/",
        f"{PLAN}indicators/3a/?lang=en",
        "/plans/",
    ],
)
def test_public_pages_pass_axe(site, page, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert axe_violations(page) == []


def test_an_old_goal_link_lands_on_its_node_page(site, page):
    response = page.goto(site + f"{PLAN}goals/2/")
    assert response.status == 200 and page.url == site + f"{PLAN}nodes/2/"
    assert page.get_by_role("heading", level=1).inner_text() == "基本目標2『向上』"


def test_plan_and_node_pages_fit_a_phone(site, page):
    page.set_viewport_size({"width": 390, "height": 800})
    for path in (PLAN, f"{PLAN}nodes/2/", f"{PLAN}indicators/2a/"):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_keyboard_reaches_the_content_first(site, page):
    page.goto(site + f"{PLAN}indicators/2a/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content"
    assert (
        page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    )  # the skip link shows itself


def test_indicator_page_chart_is_named_for_screen_readers(site, page):
    page.goto(site + f"{PLAN}indicators/3b/")
    chart = page.get_by_role("img", name="整備・創出された地域活動の場の数(累計)")
    assert chart.count() == 1
    assert chart.bounding_box()["width"] > 300


def test_the_html_report_passes_axe(sapporo, page, tmp_path):
    # imported here, so that the public pages' tests run while the report renderers are being changed
    from machiplan.reports.model import build_report
    from machiplan.reports.writer import write_report

    write_report(build_report(sapporo), tmp_path, ["html"])
    page.goto((tmp_path / "index.html").as_uri())
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert axe_violations(page) == []
    # responsive: on a phone's width the page does not scroll sideways; wide tables scroll in their own region
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
