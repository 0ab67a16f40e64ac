"""What a person writes beside a figure (its source 出典, the reason an unusual change is right, a
reviewer's comment when sending it back) is held to one rule whichever way it comes in: the form,
the bulk upload or the API refuse the same text in the same words, in the page's language, and
nothing is saved."""

import pytest
from django.core.cache import cache

from machiplan.domain import limits
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import token_create

from .conftest import PLAN, edit_url, step_url
from .test_bulk import csv_line, template, upload

SOURCE, COMMENT = limits.ENTRY["data_source"], limits.ENTRY["comment"]
TOO_LONG = {
    "ja": "{limit}文字以内で入力してください（{length}文字あります）。",
    "en": "At most {limit} characters (this has {length}).",
}
CONTROL = {
    "ja": "制御文字（改行・タブを除く）は使えません。",
    "en": "Control characters (other than tabs and line breaks) cannot be kept.",
}


def _page_in(client, lang: str) -> None:
    client.get(f"/staff/plans/{PLAN}/?lang={lang}")  # the staff pages remember the language


def _api(client, user: str, path: str, body: dict, lang: str):
    key = token_create(username=user)
    return client.post(
        f"{path}?lang={lang}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )


def _nothing_saved() -> None:
    assert not Entry.objects.exists()
    assert not AuditEvent.objects.exclude(action__in=["load", "role"]).exists()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_source_longer_than_its_column_in_the_same_words_from_the_form_and_the_api(
    as_, client, people, lang
):
    message = TOO_LONG[lang].format(limit=SOURCE, length=SOURCE + 1)
    editor = as_("editor")
    _page_in(editor, lang)
    page = editor.post(
        edit_url("1b", 2017),
        {"kind": "actual", "value": "70.9", "revision": "0", "data_source": "出" * (SOURCE + 1)},
    ).content.decode()
    assert message in page  # Django's own "この値は 300 文字以下…", in Japanese on an English page, before
    answer = _api(
        client, "editor", f"/api/plans/{PLAN}/indicators/1b/observations/2017/",
        {"kind": "actual", "value": "70.9", "revision": 0, "source": "出" * (SOURCE + 1)}, lang,
    )  # fmt: skip
    assert answer.status_code == 400 and answer.json()["errors"] == {"source": [message]}
    _nothing_saved()
    editor.post(
        edit_url("1b", 2017),
        {"kind": "actual", "value": "70.9", "revision": "0", "data_source": "出" * SOURCE},
    )
    assert Entry.objects.get().data_source == "出" * SOURCE  # the limit itself is kept


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_reason_with_a_control_character_is_refused_by_the_form_the_upload_and_the_api(
    as_, client, people, lang
):
    editor = as_("editor")
    _page_in(editor, lang)
    unusual = {
        "kind": "actual",
        "value": "60.0",
        "reason": "全戸調査\x01へ",
    }  # 1b: a change that needs a reason
    page = editor.post(edit_url("1b", 2017), {**unusual, "revision": "0"}).content.decode()
    assert CONTROL[lang] in page and 'id="id_reason_error"' in page
    answer = _api(
        client,
        "editor",
        f"/api/plans/{PLAN}/indicators/1b/observations/2017/",
        {**unusual, "revision": 0},
        lang,
    )
    assert answer.status_code == 400 and CONTROL[lang] in answer.json()["errors"]["reason"][0]
    text = template(editor, "csv").decode("utf-8-sig").splitlines()
    row = next(n for n, line in enumerate(text) if line.startswith("1b,"))
    text[row] = csv_line(indicator="1b", fy="2017", kind="実績", value="60.0", reason="全戸調査\x01へ",
                         revision=text[row].rsplit(",", 1)[1])  # fmt: skip
    preview = editor.get(
        upload(editor, ("\r\n".join(text) + "\r\n").encode(), name="figures.csv")
    ).content.decode()
    # at its row and column, the column named as the file heads it
    assert f'<td class="num">2</td><td>確認理由</td><td>{CONTROL[lang]}</td>' in preview
    _nothing_saved()


def _submitted(as_) -> None:
    editor = as_("editor")
    editor.post(edit_url("3a", 2017), {"kind": "actual", "value": "33.0", "revision": "0"})
    editor.post(step_url("3a", 2017, "submit"), {"revision": "1"})
    assert Entry.objects.get(indicator__code="3a").status == "submitted"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (
            "確" * (COMMENT + 1),
            lambda lang: TOO_LONG[lang].format(limit=f"{COMMENT}", length=f"{COMMENT + 1}"),
        ),
        ("調査年度を\x07確認", lambda lang: CONTROL[lang]),
    ],
    ids=["too-long", "control-character"],
)
def test_a_return_comment_is_held_to_one_rule_by_the_page_and_the_api(
    as_, client, people, lang, comment, expected
):
    _submitted(as_)
    owner = as_("owner")
    _page_in(owner, lang)
    page = owner.post(step_url("3a", 2017, "return"), {"revision": "2", "comment": comment}, follow=True)
    assert expected(lang) in page.content.decode()
    answer = _api(
        client, "owner", f"/api/plans/{PLAN}/indicators/3a/observations/2017/return/",
        {"revision": 2, "comment": comment}, lang,
    )  # fmt: skip
    assert answer.status_code == 400 and expected(lang) in answer.json()["errors"]["comment"][0]
    assert Entry.objects.get(indicator__code="3a").status == "submitted"  # not sent back by either
    assert not AuditEvent.objects.filter(action="return").exists()
    cache.clear()
    fine = owner.post(step_url("3a", 2017, "return"), {"revision": "2", "comment": "確" * COMMENT})
    assert fine.status_code == 302 and Entry.objects.get(indicator__code="3a").status == "returned"
