"""The staff journeys in a real browser (Debian's chromium via Playwright), each page checked by axe-core."""

import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import expect

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.plans.models import Observation
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import user_add

from .conftest import axe_violations

PLAN = "sapporo-machizukuri-2"
PASSWORD = "a-long-test-password-9"


@pytest.fixture
def site(live_server, transactional_db):
    cache.clear()
    ensure_default_plan()
    user_add(username="sato", role="editor", password=PASSWORD, department="chiiki-katsudo")
    user_add(username="tanaka", role="owner", password=PASSWORD)
    return live_server.url


def sign_in(page, site, username):
    page.goto(f"{site}/staff/login/")
    assert axe_violations(page) == []
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{site}/staff/plans/{PLAN}/")


def sign_out(page):
    page.get_by_role("button", name="ログアウト").click()


def test_editor_enters_and_submits_owner_approves_public_shows_it(site, page):
    sign_in(page, site, "sato")
    assert axe_violations(page) == []
    page.get_by_role("link", name="町内会加入率").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="入力・修正 平成29年度 (2017)").click()

    # a mistake first: the message is at the field, and the field is marked
    page.get_by_label("値（%）").fill("170.9")
    page.get_by_role("button", name="下書き保存").click()
    assert (
        page.locator("#id_value_error").inner_text()
        == "％の値は0〜100の範囲で入力してください（入力: 170.9）。"
    )
    assert axe_violations(page) == []
    assert not Entry.objects.exists()

    page.get_by_label("値（%）").fill("70.9")
    page.get_by_label("出典").fill("町内会・自治会実態調査")
    page.get_by_role("button", name="下書き保存").click()
    expect(page.get_by_role("status")).to_contain_text("下書きを保存しました")
    page.get_by_role("button", name="提出 平成29年度 (2017)").click()
    expect(page.get_by_role("status")).to_contain_text("提出しました")
    assert page.locator("#fy-2017").get_by_text("承認待ち").is_visible()
    sign_out(page)

    sign_in(page, site, "tanaka")
    page.get_by_role("link", name="承認待ちの一覧").first.click()
    assert axe_violations(page) == []
    expect(page.locator("table")).to_contain_text("70.9%")
    page.get_by_role("button", name="承認 1b 平成29年度 (2017)").click()
    expect(page.get_by_role("status")).to_contain_text("承認しました")

    cache.clear()  # rather than wait the second a public page may lag
    page.goto(f"{site}/plans/{PLAN}/indicators/1b/")
    assert "70.9%" in page.locator("main").inner_text()
    assert Observation.objects.get(indicator__code="1b", fy=2017).kind == "actual"

    page.goto(f"{site}/staff/plans/{PLAN}/indicators/1b/history/")
    assert axe_violations(page) == []
    trail = page.locator("table.trail tbody").inner_text()
    assert "sato" in trail and "tanaka" in trail and "承認" in trail


def test_an_editor_is_refused_another_departments_indicator(site, page):
    sign_in(page, site, "sato")
    assert page.get_by_role("link", name="市民まちづくり活動に参加したことのある人の割合").count() == 0
    response = page.goto(f"{site}/staff/plans/{PLAN}/indicators/1a/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "この操作の権限がありません。"
    assert axe_violations(page) == []
    assert page.goto(f"{site}/staff/plans/{PLAN}/indicators/1a/2017/edit/").status == 403


def test_a_bulk_upload_with_errors_shows_them_and_saves_nothing(site, page, tmp_path):
    sign_in(page, site, "sato")
    page.get_by_role("link", name="一括入力").click()
    assert axe_violations(page) == []
    page.get_by_label("年度").select_option("2017")
    with page.expect_download() as download:
        page.get_by_role("button", name="ダウンロード").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == f"{PLAN}-chiiki-katsudo-FY2017.xlsx"

    book = load_workbook(template)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    kind, value = header.index("種別"), header.index("値")
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "1b":
            row[kind].value, row[value].value = "実績", "70.9"  # fine
        if row[0].value == "3b":
            assert row[header.index("前年度の値")].value == "62"  # the year before, to compare with
            row[kind].value, row[value].value = "実績", "50"  # a running total below 62 of FY2016
    buffer = io.BytesIO()
    book.save(buffer)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(buffer.getvalue())

    page.get_by_label("ファイル").set_input_files(str(filled))
    page.get_by_role("button", name="内容を確認").click()
    expect(page.get_by_role("alert")).to_contain_text("誤りがあるため保存できません")
    errors = page.locator("table.bulk-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.inner_text().split("\t")[:2] == ["4", "値"]
    assert page.get_by_role("button", name="保存する").count() == 0
    assert axe_violations(page) == []
    assert not Entry.objects.exists() and not AuditEvent.objects.filter(via="bulk").exists()


def test_staff_pages_in_english_pass_axe(site, page):
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from machiplan.staff.services import entries

    users = get_user_model().objects
    where = {"plan_code": PLAN, "indicator_code": "3a", "fy": 2017}
    entries.entry_save(
        user=users.get(username="sato"), figure=entries.Figure("actual", Decimal("33")), revision=0, **where
    )
    entries.entry_submit(user=users.get(username="sato"), revision=1, **where)
    entries.entry_return(
        user=users.get(username="tanaka"), revision=2, comment="出典を書いてください", **where
    )
    sign_in(page, site, "sato")  # the returned figure waits on the editor's first page
    assert (
        "出典を書いてください"
        in page.get_by_role("region", name="差し戻された値（修正して再提出してください）").inner_text()
    )
    assert axe_violations(page) == []
    sign_out(page)
    sign_in(page, site, "tanaka")
    for path in [f"/staff/plans/{PLAN}/?lang=en", f"/staff/plans/{PLAN}/structure/", f"/staff/plans/{PLAN}/structure/indicators/1b/",
                 f"/staff/plans/{PLAN}/indicators/3b/2017/edit/", f"/staff/plans/{PLAN}/bulk/",
                 f"/staff/plans/{PLAN}/history/", f"/staff/plans/{PLAN}/review/", f"/staff/plans/{PLAN}/structure/nodes/1/",
                 f"/staff/plans/{PLAN}/structure/plan/", f"/staff/plans/{PLAN}/structure/add-node/?parent=2",
                 "/staff/password/", f"/staff/plans/{PLAN}/structure/", f"/staff/plans/{PLAN}/structure/indicators/4c/delete/"]:  # fmt: skip
        assert page.goto(site + path).status == 200
        assert page.evaluate("document.documentElement.lang") == "en"
        assert axe_violations(page) == [], path


def test_an_owner_adds_a_node_and_hangs_an_indicator_on_it(site, page):
    from machiplan.plans.models import IndicatorNode, Node

    sign_in(page, site, "tanaka")
    page.get_by_role("link", name="計画の構成").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="下に項目を追加: 1 参加").click()
    assert page.locator("#id_node-parent").input_value() == "1"
    page.locator("#id_node-code").fill("1-4")
    page.locator("#id_node-number").fill("(4)")
    page.locator("#id_node-name").fill("オンラインでの参加の促進")
    page.locator("#id_initiatives-0-text").fill("オンライン説明会の開催")
    assert axe_violations(page) == []
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("保存しました")
    node = Node.objects.get(plan__code=PLAN, code="1-4")
    assert node.parent.code == "1" and node.initiatives.get().text == "オンライン説明会の開催"

    page.get_by_role("link", name="1c ", exact=False).first.click()  # the indicator, on the tree
    page.locator("#id_nodes-1-node").select_option("1-4")
    assert axe_violations(page) == []
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("保存しました")
    links = IndicatorNode.objects.filter(indicator__plan__code=PLAN, indicator__code="1c").order_by("order")
    assert [link.node.code for link in links] == ["1", "1-4"]  # its home first
    assert AuditEvent.objects.filter(action="structure").count() == 2

    cache.clear()
    page.goto(f"{site}/plans/{PLAN}/nodes/1-4/")
    main = page.locator("main").inner_text()
    assert "オンラインでの参加の促進" in main and "さぽーとほっと基金寄附件数" in main  # 1c, now under it too


def test_an_owner_previews_and_saves_another_evaluation_method(site, page):
    """At 1280 and 390 px: the method page, its preview of the statuses that change, then the save.
    MACHIPLAN_DOC_IMAGES=docs/images keeps docs/web.md's screenshots of the preview."""
    import os
    from pathlib import Path

    from machiplan.plans.models import Plan

    folder = os.environ.get("MACHIPLAN_DOC_IMAGES")
    sign_in(page, site, "tanaka")
    page.get_by_role("link", name="計画の構成").click()
    page.get_by_role("link", name="評価の方法").click()
    assert axe_violations(page) == []
    page.get_by_label("評価の方法を選ぶ").select_option("achievement_bands")
    page.get_by_role("button", name="この方法の設定を表示").click()
    assert page.get_by_label("達成率の計算方法").input_value() == "progress"
    page.get_by_role("button", name="変更を確認").click()
    page.wait_for_load_state()
    page.wait_for_selector("#changed-indicators")
    changes = page.locator("#changed-indicators tbody tr")
    assert changes.count() == 14
    assert page.locator('#changed-indicators tr[data-indicator="2e"]').inner_text().split("\t")[1:] == [
        "▲ 順調",
        "◆ C 一部達成",
    ]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if folder:
            top = page.locator("#preview-heading").evaluate(
                "e => e.getBoundingClientRect().top + window.scrollY"
            )
            page.screenshot(
                path=str(Path(folder) / f"staff-method-preview-{width}.png"),
                full_page=True,
                clip={"x": 0, "y": max(0, top - 12), "width": width, "height": 1100 if width > 400 else 1500},
            )
    page.get_by_role("button", name="この方法で保存").click()
    expect(page.get_by_role("status")).to_contain_text("評価の方法を保存しました")
    assert Plan.objects.get(code=PLAN).method_name == "achievement_bands"
    assert AuditEvent.objects.filter(action="method").count() == 1


def test_an_owner_imports_next_years_table_through_its_preview(live_server, transactional_db, page, tmp_path):
    """At 1280 and 390 px: the upload, the preview (what it reads, changes and guesses, the mapping as
    a form), then the import — nothing written before it. MACHIPLAN_DOC_IMAGES=docs/images keeps
    docs/web.md's screenshots of the preview."""
    import os
    from pathlib import Path

    from machiplan.plans.models import Indicator, Plan
    from machiplan.plans.services.table_import import table_preview, table_save
    from machiplan.tables import PlanFacts
    from tests.tables import sheets

    code = "urakawa-sousei"
    cache.clear()
    name, data = sheets.urakawa_r4()
    table_save(table_preview(data=data, name=name, facts=PlanFacts(code=code, municipality_code="016071")))
    user_add(username="kimura", role="owner", plan=code, password=PASSWORD)
    folder = os.environ.get("MACHIPLAN_DOC_IMAGES")
    site = live_server.url

    page.goto(f"{site}/staff/login/")
    page.get_by_label("ユーザー名").fill("kimura")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"{site}/staff/plans/{code}/structure/")
    page.get_by_role("link", name="表の取込み").click()
    assert axe_violations(page) == []
    assert "前回の取込みの対応表があります" in page.content()
    sheet = tmp_path / "令和5年度.xlsx"
    sheet.write_bytes(sheets.urakawa_r5()[1])
    page.get_by_label("表のファイル").set_input_files(str(sheet))
    before = (Indicator.objects.filter(plan__code=code).count(), Plan.objects.get(code=code).import_mapping)
    page.get_by_role("button", name="内容を確認").click()
    page.wait_for_selector("#mapping-heading")
    assert "まだ何も保存していません" in page.content()
    assert (
        Indicator.objects.filter(plan__code=code).count(),
        Plan.objects.get(code=code).import_mapping,
    ) == before
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        if folder:
            page.screenshot(path=str(Path(folder) / f"staff-table-preview-{width}.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="この内容で取り込む").click()
    expect(page.get_by_role("status")).to_contain_text("表を取り込みました")
    assert axe_violations(page) == []
    assert Indicator.objects.filter(plan__code=code).count() == before[0] + 1  # the KPI the sheet adds
    assert AuditEvent.objects.filter(action="load", via="web").count() == 1
