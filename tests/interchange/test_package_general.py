"""Plan packages of format 2: any plan the model holds is written and read back equal
(hypothesis draws the plans), format 1 reads into the same nodes, and every new file's
errors name their place."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain.errors import MachiplanError
from machiplan.domain.plan import (
    COMMENT_BODIES,
    COST_UNITS,
    OPERATORS,
    Baseline,
    Comment,
    Cost,
    Department,
    Grade,
    Indicator,
    Initiative,
    Level,
    Method,
    Municipality,
    Narrative,
    NarrativeItem,
    Node,
    Observation,
    Plan,
    Rating,
    RatingScale,
    Revision,
    Source,
    Tally,
    Target,
)
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package, write_package

# texts with the characters a CSV or a list cell could take for its own
TEXT = (
    st.text(
        alphabet=st.sampled_from(list("あい基本目標施策指標ABCxyz 019;=\\,\"'\n・●※（）-")),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
NUMBER = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
).map(lambda d: d.normalize() if d == d.to_integral_value() else d)
YEAR = st.integers(min_value=2010, max_value=2030)


@st.composite
def plans(draw):
    departments = (Department("dept-a", "企画課"), Department("dept-b", "市民活動課"))
    revisions = (Revision("r1", 2020, "中間見直し", dt.date(2020, 3, 31), "目標の上方修正", ("KPIの追加",)),)
    scale = RatingScale(
        "overall", "総合評価", (Grade("A", "順調", statuses=("achieved",)), Grade("B", "概ね順調"))
    )
    depth_names = draw(st.lists(TEXT, min_size=1, max_size=4))
    nodes: list[Node] = []
    codes: list[str] = []

    def add(parent: str | None, depth: int) -> None:
        for k in range(draw(st.integers(1, 2))):
            code = f"{parent}-{k + 1}" if parent else f"N{k + 1}"
            codes.append(code)
            nodes.append(
                Node(
                    code=code,
                    name=draw(TEXT),
                    parent=parent,
                    number=draw(st.sampled_from(["", f"({k + 1})", "①", "Ⅱ"])),
                    statement=draw(st.sampled_from(["", "目標の内容"])),
                    priority=draw(st.booleans()),
                    department=draw(st.sampled_from([None, "dept-a"])),
                    related_departments=draw(st.sampled_from([(), ("dept-b",)])),
                    related_plans=draw(st.lists(TEXT, max_size=1).map(tuple)),
                    initiatives=tuple(Initiative(t, tuple(f)) for t, f in draw(st.lists(st.tuples(TEXT, st.lists(TEXT, max_size=1)), max_size=2))),
                    narratives=tuple(
                        Narrative(kind, draw(st.one_of(st.none(), YEAR)), (NarrativeItem(heading=draw(TEXT), bullets=(draw(TEXT),)),))
                        for kind in draw(st.lists(st.sampled_from(["results", "plan", "future", "issues", "effects", "direction"]), max_size=2, unique=True))
                    ),
                    footnotes=tuple(draw(st.lists(TEXT, max_size=1))),
                    ratings=tuple(Rating(draw(YEAR), "overall", draw(st.sampled_from(["A", "B"])), draw(st.sampled_from(["", "注記"]))) for _ in range(draw(st.integers(0, 1)))),
                    comments=tuple(
                        Comment(draw(YEAR), draw(st.sampled_from(COMMENT_BODIES)), draw(TEXT), draw(st.sampled_from(["", "推進委員会"])), draw(st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2025, 1, 1)))))
                        for _ in range(draw(st.integers(0, 1)))
                    ),
                    tallies=tuple(Tally(draw(YEAR), "overall", "B", draw(st.integers(0, 9))) for _ in range(draw(st.integers(0, 1)))),
                    costs=tuple(
                        Cost(fy, fy + draw(st.integers(0, 4)), draw(st.sampled_from(["planned", "actual"])), draw(st.one_of(st.none(), NUMBER)), draw(st.one_of(st.none(), NUMBER)), draw(st.one_of(st.none(), st.integers(0, 500))), draw(st.sampled_from(list(COST_UNITS))), draw(st.sampled_from(["", "一般", "企業"])), draw(st.sampled_from(["", "事業費"])), "")
                        for fy in draw(st.lists(YEAR, max_size=1))
                    ),
                )
            )  # fmt: skip
            if depth + 1 < len(depth_names) and draw(st.booleans()):
                add(code, depth + 1)

    add(None, 0)
    indicators = []
    for n in range(draw(st.integers(1, 4))):
        series = tuple(draw(st.lists(TEXT, max_size=2, unique=True)))
        value_type = draw(st.sampled_from(["number", "state"]))
        all_series = ("", *series)
        observations = []
        for s in all_series:
            for fy in draw(st.lists(YEAR, max_size=3, unique=True)):
                kind = draw(st.sampled_from(["actual", "interim", "forecast", "pending", "none"]))
                period = draw(st.sampled_from(["fy", "cy"]))
                if kind in ("pending", "none"):
                    value, text = None, ""
                elif value_type == "state":
                    value, text = None, draw(TEXT)
                else:
                    value, text = draw(NUMBER), ""
                start = dt.date(fy, 4, 1) if period == "fy" else dt.date(fy, 1, 1)
                as_of = draw(
                    st.one_of(st.none(), st.just(start + dt.timedelta(days=draw(st.integers(0, 364)))))
                )
                breakdown = (
                    tuple((draw(TEXT), draw(NUMBER)) for _ in range(draw(st.integers(0, 2))))
                    if value is not None
                    else ()
                )
                if breakdown:  # the parts add up to the value: the figure rules say so
                    value = sum((v for _, v in breakdown), Decimal(0))
                observations.append(
                    Observation(
                        fy,
                        kind,
                        value,
                        as_of,
                        draw(st.booleans()),
                        breakdown,
                        draw(st.sampled_from(["", "32.4%"])),
                        draw(st.sampled_from(["", "注"])),
                        series=s,
                        period=period,
                        text=text,
                    )
                )
        rank = {name: k for k, name in enumerate(all_series)}
        observations.sort(key=lambda o: (rank[o.series], o.fy))
        targets = []
        for s in all_series:
            for kind, fy in (
                ("final", 2030),
                *(("annual", y) for y in draw(st.lists(YEAR, max_size=2, unique=True))),
            ):
                targets.append(
                    Target(
                        "plan",
                        fy,
                        draw(st.one_of(st.none(), NUMBER)),
                        None,
                        draw(st.booleans()),
                        draw(st.sampled_from(["", "以上"])),
                        series=s,
                        kind=kind,
                        operator=draw(st.sampled_from([None, *OPERATORS])),
                        text=draw(st.sampled_from(["", "設置"])),
                        year_stated=draw(st.booleans()),
                        revision=draw(st.sampled_from([None, "r1"])) if kind != "final" else None,
                        note=draw(st.sampled_from(["", "備考"])),
                    )
                )
        baselines = [
            Baseline(
                draw(st.one_of(st.none(), YEAR)),
                draw(st.one_of(st.none(), NUMBER)),
                draw(st.sampled_from(["", "初期値"])),
                s,
                revision=draw(st.sampled_from([None, "r1"])),
            )
            for s in draw(st.lists(st.sampled_from(all_series), max_size=2))
        ]
        node_codes = tuple(draw(st.lists(st.sampled_from(codes), max_size=2, unique=True)))
        indicators.append(
            Indicator(
                code=f"i{n}", name=draw(TEXT), nodes=node_codes, category=draw(st.sampled_from(["", "参加の実感"])),
                type=draw(st.sampled_from([None, "kgi", "kpi", "context"])), unit=draw(st.sampled_from([None, "件", "円"])),
                per=draw(st.sampled_from([None, "year", "month"])), direction=draw(st.sampled_from(["increase", "decrease"])),
                measure=draw(st.sampled_from(["level", "flow"])), value_type=value_type,
                survey=draw(st.booleans()), reference=draw(st.booleans()), note=draw(st.sampled_from([None, "※注"])),
                department=draw(st.sampled_from([None, "dept-b"])), related_departments=draw(st.sampled_from([(), ("dept-a", "dept-b")])),
                name_en=draw(st.sampled_from([None, "Share"])), definition=draw(st.sampled_from(["", "定義;=\\"])),
                calculation=draw(st.sampled_from(["", "A÷B"])), selection_rationale=draw(st.sampled_from(["", "意図の達成度"])), data_source=draw(st.sampled_from(["", "市民アンケート"])),
                confirmed_when=draw(st.sampled_from(["", "11月"])), target_rationale=draw(st.sampled_from(["", "理由"])),
                added_in=draw(st.sampled_from([None, "r1"])), dropped_in=draw(st.sampled_from([None, "r1"])),
                carried_from=draw(st.sampled_from([None, "old-plan/a1"])), series=series, baselines=tuple(baselines),
                observations=tuple(observations), targets=tuple(targets),
                ratings=tuple(Rating(draw(YEAR), "overall", "B") for _ in range(draw(st.integers(0, 1)))),
                comments=tuple(Comment(draw(YEAR), "council", draw(TEXT)) for _ in range(draw(st.integers(0, 1)))),
            )
        )  # fmt: skip
    return Plan(
        code="p-1",
        title=draw(TEXT),
        municipality=Municipality("安平町", "015857"),
        start_fy=2015,
        end_fy=2030,
        evaluation_fy=draw(st.one_of(st.none(), st.just(2020))),
        departments=departments,
        department=draw(st.sampled_from([None, "dept-a"])),
        levels=tuple(Level(n, draw(st.sampled_from([None, "Level"]))) for n in depth_names),
        nodes=tuple(nodes),
        indicators=tuple(indicators),
        rating_scales=(scale,),
        revisions=revisions,
        parent_plan=draw(st.sampled_from([None, "abira-sougou"])),
        predecessor=draw(st.sampled_from([None, "abira-1"])),
        description=draw(st.sampled_from(["", "将来像: 住みたい 育てたい 帰りたい"])),
        sources=tuple(Source(draw(TEXT), draw(st.sampled_from(["", "https://example.jp/a.pdf"])), draw(st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2025, 1, 1)))), draw(st.sampled_from(["", "p.137"]))) for _ in range(draw(st.integers(0, 2)))),
        ratings=tuple(Rating(draw(YEAR), "overall", "A") for _ in range(draw(st.integers(0, 1)))),
        comments=tuple(Comment(draw(YEAR), "committee", draw(TEXT), "推進委員会", dt.date(2017, 5, 25)) for _ in range(draw(st.integers(0, 1)))),
        costs=tuple(Cost(2016, 2016, "actual", draw(NUMBER), None, 136, "百万円") for _ in range(draw(st.integers(0, 1)))),
        tallies=tuple(Tally(draw(YEAR), "overall", g, draw(st.integers(0, 80)), draw(st.sampled_from(["", "H31.3末"]))) for g in draw(st.lists(st.sampled_from(["A", "B"]), max_size=2, unique=True))),
        method=Method(description=draw(st.sampled_from(["", "評価の方法: 目標値以上を◎"]))),
    )  # fmt: skip


@given(plans())
def test_any_plan_the_model_holds_round_trips(tmp_path_factory, plan):
    folder = tmp_path_factory.mktemp("package")
    write_package(plan, folder)
    assert read_package(folder) == plan


def test_format_1_reads_into_nodes_and_writes_as_format_2(tmp_path):
    old = read_package(DEFAULT_PLAN_DIR)  # the embedded package is format 1
    assert [n.code for n in old.top_nodes] == ["1", "2", "3", "4"]
    assert [n.code for n in old.children("1")] == ["1-1", "1-2", "1-3"]
    assert [lv.name for lv in old.levels] == ["基本目標", "基本施策"]
    assert {i.nodes for i in old.indicators} == {("1",), ("2",), ("3",), ("4",)}
    write_package(old, tmp_path)
    assert "schema: machiplan/package@2" in (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    assert read_package(tmp_path) == old


def test_the_plan_names_the_department_that_owns_it(tmp_path):
    """plan.yaml's ``department``: the plan's own department, written back by export; without it the
    issuer is the one department a plan names, or none among several (format 1, Sapporo: two)."""
    sapporo = read_package(DEFAULT_PLAN_DIR)
    assert sapporo.department is None and sapporo.issuing_department is None
    shutil.copytree(DEFAULT_PLAN_DIR, tmp_path / "v1")
    _break(tmp_path / "v1", "plan.yaml", "\ndepartments:", "\ndepartment: chiiki-katsudo\ndepartments:")
    owned = read_package(tmp_path / "v1")  # format 1 carries it too
    assert owned.department == "chiiki-katsudo"
    assert owned.issuing_department == Department("chiiki-katsudo", "市民文化局 地域活動推進課")
    write_package(owned, tmp_path / "v2")
    assert "\ndepartment: chiiki-katsudo\n" in (tmp_path / "v2" / "plan.yaml").read_text(encoding="utf-8")
    assert read_package(tmp_path / "v2") == owned
    one = replace(sapporo, departments=sapporo.departments[:1])
    assert one.issuing_department == sapporo.departments[0]


@pytest.fixture
def general(tmp_path):
    """A small format 2 package with every file, to break."""
    plan = Plan(
        code="g",
        title="総合戦略",
        municipality=Municipality("つくば市", "082201"),
        start_fy=2015,
        end_fy=2019,
        departments=(Department("kagaku", "科学技術・特区推進課"),),
        levels=(Level("基本目標"), Level("基本施策")),
        nodes=(
            Node("Ⅰ", "産業", costs=(Cost(2016, 2016, "actual", Decimal(3682), unit="百万円"),)),
            Node("Ⅰ-1", "科学技術", parent="Ⅰ", number="1"),
        ),
        indicators=(
            Indicator(
                "k1",
                "プロジェクト創出数",
                nodes=("Ⅰ-1",),
                baselines=(Baseline(2015, Decimal(8), "従前値"),),
                observations=(Observation(2015, "actual", Decimal(8)),),
                targets=(Target("plan", 2019, Decimal(12)),),
                ratings=(Rating(2015, "overall", "B"),),
            ),
        ),
        rating_scales=(RatingScale("overall", "総合評価", (Grade("A"), Grade("B"))),),
    )
    write_package(plan, tmp_path)
    return tmp_path


def _break(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "error"),
    [
        ("indicators.csv", "k1,Ⅰ-1", "k1,Ⅰ-9", r"indicators.csv:2: node Ⅰ-9 is not in plan.yaml"),
        (
            "ratings.csv",
            "overall,B",
            "overall,Z",
            r"ratings.csv:2: grade 'Z' is not on scale overall \(A, B\)",
        ),
        ("ratings.csv", "overall,B", "total,B", r"ratings.csv:2: rating scale 'total' is not in plan.yaml"),
        (
            "ratings.csv",
            "k1,,",
            "k1,Ⅰ,",
            r"ratings.csv:2: name one of 'indicator' and 'node', or neither for the whole plan",
        ),
        ("costs.csv", "百万円", "万円", r"costs.csv:2: 'unit' must be one of 円, 千円, 百万円, 億円"),
        ("costs.csv", "Ⅰ,2016,2016", "Ⅹ,2016,2016", r"costs.csv:2: node 'Ⅹ' is not in plan.yaml"),
        ("costs.csv", "Ⅰ,2016,2016", "Ⅰ,2016,2015", r"costs.csv:2: end_fy is before start_fy"),
        (
            "baselines.csv",
            "k1,,従前値",
            "k9,,従前値",
            r"baselines.csv: indicator 'k9' is not in indicators.csv",
        ),
        (
            "plan.yaml",
            "code: Ⅰ-1",
            "code: Ⅰ 1",
            r"plan.yaml.nodes\[0\].children\[0\].code: 'Ⅰ 1' is not a valid node code",
        ),
        (  # a browser reads /nodes/../ as the page above: the node's pages could not be reached
            "plan.yaml",
            "code: Ⅰ-1",
            'code: ".."',
            r"plan.yaml.nodes\[0\].children\[0\].code: '\.\.' is not a valid node code",
        ),
        ("plan.yaml", "code: Ⅰ-1", "code: Ⅰ", r"plan.yaml.nodes: node code 'Ⅰ' appears twice"),
        (
            "plan.yaml",
            "\nlevels:",
            "\ndepartment: kikaku\nlevels:",
            r"^plan.yaml.department: department 'kikaku' is not declared under departments$",
        ),
        # a key plan.yaml does not know is refused, as an unknown CSV column is, not left unread
        (
            "plan.yaml",
            "\nlevels:",
            "\nevalution_fy: 2017\nlevels:",
            r"^plan.yaml: unknown key 'evalution_fy' \(known: code, department, .*evaluation_fy, ",
        ),
        (
            "plan.yaml",
            "    name: 科学技術",
            "    nmae: 科学技術",
            r"^plan.yaml.nodes\[0\].children\[0\]: unknown key 'nmae' \(known: children, code, ",
        ),
        (
            "plan.yaml",
            "    number: '1'",
            "    number: '1'\n    statment: 筑波の科学技術",
            r"^plan.yaml.nodes\[0\].children\[0\]: unknown key 'statment' \(known: children, code, ",
        ),
        (
            "plan.yaml",
            "  - code: B",
            "  - code: B\n    lable: 良い",
            r"^plan.yaml.rating_scales\[0\].grades\[1\]: unknown key 'lable' \(known: code, label, ",
        ),
        (
            "plan.yaml",
            "  end_fy: 2019",
            "  end_fy: 2019\n  evaluation_fy: 2017",
            r"^plan.yaml.period: unknown key 'evaluation_fy' \(known: end_fy, start_fy\)$",
        ),
    ],
)
def test_errors_of_the_new_files_name_their_place(general, name, old, new, error):
    _break(general, name, old, new)
    with pytest.raises(MachiplanError, match=error):
        read_package(general)


def test_a_package_written_over_an_older_one_keeps_nothing_of_it(general, tmp_path):
    plan = read_package(general)
    target = tmp_path / "again"
    shutil.copytree(general, target)
    write_package(replace(plan, nodes=tuple(replace(n, costs=()) for n in plan.nodes)), target)
    assert not (target / "costs.csv").exists()
