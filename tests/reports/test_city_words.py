"""A city's own bands carry their own words (docs/evaluation.md, achievement_bands): every place that
names a status — the report's tables, sentences, CSV, workbook and charts, the command line's table,
the public indicator page and the staff page — says the band's label, not its code, in Japanese and
in English. (The labels used to be looked up among the built-in methods' statuses only, so a band
was named by its code: 「…に対し116%：◎」.)"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from machiplan.domain.plan import Method
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package, write_package
from machiplan.plans.services import plan_load
from tests.support.bands import INO_BANDS

CODE = "bands-words"
BANDS = INO_BANDS  # いの町's marks, with words that no built-in status has
WORDS = {"ja": ("目標値以上", "進捗なし"), "en": ("At or above target", "No progress")}


def _plan():
    plan = read_package(DEFAULT_PLAN_DIR)
    return replace(plan, code=CODE, method=Method(name="achievement_bands", params=BANDS))


@pytest.fixture
def package(tmp_path):
    folder = tmp_path / "package"
    write_package(_plan(), folder)
    return folder


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_report_names_each_band_by_its_label(cli, package, tmp_path, lang):
    assert cli("load", str(package)).code == 0
    out = tmp_path / "out"
    made = cli(
        "report", CODE, "--format", "md,csv,xlsx", "--lang", lang, "--charts", "never", "--out", str(out)
    )
    assert made.code == 0, made.err
    reached, none = WORDS[lang]

    md = (out / "report.md").read_text(encoding="utf-8")
    # 1a (81.4 % against 70.0 %) is past its target; 1b (町内会加入率) fell below its baseline
    row_1a = next(line for line in md.splitlines() if "| 81.4% |" in line and line.startswith("| 1 |"))
    assert row_1a.endswith(f"| {reached} |")
    assert f"**{reached}**" in md and f"**{none}**" in md  # each indicator's headline
    assert ("：◎" not in md and "：×" not in md) if lang == "ja" else ": ◎" not in md
    assert f"：{reached}" in md if lang == "ja" else f": {reached}" in md  # the sentence's verdict

    rows = list(csv.DictReader(io.StringIO((out / "evaluations.csv").read_text(encoding="utf-8-sig"))))
    labels = {r["評価_名称"] for r in rows if r["評価"] in ("◎", "×")}
    assert labels == {"目標値以上", "進捗なし"}  # the open data's words are Japanese, as every label there

    sheet = load_workbook(out / "report.xlsx", read_only=True)
    words = {
        c
        for ws in sheet.worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if isinstance(c, str)
    }
    assert reached in words and none in words


def test_the_command_lines_table_and_totals_use_the_labels(cli, package):
    assert cli("load", str(package)).code == 0
    shown = cli("evaluate", CODE)
    assert shown.code == 0, shown.err
    assert "目標値以上 6 / 目標値と同等 0 / 目標値未達成 4 / 進捗なし 4" in shown.out
    first = next(line for line in shown.out.splitlines() if line.startswith("1a "))
    assert first.rstrip(" ⚠").endswith("目標値以上")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_public_indicator_page_says_the_label(client, lang):
    plan_load(plan=_plan())
    page = client.get(f"/plans/{CODE}/indicators/1a/?lang={lang}")
    assert page.status_code == 200
    text = page.content.decode()
    reached = WORDS[lang][0]
    assert text.count(reached) >= 2  # the status badge and the sentence
    assert "：◎" not in text and ": ◎" not in text


@pytest.mark.django_db
def test_the_staff_indicator_page_says_the_label(client, django_user_model):
    from machiplan.staff.services.people import user_add

    plan_load(plan=_plan())
    client.force_login(user_add(username="owner", role="owner", password="a-long-test-password-9"))
    page = client.get(f"/staff/plans/{CODE}/indicators/1b/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "進捗なし</span>" in text  # the badge of what the public sees now
    assert "：進捗なし" in text  # and its sentence
    assert "：×" not in text
