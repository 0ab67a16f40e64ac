"""千葉市実施計画 (2026-2028) 成果指標: fields as nodes, KGI/KPI, current values with their own
periods, targets with their years and operator, series (学年別, 教科別), the composite 健康寿命 /
平均寿命 × 男女 with a text target, qualitative factors, sources and pages, the overall goal; the
city's PDF and the dataset as the plan's sources."""

import datetime as dt

from .facts import (
    check_baseline,
    check_children,
    check_indicator,
    check_node,
    check_plan_header,
    check_sources,
    check_target,
    load,
    round_trip,
)

END_OF_FY2024 = dt.date(2025, 3, 31)  # 2024年度末

SOURCES = [
    {
        "title": "千葉市実施計画（2026年度～2028年度）",
        "note": "千葉市の PDF、pp.137-146（成果指標）。データセットの source_id chiba-implementation-plan-2026-2028-full-pdf",
    },
    {
        "title": "jichi-insight data/reviewed/chiba-city/current_policy_indicators.json",
        "url": (
            "https://github.com/M-Osugi1230/jichi-insight/blob/06ff535e5dbcaaca3f42bb96c574ca8ad5b36e2f"
            "/data/reviewed/chiba-city/current_policy_indicators.json"
        ),
        "note": (
            "第三者による市の PDF の転記（レビュー済み）、コミット 06ff535e5dbcaaca3f42bb96c574ca8ad5b36e2f。"
            "ここでは抜粋：分野 3・4・8、40 指標のうち 10"
        ),
    },
]

FIELDS = [("3", "健康・福祉"), ("4", "子ども・教育"), ("8", "地域経済")]

# code, field (None: the overall goal), type, name, unit, data_source, PDF page
INDICATORS = [
    (
        "chiba-overall-goal-001",
        None,
        None,
        "生活満足度（Well-being指標）11段階評価（0～10）のうち6以上を選択する人の割合",
        "%",
        "",
        "PDF p.137",
    ),
    (
        "chiba-pi-f03-001",
        "3",
        "kgi",
        "健康寿命の延伸",
        "年",
        "国勢調査・人口動態調査・第1号被保険者数及び要介護認定者数を基に健康寿命の算定プログラムにより算定",
        "PDF p.140",
    ),
    (
        "chiba-pi-f03-002",
        "3",
        "kpi",
        "介護・支援を必要としない高齢者の割合（75歳以上85歳未満）",
        "%",
        "所管課集計",
        "PDF p.140",
    ),
    (
        "chiba-pi-f04-001",
        "4",
        "kgi",
        "市内に安心して出産・育児ができる環境があると感じる人の割合",
        "%",
        "千葉市まちづくりアンケート",
        "PDF p.141",
    ),
    ("chiba-pi-f04-002", "4", "kpi", "保育所待機児童数", "人", "所管課集計", "PDF p.141"),
    (
        "chiba-pi-f04-004",
        "4",
        "kgi",
        "一時保護児童一人当たりの平均在所日数",
        "日",
        "こどもの福祉と保健に関する状況報告",
        "PDF p.141",
    ),
    (
        "chiba-pi-f04-007",
        "4",
        "kgi",
        "将来の夢や目標を持っている児童生徒の割合",
        "%",
        "全国学力・学習状況調査結果",
        "PDF p.141",
    ),
    (
        "chiba-pi-f04-012",
        "4",
        "kpi",
        "全国学力・学習状況調査における全国平均正答率との比較（市立小・中学校）",
        "ポイント",
        "全国学力・学習状況調査結果",
        "PDF p.141",
    ),
    (
        "chiba-pi-f04-014",
        "4",
        "kpi",
        "学校内外の機関等で相談・指導等を受けていない不登校児童生徒の割合",
        "%",
        "児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査（文部科学省）",
        "PDF p.141",
    ),
    (
        "chiba-pi-f08-001",
        "8",
        "kgi",
        "市民一人当たりの総生産額（名目）",
        "千円",
        "市民経済計算及び各年4月付の推計人口",
        "PDF p.146",
    ),
    (
        "chiba-pi-f08-004",
        "8",
        "kpi",
        "市内農業産出額",
        "億円",
        "農林水産省市町村別農業産出額（推計）",
        "PDF p.146",
    ),
]

# code, series, current (fy, period, as_of, value, as written), target (fy, value, operator, as written)
FIGURES = [
    (
        "chiba-overall-goal-001",
        "",
        (2025, "cy", None, 74.3, "2025年"),
        (2032, 80.0, "at_least", "2032年度末"),
    ),
    (
        "chiba-pi-f03-002",
        "",
        (2024, "fy", END_OF_FY2024, 81.9, "2024年度末"),
        (2028, 82.2, None, "2028年度末"),
    ),
    ("chiba-pi-f04-001", "", (2021, "fy", None, 44.9, "2021年度"), (2028, 64.0, None, "2028年度末")),
    ("chiba-pi-f04-002", "", (2024, "fy", END_OF_FY2024, 0, "2024年度末"), (2028, 0, None, "2028年度末")),
    (
        "chiba-pi-f04-004",
        "",
        (2024, "fy", END_OF_FY2024, 68.3, "2024年度末"),
        (2028, 52.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-007",
        "小学6年生",
        (2024, "fy", END_OF_FY2024, 83.5, "2024年度末"),
        (2028, 87.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-007",
        "中学3年生",
        (2024, "fy", END_OF_FY2024, 64.2, "2024年度末"),
        (2028, 71.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-012",
        "小学・国語",
        (2024, "fy", END_OF_FY2024, 0.0, "2024年度末"),
        (2028, 1.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-012",
        "小学・算数",
        (2024, "fy", END_OF_FY2024, 2.0, "2024年度末"),
        (2028, 1.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-012",
        "中学・国語",
        (2024, "fy", END_OF_FY2024, 0.0, "2024年度末"),
        (2028, 1.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-012",
        "中学・数学",
        (2024, "fy", END_OF_FY2024, -1.0, "2024年度末"),
        (2028, 1.0, None, "2028年度末"),
    ),
    (
        "chiba-pi-f04-014",
        "",
        (2024, "fy", END_OF_FY2024, 44.1, "2024年度末"),
        (2028, 38.0, None, "2028年度末"),
    ),
    ("chiba-pi-f08-001", "", (2020, "fy", None, 4344, "2020年度"), (2025, 4488, None, "2025年度")),
    ("chiba-pi-f08-004", "", (2023, "fy", None, 90.4, "2023年度"), (2027, 93.1, None, "2027年度")),
]

HEALTHY_LIFE = [  # 健康寿命の延伸, 2020年度: component, 男女, value
    ("健康寿命・男性", 80.04),
    ("健康寿命・女性", 84.78),
    ("平均寿命・男性", 81.45),
    ("平均寿命・女性", 88.1),
]

QUALITATIVE = [
    # field, factor, primary, id, page, repost of
    (
        "3",
        "自身の健康状態を把握し、病気の早期発見と早期治療を行っている人が増加する。",
        True,
        "chiba-qf-f03-001",
        140,
        None,
    ),
    ("3", "生活習慣病の改善に向け、行動している人が増加する。", True, "chiba-qf-f03-002", 140, None),
    (
        "3",
        "女性・障害者・高齢者・こども・若者が活躍している",
        False,
        "chiba-qf-f03-r001",
        140,
        "chiba-qf-f05-001",
    ),
    ("8", "企業が安定的な経営を行っている", True, "chiba-qf-f08-001", 146, None),
]


def test_the_plan_and_its_fields():
    loaded = load("chiba")
    check_plan_header(
        loaded,
        code="chiba-jisshi-2026",
        title="千葉市実施計画",
        municipality=("千葉市", "121002"),
        start_fy=2026,  # 2026年度～2028年度
        end_fy=2028,
        levels=["分野"],
    )
    check_sources(loaded, SOURCES)
    check_children(loaded, None, [code for code, _ in FIELDS])
    for code, name in FIELDS:
        check_node(loaded, code, name=name, level="分野")


def test_the_indicators():
    loaded = load("chiba")
    assert [i.code for i in loaded.plan.indicators] == [row[0] for row in INDICATORS]
    for code, field, kind, name, unit, source, page in INDICATORS:
        check_indicator(
            loaded, code, nodes=[field] if field else [], type=kind, name=name, unit=unit, data_source=source
        )
        indicator, doc = loaded.indicator(code)
        assert page in indicator.note and page in doc["note"]


def test_the_overall_goal_belongs_to_no_field():
    loaded = load("chiba")
    indicator, doc = loaded.indicator("chiba-overall-goal-001")
    assert indicator.nodes == () and doc["nodes"] == [] and doc["goal"] is None
    assert all("chiba-overall-goal-001" not in n["indicators"] for n in loaded.doc["nodes"])


def test_current_values_and_targets_with_their_own_periods():
    loaded = load("chiba")
    for code, series, (fy, period, as_of, value, written), (
        target_fy,
        target,
        operator,
        target_written,
    ) in FIGURES:
        check_baseline(
            loaded,
            code,
            series=series,
            label="現状値",
            fy=fy,
            period=period,
            as_of=as_of,
            value=value,
            note=written,
        )
        check_target(
            loaded,
            code,
            series=series,
            horizon="plan",
            kind="final",
            fy=target_fy,
            value=target,
            operator=operator,
            note=target_written,
        )


def test_series():
    loaded = load("chiba")
    check_indicator(loaded, "chiba-pi-f04-007", series=["小学6年生", "中学3年生"])
    check_indicator(
        loaded, "chiba-pi-f04-012", series=["小学・国語", "小学・算数", "中学・国語", "中学・数学"]
    )


def test_the_composite_healthy_life_expectancy_and_its_text_target():
    loaded = load("chiba")
    code = "chiba-pi-f03-001"
    check_indicator(loaded, code, series=[s for s, _ in HEALTHY_LIFE])
    for series, value in HEALTHY_LIFE:
        check_baseline(
            loaded, code, series=series, label="現状値", fy=2020, period="fy", value=value, note="2020年度"
        )
    check_target(
        loaded,
        code,
        series="",
        fy=2028,
        value=None,
        text="平均寿命の増加分を上回る健康寿命の増加",
        note="2028年度末",
    )
    # words no number states: machiplan shows the target and does not judge it
    assert loaded.status(code) == "no_target"
    assert loaded.indicator(code)[1]["evaluation"]["reason"] == "text_target"


def test_directions():
    loaded = load("chiba")
    for code in ("chiba-pi-f04-002", "chiba-pi-f04-004", "chiba-pi-f04-014"):
        check_indicator(loaded, code, direction="decrease")
    check_indicator(loaded, "chiba-pi-f04-012", direction="increase")
    check_indicator(loaded, "chiba-overall-goal-001", survey=True)
    check_indicator(loaded, "chiba-pi-f04-001", survey=True)


def test_the_qualitative_factors():
    loaded = load("chiba")
    for field, factor, primary, ident, page, repost in QUALITATIVE:
        node, doc = loaded.node(field)
        [initiative] = [i for i in node.initiatives if i.text == factor]
        [item] = [i for i in doc["initiatives"] if i["text"] == factor]
        facts = [f"primary: {'true' if primary else 'false'}", f"id: {ident}", f"PDF p.{page}"]
        if repost:
            facts.append(f"repost_of: {repost}")
        for fact in facts:
            assert fact in initiative.facts and fact in item["facts"]
    assert loaded.node("4")[0].initiatives == ()


def test_nothing_to_judge_yet():
    """The plan as adopted: current values and targets, no actual since: 評価不能 (no_data),
    for the series too; 健康寿命の延伸's target is words."""
    loaded = load("chiba")
    statuses = {code: loaded.status(code) for code, *_ in INDICATORS}
    assert statuses.pop("chiba-pi-f03-001") == "no_target"
    assert set(statuses.values()) == {"no_data"}
    assert loaded.indicator("chiba-pi-f04-007")[1]["evaluation"]["reason"] == "no_data_in_series"


def test_round_trip(tmp_path):
    plan = load("chiba").plan
    assert round_trip(plan, tmp_path) == plan
