"""福岡市 保健福祉総合計画 各論(障がい者分野)の進捗状況 (資料3): 基本目標1 with 目標の内容 and
施策の方向性 (a narrative of its own kind), its 14 施策, the 進捗状況 as far as the extract goes; the
six 基本目標 of the 目次; the document as source."""

from .facts import check_children, check_node, check_plan_header, check_sources, load, round_trip

SOURCE = {
    "title": "【資料3】 現福岡市保健福祉総合計画各論(障がい者分野)の進捗状況について",
    "url": "https://www.city.fukuoka.lg.jp/data/open/cnt/3/79119/1/12shiryou3.txt?20210402104829",
    "date": None,  # not stated; the address carries a time stamp
    "note": "福岡市のテキスト版。日付はない（アドレスに 20210402104829、2021年4月）",
}
GOAL_1 = "地域で安心して生活するための支援の充実"
STATEMENT = (
    "障がいのある人もその家族も、地域で安心して生活し続けることができる支援の充実を図ります。"  # 目標の内容
)
DIRECTIONS = [  # 施策の方向性
    "地域での生活を支援するため、在宅サービス、グループホーム、外出・移動などの支援の充実を図るとともに、身近な場所で相談支援を受けることのできる体制を強化します。",
    "重度の障がいがある人に対する障がい福祉サービスの充実を図り、社会参加の支援や生活の質の向上をめざします。",
    "地域で安心した生活を継続できるよう、相談、体験の機会・場の確保、緊急時の受け入れ・対応、地域の支援体制づくりなど、総合的な支援を検討します。",
    "施策の推進にあたっては、社会情勢やニーズの変化に合わせた施策への再構築を図ります。",
]
MEASURES = [  # ≪施策事業の体系≫
    ("1-1", "相談支援"),
    ("1-2", "在宅サービスの推進"),
    ("1-3", "移動・外出支援"),
    ("1-4", "施設サービス等の推進"),
    ("1-5", "生活用具等の給付"),
    ("1-6", "年金・手当等"),
    ("1-7", "住宅支援"),
    ("1-8", "保健・医療・リハビリテーション"),
    ("1-9", "発達障がい児・者への支援"),
    ("1-10", "難病に関する施策の推進"),
    ("1-11", "災害対策の推進"),
    ("1-12", "事業所におけるサービスの質の向上"),
    ("1-13", "人材の育成・研修"),
    ("1-14", "「親なき後」の支援"),
]
PROGRESS = ["市内14カ所に、区障"]  # 【進捗状況】, cut off


def test_the_plan_and_its_six_goals():
    loaded = load("fukuoka")
    check_plan_header(
        loaded,
        code="fukuoka-hokenfukushi-shogai",
        title="福岡市保健福祉総合計画 各論(障がい者分野)",
        municipality=("福岡市", "401307"),
        levels=["基本目標", "施策"],
    )
    check_sources(loaded, [SOURCE])
    check_children(loaded, None, ["1", "2", "3", "4", "5", "6"])
    for n in range(2, 7):
        check_node(loaded, str(n), name=f"基本目標{n}", level="基本目標")


def test_goal_1_its_statement_and_directions():
    loaded = load("fukuoka")
    check_node(loaded, "1", name=GOAL_1, statement=STATEMENT, level="基本目標")
    node, doc = loaded.node("1")
    assert (
        [n.kind for n in node.narratives]
        == [n["kind"] for n in doc["narratives"]]
        == ["direction", "results"]
    )
    direction = next(n for n in node.narratives if n.kind == "direction")
    assert direction.fy is None  # standing directions, of no year
    assert direction.items[0].heading == "施策の方向性"
    assert list(direction.items[0].bullets) == DIRECTIONS
    direction_doc = next(n for n in doc["narratives"] if n["kind"] == "direction")
    assert (direction_doc["fy"], direction_doc["items"][0]["bullets"]) == (None, DIRECTIONS)
    # the v1 view of the JSON: goal 1 with its policies
    goal = loaded.doc["goals"][0]
    assert (goal["number"], goal["name"], goal["statement"]) == (1, GOAL_1, STATEMENT)
    assert [(p["code"], p["title"]) for p in goal["policies"]] == MEASURES


def test_the_14_measures():
    loaded = load("fukuoka")
    check_children(loaded, "1", [code for code, _ in MEASURES])
    for code, name in MEASURES:
        check_node(loaded, code, name=name, parent="1", level="施策")


def test_the_progress_as_far_as_it_goes():
    loaded = load("fukuoka")
    node, doc = loaded.node("1")
    results = next(n for n in node.narratives if n.kind == "results")
    assert results.fy is None
    assert (results.items[0].heading, list(results.items[0].bullets)) == ("進捗状況", PROGRESS)
    assert (
        next(n for n in doc["narratives"] if n["kind"] == "results")["text"]
        == "●進捗状況\n・市内14カ所に、区障"
    )


def test_round_trip(tmp_path):
    plan = load("fukuoka").plan
    assert round_trip(plan, tmp_path) == plan
    assert plan.indicators == ()
