"""Importing a plan's table on the staff pages, through HTTP: upload, preview with the mapping and the
guesses, corrections, accept in one transaction with the mapping kept, next year's sheet in one step."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from machiplan.plans import models
from machiplan.plans.services.table_import import table_preview, table_save
from machiplan.staff.models import AuditEvent, TableUpload
from machiplan.tables import PlanFacts
from tests.tables import sheets

from .conftest import PASSWORD

CODE, CHIBA = "urakawa-sousei", "chiba-kpi"
IMPORT = f"/staff/plans/{CODE}/structure/import/"


@pytest.fixture
def plans(db):
    """The Urakawa plan (imported from its R4 sheet, its mapping kept) and Chiba's (a CP932 CSV)."""
    name, data = sheets.urakawa_r4()
    table_save(table_preview(data=data, name=name, facts=PlanFacts(code=CODE, municipality_code="016071")))
    name, data = sheets.chiba()
    facts = PlanFacts(
        code=CHIBA, municipality="千葉市", municipality_code="121002", start_fy=2026, end_fy=2028
    )
    table_save(table_preview(data=data, name=name, facts=facts))


@pytest.fixture
def as_(plans, people):
    """A client signed in as one of ``people``, who hold their roles in every plan (these two too)."""

    def client(name: str, csrf: bool = False) -> Client:
        c = Client(enforce_csrf_checks=csrf)
        c.force_login(people[name])
        return c

    return client


def counts() -> dict[str, object]:
    return {
        "plans": models.Plan.objects.count(),
        "nodes": models.Node.objects.count(),
        "indicators": models.Indicator.objects.count(),
        "observations": models.Observation.objects.count(),
        "targets": models.Target.objects.count(),
        "baselines": models.Baseline.objects.count(),
        "events": AuditEvent.objects.count(),
        "mapping": models.Plan.objects.get(code=CODE).import_mapping,
    }


def upload(
    client: Client,
    made: tuple[str, bytes],
    plan: str = CODE,
    mapping: bytes | None = None,
    detect: bool = False,
) -> str:
    files: dict = {"file": SimpleUploadedFile(made[0], made[1]), **({"detect": "1"} if detect else {})}
    if mapping is not None:
        files["mapping"] = SimpleUploadedFile("m.yaml", mapping)
    response = client.post(f"/staff/plans/{plan}/structure/import/", files)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def page(client: Client, url: str) -> str:
    response = client.get(url + "?lang=en")
    assert response.status_code == 200
    return response.content.decode()


# Kana, which a Japanese sentence has and the English wording's quoted 指標名 or 目標 do not.
JAPANESE_WORDING = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")


def warning_rows(html: str) -> list[tuple[str, str]]:
    """The preview's warnings as shown: (where, message) per row."""
    table = re.search(r'<table class="table-warnings">.*?</table>', html, re.S)
    assert table is not None
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", table[0], re.S)


def revision(html: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', html)[1]


def column(html: str, letter: str) -> str:
    """The form's index of a column, by its letter."""
    return re.search(rf'name="col-(\d+)-role" aria-label="Read as: {letter} ', html)[1]


def test_the_structure_page_links_to_the_import(as_):
    html = as_("owner").get(f"/staff/plans/{CODE}/structure/?lang=en").content.decode()
    assert f'href="{IMPORT}"' in html and "Import a table" in html


def test_next_years_sheet_previews_with_the_kept_mapping_its_warnings_and_guesses_and_writes_nothing(as_):
    owner = as_("owner")
    html = page(owner, IMPORT)
    assert "This plan keeps the mapping of its last import" in html
    before = counts()
    url = upload(owner, ("令和5年度.xlsx", sheets.urakawa_r5()[1]))
    html = page(owner, url)
    assert "Header rows 3–4" in html and "with the plan&#x27;s kept mapping" in html
    assert (
        "Changes to the plan: figures added 7, figures changed 6, figures as they were 24, new indicators 1"
        in html
    )
    assert "令和5年度.xlsx!進捗管理表!" in html  # warnings name their cell
    english = warning_rows(html)
    assert english and all(not JAPANESE_WORDING.search(message) for _, message in english)
    # the page in Japanese: the same warnings, at the same places, in Japanese
    japanese = warning_rows(owner.get(url + "?lang=ja").content.decode())
    assert [where for where, _ in japanese] == [where for where, _ in english]
    assert all(JAPANESE_WORDING.search(message) for _, message in japanese), japanese
    # the column's role, with why it was read so
    assert re.search(r'name="col-\d+-role" aria-label="Read as: K 令和5年 9月30日現在">', html)
    # what the new indicator's name suggests, with why, and a control to correct it
    assert re.search(r'<th scope="row">2-1-3 [^<]+</th>', html)
    assert 'name="ind-' in html and "in the name" in html
    assert counts() == before  # nothing written before accept
    assert TableUpload.objects.get().applied_at is None


def test_a_cp932_csv_is_read_and_its_survey_guess_shown_with_why(as_):
    owner = as_("owner")
    name, data = sheets.chiba()
    assert data.decode("cp932")  # the city's encoding, not UTF-8
    html = page(owner, upload(owner, (name, data), plan=CHIBA))
    assert "(cp932" in html or "（cp932" in html
    assert "as they were" in html  # the same sheet again: nothing changes


def test_correcting_a_columns_role_changes_the_preview(as_):
    owner = as_("owner")
    url = upload(owner, sheets.urakawa_r4())
    html = page(owner, url)
    assert '<li>Baselines: <span class="num">0</span></li>' in html
    g = column(html, "G")  # 令和元年: read as the actuals of FY2019
    response = owner.post(
        url,
        {"action": "preview", "revision": revision(html), f"col-{g}-role": "baseline", f"col-{g}-fy": "2019"},
    )
    assert response.status_code == 302
    html = page(owner, url)
    assert '<li>Baselines: <span class="num">6</span></li>' in html
    assert re.search(
        rf'name="col-{g}-role"[^>]*>(?:<option[^>]*>[^<]*</option>)*<option value="baseline" selected>', html
    )
    assert TableUpload.objects.get().mapping["columns"][int(g)]["role"] == "baseline"
    # a wrong correction is one line naming the mapping's key; nothing is kept of it
    response = owner.post(url, {"action": "preview", "revision": revision(html), f"col-{g}-role": "level",
                                f"col-{g}-level": "7"})  # fmt: skip
    assert response.status_code == 400
    assert f"mapping.columns[{g}].level: a level column names its level" in response.content.decode()


def test_correcting_a_guess_changes_the_saved_indicator_and_accept_writes_once_keeping_the_mapping(as_):
    owner = as_("owner")
    url = upload(owner, ("令和5年度.xlsx", sheets.urakawa_r5()[1]))
    html = page(owner, url)
    n = re.search(r'name="ind-(\d+)-direction"', html)[1]  # 2-1-3, the one indicator this sheet adds
    # a running total would fall from 85 to 50: the preview refuses it, naming the cell, and offers no import
    response = owner.post(
        url, {"action": "preview", "revision": revision(html), f"ind-{n}-measure": "cumulative"}
    )
    html = page(owner, response["Location"])
    assert "令和5年度.xlsx!進捗管理表!K11: 2-1-3 FY2023: The running total 50 is below 85" in html
    assert "Import</button>" not in html
    response = owner.post(url, {"action": "preview", "revision": revision(html), f"ind-{n}-direction": "decrease",
                                f"ind-{n}-measure": "level"})  # fmt: skip
    assert response.status_code == 302
    html = page(owner, url)
    assert "corrected" in html and "Import</button>" in html
    before = counts()
    response = owner.post(url, {"action": "accept", "revision": revision(html)})
    assert response.status_code == 302 and response["Location"] == f"/staff/plans/{CODE}/structure/"
    row = models.Indicator.objects.get(plan__code=CODE, code="2-1-3")
    assert (row.direction, row.measure) == ("decrease", "level")
    after = counts()
    assert after["indicators"] == before["indicators"] + 1 and after["plans"] == before["plans"]
    assert after["events"] == before["events"] + 1  # one load in the trail, by the owner, via the web
    event = AuditEvent.objects.order_by("-pk").first()
    assert (event.action, event.actor, event.via, event.plan_code) == ("load", "owner", "web", CODE)
    kept = models.Plan.objects.get(code=CODE).import_mapping
    fix = next(i for i in kept["indicators"] if i.get("code") == "2-1-3")
    assert (fix["direction"], fix["measure"]) == ("decrease", "level")
    assert kept["file"] == "令和5年度.xlsx"
    obs = models.Observation.objects.get(indicator__plan__code=CODE, indicator__code="1-1-1", fy=2022)
    assert (obs.kind, obs.value, obs.source) == ("actual", 4, "令和5年度.xlsx!進捗管理表!J5")
    # accepted once: the same upload again is refused, nothing more written
    response = owner.post(url, {"action": "accept", "revision": revision(html)})
    assert response.status_code == 400 and "already imported" in response.content.decode()
    assert counts()["events"] == after["events"]


def test_next_years_sheet_imports_in_one_step_with_the_kept_mapping(as_):
    owner = as_("owner")
    url = upload(owner, ("r5.xlsx", sheets.urakawa_r5()[1]))
    response = owner.post(url, {"action": "accept", "revision": "0"})
    assert response.status_code == 302
    rows = {
        (o.indicator.code, o.fy): (o.kind, o.value)
        for o in models.Observation.objects.filter(indicator__plan__code=CODE).select_related("indicator")
    }
    assert rows[("1-1-1", 2023)] == ("interim", 2) and rows[("2-1-3", 2022)] == ("actual", 85)


def test_the_mapping_downloads_as_the_cli_writes_it_and_an_uploaded_one_reads_the_table(as_):
    owner = as_("owner")
    models.Plan.objects.filter(code=CODE).update(import_mapping={})  # no kept mapping: as detected
    url = upload(owner, sheets.urakawa_r4())
    html = page(owner, url)
    assert "as detected" in html
    response = owner.get(url + "mapping.yaml")
    assert (
        response.status_code == 200
        and 'filename="urakawa-sousei-mapping.yaml"' in response["Content-Disposition"]
    )
    text = response.content.decode()
    assert text.startswith("# machiplan: how to read this table")
    assert (
        "  - {column: J, header: 令和4年 9月30日現在, role: interim, fy: 2022, as_of: '2022-09-30'}  # FY2022"
        in text
    )
    doc = yaml.safe_load(text)
    next(c for c in doc["columns"] if c["column"] == "N").update(role="ignore")  # 備考: not read
    corrected = yaml.safe_dump(doc, allow_unicode=True).encode()
    response = owner.post(url, {"action": "mapping", "revision": revision(html),
                                "mapping": SimpleUploadedFile("m.yaml", corrected)})  # fmt: skip
    assert response.status_code == 302
    html = page(owner, url)
    assert "with the mapping uploaded (m.yaml)" in html
    assert TableUpload.objects.get().mapping["columns"][13]["role"] == "ignore"
    # given with the table on the upload page, as --mapping
    again = page(owner, upload(owner, sheets.urakawa_r4(), mapping=corrected))
    assert "with the mapping uploaded (m.yaml)" in again
    # a broken mapping file is one line naming it and its key
    doc["layout"] = "sideways"
    response = owner.post(IMPORT, {"file": SimpleUploadedFile(*sheets.urakawa_r4()),
                                   "mapping": SimpleUploadedFile("m.yaml", yaml.safe_dump(doc).encode())})  # fmt: skip
    assert response.status_code == 400
    assert "m.yaml.layout: must be one of wide, long, not &#x27;sideways&#x27;" in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "other_editor", "viewer"])
def test_only_whoever_may_change_the_structure_may_import(as_, who):
    client = as_(who)
    assert client.get(IMPORT).status_code == 403
    response = client.post(IMPORT, {"file": SimpleUploadedFile(*sheets.urakawa_r4())})
    assert response.status_code == 403 and not TableUpload.objects.exists()
    owner = as_("owner")
    url = upload(owner, sheets.urakawa_r4())
    before = counts()
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "accept", "revision": "0"}).status_code == 403
    assert client.get(url + "mapping.yaml").status_code == 403
    assert counts() == before
    assert as_("admin").get(url).status_code == 404  # another person's upload: not theirs to see


def test_a_broken_file_is_one_line_naming_the_file_and_cell_and_nothing_is_written(as_):
    owner = as_("owner")
    name, data = sheets.urakawa_r4()
    book = load_workbook(io.BytesIO(data))
    book.active["H6"] = 120  # a share above 100 %
    out = io.BytesIO()
    book.save(out)
    before = counts()
    html = page(owner, upload(owner, (name, out.getvalue())))
    alerts = re.findall(r'<p class="errors-box" role="alert">([^<]*)</p>', html)
    assert len(alerts) == 1 and alerts[0].startswith("成果指標.xlsx!進捗管理表!H6: 1-1-2 FY2020: ")
    assert "Import</button>" not in html  # nothing to accept
    response = owner.post(IMPORT, {"file": SimpleUploadedFile("kpi.xlsx", b"PK\x03\x04 not a workbook")})
    html = page(owner, response["Location"])
    alerts = re.findall(r'<p class="errors-box" role="alert">([^<]*)</p>', html)
    assert len(alerts) == 1 and alerts[0].startswith("kpi.xlsx: ")
    big = SimpleUploadedFile("huge.csv", b"x" * (5 * 1024 * 1024 + 1))
    response = owner.post(IMPORT, {"file": big})
    assert response.status_code == 400
    assert "huge.csv: too large: 5,242,881 bytes (at most 5 MB)" in response.content.decode()
    assert counts() == before


def test_csrf_is_enforced(as_, people):
    client = as_("owner", csrf=True)
    assert client.post(IMPORT, {"file": SimpleUploadedFile(*sheets.urakawa_r4())}).status_code == 403
    assert not TableUpload.objects.exists()
    signed = Client(enforce_csrf_checks=True)
    assert signed.login(username="owner", password=PASSWORD)
    form = signed.get(IMPORT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    response = signed.post(
        IMPORT, {"file": SimpleUploadedFile(*sheets.urakawa_r4()), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_formula_looking_cells_are_text_not_formulas(as_):
    """A CSV cell '=HYPERLINK(…)' is a name as written: shown escaped, never evaluated, and the
    mapping file downloaded quotes it."""
    owner = as_("owner")
    rows = [["施策番号", "施策名", "指標", "単位", "R2実績", "R6目標"],
            ["1-1", "相談支援", '=HYPERLINK("http://evil.example","x")', "件", "10", "20"],
            ["1-2", "<script>alert(1)</script>", "+SUM(1,2)", "件", "3", "4"]]  # fmt: skip
    data = "\r\n".join(",".join(f'"{c}"' if "," in c or '"' in c else c for c in r) for r in rows)
    data = data.replace(
        '"=HYPERLINK("http://evil.example","x")"', '"=HYPERLINK(""http://evil.example"",""x"")"'
    )
    url = upload(owner, ("f.csv", data.encode("cp932")))
    html = page(owner, url)
    assert "f.csv: the column of indicator names (指標名) is not in this sheet" in html  # the kept mapping's
    response = owner.post(url, {"action": "detect", "revision": revision(html)})  # another layout: afresh
    html = page(owner, response["Location"])
    assert "as detected" in html
    assert "<script>alert(1)</script>" not in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in html
    text = owner.get(url + "mapping.yaml").content.decode()
    names = [i["name"] for i in yaml.safe_load(text)["indicators"]]
    assert '=HYPERLINK("http://evil.example","x")' in names and "+SUM(1,2)" in names


def test_a_preview_documents_warning_without_its_japanese_shows_in_english():
    from machiplan.staff.views.table_import import _warning_text

    made_before = {"where": "B7", "message": "a row with no year: not read"}
    both = {**made_before, "message_ja": "年度のない行です：読み込みません"}
    assert _warning_text(made_before, "ja") == _warning_text(both, "en") == "a row with no year: not read"
    assert _warning_text(both, "ja") == "年度のない行です：読み込みません"


def test_grades_whose_year_the_table_does_not_give_are_given_on_the_preview_and_then_accepted(as_):
    owner = as_("owner")
    table = ("評価.csv", "指標名,単位,現状値,目標値,評価\n待機児童数,人,3,0,B\n".encode())
    url = upload(owner, table, detect=True)
    html = page(owner, url)
    assert any("column E (評価) holds the city" in message for _, message in warning_rows(html))
    # accepting as it stands is refused: the grades' year is the mapping's to give
    response = owner.post(url, {"action": "accept", "revision": revision(html)})
    assert response.status_code == 400 and "column E (評価) holds the city" in response.content.decode()
    e = column(html, "E")
    response = owner.post(
        url,
        {"action": "preview", "revision": revision(html), f"col-{e}-role": "rating", f"col-{e}-fy": "2022"},
    )
    assert response.status_code == 302
    html = page(owner, url)
    assert not any("holds the city" in message for _, message in warning_rows(html))
    response = owner.post(url, {"action": "accept", "revision": revision(html)})
    assert response.status_code == 302
    plan = models.Plan.objects.get(code=CODE)
    rating = models.Rating.objects.get(indicator__plan=plan, indicator__name="待機児童数")
    assert (rating.fy, rating.scale, rating.grade) == (2022, "evaluation", "B")
