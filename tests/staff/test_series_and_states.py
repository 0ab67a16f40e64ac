"""Figures of any plan through every way in: series (千葉市's 小学6年生 / 中学3年生), calendar years, forecasts
(見込) and indicators whose values are states (美馬市's 保育士資格取得) — the form, the bulk template and
the write API, with the rules of each figure checked against its own series only."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from machiplan.interchange import entry_sheet
from machiplan.interchange.package import read_package
from machiplan.plans.models import Observation
from machiplan.plans.services import plan_load
from machiplan.staff.models import AuditEvent, Entry
from machiplan.staff.services.people import token_create, user_add

from .conftest import PASSWORD

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
CHIBA, MIMA = "chiba-jisshi-2026", "mima-sougou"
DREAMS = "chiba-pi-f04-007"  # 将来の夢や目標を持っている児童生徒の割合, in 小学6年生 and 中学3年生
HEALTH = "chiba-pi-f03-001"  # 健康寿命の延伸: its own target in words, and four series
LICENCE = "1-1-4"  # (幼稚園教諭の)保育士資格取得: a state (なし → 全員取得)


@pytest.fixture
def owner(db):
    cache.clear()
    for name in ("chiba", "mima"):
        plan_load(plan=read_package(REAL / name), source=f"tests/data/real/{name}")
    user = user_add(username="kikaku", role="owner", password=PASSWORD)  # owner of both
    client = Client()
    client.force_login(user)
    return client


def edit(plan, ind, fy, series=""):
    return f"/staff/plans/{plan}/indicators/{ind}/{fy}/edit/" + (f"?series={series}" if series else "")


def test_each_series_is_entered_and_checked_on_its_own(owner):
    page = owner.get(f"/staff/plans/{CHIBA}/indicators/{DREAMS}/").content.decode()
    assert "系列: 小学6年生" in page and "系列: 中学3年生" in page and "系列: 指標そのもの" not in page
    form = owner.get(edit(CHIBA, DREAMS, 2026, "小学6年生"))
    assert form.status_code == 200 and "（小学6年生）" in form.content.decode()
    assert set(form.context["form"].fields) >= {"kind", "period", "value", "as_of", "breakdown", "note"}
    assert "text" not in form.context["form"].fields  # a number indicator: its figure is a value
    assert owner.post(edit(CHIBA, DREAMS, 2026, "小学6年生"), {"kind": "actual", "value": "85", "revision": "0"}).status_code == 302  # fmt: skip
    # 40 after 85 is unusual for 小学6年生, and nothing to compare with for 中学3年生
    unusual = owner.post(
        edit(CHIBA, DREAMS, 2027, "小学6年生"), {"kind": "actual", "value": "40", "revision": "0"}
    )
    assert unusual.status_code == 200 and "これまでの変化の幅" in unusual.content.decode()
    assert owner.post(edit(CHIBA, DREAMS, 2027, "中学3年生"), {"kind": "actual", "value": "40", "revision": "0"}).status_code == 302  # fmt: skip
    assert sorted(Entry.objects.values_list("series", "fy")) == [("中学3年生", 2027), ("小学6年生", 2026)]
    assert [e.series for e in AuditEvent.objects.filter(action="save").order_by("id")] == [
        "小学6年生",
        "中学3年生",
    ]
    assert owner.get(edit(CHIBA, DREAMS, 2026, "高校3年生")).status_code == 404  # no such series


def test_a_forecast_and_a_calendar_year_are_figures_like_any_other(owner, client):
    url = edit(CHIBA, DREAMS, 2028, "中学3年生")
    assert owner.post(url, {"kind": "forecast", "value": "72", "revision": "0"}).status_code == 302
    refused = owner.post(edit(CHIBA, DREAMS, 2026, "中学3年生"),
                         {"kind": "actual", "value": "70", "period": "cy", "as_of": "2027-02-01", "revision": "0"})  # fmt: skip
    assert 'id="id_as_of_error"' in refused.content.decode() and "の外です" in refused.content.decode()
    assert owner.post(edit(CHIBA, DREAMS, 2026, "中学3年生"),
                      {"kind": "actual", "value": "70", "period": "cy", "as_of": "2026-12-31", "revision": "0"}).status_code == 302  # fmt: skip
    review = f"/staff/plans/{CHIBA}/review/"
    for fy in (2028, 2026):
        owner.post(
            f"/staff/plans/{CHIBA}/indicators/{DREAMS}/{fy}/submit/?series=中学3年生", {"revision": "1"}
        )
    queue = owner.get(review).content.decode()
    assert f"{DREAMS}|2028|2|中学3年生" in queue and "（見込）" in queue
    owner.post(
        review,
        {"scope": "all", "all": [f"{DREAMS}|2028|2|中学3年生", f"{DREAMS}|2026|2|中学3年生"], "confirm": "1"},
    )
    published = {
        o.fy: (o.kind, o.period, o.series) for o in Observation.objects.filter(indicator__code=DREAMS)
    }
    assert published == {2028: ("forecast", "fy", "中学3年生"), 2026: ("actual", "cy", "中学3年生")}
    approvals = AuditEvent.objects.filter(action="approve")
    assert approvals.count() == 2 and len({e.group for e in approvals}) == 1  # one approve-many, one group


def test_a_state_indicator_takes_a_state_not_a_number(owner):
    form = owner.get(edit(MIMA, LICENCE, 2016))
    fields = form.context["form"].fields
    assert "text" in fields and "value" not in fields and fields["text"].label == "状態"
    missing = owner.post(edit(MIMA, LICENCE, 2016), {"kind": "actual", "text": "", "revision": "0"})
    assert (
        'id="id_text_error"' in missing.content.decode()
        and "状態（設置、策定済など）を入力" in missing.content.decode()
    )
    assert (
        owner.post(
            edit(MIMA, LICENCE, 2016), {"kind": "actual", "text": "一部取得", "revision": "0"}
        ).status_code
        == 302
    )
    entry = Entry.objects.get(indicator__code=LICENCE)
    assert (entry.text, entry.value) == ("一部取得", None)
    assert "一部取得" in owner.get(f"/staff/plans/{MIMA}/indicators/{LICENCE}/").content.decode()


def test_the_bulk_template_has_a_row_per_series_and_reads_them_back(owner):
    response = owner.get(f"/staff/plans/{CHIBA}/bulk/template/?fy=2026&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [dict(zip(entry_sheet.KEYS, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    health = [r["series"] for r in rows if r["indicator"] == HEALTH]
    assert health == [
        None,
        "健康寿命・男性",
        "健康寿命・女性",
        "平均寿命・男性",
        "平均寿命・女性",
    ]  # its own target: a row
    assert [r["series"] for r in rows if r["indicator"] == DREAMS] == [
        "小学6年生",
        "中学3年生",
    ]  # series only
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == DREAMS and row[header.index("系列")].value == "中学3年生":
            row[header.index("種別")].value, row[header.index("値")].value = "見込", "70.5"
            row[header.index("期間")].value = "暦年"
    out = io.BytesIO()
    sheet.parent.save(out)
    upload = owner.post(f"/staff/plans/{CHIBA}/bulk/", {"file": _file(out.getvalue())})
    preview = owner.get(upload["Location"]).content.decode()
    assert "変更（1）" in preview and "中学3年生" in preview
    owner.post(upload["Location"])
    entry = Entry.objects.get()
    assert (entry.series, entry.kind, entry.period, str(entry.value.normalize())) == (
        "中学3年生",
        "forecast",
        "cy",
        "70.5",
    )


def _file(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("chiba.xlsx", content)


def test_the_api_takes_a_series_a_period_and_a_state(owner, client):
    key = token_create(username="kikaku")
    auth = {"Authorization": f"Token {key}"}
    url = f"/api/plans/{CHIBA}/indicators/{DREAMS}/observations/2026/"
    saved = client.post(url + "?series=小学6年生", {"kind": "interim", "value": 60, "period": "cy", "as_of": "2026-09-30",
                        "revision": 0}, content_type="application/json", headers=auth)  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["series"] == "小学6年生" and saved.json()["figure"]["period"] == "cy"
    assert (
        client.get(url + "?series=中学3年生", headers=auth).json()["revision"] == 0
    )  # another series, untouched
    assert client.get(url + "?series=高校", headers=auth).status_code == 404
    bad = client.post(url + "?series=小学6年生", {"kind": "actual", "value": 1, "period": "month", "revision": 1},
                      content_type="application/json", headers=auth)  # fmt: skip
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["period"]
    state = client.post(f"/api/plans/{MIMA}/indicators/{LICENCE}/observations/2017/",
                        {"kind": "actual", "text": "全員取得", "revision": 0}, content_type="application/json",
                        headers=auth)  # fmt: skip
    assert state.status_code == 200 and state.json()["figure"]["text"] == "全員取得"
    number = client.post(f"/api/plans/{MIMA}/indicators/{LICENCE}/observations/2018/",
                         {"kind": "actual", "value": 3, "revision": 0}, content_type="application/json",
                         headers=auth)  # fmt: skip
    assert number.status_code == 400 and "value" in number.json()["errors"]
    schema = client.get("/api/openapi.json").json()
    figure = schema["paths"]["/api/plans/{code}/indicators/{indicator}/observations/{fy}/"]["post"][
        "requestBody"
    ]
    properties = figure["content"]["application/json"]["schema"]["properties"]
    assert {"period", "text", "kind", "value", "as_of"} <= set(properties)  # domain/figures.py's fields
    assert "forecast" in properties["kind"]["enum"] and properties["period"]["enum"] == ["fy", "cy"]
