"""A figure's way from an editor to the public, through the staff pages: drafts, checks, approval, the trail."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

from machiplan.plans.models import Observation
from machiplan.staff.models import AuditEvent, Entry

from .conftest import PLAN, edit_url, step_url


def save(client, indicator, fy, revision=0, **fields):
    data = {"kind": "actual", "revision": str(revision), **fields}
    return client.post(edit_url(indicator, fy), data)


def public_2017(client, indicator="1b"):
    cache.clear()
    plan = client.get(f"/api/plans/{PLAN}/").json()
    ind = next(i for i in plan["indicators"] if i["code"] == indicator)
    return next(o for o in ind["observations"] if o["fy"] == 2017)


def test_enter_submit_approve_publish(as_, client):
    editor, owner = as_("editor"), as_("owner")
    assert public_2017(client)["kind"] == "pending"  # 今後調査 in the sheet

    response = save(editor, "1b", 2017, value="70.9", data_source="町内会調査", note="4月1日現在")
    assert response.status_code == 302
    entry = Entry.objects.get(indicator__code="1b", fy=2017)
    assert (entry.status, entry.revision, entry.value.normalize()) == ("draft", 1, Decimal("70.9"))
    assert public_2017(client)["kind"] == "pending"  # a draft is not public

    assert editor.post(step_url("1b", 2017, "submit"), {"revision": "1"}).status_code == 302
    assert Entry.objects.get(pk=entry.pk).status == "submitted"
    assert public_2017(client)["kind"] == "pending"  # neither is a submitted figure

    review = owner.get(f"/staff/plans/{PLAN}/review/").content.decode()
    assert "70.9%" in review and "町内会加入率" in review
    assert owner.post(step_url("1b", 2017, "approve"), {"revision": "2"}).status_code == 302

    published = public_2017(client)
    assert published["kind"] == "actual" and published["value"] in ("70.9", 70.9)
    obs = Observation.objects.get(indicator__code="1b", fy=2017)
    assert obs.source.startswith("出典: 町内会調査; machiplan: approved 20")
    assert obs.source.endswith("(entered via web)") and "owner" not in obs.source  # people stay in the trail
    assert "70.9" in client.get(f"/plans/{PLAN}/indicators/1b/").content.decode()

    trail = list(AuditEvent.objects.filter(indicator_code="1b").values_list("actor", "action", "state"))
    assert trail == [
        ("editor", "save", "draft"),
        ("editor", "submit", "submitted"),
        ("owner", "approve", "approved"),
    ]
    history = editor.get(f"/staff/plans/{PLAN}/indicators/1b/history/").content.decode()
    assert history.count("<tr>") >= 4 and "今後調査" in history and "70.9%" in history
    assert "実績等 75件・目標値 20件" in history  # the load that brought the plan in


def test_return_needs_a_comment_and_goes_back_to_the_editor(as_):
    editor, owner = as_("editor"), as_("owner")
    save(editor, "3a", 2017, value="33.0")
    editor.post(step_url("3a", 2017, "submit"), {"revision": "1"})
    owner.post(step_url("3a", 2017, "return"), {"revision": "2", "comment": ""})
    assert Entry.objects.get(indicator__code="3a").status == "submitted"  # no comment, no return
    owner.post(step_url("3a", 2017, "return"), {"revision": "2", "comment": "調査年度を確認してください"})
    entry = Entry.objects.get(indicator__code="3a")
    assert (entry.status, entry.comment) == ("returned", "調査年度を確認してください")
    page = editor.get(f"/staff/plans/{PLAN}/indicators/3a/").content.decode()
    assert "差戻し" in page and "調査年度を確認してください" in page
    home = editor.get(f"/staff/plans/{PLAN}/").content.decode()  # and it waits for them on their first page
    assert (
        "差し戻された値" in home
        and "/indicators/3a/2017/edit/" in home
        and "調査年度を確認してください（owner）" in home
    )
    assert "差し戻された値" not in as_("other_editor").get(f"/staff/plans/{PLAN}/").content.decode()
    assert AuditEvent.objects.filter(action="return", comment="調査年度を確認してください").count() == 1


@pytest.mark.parametrize(("typed", "stored"), [("70.9%", "70.9"), ("７０．９％", "70.9"), ("70.9", "70.9")])
def test_a_value_may_be_followed_by_its_indicators_unit(as_, typed, stored):
    """70.9% for a % indicator, as a spreadsheet shows it (the bulk upload reads such a cell the same way)."""
    assert save(as_("editor"), "1b", 2017, value=typed).status_code == 302
    assert Entry.objects.get(indicator__code="1b", fy=2017).value.normalize() == Decimal(stored)


def test_a_value_followed_by_another_unit_is_not_a_number(as_):
    response = save(as_("editor"), "1b", 2017, value="70.9人")  # 1b is a %
    assert response.status_code == 200 and "数値を入力してください" in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("indicator", "fields", "field", "message"),
    [
        ("1b", {"value": "120"}, "value", "％の値は0〜100の範囲"),
        ("1b", {"kind": "interim", "value": "70", "as_of": "2019-01-10"}, "as_of", "の外です"),
        (
            "3c",
            {"value": "1300", "breakdown": "新規100、継続150"},
            "breakdown",
            "内訳の合計 250 が値 1,300 と一致しません",
        ),
        ("3b", {"value": "50"}, "value", "累計の値 50 が平成28年度の 62 を下回っています"),
        ("1b", {"value": "七十"}, "value", "数値を入力してください"),
    ],
)
def test_field_errors_refuse_the_save(as_, indicator, fields, field, message):
    response = save(as_("editor"), indicator, 2017, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    described = re.search(
        f'id="id_{field}"[^>]*aria-describedby="([^"]*)"|aria-describedby="([^"]*)"[^>]*id="id_{field}"', page
    )
    assert described and f"id_{field}_error" in (described.group(1) or described.group(2)).split()
    assert 'aria-invalid="true"' in page  # read out with the field, after its help
    assert not Entry.objects.exists() and not AuditEvent.objects.exclude(action__in=["load", "role"]).exists()


def test_an_unusual_change_needs_a_confirming_reason(as_):
    editor = as_("editor")
    response = save(editor, "1b", 2017, value="60.0")
    page = response.content.decode()
    assert response.status_code == 200 and "これまでの変化の幅" in page and 'name="reason"' in page
    assert not Entry.objects.exists()
    assert save(editor, "1b", 2017, value="60.0", reason="調査方法の変更（全戸調査へ）").status_code == 302
    event = AuditEvent.objects.get(action="save")
    assert event.reason == "調査方法の変更（全戸調査へ）" and event.new["value"] == "60"


def test_two_people_editing_the_same_figure_lose_nothing(as_, people):
    first, second = as_("editor"), as_("owner")
    # both open the form at revision 0; the first saves
    assert save(first, "1b", 2017, value="70.9").status_code == 302
    response = save(second, "1b", 2017, revision=0, value="70.5")
    assert response.status_code == 200 and "ほかの人が変更しました" in response.content.decode()
    entry = Entry.objects.get()
    assert (entry.value.normalize(), entry.revision) == (Decimal("70.9"), 1)
    # a stale approval is refused too
    first.post(step_url("1b", 2017, "submit"), {"revision": "1"})
    second.post(step_url("1b", 2017, "approve"), {"revision": "1"})
    assert Entry.objects.get().status == "submitted"


def test_the_audit_trail_cannot_be_changed(as_):
    save(as_("editor"), "1b", 2017, value="70.9")
    event = AuditEvent.objects.get(action="save")
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = 'x'")  # the database refuses it too
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_loading_a_plan_is_recorded_as_approved(people):
    load = AuditEvent.objects.get(action="load", plan_code=PLAN)
    assert load.state == "approved" and load.subject == "embedded:sapporo"
    assert load.new["observations"] == Observation.objects.filter(indicator__plan__code=PLAN).count()
    assert Observation.objects.filter(indicator__code="1a", fy=2013).get().source  # provenance kept


def test_english_switch_is_remembered(as_):
    editor = as_("editor")
    page = editor.get(f"/staff/plans/{PLAN}/?lang=en")
    assert "Your indicators" in page.content.decode() and page.cookies["machiplan_lang"].value == "en"
    assert "Your indicators" in editor.get(f"/staff/plans/{PLAN}/").content.decode()
    response = save(editor, "1b", 2017, value="120")
    assert "A percentage must be between 0 and 100" in response.content.decode()


def test_the_owner_approves_many_at_once_all_or_none(as_, client):
    editor, owner = as_("editor"), as_("owner")
    for code, value in (("1b", "70.9"), ("3a", "33.0"), ("3c", "1250")):
        save(editor, code, 2017, value=value)
        editor.post(step_url(code, 2017, "submit"), {"revision": "1"})
    review = f"/staff/plans/{PLAN}/review/"
    # one stale revision among the ticked: nothing to confirm, nothing is approved
    response = owner.post(review, {"scope": "selected", "item": ["1b|2017|2", "3a|2017|1"]})
    assert response.status_code == 302 and Entry.objects.filter(status="approved").count() == 0
    # … nor when it goes stale between the confirmation and the approval
    confirmed = {"scope": "selected", "confirm": "1"}
    response = owner.post(review, {**confirmed, "item": ["1b|2017|2", "3a|2017|1"]})
    assert response.status_code == 302 and Entry.objects.filter(status="approved").count() == 0
    owner.post(review, {**confirmed, "item": ["1b|2017|2", "3a|2017|2"]})
    assert sorted(Entry.objects.filter(status="approved").values_list("indicator__code", flat=True)) == [
        "1b",
        "3a",
    ]
    assert public_2017(client, "3a")["value"] in ("33", 33, "33.0")
    owner.post(review, {"scope": "all", "all": ["3c|2017|2"], "confirm": "1"})
    assert Entry.objects.filter(status="approved").count() == 3
    assert AuditEvent.objects.filter(action="approve", actor="owner").count() == 3
    assert as_("editor").post(review, {"scope": "all", "all": ["1b|2017|3"]}).status_code == 403


def test_a_plan_with_figures_awaiting_approval_is_not_replaced(as_, sapporo):
    from machiplan.domain.errors import MachiplanError
    from machiplan.plans.services import plan_load

    save(as_("editor"), "1b", 2017, value="70.9")
    with pytest.raises(MachiplanError, match="1 figure\\(s\\) entered in the app and not approved"):
        plan_load(plan=sapporo, replace=True)
    assert Entry.objects.count() == 1  # nothing was touched
    Entry.objects.all().delete()  # what an administrator does in the admin
    plan_load(plan=sapporo, replace=True)
    assert AuditEvent.objects.filter(action="load").count() == 2  # the trail outlives the replaced plan


def test_the_plans_whole_trail_filtered_and_as_csv(as_):
    editor, other = as_("editor"), as_("other_editor")
    save(editor, "1b", 2017, value="70.9")
    save(other, "1a", 2017, value="80.0")
    trail = f"/staff/plans/{PLAN}/history/"
    owner_view = as_("owner").get(trail).content.decode()
    assert ">1a</a>" in owner_view and ">1b</a>" in owner_view and "一括登録" in owner_view
    mine = editor.get(trail).content.decode()
    assert ">1b</a>" in mine and ">1a</a>" not in mine  # another department's changes are not shown
    only = as_("viewer").get(trail + "?actor=other_editor").content.decode()
    assert ">1a</a>" in only and ">1b</a>" not in only
    csv_text = as_("owner").get(trail + "?format=csv&action=save").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("日時,実施者,操作") and len(lines) == 3
    assert ",other_editor,save,draft,web,1a,2017," in csv_text and '""value"": ""80""' in csv_text


def test_the_indicator_page_shows_the_evaluation_now_and_if_approved(as_):
    editor = as_("editor")
    page = editor.get(f"/staff/plans/{PLAN}/indicators/3b/").content.decode()
    assert "公開中の値での評価" in page and 'class="badge s-roughly_on_track">概ね順調</span>' in page
    assert "承認された場合" not in page
    save(editor, "3b", 2017, value="120", reason="新設の場が集中した")
    page = editor.get(f"/staff/plans/{PLAN}/indicators/3b/").content.decode()
    assert "入力中の値が承認された場合の評価" in page
    assert page.index("s-roughly_on_track") < page.index(
        'class="badge s-achieved">達成</span>'
    )  # now, then if approved


def test_separate_approval_when_the_city_asks_for_it(as_, settings):
    owner = as_("owner")
    save(owner, "1b", 2017, value="70.9")  # an owner may enter figures too
    owner.post(step_url("1b", 2017, "submit"), {"revision": "1"})
    settings.MACHIPLAN_SEPARATE_APPROVAL = True
    assert owner.post(step_url("1b", 2017, "approve"), {"revision": "2"}).status_code == 403
    assert (
        owner.post(
            f"/staff/plans/{PLAN}/review/", {"scope": "all", "all": ["1b|2017|2"], "confirm": "1"}
        ).status_code
        == 403
    )
    assert Entry.objects.get().status == "submitted"
    assert as_("admin").post(step_url("1b", 2017, "approve"), {"revision": "2"}).status_code == 302
    assert Entry.objects.get().status == "approved"


def test_a_viewer_reads_the_review_queue_without_buttons(as_):
    editor = as_("editor")
    save(editor, "1b", 2017, value="70.9")
    editor.post(step_url("1b", 2017, "submit"), {"revision": "1"})
    page = as_("viewer").get(f"/staff/plans/{PLAN}/review/").content.decode()
    assert "70.9%" in page and "承認" in page and "<button" not in page.split("<main")[1]
    assert (
        as_("viewer").post(f"/staff/plans/{PLAN}/review/", {"scope": "all", "all": ["1b|2017|2"]}).status_code
        == 403
    )
    assert "<button" in as_("owner").get(f"/staff/plans/{PLAN}/review/").content.decode().split("<main")[1]


def test_a_year_machiplan_does_not_keep_has_no_form(as_):
    """FY0 or FY1 on the form's URL is a 404 page, not a server error (#10)."""
    owner = as_("owner")
    for fy in (0, 1, 153, 99999):
        assert owner.get(edit_url("1b", fy)).status_code == 404
        assert (
            owner.post(edit_url("1b", fy), {"kind": "actual", "value": "70", "revision": 0}).status_code
            == 404
        )
    assert not Entry.objects.exists()
