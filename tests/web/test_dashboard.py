"""Issue #14 through HTTP: every page of every real plan in every language, the headline, the
method page, やさしい日本語, English figures, and the whole plan's downloads."""

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.interchange.package import read_package
from machiplan.plans.services.plan_load import plan_load

pytestmark = pytest.mark.django_db
REAL = Path(__file__).resolve().parents[1] / "data" / "real"
NAMES = ("tsukuba", "chiba", "urakawa", "ino", "ogaki", "fuji", "mima", "abira", "nanto", "fukuoka")
PLAN = "/plans/sapporo-machizukuri-2/"


@pytest.fixture(scope="module")
def packages():
    return {name: read_package(REAL / name) for name in NAMES}


@pytest.fixture
def sapporo_site():
    cache.clear()
    ensure_default_plan()


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("name", NAMES)
def test_every_page_of_every_real_plan_in_every_language(client, packages, name):
    """The plan, each node at any depth, each indicator and the method page, in ja, en and easy:
    each has its headline or status, its legend, and the municipality's name in its header."""
    cache.clear()
    plan = packages[name]
    plan_load(plan=plan)
    base = f"/plans/{plan.code}/"
    for lang in ("ja", "en", "easy"):
        html = _get(client, f"{base}?lang={lang}")
        assert 'class="sentence"' in html and 'class="legend"' in html
        assert f'class="brand" href="/plans/?lang={lang}">' in html and plan.municipality.name in html
        _get(client, f"{base}method/?lang={lang}")
        for node in plan.nodes:
            html = _get(client, f"{base}nodes/{quote(node.code, safe='()')}/?lang={lang}")
            assert 'class="sentence"' in html and "↑" in html  # the headline, and the way up
        for ind in plan.indicators:
            html = _get(client, f"{base}indicators/{ind.code}/?lang={lang}")
            assert 'class="badge t-' in html and 'class="card indicator-card"' in html


def test_the_headline_of_a_node_counts_its_subtree(client, sapporo_site):
    html = _get(client, f"{PLAN}nodes/2/")
    assert (
        "指標5項目のうち、達成1項目（20%）、順調1項目（20%）、遅れ・後退2項目（40%）、目標なし1項目。" in html
    )
    english = _get(client, f"{PLAN}nodes/2/?lang=en")
    assert (
        "Of 5 indicators, Achieved: 1 (20%); On track: 1 (20%); Behind or Regressing: 2 (40%); No target: 1."
        in english
    )


def test_a_node_page_shows_its_narratives_charts_and_cards(client, sapporo_site):
    html = _get(client, f"{PLAN}nodes/2/")
    assert html.count('class="panel"') == 5 and html.count('<figure class="chart">') == 5
    assert html.count('class="card indicator-card"') == 5
    assert "取組結果" in html and "今後に向けて" in html
    assert html.count('role="img"') == 10  # each chart twice (wide and narrow), each named


def test_the_method_page_in_three_languages(client, sapporo_site):
    ja = _get(client, f"{PLAN}method/")
    assert "<h1>評価の方法</h1>" in ja and "進捗と経過の比較" in ja and "経過率×0.6以上なら「概ね順調」" in ja
    assert "roughly_ratio" not in ja and "survey_tolerance_points" not in ja
    en = _get(client, f"{PLAN}method/?lang=en")
    assert "<h1>How progress is judged</h1>" in en and "Roughly on track from time elapsed × 0.6" in en
    easy = _get(client, f"{PLAN}method/?lang=easy")
    assert (
        '<html lang="ja">' in easy
        and "すすんだ わりあい" in easy
        and "60% いじょうなら「だいたい じゅんちょう」" in easy
    )
    assert "<title>評価の方法 — 第2期" in ja and "<title>How progress is judged — The 2nd Basic Plan" in en


def test_easy_japanese_words_for_statuses_and_the_legend(client, sapporo_site):
    html = _get(client, f"{PLAN}?lang=easy")
    assert '<html lang="ja">' in html
    assert "しひょう 15こ の うち、「たっせい」6こ（40%）" in html
    assert "はんれい（ひょうかの いみ）" in html and "もくひょうの かずに とどきました" in html
    assert 'aria-current="true">やさしい日本語</a>' in html
    indicator = _get(client, f"{PLAN}indicators/1b/?lang=easy")
    assert "わるく なった" in indicator


def test_english_figures_and_units(client, sapporo_site):
    html = _get(client, f"{PLAN}indicators/1d/?lang=en")  # 寄附金額(累計), yen
    assert "¥760 million" in html or "¥" in html
    assert (
        "円" not in html.split('id="evaluation-title"')[1].split("</section>")[0]
    )  # the evaluation in English
    count = _get(client, f"{PLAN}indicators/1c/?lang=en")  # 寄附件数: cases
    assert " cases" in count and "Unit: cases" in count


def test_a_share_changes_in_points_and_progress_is_capped(client, sapporo_site):
    html = _get(client, f"{PLAN}indicators/1b/")
    assert "基準値からの変化: −0.6ポイント" in html
    achieved = _get(client, f"{PLAN}indicators/2a/")
    assert 'style="width:100.0%"' in achieved and "進捗率 170%" in achieved


def test_english_error_pages(client):
    response = client.get("/plans/nowhere/?lang=en")
    assert response.status_code == 404
    html = response.content.decode()
    assert (
        '<html lang="en">' in html
        and "<h1>Page not found</h1>" in html
        and "ページ" not in html.split("</h1>")[0]
    )
    japanese = client.get("/plans/nowhere/").content.decode()
    assert '<html lang="ja">' in japanese and "<h1>ページが見つかりません</h1>" in japanese


def test_the_whole_plan_downloads(client, sapporo_site, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    html = _get(client, PLAN)
    for name in ("report.pdf", "report.xlsx", "opendata.zip"):
        assert f'href="{PLAN}download/{name}"' in html
    response = client.get(f"{PLAN}download/opendata.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "sapporo-machizukuri-2/observations.csv" in names and "sapporo-machizukuri-2/README.md" in names
    readme = archive.read("sapporo-machizukuri-2/README.md").decode()
    assert "CC BY 4.0" in readme and "| 値 | value |" in readme and "## 列の説明 / Columns" in readme
    (kept,) = tmp_path.glob("downloads/sapporo-machizukuri-2/*/opendata.zip")  # kept for the plan version
    assert kept.stat().st_mode & 0o777 == 0o600  # the server's user's alone, as the data folder
    assert not list(kept.parent.glob("*.part"))  # written whole under a name of its own, then renamed
    book = client.get(f"{PLAN}download/report.xlsx")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert client.get(f"{PLAN}download/secrets.txt").status_code == 404
    # another licence, as an installation configures it
    monkeypatch.setenv(
        "MACHIPLAN_DATA_LICENCE", "政府標準利用規約（第2.0版）|https://www.digital.go.jp/resources/open_data"
    )
    cache.clear()
    for old in tmp_path.glob("downloads/*/*/opendata.zip"):
        old.unlink()
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{PLAN}download/opendata.zip").content))
    assert "政府標準利用規約（第2.0版）" in archive.read("sapporo-machizukuri-2/README.md").decode()
    assert "政府標準利用規約（第2.0版）" in _get(client, PLAN)


def test_the_published_pdf(client, sapporo_site, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = client.get(f"{PLAN}download/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="sapporo-machizukuri-2-report.pdf"'
