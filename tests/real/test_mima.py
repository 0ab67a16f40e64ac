"""美馬市総合計画 成果指標 (目標年次 平成31年度末), 1章: sections ①…⑦, per indicator 単位, 現状,
目標(平成31年度) and 説明; the text target 全員取得; the opening words as the description, the
document as source."""

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

DESCRIPTION = (  # the opening words, cut off
    "総合計画の達成度合いを判断するため、平成31年度末を目標年次とした成果指標(達成目標)を設定しました。"
    "成果指標とは、計画の実現に向けた様々な取り組みに対する目標を、数値でわかりやすく示したもので…"
    "（以下、抽出で欠落）"
)
SOURCE = {
    "title": "美馬市総合計画 成果指標",
    "url": "https://paperzz.com/doc/6402135/%E6%88%90%E6%9E%9C%E6%8C%87%E6%A8%99---%E7%BE%8E%E9%A6%AC%E5%B8%82",
    "date": None,  # not dated
    "note": "美馬市の PDF の写し（paperzz.com）。日付はない（目標年次 平成31年度末）",
}

SECTIONS = [
    # code, number, name
    ("1-1", "①", "子育て・就学前教育"),
    ("1-2", "②", "義務教育"),
    ("1-3", "③", "地域教育"),
    ("1-5", "⑤", "生涯スポーツ"),
    ("1-6", "⑥", "歴史・文化"),
    ("1-7", "⑦", "地域づくり"),
]

# code, section, 目標(指標)名, 単位, 現状 (value, as written), 目標(平成31年度) (value, as written)
INDICATORS = [
    ("1-1-1", "1-1", "待機児童", "人", (0, "0"), (0, "0")),
    ("1-1-2", "1-1", "認定こども園", "カ所", (1, "1"), (3, "3")),
    ("1-1-3", "1-1", "母子・父子相談件数", "件", (943, "943"), (1000, "1,000")),
    ("1-1-4", "1-1", "(幼稚園教諭の)保育士資格取得", None, None, ("全員取得", "全員取得")),
    ("1-2-1", "1-2", "非構造部材耐震補強実施率", "%", (0, "0"), (100, "100")),
    ("1-3-1", "1-3", "青少年健全育成講演会参加人数", "人", (171, "171"), (250, "250")),
    ("1-5-1", "1-5", "総合型スポーツクラブの加入者数", "人", (1170, "1,170"), (1300, "1,300")),
    ("1-5-2", "1-5", "市体育協会会員数", "人", (1624, "1,624"), (1800, "1,800")),
    ("1-5-3", "1-5", "市スポーツ少年団加入者数", "人", (261, "261"), (280, "280")),
    ("1-6-1", "1-6", "市文化協会の加入団体数", "団体", (88, "88"), (90, "90")),
    ("1-6-2", "1-6", "市文化祭参加人数", "人", (2059, "2,059"), (2100, "2,100")),
    ("1-6-3", "1-6", "補助金申請団体数", "件", (3, "3"), (5, "5")),
    ("1-6-4", "1-6", "各種文化財の補修・管理・活用件数", "件", (40, "40"), (50, "50")),
    ("1-6-5", "1-6", "学校出前授業", "校", (8, "8"), (9, "9")),
    ("1-6-6", "1-6", "埋蔵文化財立会・試掘・本調査件数", "件", (10, "10"), (20, "20")),
    ("1-6-7", "1-6", "重伝建建造物及び工作物の修理・修景率", "%", (43, "43"), (50, "50")),
    ("1-7-1", "1-7", "自治会数", "自治会", (332, "332"), (300, "300")),
]

EXPLANATIONS = {  # 目標(指標)の説明
    "1-1-1": "市では待機児童は存在しないが、今後も保育ニーズ量に対する受け皿を確保していく。",
    "1-1-2": "子ども・子育て支援新制度における認定子ども園を計画的に整備する。",
    "1-1-3": "多様化する相談内容に対し、細やかな対応を実施する。",
    "1-3-1": "講演会参加人数",  # the text breaks off after it
}


def test_the_plan_and_its_sections():
    loaded = load("mima")
    check_plan_header(
        loaded,
        code="mima-sougou",
        title="美馬市総合計画",
        municipality=("美馬市", "362077"),
        end_fy=2019,  # 平成31年度末を目標年次
        levels=["章", "節"],
        description=DESCRIPTION,
    )
    check_sources(loaded, [SOURCE])
    check_children(loaded, None, ["1"])
    check_node(loaded, "1", number="1章", name="市民の個性と能力が発揮できるまちづくり(教育・文化)")
    check_children(loaded, "1", [code for code, *_ in SECTIONS])
    for code, number, name in SECTIONS:
        check_node(loaded, code, number=number, name=name, parent="1", level="節")


def test_every_indicator_with_its_unit_current_value_and_target():
    loaded = load("mima")
    assert [i.code for i in loaded.plan.indicators] == [row[0] for row in INDICATORS]
    for code, section, name, unit, now, target in INDICATORS:
        check_indicator(loaded, code, nodes=[section], name=name, unit=unit, type="outcome")
        if now is not None:  # 現状, with no year
            check_baseline(loaded, code, label="現状", fy=None, value=now[0], source_text=now[1])
        else:
            assert loaded.indicator(code)[0].baselines == ()
        value, text = target
        if isinstance(value, str):
            continue
        check_target(loaded, code, horizon="plan", kind="final", fy=2019, value=value, source_text=text)


def test_the_explanations():
    loaded = load("mima")
    for code, text in EXPLANATIONS.items():
        check_indicator(loaded, code, definition=text)


def test_the_text_target_everyone_qualified():
    loaded = load("mima")
    check_indicator(loaded, "1-1-4", value_type="state")
    check_target(loaded, "1-1-4", horizon="plan", fy=2019, value=None, text="全員取得")
    # a state target with no state reported yet
    assert loaded.status("1-1-4") == "no_data"
    assert loaded.indicator("1-1-4")[1]["evaluation"]["reason"] == "no_state"


def test_directions():
    loaded = load("mima")
    check_indicator(loaded, "1-1-1", direction="decrease")  # 待機児童: none, and keep it so
    check_indicator(loaded, "1-7-1", direction="increase")  # 332 → 300: not said; the default


def test_nothing_to_judge_yet():
    loaded = load("mima")
    assert {loaded.status(code) for code, *_ in INDICATORS} == {"no_data"}


def test_round_trip(tmp_path):
    plan = load("mima").plan
    assert round_trip(plan, tmp_path) == plan
