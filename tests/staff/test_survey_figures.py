"""A survey share's own error (回答数, 誤差, デザイン効果) through every way in — the form, the bulk
template and the write API — with the same rules and messages, approved into the published figure,
carried by the package and used by the evaluation."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from machiplan.domain.evaluation import evaluate_plan
from machiplan.interchange import entry_sheet
from machiplan.interchange.package import read_package_result
from machiplan.plans.models import Observation
from machiplan.plans.selectors import plan_data
from machiplan.plans.services import plan_export
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import token_create

from .conftest import PLAN, edit_url, step_url

SURVEY = "1a"  # 市民まちづくり活動に参加したことのある人の割合: a survey share (市民自治推進課)
RECORDS = "1b"  # 町内会加入率: a share from records, not a survey (地域活動推進課)


def test_the_form_asks_a_survey_share_for_its_sample_and_keeps_it(as_):
    owner = as_("owner")
    fields = owner.get(edit_url(SURVEY, 2019)).context["form"].fields
    assert {"sample_size", "margin", "design_effect"} <= set(fields)
    assert fields["sample_size"].label == "回答数" and fields["margin"].label == "誤差"
    assert "sample_size" not in owner.get(edit_url(RECORDS, 2019)).context["form"].fields  # not a survey
    saved = owner.post(
        edit_url(SURVEY, 2019),
        {"kind": "actual", "value": "30.2", "sample_size": "1,523", "design_effect": "1.4", "revision": "0"},
    )
    assert saved.status_code == 302, saved.content.decode()
    entry = Entry.objects.get(indicator__code=SURVEY, fy=2019)
    assert (entry.sample_size, entry.margin, entry.design_effect) == (1523, None, Decimal("1.4"))
    assert AuditEvent.objects.filter(action="save").get().new["design_effect"] == "1.4"


def test_the_forms_refusals_name_the_field_in_the_persons_language(as_):
    owner = as_("owner")
    for data, field, words in (
        ({"sample_size": "1.5"}, "sample_size", "整数を入力してください"),
        ({"sample_size": "0"}, "sample_size", "回答数は1〜100,000,000の整数"),
        ({"margin": "60"}, "margin", "誤差は0より大きい値"),
        ({"design_effect": "1.2"}, "design_effect", "デザイン効果は回答数とともに"),
    ):
        page = owner.post(
            edit_url(SURVEY, 2019), {"kind": "actual", "value": "30.2", "revision": "0", **data}
        )
        text = page.content.decode()
        assert page.status_code == 200 and f'id="id_{field}_error"' in text and words in text, data
    assert not Entry.objects.exists()


def test_approved_the_sample_is_published_exported_and_judged(as_, tmp_path):
    owner = as_("owner")
    owner.post(edit_url(SURVEY, 2019), {"kind": "actual", "value": "30.2", "sample_size": "1523",
                                        "margin": "2.3", "revision": "0"})  # fmt: skip
    owner.post(step_url(SURVEY, 2019, "submit"), {"revision": "1"})
    owner.post(step_url(SURVEY, 2019, "approve"), {"revision": "2"})
    published = Observation.objects.get(indicator__code=SURVEY, fy=2019)
    assert (published.sample_size, published.margin) == (1523, Decimal("2.3"))
    plan_export(code=PLAN, out=tmp_path)
    assert "sample_size" in (tmp_path / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    exported = read_package_result(tmp_path).plan
    figure = next(i for i in exported.indicators if i.code == SURVEY).observation(2019)
    assert (figure.sample_size, figure.margin, figure.design_effect) == (1523, Decimal("2.3"), None)
    judged = evaluate_plan(plan_data(PLAN), evaluation_fy=2019).indicators[SURVEY].headline
    assert judged.margin is not None and abs(judged.margin - 2.3) < 1e-9  # the survey's own margin, as given


def test_the_bulk_template_carries_the_sample_and_refuses_what_the_form_refuses(as_):
    owner = as_("owner")
    book = load_workbook(
        io.BytesIO(owner.get(f"/staff/plans/{PLAN}/bulk/template/?fy=2019&format=xlsx").content)
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert {"回答数", "誤差", "デザイン効果"} <= set(header)
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == SURVEY:
            row[header.index("種別")].value, row[header.index("値")].value = "実績", "30.2"
            row[header.index("回答数")].value, row[header.index("誤差")].value = "1,523", "abc"
    out = io.BytesIO()
    book.save(out)
    upload = owner.post(f"/staff/plans/{PLAN}/bulk/", {"file": _file(out.getvalue())})
    preview = owner.get(upload["Location"]).content.decode()
    assert "誤差「abc」は数値ではありません" in preview
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == SURVEY:
            row[header.index("誤差")].value = "2.3"
    out = io.BytesIO()
    book.save(out)
    upload = owner.post(f"/staff/plans/{PLAN}/bulk/", {"file": _file(out.getvalue())})
    owner.post(upload["Location"])
    entry = Entry.objects.get(indicator__code=SURVEY, fy=2019)
    assert (entry.sample_size, entry.margin) == (1523, Decimal("2.3"))
    again = load_workbook(
        io.BytesIO(owner.get(f"/staff/plans/{PLAN}/bulk/template/?fy=2019&format=xlsx").content)
    )
    row = next(dict(zip(entry_sheet.KEYS, r, strict=True)) for r in again.active.iter_rows(min_row=2, values_only=True)
               if r[0] == SURVEY)  # fmt: skip
    assert (row["sample_size"], row["margin"]) == ("1523", "2.3")


def test_the_api_takes_the_sample_with_the_same_rules(people, client):
    key = token_create(username="owner")
    auth = {"Authorization": f"Token {key}"}
    url = f"/api/plans/{PLAN}/indicators/{SURVEY}/observations/2019/"
    bad = client.post(url, {"kind": "actual", "value": 30.2, "sample_size": 0, "revision": 0},
                      content_type="application/json", headers=auth)  # fmt: skip
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["sample_size"]
    assert "回答数は1〜100,000,000の整数" in bad.json()["errors"]["sample_size"][0]
    not_whole = client.post(url, {"kind": "actual", "value": 30.2, "sample_size": "12.5", "revision": 0},
                            content_type="application/json", headers=auth)  # fmt: skip
    assert not_whole.status_code == 400 and "whole number" in not_whole.content.decode()
    saved = client.post(url, {"kind": "actual", "value": 30.2, "sample_size": 1523, "margin": "2.3", "revision": 0},
                        content_type="application/json", headers=auth)  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["figure"]["sample_size"] == 1523 and saved.json()["figure"]["margin"] == "2.3"
    schema = client.get("/api/openapi.json").json()
    body = schema["paths"]["/api/plans/{code}/indicators/{indicator}/observations/{fy}/"]["post"][
        "requestBody"
    ]
    properties = body["content"]["application/json"]["schema"]["properties"]
    assert {"sample_size", "margin", "design_effect"} <= set(properties)
    assert properties["sample_size"]["type"] == ["integer", "string", "null"]


def _file(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sapporo.xlsx", content)
