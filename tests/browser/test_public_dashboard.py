"""Issue #14, "a dashboard citizens understand in ten seconds", in a real browser: the headline,
the legend, the charts, English and やさしい日本語, the indicator card and the downloads, on a
desktop (1280 px) and a phone (390 px), in Japanese and English, each page checked by axe-core.

Set MACHIPLAN_SCREENSHOTS=DIR to keep a screenshot of each page (docs/images/ holds those of
docs/web.md)."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from machiplan.cli.bootstrap import ensure_default_plan
from machiplan.domain.plan import Method
from machiplan.interchange.package import read_package
from machiplan.plans.services.plan_load import plan_load
from tests.support.bands import INO_BANDS
from tests.web.urls import staff_urls_import

from .conftest import axe_violations

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SAPPORO = "/plans/sapporo-machizukuri-2/"
TSUKUBA = "/plans/tsukuba-sousei-1/"
PAGES = {
    "plan": SAPPORO,
    "node": f"{SAPPORO}nodes/1/",
    "indicator": f"{SAPPORO}indicators/2a/",
    "method": f"{SAPPORO}method/",
    "deep-node": f"{TSUKUBA}nodes/{quote('Ⅰ-1-(1)', safe='()')}/",
    "ino-plan": "/plans/ino-sousei-1/",
    "fukuoka-plan": "/plans/fukuoka-hokenfukushi-shogai/",
    "bands-plan": "/plans/ino-bands/",
}
WIDTHS = (1280, 390)
LANGS = ("ja", "en")


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    if not staff_urls_import():  # the staff app is moved to the general model in parallel (issue #11)
        settings.ROOT_URLCONF = "tests.web.urls"
    settings.DATA_DIR = tmp_path  # the whole plan's downloads are kept here
    cache.clear()
    ensure_default_plan()
    for name in ("tsukuba", "ino", "fukuoka", "chiba"):
        plan_load(plan=read_package(REAL / name))
    ino = read_package(REAL / "ino")
    plan_load(plan=replace(ino, code="ino-bands", method=Method(name="achievement_bands", params=INO_BANDS)))
    return live_server.url


def _url(site: str, path: str, lang: str) -> str:
    return f"{site}{path}?lang={lang}"


def _shot(page, name: str) -> None:
    if folder := os.environ.get("MACHIPLAN_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_at_every_width_and_language_passes_axe_and_fits(site, page, name, width, lang):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(_url(site, PAGES[name], lang))
    assert response.status == 200
    assert page.evaluate("document.documentElement.lang") == lang
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # never sideways
    _shot(page, f"{name}-{lang}-{width}")


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_headline_says_it_in_a_sentence_and_a_bar_per_goal(site, page, width, lang):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(_url(site, SAPPORO, lang))
    headline = page.locator("section.headline")
    sentence = headline.locator("p.sentence").inner_text()
    if lang == "ja":  # Sapporo, FY2017: 達成 6, 順調 1, 概ね順調 1, 遅れ 2, 後退 4, 目標なし 1
        assert (
            sentence
            == "指標15項目のうち、達成6項目（40%）、順調・概ね順調2項目（13%）、遅れ・後退6項目（40%）、目標なし1項目。"
        )
    else:
        assert sentence.startswith(
            "Of 15 indicators, Achieved: 6 (40%); On track or Roughly on track: 2 (13%)"
        )
    bars = headline.locator("ul.bars > li")
    assert bars.count() == 5  # the whole plan and its four goals
    goal1 = bars.nth(1)  # each bar with its counts in words: 基本目標1, 達成 2 and 後退 2 of 4
    assert goal1.locator("ul.counts-text").inner_text().split() == (
        ["★達成", "2", "×後退", "2"] if lang == "ja" else ["★Achieved", "2", "×Regressing", "2"]
    )
    assert goal1.locator(".name > small:not(.ja-only)").inner_text() == (
        "4指標" if lang == "ja" else "4 indicators"
    )
    # the municipality's name in the header, not the product's
    assert page.locator("header.site .brand").inner_text() == "札幌市"
    # on a phone a vertical list: the goal's name above its bar; on a desktop beside it
    name, bar = _box(bars.nth(1).locator(".name")), _box(bars.nth(1).locator(".stack"))
    if width == 390:
        assert name["y"] + name["height"] <= bar["y"] + 1
    else:
        assert name["x"] + name["width"] <= bar["x"] + 1
    # the bar is drawn: each segment as wide as its share, every status with its icon
    segments = bars.nth(0).locator(".seg")
    assert segments.count() == 6  # 達成, 順調, 概ね順調, 遅れ, 後退, 目標なし
    total = sum(_box(segments.nth(i))["width"] for i in range(segments.count()))
    assert abs(_box(segments.nth(0))["width"] / total - 6 / 15) < 0.03


@pytest.mark.parametrize("deficiency", ["deuteranopia", "protanopia", "tritanopia", "achromatopsia"])
def test_statuses_stay_apart_as_people_with_colour_blindness_see_them(site, page, deficiency):
    """Chromium's own simulation (DevTools' Emulation.setEmulatedVisionDeficiency) of the plan page:
    the 達成 and 後退 segments of the status bar, as rendered and seen, stay far apart in colour
    (CIE76 ΔE) — except without any colour vision, where the icons in the counts still tell them apart."""
    import io

    from PIL import Image

    from tests.web.test_palette import delta_e

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(_url(site, SAPPORO, "ja"))
    bar = page.locator("section.headline ul.bars > li").first
    cdp = page.context.new_cdp_session(page)

    def seen(n: int) -> str:  # the segment's middle as it is seen, as a hex colour
        shot = Image.open(io.BytesIO(bar.locator(".seg").nth(n).screenshot())).convert("RGB")
        w, h = shot.size
        pixels = [shot.getpixel((x, y)) for x in range(w // 4, 3 * w // 4) for y in range(h // 4, 3 * h // 4)]
        mean = [sum(p[i] for p in pixels) // len(pixels) for i in range(3)]
        return "#" + "".join(f"{c:02x}" for c in mean)

    normal = seen(0), seen(4)
    cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": deficiency})
    achieved, regressing = seen(0), seen(4)  # Sapporo FY2017: 達成, 順調, 概ね順調, 遅れ, 後退, 目標なし
    assert (achieved, regressing) != normal  # the simulation is in force: what is seen has changed
    if deficiency == "achromatopsia":
        counts = bar.locator("ul.counts-text li")
        icons = [counts.nth(i).inner_text()[0] for i in range(counts.count())]
        assert len(set(icons)) == len(icons) == 6
    else:
        assert delta_e(achieved, regressing, None) > 30, (deficiency, achieved, regressing)


@pytest.mark.parametrize("lang", LANGS)
def test_a_legend_explains_each_status_above_every_status_table(site, page, lang):
    for path in (SAPPORO, f"{SAPPORO}nodes/1/", f"{SAPPORO}nodes/1/indicators/", f"{SAPPORO}indicators/1b/"):
        page.goto(_url(site, path, lang))
        legend = page.locator("details.legend").first
        assert legend.is_visible(), path
        terms = legend.locator("dl.legend dt")
        assert terms.count() >= 6
        for n in range(terms.count()):  # every status: its badge with an icon, and a line on what it means
            assert terms.nth(n).locator(".badge .icon").inner_text().strip()
            assert len(legend.locator("dl.legend dd").nth(n).inner_text()) > 3
        table = page.locator("table").first
        if table.count():
            assert _box(legend)["y"] < _box(table)["y"], path
        legend.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile("^(評価の方法|How progress is judged)$")
        )


def test_the_method_page_says_the_method_in_words(site, page):
    page.goto(_url(site, f"{SAPPORO}method/", "ja"))
    text = page.locator("main").inner_text()
    assert "経過率×0.6以上なら「概ね順調」" in text and "±3.0ポイント未満なら横ばい" in text
    for name in ("roughly_ratio", "on_track_ratio", "survey_tolerance_points", "progress_vs_pace"):
        assert name not in text  # words, not parameter names
    page.goto(_url(site, "/plans/ino-bands/method/", "en"))
    text = page.locator("main").inner_text()
    assert "Achievement-rate bands" in text and "At or above target from 100%" in text
    assert "Achievement rate of 95% or more" in text  # the legend's line for ○


def test_progress_is_a_bar_capped_at_100_and_a_share_changes_in_points(site, page):
    page.goto(_url(site, f"{SAPPORO}indicators/2a/", "ja"))  # 170 % of the way: the bar stops at 100 %
    progress = page.locator("section[aria-labelledby=evaluation-title] .progress")
    assert "170%" in progress.inner_text()
    track, fill = _box(progress.locator(".track")), _box(progress.locator(".fill"))
    assert abs(fill["width"] - (track["width"] - 2)) < 2
    page.goto(_url(site, f"{SAPPORO}indicators/1b/", "ja"))  # 町内会加入率 71.7 % → 71.1 %
    assert "基準値からの変化: −0.6ポイント" in page.locator("main").inner_text()
    page.goto(_url(site, f"{SAPPORO}indicators/1b/", "en"))
    assert "Change from the baseline: −0.6 points" in page.locator("main").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "path", [f"{SAPPORO}indicators/2b/", f"{SAPPORO}nodes/2/", f"{TSUKUBA}indicators/I-1-1-KPI1/"]
)
def test_charts_read_on_a_phone(site, page, path, width):
    """The chart shown has a title, its unit written horizontally and no text under 10 px."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(_url(site, path, "ja"))
    charts = page.locator("figure.chart svg.chart:visible")
    assert charts.count() >= 1
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('figure.chart svg.chart')].filter(s => s.getBoundingClientRect().width > 0)
             .flatMap(svg => { const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
               return [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * k); })"""
    )
    assert sizes and min(sizes) >= 10, min(sizes)
    svg = charts.first
    assert svg.locator("text[font-weight=bold]").first.text_content()  # the title
    unit = svg.locator("text", has_text="（")
    assert unit.count() >= 1  # the unit, written horizontally (no rotation anywhere)
    assert page.evaluate("[...document.querySelectorAll('svg.chart [transform*=rotate]')].length") == 0
    # only one drawing of each chart is seen (and named): the other is not displayed
    named = page.get_by_role("img").filter(has=page.locator("title"))
    assert named.count() == charts.count()


def test_a_chart_axis_starts_at_zero_or_marks_its_break(site, page):
    page.goto(_url(site, f"{SAPPORO}indicators/3b/", "ja"))  # 地域活動の場の数: a count, from zero
    svg = page.locator("figure.chart .wide svg")
    assert svg.locator("[id$=grid] text").first.text_content() == "0"
    assert svg.locator("[id$=axis] path").count() == 1  # the axis alone
    for code in ("1b", "2a"):  # 町内会加入率 71–74 %, 登録団体数 2,280–2,684: from zero all would look alike
        page.goto(_url(site, f"{SAPPORO}indicators/{code}/", "ja"))
        svg = page.locator("figure.chart .wide svg")
        assert svg.locator("[id$=axis] path").count() == 2  # the axis and the zigzag of its break
        assert svg.locator("[id$=grid] text").first.text_content() != "0"


def test_english_is_english(site, page):
    page.goto(_url(site, f"{SAPPORO}indicators/2a/", "en"))
    main = page.locator("main").inner_text()
    assert "2,653 groups" in main and "2,653団体" not in main and "2,500 groups (FY2018)" in main
    assert page.title().startswith("Citizen activity support centre") or "—" in page.title()
    page.goto(_url(site, f"{SAPPORO}nodes/1/", "en"))
    name = page.get_by_role("heading", level=1)
    assert "[Japanese only]" in name.inner_text() and name.locator("[lang=ja]").count() == 1
    assert "機" not in page.title()[: page.title().index("—")].replace("参加", "")
    response = page.goto(f"{site}/plans/nowhere/?lang=en")
    assert response.status == 404 and page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert page.evaluate("document.documentElement.lang") == "en"


def test_easy_japanese(site, page):
    page.goto(_url(site, SAPPORO, "easy"))
    assert page.evaluate("document.documentElement.lang") == "ja"
    main = page.locator("main").inner_text()
    assert "しひょう 15こ の うち、「たっせい」6こ（40%）" in main
    assert "はんれい" in main and "もくひょうの かずに とどきました" in main
    nav = page.get_by_role("navigation", name="ことば")
    assert nav.get_by_role("link", name="やさしい日本語").get_attribute("aria-current") == "true"
    page.goto(_url(site, f"{SAPPORO}method/", "easy"))
    assert "すすんだ わりあい" in page.locator("main").inner_text()
    _shot(page, "method-easy-390")


def test_every_node_page_is_as_rich_as_the_report(site, page):
    page.goto(_url(site, f"{SAPPORO}nodes/2/", "ja"))
    main = page.locator("main")
    assert main.locator("section.panel").count() == 5  # a chart and a card per indicator of the goal
    assert main.locator("section.panel figure.chart").count() == 5
    assert main.locator("section.panel dl.indicator-card").count() == 5
    assert "取組結果" in main.inner_text() and "今後に向けて" in main.inner_text()  # the narratives
    siblings = page.get_by_role("navigation", name="前後の項目")
    assert siblings.locator("a[rel=prev]").count() == 1 and siblings.locator("a[rel=next]").count() == 1
    page.goto(_url(site, PAGES["deep-node"], "ja"))  # three levels down
    assert page.locator("section.panel figure.chart").count() == 1
    assert page.get_by_role("navigation", name="前後の項目").get_by_role("link").count() >= 1


def test_an_indicator_card_under_every_chart(site, page):
    page.goto(_url(site, f"{TSUKUBA}indicators/I-1-1-KPI1/", "ja"))
    card = page.locator("figure.chart + dl.indicator-card")
    text = card.inner_text()
    for label in (
        "実績値の計算方法",
        "指標担当課",
        "最新の数値",
        "データ更新日",
        "市による評価",
        "ライセンス",
    ):
        assert label in text, label
    assert "進捗状況 概ね順調" in text  # the city's own rating
    assert card.get_by_role("link", name="CC BY 4.0").count() == 1
    page.goto(_url(site, "/plans/chiba-jisshi-2026/indicators/chiba-pi-f03-001/", "en"))
    text = page.locator("dl.indicator-card").inner_text()
    assert "Data source" in text and "国勢調査・人口動態調査" in text and "Licence" in text


def test_the_whole_plan_downloads(site, page):
    page.goto(_url(site, SAPPORO, "ja"))
    section = page.locator("section[aria-labelledby=plan-downloads-title]")
    links = section.get_by_role("link")
    names = links.all_inner_texts()
    assert (
        any("PDF" in n for n in names) and any("Excel" in n for n in names) and any("ZIP" in n for n in names)
    )
    with page.expect_download() as download:
        section.get_by_role("link", name="オープンデータ（CSV一式とREADME、ZIP）").click()
    assert download.value.suggested_filename == "sapporo-machizukuri-2-opendata.zip"


DOC_IMAGES = {  # docs/web.md's screenshots: (path, lang, width, the element the picture starts at, height)
    "public-plan-1280": (SAPPORO, "ja", 1280, "body", 1250),
    "public-plan-390": (SAPPORO, "ja", 390, "body", 1700),
    "public-node-1280": (f"{SAPPORO}nodes/2/", "ja", 1280, "section.panel", 1000),
    "public-node-390": (f"{SAPPORO}nodes/2/", "ja", 390, "section.panel", 1250),
    "public-indicator-1280": (f"{SAPPORO}indicators/2a/", "ja", 1280, "body", 2000),
    "public-indicator-en-390": (
        f"{SAPPORO}indicators/2a/",
        "en",
        390,
        "section[aria-labelledby=evaluation-title]",
        1500,
    ),
}


@pytest.mark.skipif(
    not os.environ.get("MACHIPLAN_DOC_IMAGES"), reason="set MACHIPLAN_DOC_IMAGES=docs/images to remake them"
)
def test_doc_screenshots(site, page):
    """Remakes docs/web.md's screenshots: MACHIPLAN_DOC_IMAGES=docs/images pytest -k doc_screenshots."""
    folder = Path(os.environ["MACHIPLAN_DOC_IMAGES"])
    for name, (path, lang, width, start, height) in DOC_IMAGES.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(_url(site, path, lang))
        top = page.locator(start).first.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        top = max(0, top - (12 if start != "body" else 0))
        full = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(
            path=str(folder / f"{name}.png"),
            full_page=True,
            clip={"x": 0, "y": top, "width": width, "height": min(height, full - top)},
        )
