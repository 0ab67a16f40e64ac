"""報告書の作成・公開 in a real browser, on a desktop (1280 px) and a phone (390 px): the owner generates
the year's report, the page follows it to the end, the owner previews it and publishes it after a
confirmation; the public plan page lists the version with its date and files, and says so when a
figure is approved after it. Every page is checked by axe-core and for sideways scrolling.

Set MACHIPLAN_SCREENSHOTS=DIR to keep a screenshot of each step (docs/images/staff-publish-*.png
were made so)."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from machiplan.reports.models import PublishedReport, ReportRun

from .conftest import axe_violations
from .test_staff_journeys import PLAN, sign_in, site  # noqa: F401  (site: the fixture)

WIDTHS = (1280, 390)
GENERATION_SECONDS = 240  # the PDF of the whole plan takes a while on a slow machine


def checked(page, width: int, name: str, element=None) -> None:
    """axe-core finds nothing, the page does not scroll sideways, and a screenshot if asked for."""
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    if folder := os.environ.get("MACHIPLAN_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"staff-publish-{name}-{width}.png")
        (element or page).screenshot(path=path, **({} if element else {"full_page": True}))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_generates_previews_and_publishes_the_report(site, page, settings, tmp_path, width):  # noqa: F811
    settings.DATA_DIR = tmp_path / "data"  # this test's own published versions
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, site, "tanaka")
    page.get_by_role("navigation", name="計画", exact=True).get_by_role("link", name="報告書").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("報告書")
    expect(page.locator("main")).to_contain_text("まだ公開していません。")
    checked(page, width, "reports")

    page.get_by_label("評価する年度").select_option("2017")
    page.get_by_role("button", name="報告書を作成").click()
    page.wait_for_url(re.compile(rf"/staff/plans/{PLAN}/reports/[0-9a-f-]{{36}}/$"))
    assert "報告書の作成を始めました" in page.get_by_role("status").first.inner_text()
    if page.locator("#run-progress").count():  # still under way: the bar and the step are shown
        assert page.locator("progress#run-bar").count() == 1
        checked(page, width, "progress")
    # the page follows the generation by itself and shows the files once it is done
    page.locator("#run-state", has_text="完了").wait_for(timeout=GENERATION_SECONDS * 1000)
    run = ReportRun.objects.get()
    assert run.state == "done" and run.fy == 2017
    assert page.locator("#run-progress").count() == 0
    checked(page, width, "done")

    with page.expect_response(lambda r: r.url.endswith("/files/report.pdf")) as pdf:
        page.evaluate("url => fetch(url)", f"/staff/plans/{PLAN}/reports/{run.pk}/files/report.pdf")
    assert pdf.value.status == 200 and pdf.value.body().startswith(b"%PDF")
    page.get_by_role("link", name="報告書を表示（HTML）").click()  # the preview
    expect(page.locator("body")).to_contain_text("市民まちづくり活動促進基本計画")
    page.go_back()

    page.get_by_role("link", name="公開する").click()
    expect(page.locator("main")).to_contain_text(
        "平成29年度 (2017)の報告書を第1版として、本日付けで公開します"
    )
    assert not PublishedReport.objects.exists()  # asking is not publishing
    checked(page, width, "confirm")
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_role("status")).to_contain_text("平成29年度 (2017)の報告書 第1版を公開しました。")
    assert PublishedReport.objects.get().version == 1
    checked(page, width, "published")

    cache.clear()
    page.goto(f"{site}/plans/{PLAN}/")
    reports = page.locator("section.published-reports")
    today = timezone.localdate().isoformat()
    assert f"第1版（{today}公開）" in reports.inner_text()
    assert "より新しい内容があります" not in reports.inner_text()
    link = reports.get_by_role("link", name="PDF")
    assert link.get_attribute("href") == f"/plans/{PLAN}/reports/2017/v1/report.pdf"
    checked(page, width, "public", reports)

    # a figure of the year approved after publication: the version stays, the page says a newer draft exists
    from django.contrib.auth import get_user_model

    from machiplan.staff.services import entries

    users = get_user_model().objects
    where = {"plan_code": PLAN, "indicator_code": "1b", "fy": 2017}
    entries.entry_save(user=users.get(username="sato"), figure=entries.Figure("actual", Decimal("71.0")),
                       revision=0, submit=True, **where)  # fmt: skip
    entries.entry_approve(user=users.get(username="tanaka"), revision=2, **where)
    cache.clear()
    page.goto(f"{site}/plans/{PLAN}/")
    reports = page.locator("section.published-reports")
    assert "この版の公開後に承認された数値が 1件あり、より新しい内容があります" in reports.inner_text()
    assert f"第1版（{today}公開）" in reports.inner_text() and PublishedReport.objects.count() == 1
    checked(page, width, "newer", reports)
    page.goto(f"{site}/plans/{PLAN}/?lang=en")
    assert "a newer draft exists" in page.locator("section.published-reports").inner_text()
    assert axe_violations(page) == []
