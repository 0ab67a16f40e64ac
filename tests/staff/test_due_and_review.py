"""What editors see is due and what the owner sees when approving (issue #14, items 9 and 10): the
owner's deadlines, the due list on the first page, the entry form's year before and usual range,
保存して提出 in one step and the messages that say what happened, the review queue's context and the
confirmation before approving many, and the refusal page in the person's language with the menu.
Through HTTP, as the staff use them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from django.utils import timezone

from machiplan.staff.models import AuditEvent, Deadline, Entry

from .conftest import PASSWORD, PLAN, edit_url
from .test_bulk import fill_xlsx, template, upload

P = f"/staff/plans/{PLAN}"
DUE = "2030-06-30"


def messages_of(response) -> list[str]:
    return re.findall(r'<p class="msg [^"]*">([^<]*)</p>', response.content.decode())


def due_codes(page: str) -> list[str]:
    """The indicators listed as still to enter, in order."""
    section = re.search(r'<section class="due.*?</section>', page, re.S)
    assert section, "no due list on the page"
    return re.findall(r"/indicators/([^/]+)/2017/edit/", section.group(0))


@pytest.fixture
def deadline(as_):
    response = as_("owner").post(f"{P}/deadlines/", {"fy": "2017", "due": DUE}, follow=True)
    assert messages_of(response) == ["平成29年度 (2017)の提出期限を 2030-06-30 にしました。"]
    return dt.date.fromisoformat(DUE)


# --- deadlines and what is due ----------------------------------------------------------------------


def test_the_owner_sets_the_deadline_and_it_is_in_the_trail(as_, deadline):
    owner = as_("owner")
    row = Deadline.objects.get()
    assert (row.plan_code, row.fy, row.due, row.set_by.username) == (PLAN, 2017, deadline, "owner")
    page = owner.get(f"{P}/deadlines/").content.decode()
    assert '<th scope="row">平成29年度 (2017)</th><td>2030-06-30</td><td>owner</td>' in page
    [event] = AuditEvent.objects.filter(action="deadline")
    assert (event.actor, event.fy, event.new, event.old) == ("owner", 2017, {"due": DUE}, None)
    moved = owner.post(f"{P}/deadlines/", {"fy": "2017", "due": "2030-05-31"}, follow=True)
    assert messages_of(moved) == ["平成29年度 (2017)の提出期限を 2030-05-31 にしました。"]
    assert AuditEvent.objects.filter(action="deadline").last().old == {"due": DUE}
    empty = owner.post(f"{P}/deadlines/", {"fy": "2017", "due": ""})
    assert empty.status_code == 200 and Deadline.objects.get().due == dt.date(2030, 5, 31)  # a day is needed
    cleared = owner.post(f"{P}/deadlines/", {"fy": "2017", "clear": "1"}, follow=True)
    assert messages_of(cleared) == ["平成29年度 (2017)の提出期限を取り消しました。"]
    assert not Deadline.objects.exists()
    assert as_("editor").post(f"{P}/deadlines/", {"fy": "2017", "due": DUE}).status_code == 403
    assert not Deadline.objects.exists()


def test_an_editor_s_first_page_lists_what_is_still_to_enter_with_the_deadline(as_, deadline):
    editor = as_("editor")
    home = editor.get("/staff/", follow=True)  # one plan: the first page is the plan's
    page = home.content.decode()
    assert home.redirect_chain[-1][0] == f"{P}/"
    assert "平成29年度 (2017)の入力予定" in page and f"提出期限: <strong>{DUE}</strong>" in page
    days = (deadline - timezone.localdate()).days
    assert f"（あと{days}日）" in page and "未入力 3件" in page
    assert due_codes(page) == ["1b", "3b", "3c"]  # 3a's FY2017 actual is published already
    assert "<small>単位: %</small>" in page and "<small>単位: 件</small>" in page
    # another department's editor is asked for their own indicators only
    other = due_codes(as_("other_editor").get(f"{P}/").content.decode())
    assert other and not {"1b", "3a", "3b", "3c"} & set(other)
    # a draft is still to enter; a submitted actual is not
    editor.post(edit_url("1b", 2017), {"kind": "actual", "value": "71.0", "revision": "0", "then": "draft"})
    page = editor.get(f"{P}/").content.decode()
    assert due_codes(page) == ["1b", "3b", "3c"] and '<span class="state st-draft">下書き</span>' in page
    editor.post(edit_url("1b", 2017), {"kind": "actual", "value": "71.0", "revision": "1", "then": "submit"})
    page = editor.get(f"{P}/").content.decode()
    assert due_codes(page) == ["3b", "3c"] and "未入力 2件" in page
    # a value so far (状況) still awaits the year's actual
    editor.post(edit_url("3b", 2017), {"kind": "interim", "value": "63", "as_of": "2017-09-30", "revision": "0",
                                       "then": "submit"})  # fmt: skip
    assert Entry.objects.get(indicator__code="3b").status == "submitted"
    assert due_codes(editor.get(f"{P}/").content.decode()) == ["3b", "3c"]
    english = editor.get(f"{P}/?lang=en").content.decode()
    assert "To enter for" in english and f"{days} days left" in english and "2 to enter" in english


def test_a_passed_deadline_is_flagged_and_a_year_all_entered_says_so(as_):
    owner = as_("owner")
    owner.post(f"{P}/deadlines/", {"fy": "2017", "due": "2018-06-30"})
    page = as_("editor").get(f"{P}/").content.decode()
    assert '<section class="due overdue"' in page and "期限超過" in page
    for code, value in (("1b", "71.0"), ("3b", "63"), ("3c", "1250")):
        as_("editor").post(edit_url(code, 2017), {"kind": "actual", "value": value, "revision": "0",
                                                  "reason": "確認済み", "then": "submit"})  # fmt: skip
    page = as_("editor").get(f"{P}/").content.decode()
    assert "平成29年度 (2017)の数値は、すべて入力・提出済みです。" in page and "期限超過" not in page


def test_the_home_page_of_a_person_in_two_plans_says_what_is_due_in_each(as_, people, sapporo, deadline):
    from machiplan.plans.services import plan_load
    from machiplan.staff.services.people import user_add

    plan_load(plan=replace(sapporo, code="second-plan", title="第2の計画"), source="test")
    both = user_add(username="owner_ab", role="owner", password=PASSWORD)  # no plan named: every plan
    from django.test import Client

    client = Client()
    client.force_login(both)
    page = client.get("/staff/").content.decode()
    assert page.count('href="/staff/plans/') >= 2 and "第2の計画" in page
    row_a = re.search(rf'<tr><td><a href="/staff/plans/{PLAN}/">.*?</tr>', page, re.S).group(0)
    assert "平成29年度 (2017)の入力予定" in row_a and f"<small>{DUE}</small>" in row_a
    assert re.search(r"未入力 \d+件", row_a)


# --- the entry form ---------------------------------------------------------------------------------


def test_the_form_shows_the_year_before_and_the_usual_range_in_the_indicator_s_unit(as_):
    editor = as_("editor")
    share = editor.get(edit_url("1b", 2017)).content.decode()
    assert "<dt>前年度の値</dt><dd>71.1%（平成28年度 (2016)）</dd>" in share
    # a share's change is in points
    assert "70.65% 〜 71.55%" in share and "±0.45ポイント を超える変化は" in share
    count = editor.get(edit_url("3c", 2017)).content.decode()
    assert "1,178件（平成28年度 (2016)）" in count and "1,178件 〜 1,313件" in count and "±135件" in count
    english = editor.get(edit_url("1b", 2017) + "?lang=en").content.decode()
    assert "The year before" in english and "Usual range (actual)" in english and "0.45 points" in english
    assert (
        '<button type="submit" name="then" value="submit" class="secondary">Save and submit</button>'
        in english
    )


def test_save_and_submit_is_one_step_and_the_message_says_both(as_):
    editor = as_("editor")
    # beyond the usual range: the warning names the change in points, and nothing is saved yet
    warned = editor.post(
        edit_url("1b", 2017), {"kind": "actual", "value": "72", "revision": "0", "then": "submit"}
    )
    page = warned.content.decode()
    assert warned.status_code == 200 and not Entry.objects.exists()
    assert (
        "平成28年度の 71.1% から +0.9ポイント の変化は、これまでの変化の幅（±0.45ポイント）を超えています。"
        in page
    )
    done = editor.post(
        edit_url("1b", 2017),
        {"kind": "actual", "value": "72", "revision": "0", "reason": "調査方法の変更", "then": "submit"},
        follow=True,
    )
    assert messages_of(done) == [
        "保存して提出しました。承認されると公開されます。 確認した注意 1件とその理由も記録しました。"
    ]
    entry = Entry.objects.get()
    assert (entry.status, entry.revision, entry.reason) == ("submitted", 2, "調査方法の変更")
    assert len(entry.warnings) == 1 and "+0.9ポイント" in entry.warnings[0]["ja"]
    assert list(
        AuditEvent.objects.filter(indicator_code="1b").order_by("id").values_list("action", flat=True)
    ) == [
        "save",
        "submit",
    ]
    # a plain save says it is a draft, in the person's language
    draft = editor.post(edit_url("3c", 2017) + "?lang=en",
                        {"kind": "actual", "value": "1250", "revision": "0", "then": "draft"}, follow=True)  # fmt: skip
    assert messages_of(draft) == ["Draft saved. Submit it for the plan owner to check."]
    assert Entry.objects.get(indicator__code="3c").status == "draft"


def test_a_bulk_save_that_submits_says_so(as_):
    editor = as_("editor")
    filled = fill_xlsx(
        template(editor), {"1b": {"kind": "実績", "value": "70.9"}, "3b": {"kind": "実績", "value": "70"}}
    )
    submitted = editor.post(upload(editor, filled), {"submit": "1"}, follow=True)
    assert messages_of(submitted) == ["2件を保存して提出しました。承認されると公開されます。"]
    assert set(Entry.objects.values_list("status", flat=True)) == {"submitted"}
    drafts = fill_xlsx(template(editor), {"3c": {"kind": "実績", "value": "1250"}})
    saved = editor.post(upload(editor, drafts) + "?lang=en", {}, follow=True)
    assert messages_of(saved) == ["1 figures saved as drafts."]
    assert Entry.objects.get(indicator__code="3c").status == "draft"


# --- the review queue -------------------------------------------------------------------------------


def _submit(editor, code, value, **fields):
    response = editor.post(edit_url(code, 2017), {"kind": "actual", "value": value, "revision": "0",
                                                  "then": "submit", **fields})  # fmt: skip
    assert response.status_code == 302, response.content.decode()


def test_the_review_queue_shows_the_year_before_the_change_the_confirmed_warning_and_the_status(as_):
    _submit(as_("editor"), "1b", "72", reason="調査方法の変更")
    queue = as_("owner").get(f"{P}/review/").content.decode()
    row = re.search(r"<tr><td><input.*?</tr>", queue, re.S).group(0)
    assert '<td class="num">71.1%<br><small>平成28年度 (2016)</small></td>' in row  # the year before
    assert '<td class="num">+0.9ポイント</td>' in row  # the change, in the unit a share's change takes
    assert (
        "確認済みの注意:" in row
        and "+0.9ポイント の変化は、これまでの変化の幅（±0.45ポイント）を超えています" in row
    )
    assert "確認の理由: 調査方法の変更" in row
    assert '<span class="badge s-regressing">後退</span> → <span class="badge s-behind">遅れ</span>' in row
    english = as_("owner").get(f"{P}/review/?lang=en").content.decode()
    assert "Status (now → if approved)" in english and "+0.9 points" in english
    # a viewer reads the same context (and approves nothing)
    assert "+0.9ポイント" in as_("viewer").get(f"{P}/review/").content.decode()


def test_approving_many_asks_first_then_approves_them_all(as_):
    editor, owner = as_("editor"), as_("owner")
    _submit(editor, "1b", "71.0")
    _submit(editor, "3c", "1250")
    items = ["1b|2017|2|", "3c|2017|2|"]
    asked = owner.post(f"{P}/review/", {"scope": "all", "all": items})
    page = asked.content.decode()
    assert asked.status_code == 200 and "承認の確認" in page and "次の 2件を承認します。" in page
    assert "+72件" in page and "-0.1ポイント" in page  # each with its context
    assert '<button type="submit" class="primary">2件を承認する</button>' in page
    assert not Entry.objects.filter(status="approved").exists()  # asking is not approving
    approved = owner.post(f"{P}/review/", {"scope": "selected", "item": items, "confirm": "1"}, follow=True)
    assert approved.status_code == 200 and messages_of(approved)
    assert sorted(Entry.objects.filter(status="approved").values_list("indicator__code", flat=True)) == [
        "1b",
        "3c",
    ]
    assert AuditEvent.objects.filter(action="approve", actor="owner").count() == 2


def test_a_figure_changed_before_the_confirmation_is_not_asked_about(as_):
    editor, owner = as_("editor"), as_("owner")
    _submit(editor, "1b", "71.0")
    stale = owner.post(f"{P}/review/", {"scope": "selected", "item": ["1b|2017|1|"]}, follow=True)
    assert "承認の確認" not in stale.content.decode() and messages_of(stale)
    assert not Entry.objects.filter(status="approved").exists()


# --- refusals ---------------------------------------------------------------------------------------


def test_the_403_page_is_in_the_person_s_language_with_the_plan_s_menu(as_):
    editor = as_("editor")
    editor.get(f"{P}/?lang=en")  # the person chose English: remembered in a cookie
    refused = editor.get(f"{P}/deadlines/")
    page = refused.content.decode()
    assert refused.status_code == 403 and '<html lang="en">' in page
    assert "<title>You may not do this. — machiplan</title>" in page
    assert "As Department editor, editor may not open this page or do this." in page
    nav = re.search(r'<nav aria-label="Plans">.*?</nav>', page, re.S).group(0)  # the plan's menu
    assert f'href="{P}/"' in nav and f'href="{P}/bulk/"' in nav and f"/plans/{PLAN}/?lang=en" in nav
    assert "/deadlines/" not in nav and "/structure/" not in nav  # only what an editor may open
    assert "この操作の権限がありません" not in page
    japanese = as_("editor").get(f"{P}/reports/")
    text = japanese.content.decode()
    assert (
        japanese.status_code == 403 and '<html lang="ja">' in text and "この操作の権限がありません。" in text
    )
    assert "editorさんの役割（担当部署）では、このページを開くことや、この操作はできません。" in text
    assert "may not open the reports" not in text  # the services' English words are for an English page
    assert f'href="{P}/bulk/"' in text
    missing = editor.get(f"{P}/indicators/zz/")
    assert missing.status_code == 404 and "Not found." in missing.content.decode()
