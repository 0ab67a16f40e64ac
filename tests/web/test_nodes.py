"""The public pages of the general model, through HTTP: real municipalities' plans of any shape."""

import csv
import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from machiplan.interchange.package import read_package
from machiplan.plans.services.plan_load import plan_load

pytestmark = pytest.mark.django_db
REAL = Path(__file__).resolve().parents[1] / "data" / "real"
CODES = {
    "tsukuba": "tsukuba-sousei-1",
    "chiba": "chiba-jisshi-2026",
    "urakawa": "urakawa-sousei-1",
    "ino": "ino-sousei-1",
    "ogaki": "ogaki-sousei-1",
    "fuji": "fuji-zenki-5",
    "mima": "mima-sougou",
}


@pytest.fixture(scope="module")
def packages():
    return {name: read_package(REAL / name) for name in CODES}


@pytest.fixture
def plans(packages):
    cache.clear()
    for plan in packages.values():
        plan_load(plan=plan)
    return packages


def node(plan: str, code: str) -> str:
    """A node's URL as the pages write it: the city's code percent-encoded (brackets kept)."""
    return f"/plans/{CODES[plan]}/nodes/{quote(code, safe='()')}/"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- つくば市: three levels, codes in Roman numerals and brackets --------------------------


def test_tsukuba_every_level_has_its_page_with_its_breadcrumbs(client, plans):
    plan = f"/plans/{CODES['tsukuba']}/"
    top = page(client, node("tsukuba", "Ⅰ"))
    assert "基本目標Ⅰ『つくば市の特性をいかした産業競争力の強化でしごとをつくる』" in top
    assert '<span aria-current="page">基本目標Ⅰ</span>' in top
    assert f'<a href="{node("tsukuba", "Ⅰ-1")}?lang=ja">基本施策1『' in top  # its child, linked
    assert f'<li><a href="{plan}?lang=ja">つくば市まち・ひと・しごと創生総合戦略</a></li>' in top

    middle = page(client, node("tsukuba", "Ⅰ-1"))
    assert "基本施策1『筑波研究学園都市に集積する最先端の科学技術から新たな産業をつくる』" in middle
    assert f'<li><a href="{node("tsukuba", "Ⅰ")}?lang=ja">基本目標Ⅰ</a></li>' in middle
    assert '<span aria-current="page">基本施策1</span>' in middle
    assert (
        f'<a href="{node("tsukuba", "Ⅰ-1-(1)")}?lang=ja">個別施策(1)『科学技術の振興によるまちづくり』</a>'
        in middle
    )

    deep = page(client, node("tsukuba", "Ⅰ-1-(1)"))
    start = deep.index('<nav class="crumbs"')
    crumbs = deep[start : deep.index("</nav>", start)]
    assert [
        *map(crumbs.index, ("計画一覧", "つくば市まち", "基本目標Ⅰ", "基本施策1", "個別施策(1)"))
    ] == sorted(map(crumbs.index, ("計画一覧", "つくば市まち", "基本目標Ⅰ", "基本施策1", "個別施策(1)")))
    assert f'href="{node("tsukuba", "Ⅰ-1")}?lang=ja">基本施策1</a></li>' in crumbs
    assert '<span aria-current="page">個別施策(1)</span>' in crumbs
    assert "個別施策(1)『科学技術の振興によるまちづくり』" in deep
    assert "平成27年度から平成31年度までの国際戦略総合特区新規プロジェクトの創出数" in deep  # its KPI
    assert "従前値 7プロジェクト" in deep and "12プロジェクト" in deep  # baseline, target
    assert "効果発現要因・所見（平成27年度）" in deep  # a narrative of kind effects
    assert f'↑ <a href="{node("tsukuba", "Ⅰ-1")}?lang=ja">基本施策1</a>' in deep  # up


def test_tsukuba_counts_cover_the_subtree_and_list_every_indicator_under_a_node(client, plans):
    top = page(client, node("tsukuba", "Ⅰ"))
    assert "この項目自体に掲げられた指標はありません。" in top or "この基本目標の指標" in top
    assert (  # the KPI two levels down, in the headline's counts
        '<span class="badge t-good" data-status="on_track"><span class="icon" aria-hidden="true">▲</span>順調</span> 1'
        in top
    )
    link = f"/plans/{CODES['tsukuba']}/nodes/{quote('Ⅰ')}/indicators/?lang=ja"
    assert f'href="{link}">下位の項目を含むすべての指標（1件）' in top
    under = page(client, link)
    assert (
        "/indicators/I-1-1-KPI1/?lang=ja" in under
        and "個別施策(1)『科学技術の振興によるまちづくり』" in under
    )


def test_tsukuba_in_english_marks_what_has_no_english(client, plans):
    html = page(client, node("tsukuba", "Ⅰ-1") + "?lang=en")
    assert '<html lang="en">' in html
    # the level names are the plan's English ones; the node's name has none: Japanese, and said to be
    assert (
        '<h1>Basic policy 1: <span lang="ja">筑波研究学園都市に集積する最先端の科学技術から新たな産業をつくる</span>'
        ' <small class="ja-only">[Japanese only]</small></h1>' in html
    )
    assert '<span aria-current="page">Basic policy 1</span>' in html
    assert '<span lang="ja">つくば市まち・ひと・しごと創生総合戦略</span>' in html  # no title_en


def test_tsukuba_indicator_page_sets_the_citys_rating_beside_machiplans_status(client, plans):
    html = page(client, f"/plans/{CODES['tsukuba']}/indicators/I-1-1-KPI1/")
    assert (
        '<tr role="row" class="disagrees">' in html and "⚠ 不一致：machiplanの評価は「順調」" in html
    )  # 概ね順調 vs 順調
    assert "進捗状況" in html and "概ね順調" in html
    assert f'{node("tsukuba", "Ⅰ-1-(1)")}?lang=ja">個別施策(1)『科学技術の振興によるまちづくり』</a>' in html
    assert (
        "数値確定の時期" in html and "H27: 確定" in html and "科学技術・特区推進課" in html
    )  # definition card
    assert "年度別目標" in html and "最終目標" in html  # every target, with its kind


def test_a_node_code_percent_encoded_or_not_is_the_same_page(client, plans):
    assert node("tsukuba", "Ⅰ-1-(1)") == "/plans/tsukuba-sousei-1/nodes/%E2%85%A0-1-(1)/"
    encoded = client.get(node("tsukuba", "Ⅰ-1-(1)"))
    raw = client.get(f"/plans/{CODES['tsukuba']}/nodes/Ⅰ-1-(1)/")
    lower = client.get(node("tsukuba", "Ⅰ-1-(1)").lower())
    assert encoded.status_code == raw.status_code == 200 and encoded.content == raw.content
    assert lower.status_code == 200 and lower.content == encoded.content  # %e2%85%a0 is Ⅰ too


def test_unknown_node_codes_are_404(client, plans):
    for url in (
        node("tsukuba", "Ⅱ"),
        node("tsukuba", "Ⅰ-1-(9)"),
        node("tsukuba", "Ⅰ") + "indicators/x/",
        f"/plans/{CODES['tsukuba']}/nodes/%E2%85/",  # not UTF-8
        f"/plans/{CODES['tsukuba']}/goals/1/",  # no top node of code 1
        node("urakawa", "Ⅰ"),  # tsukuba's, not urakawa's
    ):
        response = client.get(url)
        assert response.status_code in (404, 400), url  # 400: a path that is not UTF-8
        assert b"Traceback" not in response.content


def test_an_unknown_node_costs_one_query_not_the_plan(client, plans):
    client.get(node("tsukuba", "Ⅰ"))  # the plan's version is looked up
    with CaptureQueriesContext(connection) as captured:
        assert client.get(node("tsukuba", "nope")).status_code == 404
    assert len(captured) <= 2


# --- the cache: per plan version, per plan, with the city's codes in the path ---------------


def test_a_node_page_of_one_plan_is_never_served_for_another(client, plans):
    urakawa = page(client, node("urakawa", "1"))
    ogaki = page(client, node("ogaki", "1"))
    assert "競争力のある産業振興による活力あるまちづくり" in urakawa
    assert "子育て日本一が実感できるまちの創生" in ogaki and "競争力のある産業振興" not in ogaki
    assert page(client, node("urakawa", "1")) == urakawa  # again, from the cache


def test_a_node_page_with_a_non_ascii_code_is_served_again_from_the_fast_path(client, plans):
    url = node("tsukuba", "Ⅰ-1-(1)")
    first = page(client, url)
    for again in (url, f"/plans/{CODES['tsukuba']}/nodes/Ⅰ-1-(1)/"):  # encoded, or not
        with CaptureQueriesContext(connection) as captured:
            assert page(client, again) == first
        assert len(captured) == 0
    assert all(k.isascii() for k in map(str, cache._cache))  # every key plain ASCII


def test_a_plans_node_pages_share_one_read_of_it(client, plans):
    page(client, node("urakawa", "1"))
    with CaptureQueriesContext(connection) as captured:  # another node, another language: not read again
        for url in (
            node("urakawa", "1-(2)"),
            node("urakawa", "2") + "?lang=en",
            node("urakawa", "1") + "indicators/",
        ):
            page(client, url)
    assert len(captured) == 3  # one check per page that its node exists


def indicator(plan: str, code: str) -> str:
    return f"/plans/{CODES[plan]}/indicators/{quote(code)}/"


def test_a_plans_indicator_pages_share_one_read_of_its_header(client, plans):
    codes = [i.code for i in plans["urakawa"].indicators[:3]]
    with CaptureQueriesContext(connection) as first:
        page(client, indicator("urakawa", codes[0]))
    with CaptureQueriesContext(connection) as second:  # another indicator: its own rows only
        page(client, indicator("urakawa", codes[1]))
    assert len(second) < len(first) - 3
    assert not any(
        '"plans_node"' in q["sql"] and "indicator" not in q["sql"] for q in second.captured_queries
    )


@pytest.mark.parametrize("where", ["node page", "indicator page"])
def test_a_renamed_node_shows_on_its_pages(client, plans, where):
    from dataclasses import replace

    plan = plans["urakawa"]
    if where == "node page":
        url = node("urakawa", "1-(1)")
    else:  # the plan's header an indicator's page keeps is read again at the new version
        url = indicator("urakawa", next(i for i in plan.indicators if "1-(1)" in i.nodes).code)
    before = page(client, url)
    renamed = replace(
        plan,
        nodes=tuple(
            replace(n, name="第一次産業の振興（改）") if n.code == "1-(1)" else n for n in plan.nodes
        ),
    )
    plan_load(plan=renamed, replace=True)
    cache.delete(f"version:{plan.code}")  # what a second's wait does: the version is looked up again
    after = page(client, url)
    assert "第一次産業の振興（改）" in after and "第一次産業の振興（改）" not in before


# --- 千葉市: a plan-level indicator, series -------------------------------------------------


def test_chiba_plan_page_lists_its_plan_level_indicator(client, plans):
    html = page(client, f"/plans/{CODES['chiba']}/")
    section = html[html.index('id="plan-indicators-title"') :]
    assert "計画全体の指標" in html
    assert "/indicators/chiba-overall-goal-001/?lang=ja" in section
    assert "生活満足度（Well-being指標）" in section
    assert "分野（3）" in html  # the one level it uses, with its nodes
    assert "出典" in html and "千葉市" in html


def test_chiba_indicator_page_has_its_series_table_and_text_target(client, plans):
    html = page(client, f"/plans/{CODES['chiba']}/indicators/chiba-pi-f03-001/")
    table = html[html.index('id="series-title"') : html.index("</table>", html.index('id="series-title"'))]
    for series in ("健康寿命・男性", "健康寿命・女性", "平均寿命・男性", "平均寿命・女性"):
        assert f'<th scope="row" role="rowheader">{series}</th>' in table
    assert "平均寿命の増加分を上回る健康寿命の増加" in html  # a target in words
    assert "国勢調査・人口動態調査" in html  # its data source
    plan_level = page(client, f"/plans/{CODES['chiba']}/indicators/chiba-overall-goal-001/")
    assert "この指標を掲げる施策" not in plan_level  # it hangs on no node


def test_chiba_download_has_series_columns(client, plans):
    response = client.get(f"/plans/{CODES['chiba']}/indicators/chiba-pi-f03-001/download.csv")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"] and {
        "系列",
        "年区分",
        "文字値",
    } <= set(header)
    data = client.get(f"/plans/{CODES['chiba']}/indicators/chiba-pi-f03-001/download.json").json()
    assert data["series"][0] == "健康寿命・男性"
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get(f"/plans/{CODES['chiba']}/indicators/chiba-pi-f03-001/download.xlsx").content)
    )
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert (
        "平均寿命の増加分を上回る健康寿命の増加" in cells and "現状値" in cells
    )  # a target in words, baselines
    plan_level = client.get(f"/plans/{CODES['chiba']}/indicators/chiba-overall-goal-001/download.json").json()
    assert plan_level["nodes"] == [] and plan_level["targets"][0]["operator"] == "at_least"


# --- 浦河町: a KPI under two 施策 ---------------------------------------------------------------


def test_urakawa_indicator_under_two_nodes_links_both_and_both_list_it(client, plans):
    html = page(client, f"/plans/{CODES['urakawa']}/indicators/1-1-1/")
    places = html[html.index('id="places-title"') : html.index("</section>", html.index('id="places-title"'))]
    assert f'{node("urakawa", "1-(1)")}?lang=ja">施策(1)『第一次産業の振興』</a>' in places
    assert f'{node("urakawa", "1-(4)")}?lang=ja">施策(4)『人材・後継者の育成』</a>' in places
    for code, other in (("1-(1)", "1-(4)"), ("1-(4)", "1-(1)")):
        listed = page(client, node("urakawa", code))
        assert "/indicators/1-1-1/?lang=ja" in listed and "新規就農者数" in listed
        assert f'ほかの掲載先: <a href="{node("urakawa", other)}?lang=ja">' in listed
    goal = page(client, node("urakawa", "1"))
    assert "下位の項目を含むすべての指標" in goal


# --- いの町: no nodes at all; the plan's own tallies and comments ----------------------------


def test_ino_plan_without_nodes(client, plans):
    html = page(client, f"/plans/{CODES['ino']}/")
    assert "いの町まち・ひと・しごと創生総合戦略" in html
    assert "施策の体系" not in html and "計画の体系" not in html  # nothing to show
    assert "市が公表した評価別の指標数" in html and "<span>30</span>" in html  # ◎ 30
    assert (
        "いの町まち・ひと・しごと創生総合戦略推進委員会" in html and "平成30年8月7日" in html
    )  # a comment, dated
    assert "市による評価の方法" in html  # the city's words on its method


# --- 大垣市, 富士市: costs -------------------------------------------------------------------------


def test_ogaki_node_costs_in_the_unit_the_city_wrote(client, plans):
    html = page(client, node("ogaki", "1"))
    start = html.index('<table class="costs')
    costs = html[start : html.index("</table>", start)]
    assert "3,682百万円" in costs and "1,736百万円" in costs and "<span>47</span>" in costs
    plan = page(client, f"/plans/{CODES['ogaki']}/")
    assert "9,864百万円" in plan and "大垣市地域創生総合戦略推進委員会" in plan  # the plan's own


def test_fuji_costs_planned_beside_actual(client, plans):
    html = page(client, node("fuji", "2"))
    assert "第2章『健康・福祉』" in html and "章第2章" not in html  # the number names its level
    assert "1,570,693千円" in html and "3,034,064千円" in html and "193.2%" in html  # 実績／計画
    plan = page(client, f"/plans/{CODES['fuji']}/")
    assert "102,461,314千円" in plan and "75,026,256千円" in plan and "73.2%" in plan
    assert "うち100%以上が32指標" in plan  # a tally's note
    deep = page(client, node("fuji", "2-4"))
    assert f'<li><a href="{node("fuji", "2")}?lang=ja">第2章</a></li>' in deep


# --- 美馬市: a state indicator with a text target ------------------------------------------------


def test_mima_state_target(client, plans):
    html = page(client, f"/plans/{CODES['mima']}/indicators/1-1-4/")
    assert "(幼稚園教諭の)保育士資格取得" in html
    targets = html[html.index('id="targets-title"') :]
    assert "全員取得" in targets


# --- every fact the general model holds, on its page ---------------------------------------------


def test_every_fact_of_an_indicator_and_of_a_node_shows(client, packages):
    """浦河町's plan with what its documents lack: a forecast, a midterm target to maintain, an annual
    one, the city's rating and a committee's comment on the KPI and on its 施策, costs of the 施策."""
    import datetime as dt
    from dataclasses import replace
    from decimal import Decimal

    from machiplan.domain.plan import Comment, Cost, Grade, Observation, Rating, RatingScale, Target

    cache.clear()
    plan = packages["urakawa"]
    scale = RatingScale(
        key="overall",
        name="総合評価",
        name_en="Overall",
        grades=(Grade("A", "順調", statuses=("achieved",)),),
    )
    comment = Comment(fy=2017, body="committee", text="就農支援の効果が出ている。", body_name="浦河町総合戦略推進委員会",
                      date=dt.date(2018, 2, 1))  # fmt: skip
    kpi = next(i for i in plan.indicators if i.code == "1-1-1")
    kpi = replace(
        kpi,
        observations=(*kpi.observations, Observation(fy=2017, kind="forecast", value=Decimal(3))),
        targets=(
            *kpi.targets,
            Target(horizon="plan", fy=2017, value=Decimal(2), kind="midterm", operator="maintain"),
            Target(horizon="plan", fy=2016, value=Decimal(2), kind="annual", operator="at_least"),
        ),
        ratings=(Rating(fy=2016, scale="overall", grade="A"),),
        comments=(comment,),
        definition="新たに就農した組数",
        selection_rationale="第一次産業の担い手の確保を測る",
    )
    nodes = tuple(
        replace(
            n,
            ratings=(Rating(fy=2016, scale="overall", grade="A", note="概ね計画どおり"),),
            comments=(comment,),
            costs=(
                Cost(
                    start_fy=2016, end_fy=2016, basis="planned", amount=Decimal(1200), unit="千円", projects=3
                ),
                Cost(
                    start_fy=2016,
                    end_fy=2016,
                    basis="actual",
                    amount=Decimal(900),
                    general_revenue=Decimal(300),
                    unit="千円",
                    projects=3,
                ),
            ),
            statement="農業・漁業の担い手を育てる",
        )
        if n.code == "1-(1)"
        else n
        for n in plan.nodes
    )
    indicators = tuple(kpi if i.code == "1-1-1" else i for i in plan.indicators)
    plan_load(plan=replace(plan, rating_scales=(scale,), nodes=nodes, indicators=indicators))

    html = page(client, f"/plans/{CODES['urakawa']}/indicators/1-1-1/")
    assert "3.0組（見込）" in html  # a forecast among the figures (one decimal: the baseline's 1.4)
    assert "中間目標" in html and "2.0組を維持" in html  # a midterm target to maintain
    assert "年度別目標" in html and "2.0組以上" in html  # an annual target, at least
    assert "総合評価" in html and "順調" in html  # the city's rating of the KPI
    assert "就農支援の効果が出ている。" in html and "外部委員会" in html and "平成30年2月1日" in html
    assert "新たに就農した組数" in html and "第一次産業の担い手の確保を測る" in html  # the definition card
    assert "現状 1.4組" in html  # its baseline, as the city labels it

    node_html = page(client, node("urakawa", "1-(1)"))
    assert "農業・漁業の担い手を育てる" in node_html  # the statement
    assert "市による評価" in node_html and "総合評価" in node_html and "概ね計画どおり" in node_html
    assert "就農支援の効果が出ている。" in node_html and "浦河町総合戦略推進委員会" in node_html
    assert (
        "1,200千円" in node_html
        and "900千円" in node_html
        and "75.0%" in node_html
        and "300千円" in node_html
    )
    english = page(client, node("urakawa", "1-(1)") + "?lang=en")
    assert "External committee" in english and "Overall" in english
    assert '<span lang="ja">就農支援の効果が出ている。</span>' in english  # the city's words, in Japanese
