"""The embedded plan against the seed sheet itself: every cell of every indicator table, every
policy, initiative, narrative and higher plan. The seed is read here with deliberately simple,
seed-specific code, independent of the package, so the two cannot drift silently."""

from __future__ import annotations

import re
import unicodedata

import pytest

from machiplan.domain.fiscal import parse_date, parse_fiscal_year
from machiplan.domain.quantities import NONE, PENDING, parse_quantity

ROW_RE = re.compile(
    r"^(?:(?P<era>H\s?\d+)\s?(?P<kind>実績|状況|目標)|(?P<higher>アクションプラン|戦略ビジョン)\s+(?P<hfy>H\d+))\t(?P<cells>.*)$"
)
HORIZONS = {"アクションプラン": "action_plan", "戦略ビジョン": "vision"}


def squash(text: str) -> str:
    """Compare texts without extraction noise: HTML, whitespace, full-width forms, markdown bold."""
    text = re.sub(r"<[^>]+>", " ", text).replace("**", "")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pages(seed_text: str) -> list[str]:
    parts = re.split(r"\n(?=第\s?2\s?期 市民まちづくり活動促進基本計画)", seed_text.strip())
    return [p for p in parts if "基本目標" in p]


def goal_number(page: str) -> int:
    return int(re.search(r"基本目標\s*(\d)", page).group(1))


def indicator_rows(page: str):
    for line in page.splitlines():
        m = ROW_RE.match(line.strip("\n"))
        if m:
            yield m, [c.strip() for c in m["cells"].split("\t")]


def footnote_dates(page: str) -> dict[str, object]:
    """'※平成29年度のさぽーとほっと基金寄附件数・金額はH29.9.15時点' -> {'さぽーとほっと基金寄附': date}."""
    found = {}
    for m in re.finditer(r"※(平成\d+年度)の(.+?)は(H[\d.]+?)時点", page):
        subject = m.group(2).split("件数")[0]
        found[subject] = (parse_fiscal_year(m.group(1)), parse_date(m.group(3)))
    return found


def test_the_shipped_sheet_is_the_seed():
    """The product carries the seed verbatim; where shared/ is beside the checkout, they are equal."""
    from tests.conftest import SEED, SHARED_SEED

    assert SEED.read_bytes().startswith("\n\n第2期 市民まちづくり活動促進基本計画".encode())
    if SHARED_SEED.exists():
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_the_seed_has_four_goal_pages(seed_text):
    assert [goal_number(p) for p in pages(seed_text)] == [1, 2, 3, 4]


def test_every_indicator_cell_of_the_seed_is_in_the_package(seed_text, sapporo):
    checked = 0
    for page in pages(seed_text):
        number = goal_number(page)
        indicators = sapporo.indicators_at(str(number))
        notes = footnote_dates(page)
        rows = list(indicator_rows(page))
        assert len(rows) == 8, f"goal {number}: expected the sheet's 8 year rows"
        for m, cells in rows:
            assert len(cells) == len(indicators), f"goal {number}: {m.group(0)!r}"
            for ind, cell in zip(indicators, cells, strict=True):
                q = parse_quantity(cell, default_unit=ind.unit)
                where = f"goal {number} {ind.name} {m.group(0).split(chr(9))[0]!r} {cell!r}"
                if m["higher"] or m["kind"] == "目標":
                    horizon = HORIZONS[m["higher"]] if m["higher"] else "plan"
                    fy = parse_fiscal_year(m["hfy"] or m["era"])
                    target = ind.target(horizon)
                    if q.kind == NONE:
                        assert target is None, where
                    else:
                        assert target is not None and target.fy == fy, where
                        assert (target.value, target.approximate) == (q.value, q.approximate), where
                        assert target.period_start_fy == (q.period[0] if q.period else None), where
                        assert target.source_text == cell, where
                else:
                    fy = parse_fiscal_year(m["era"])
                    obs = ind.observation(fy)
                    assert obs is not None, where
                    assert obs.source_text == cell, where
                    if q.kind in (NONE, PENDING):
                        assert (obs.kind, obs.value) == (q.kind, None), where
                    else:
                        as_of = q.as_of
                        for subject, (note_fy, day) in notes.items():
                            if note_fy == fy and ind.name.startswith(subject):
                                as_of = day
                        expected_kind = "actual" if m["kind"] == "実績" else "interim"
                        assert obs.kind == expected_kind, where
                        assert (obs.value, obs.approximate, obs.as_of) == (q.value, q.approximate, as_of), (
                            where
                        )
                        assert obs.breakdown == q.breakdown, where
                checked += 1
    assert checked == 15 * 8  # 15 indicators × (5 years + 3 target rows)


def test_indicator_headers_match_the_seed(seed_text, sapporo):
    for page in pages(seed_text):
        number = goal_number(page)
        lines = page.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("成果指標"))
        categories = [c.strip() for c in lines[at].split("\t")[1:]]
        names = [c.strip() for c in lines[at + 1].split("\t")[1:]]
        indicators = sapporo.indicators_at(str(number))
        # one category label can span several columns: an empty cell continues the one before
        spans = []
        for c in categories[: len(indicators)]:
            spans.append(c or spans[-1])
        assert [squash(c) for c in spans] == [squash(i.category) for i in indicators]
        for ind, cell in zip(indicators, names, strict=True):
            name, _, note = cell.partition("※")
            is_reference = squash(name).startswith("参考:")
            assert ind.reference is is_reference
            assert squash(name).removeprefix("参考:") == squash(ind.name)
            if note:
                assert ind.note and squash(ind.note).startswith("※地域活動の場整備")


def policy_chunks(page: str):
    block = page.split("主な取組", 1)[1].split("成果指標", 1)[0]
    block = re.sub(r"<[^>]+>", " ", block).split("---")[0]
    for chunk in re.split(r"\s(?=◎?\d-\d\s)", " " + block):
        if chunk.strip():
            head, *initiatives = re.split(r"\s+・", chunk.strip())
            m = re.match(r"(◎?)(\d-\d)\s+(.*)", head)
            yield m.group(1) == "◎", m.group(2), m.group(3), initiatives


def test_every_policy_and_initiative_of_the_seed_is_in_the_package(seed_text, sapporo):
    total = 0
    for page in pages(seed_text):
        policies = sapporo.children(str(goal_number(page)))
        chunks = list(policy_chunks(page))
        assert [c[1] for c in chunks] == [p.code for p in policies]
        for (priority, code, title, initiatives), policy in zip(chunks, policies, strict=True):
            assert policy.priority is priority, code
            assert squash(title) == squash(policy.name), code
            ours = [squash(i.text + "".join(f"({f})" for f in i.facts)) for i in policy.initiatives]
            assert [squash(i) for i in initiatives] == ours, code
            total += len(initiatives)
    assert total == 23


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        (r"平成\s?28\s?年度\s?取組結果", "results"),
        (r"平成\s?29\s?年度\s?取組計画", "plan"),
        ("今後に向けて", "future"),
    ],
)
def test_every_narrative_of_the_seed_is_in_the_package(seed_text, sapporo, label, kind):
    for page in pages(seed_text):
        goal = sapporo.node(str(goal_number(page)))
        line = next(line for line in page.splitlines() if re.match(label, line))
        seed_block = squash(re.sub(label, "", line, count=1))
        narrative = next(n for n in goal.narratives if n.kind == kind)
        assert squash(narrative.text) == seed_block, (goal.code, kind)
        if kind != "future":
            assert narrative.fy == (2016 if kind == "results" else 2017)


def test_glossary_of_higher_plans(seed_text, sapporo):
    for higher in sapporo.higher_plans:
        m = re.search(rf"^{higher.label}：(.+)$", seed_text, re.MULTILINE)
        assert m, higher.label
        assert squash(m.group(1)) == squash(higher.description)
        period = re.search(r"平成(\d+)～(\d+)年度", m.group(1))
        assert (higher.start_fy, higher.end_fy) == (1988 + int(period.group(1)), 1988 + int(period.group(2)))


def test_goals_match_the_seed(seed_text, sapporo):
    expected = {
        1: ("参加", "より多くの市民のまちづくり活動への理解と参加の促進"),
        2: ("向上", "団体の運営基盤の強化と社会課題の解決能力の向上"),
        3: ("交流", "身近な地域における場と交流機会の創出"),
        4: ("連携", "多様な活動主体間の連携の促進"),
    }
    for page in pages(seed_text):
        number = goal_number(page)
        name, statement = expected[number]
        assert f"『{name}』" in page and statement in page
        goal = sapporo.node(str(number))
        assert (goal.name, goal.statement) == (name, statement)
