"""The general model's public pages in a real browser: a deep node page and indicator pages, on a
desktop and on a phone, checked by axe-core for WCAG 2.1 AA and for sideways scrolling.

Set MACHIPLAN_SCREENSHOTS=DIR to keep a full-page screenshot of each (to look at them)."""

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.interchange.package import read_package
from machiplan.plans.services.plan_load import plan_load
from tests.web.urls import staff_urls_import

from .conftest import axe_violations

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
TSUKUBA, CHIBA, URAKAWA = "/plans/tsukuba-sousei-1/", "/plans/chiba-jisshi-2026/", "/plans/urakawa-sousei-1/"
PAGES = {
    "tsukuba-deep-node": f"{TSUKUBA}nodes/{quote('Ⅰ-1-(1)', safe='()')}/",
    "tsukuba-top-node-en": f"{TSUKUBA}nodes/{quote('Ⅰ')}/?lang=en",
    "tsukuba-indicator": f"{TSUKUBA}indicators/I-1-1-KPI1/",
    "chiba-indicator": f"{CHIBA}indicators/chiba-pi-f03-001/",
    "chiba-plan": CHIBA,
    "urakawa-indicator": f"{URAKAWA}indicators/1-1-1/",
}
WIDTHS = (1280, 390)


@pytest.fixture
def site(live_server, transactional_db, settings):
    if not staff_urls_import():  # the staff app is moved to the general model in parallel (issue #11)
        settings.ROOT_URLCONF = "tests.web.urls"
    cache.clear()
    ensure_default_plan()
    for name in ("tsukuba", "chiba", "urakawa"):
        plan_load(plan=read_package(REAL / name))
    return live_server.url


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_public_node_and_indicator_pages_pass_axe_at_every_width(site, page, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site + PAGES[name])
    assert response.status == 200
    assert axe_violations(page) == []
    # on a phone the page does not scroll sideways: wide tables scroll in their own region
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if folder := os.environ.get("MACHIPLAN_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def test_breadcrumbs_lead_up_the_tree(site, page):
    page.goto(site + PAGES["tsukuba-deep-node"])
    crumbs = page.get_by_role("navigation", name="現在位置")
    assert crumbs.get_by_role("link").all_inner_texts() == [
        "計画一覧",
        "つくば市まち・ひと・しごと創生総合戦略",
        "基本目標Ⅰ",
        "基本施策1",
    ]
    crumbs.get_by_role("link", name="基本施策1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^基本施策1『"))
    children = page.locator("section[aria-labelledby=children-title]")  # the list of its children
    children.get_by_role("link", name="個別施策(1)『科学技術の振興によるまちづくり』").click()
    expect(page).to_have_url(re.compile(re.escape(PAGES["tsukuba-deep-node"] + "?lang=ja") + "$"))


def test_an_indicator_under_two_nodes_leads_to_both(site, page):
    page.goto(site + PAGES["urakawa-indicator"])
    places = page.locator("section", has=page.get_by_role("heading", name="この指標を掲げる施策"))
    names = places.get_by_role("link").all_inner_texts()
    assert "施策(1)『第一次産業の振興』" in names and "施策(4)『人材・後継者の育成』" in names
    places.get_by_role("link", name="施策(4)『人材・後継者の育成』").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^施策\\(4\\)『"))
    expect(page.get_by_role("link", name="新規就農者数").first).to_be_visible()
