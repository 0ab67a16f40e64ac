"""Varied progress sheets of the seed's family, made from random plans, for the reader's tests.

``random_plan(seed)`` makes a plan of 2–6 goals with 1–5 indicators each, in
Heisei or Reiwa years, with the value kinds the seed has; ``render_sheet``
lays it out as a PDF extraction would, in one of several styles (tabs or
spaces, policies one per line / on one line / as HTML, statement beside the
name, full-width digits, words broken by stray spaces, names split over two
lines). The reader must recover from the text everything the plan holds.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from machiplan.domain.fiscal import format_date, format_fiscal_year
from machiplan.domain.plan import (
    ACTUAL,
    GOALS_AND_POLICIES,
    INTERIM,
    NONE,
    PENDING,
    HigherPlan,
    Indicator,
    Initiative,
    Municipality,
    Narrative,
    NarrativeItem,
    Node,
    Observation,
    Plan,
    Target,
)
from machiplan.domain.quantities import format_number, format_yen

GOAL_NAMES = ["参加", "向上", "交流", "連携", "安心", "共生", "活力", "学び"]
STATEMENTS = [
    "市民の学びと活動の場の充実",
    "地域で支え合う仕組みづくり",
    "誰もが参加できるまちの実現",
    "多様な主体による協働の推進",
    "安全で安心な暮らしの確保",
    "次世代を担う人材の育成",
]
WORDS = [
    "図書館",
    "地域活動",
    "ボランティア",
    "子育て支援",
    "防災訓練",
    "市民講座",
    "NPO法人",
    "町内会",
    "健康教室",
    "公園清掃",
    "観光案内",
    "多文化交流",
]
UNITS = ["人", "回", "件", "団体", "円", "%"]
HIGHER = [("総合計画", "higher-1"), ("実施計画", "higher-2")]


@dataclass(frozen=True)
class Style:
    separator: str = "\t"  # or "  " (two spaces)
    policies: str = "lines"  # lines | one_line | html
    statement_inline: bool = False
    fullwidth: bool = False
    noise: bool = False  # stray spaces inside Japanese words
    split_names: bool = False  # the names row over two lines
    status_row: bool = True
    higher_rows: bool = True
    html_narratives: bool = False
    split_policies: bool = (
        False  # policy titles and initiatives wrapped onto the next line, as a PDF cell wraps
    )


def styles() -> list[Style]:
    return [
        Style(),
        Style(separator="  ", policies="one_line"),
        Style(policies="html", statement_inline=True, html_narratives=True),
        Style(fullwidth=True, noise=True),
        Style(split_names=True, status_row=False),
        Style(higher_rows=False, noise=True, policies="one_line"),
        Style(separator="  ", statement_inline=True, fullwidth=True),
        Style(policies="html", split_names=True, noise=True),
        Style(split_policies=True),
        Style(split_policies=True, policies="one_line", noise=True),
        Style(split_policies=True, separator="  ", fullwidth=True),
        Style(split_policies=True, policies="html", statement_inline=True),
    ]


def random_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    reiwa = rng.random() < 0.5
    start = rng.choice([2020, 2021, 2022]) if reiwa else rng.choice([2009, 2012, 2014])
    length = rng.choice([4, 5])
    end = start + length - 1
    evaluation_fy = start + rng.randint(2, length - 1)
    horizons = rng.sample(HIGHER, rng.randint(0, 2))
    higher = tuple(
        HigherPlan(
            horizon=h,
            label=label,
            title=f"〇〇市{label}",
            start_fy=start - 1,
            end_fy=end + 2,
            description=f"「〇〇市{label}」のこと。計画期間は{_era_span(start - 1, end + 2)}まで。",
        )
        for label, h in horizons
    )
    goals, indicators = [], []
    for number in range(1, rng.randint(2, 6) + 1):
        policies = tuple(
            Node(
                code=f"{number}-{k}",
                parent=str(number),
                name=f"{rng.choice(WORDS)}の{rng.choice(['推進', '充実', '支援', '促進'])}",
                priority=rng.random() < 0.4,
                initiatives=tuple(
                    Initiative(
                        f"{rng.choice(WORDS)}を活用した{rng.choice(WORDS)}の取組を実施",
                        (f"{format_fiscal_year(start, style='short')}に{rng.randint(2, 9)}件実施",)
                        if rng.random() < 0.2
                        else (),
                    )
                    for _ in range(rng.randint(1, 3))
                ),
            )
            for k in range(1, rng.randint(1, 3) + 1)
        )
        goal_indicators = [
            _indicator(rng, number, col, start, end, evaluation_fy, higher)
            for col in range(rng.randint(1, 5))
        ]
        categories = [f"{rng.choice(WORDS)}の状況" for _ in goal_indicators]
        for col in range(1, len(categories)):  # one category can cover two indicators
            if rng.random() < 0.3:
                categories[col] = categories[col - 1]
        goal_indicators = [
            replace(ind, category=cat) for ind, cat in zip(goal_indicators, categories, strict=True)
        ]
        indicators.extend(goal_indicators)
        narratives = (
            Narrative(
                "results",
                evaluation_fy - 1,
                (
                    NarrativeItem(
                        heading=f"{rng.choice(WORDS)}事業",
                        text=f"{rng.choice(WORDS)}の取組を{rng.randint(2, 9)}地区で実施",
                    ),
                ),
            ),
            Narrative(
                "plan",
                evaluation_fy,
                (
                    NarrativeItem(
                        heading=f"{rng.choice(WORDS)}事業",
                        bullets=(f"{rng.choice(WORDS)}の拡充", f"{rng.choice(WORDS)}との連携"),
                    ),
                ),
            ),
            Narrative("future", None, (NarrativeItem(bullets=(f"{rng.choice(WORDS)}の周知が必要",)),)),
        )
        goal = Node(
            str(number), rng.choice(GOAL_NAMES), statement=rng.choice(STATEMENTS), narratives=narratives
        )
        goals += [goal, *policies]
    return Plan(
        code=f"sheet-{seed}",
        title=f"第{rng.randint(1, 3)}期 〇〇市{rng.choice(WORDS)}推進計画",
        municipality=Municipality("〇〇市", "000000"),
        start_fy=start,
        end_fy=end,
        evaluation_fy=evaluation_fy,
        higher_plans=higher,
        levels=GOALS_AND_POLICIES,
        nodes=tuple(goals),
        indicators=tuple(indicators),
    )


def _era_span(start: int, end: int) -> str:
    a, b = format_fiscal_year(start), format_fiscal_year(end)
    return f"{a[:-2]}～{b[2:] if a[:2] == b[:2] else b}"


def _indicator(rng, goal, col, start, end, evaluation_fy, higher) -> Indicator:
    unit = rng.choice(UNITS)
    reference = rng.random() < 0.1
    base = {"%": rng.randint(100, 800) / 10, "円": rng.randint(1, 90) * 10_000_000}.get(
        unit, rng.randint(10, 3000)
    )
    observations = []
    baseline = start - 1
    for fy in range(baseline, evaluation_fy + 1):
        roll = rng.random()
        if fy == evaluation_fy:
            if roll < 0.25:
                observations.append(Observation(fy, PENDING))
            elif roll < 0.4:
                observations.append(Observation(fy, NONE))
            else:
                as_of = dt.date(fy, rng.randint(6, 12), rng.randint(1, 28)) if rng.random() < 0.7 else None
                observations.append(
                    Observation(fy, INTERIM, _value(base, unit, rng), as_of=as_of, approximate=unit == "円")
                )
        elif roll < 0.1 and fy != baseline:
            observations.append(Observation(fy, NONE))
        else:
            value = _value(base, unit, rng)
            breakdown = ()
            if unit == "団体" and rng.random() < 0.3:
                a = int(value) // 2
                breakdown = (("認定", Decimal(a)), ("仮認定", Decimal(int(value) - a)))
            observations.append(Observation(fy, ACTUAL, value, approximate=unit == "円", breakdown=breakdown))
    targets = []
    if not reference:
        period = rng.random() < 0.15 and unit not in ("%", "円")
        targets.append(
            Target(
                "plan",
                end,
                _value(base * 1.3, unit, rng),
                period_start_fy=start if period else None,
                approximate=False,
            )
        )
        for _, horizon in [(h.label, h.horizon) for h in higher]:
            if rng.random() < 0.6:
                targets.append(Target(horizon, end + 2, _value(base * 1.5, unit, rng)))
    return Indicator(
        code=f"{goal}{'abcde'[col]}",
        nodes=(str(goal),),
        category="",
        name=f"{rng.choice(WORDS)}{rng.choice(['の参加者数', 'の利用件数', 'に満足している人の割合', 'の登録団体数', 'の実施回数'])}",
        unit=unit,
        reference=reference,
        observations=tuple(observations),
        targets=tuple(targets),
    )


def _value(base, unit, rng) -> Decimal:
    if unit == "%":
        return Decimal(str(round(min(99.9, base * rng.uniform(0.8, 1.2)), 1)))
    if unit == "円":
        return Decimal(int(base * rng.uniform(0.8, 1.2) / 1_000_000) * 1_000_000)
    return Decimal(int(base * rng.uniform(0.8, 1.2)))


# --- rendering -------------------------------------------------------------------------

_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


class _Writer:
    def __init__(self, style: Style, seed: int) -> None:
        self.style = style
        self.rng = random.Random(seed * 7 + 1)

    def noisy(self, text: str) -> str:
        """Break a Japanese word with a stray space, as PDF extraction does at line wraps."""
        if not self.style.noise or len(text) < 4:
            return text
        spots = [
            i
            for i in range(1, len(text))
            if not (text[i - 1].isascii() and text[i].isascii()) and text[i - 1] != " " and text[i] != " "
        ]
        if not spots:
            return text
        i = self.rng.choice(spots)
        return text[:i] + " " + text[i:]

    def digits(self, text: str) -> str:
        return text.translate(_FULL) if self.style.fullwidth else text

    def value(self, obs_value: Decimal, unit: str, approximate: bool, places: int) -> str:
        number = format_yen(obs_value) if unit == "円" else format_number(obs_value, places)
        space = " " if self.rng.random() < 0.5 and unit != "%" else ""
        return f"{'約' if approximate else ''}{number}{space}{unit}"

    def cell(self, ind: Indicator, obs: Observation | None) -> str:
        if obs is None or obs.kind == NONE:
            return self.rng.choice(["—", "－", "-"])
        if obs.kind == PENDING:
            return "今後調査"
        assert obs.value is not None and ind.unit is not None
        text = self.value(obs.value, ind.unit, obs.approximate, ind.display_places)
        if obs.breakdown:
            text += " " + "、".join(f"{label}{format_number(v)}" for label, v in obs.breakdown)
        if obs.as_of:
            dot = "." if self.rng.random() < 0.5 else ""
            text += f" ({format_date(obs.as_of, style='short')}{dot}時点)"
        return self.digits(text)

    def target(self, ind: Indicator, target: Target | None) -> str:
        if target is None or target.value is None:
            return "—"
        assert ind.unit is not None
        text = self.value(target.value, ind.unit, target.approximate, ind.display_places)
        if target.period_start_fy is not None:
            a, b = (
                format_fiscal_year(target.period_start_fy, style="short"),
                format_fiscal_year(target.fy, style="short"),
            )
            text += f" ({a}-{b[1:] if a[0] == b[0] else b} 計)"
        return self.digits(text)


def render_sheet(plan: Plan, style: Style, seed: int = 0) -> str:
    w = _Writer(style, seed)
    sep = style.separator
    out = ["", "", plan.title, ""]
    for goal in plan.top_nodes:
        inds = plan.indicators_at(goal.code)
        out += [f"基本目標 {w.digits(goal.code)}", ""]
        if style.statement_inline:
            out += [f"『{goal.name}』 {goal.statement}", ""]
        else:
            out += [f"『{goal.name}』", "", goal.statement, ""]
        out += _policies(plan.children(goal.code), style, w)
        out += [""]
        out += _table(plan, goal, inds, style, w)
        out += [""]
        for narrative in goal.narratives:
            out.append(_narrative(narrative, style, w))
            out.append("")
        out += [f"---------------{sep}--", ""]
        if goal.code == "1":
            for h in plan.higher_plans:
                out += [f"{h.label}：{h.description}", ""]
        out += [plan.title, ""]
    return "\n".join(out)


def _initiative(i: Initiative, w: _Writer) -> str:
    fact = f" ({w.noisy(i.facts[0])})" if i.facts else ""
    return f"・{w.noisy(i.text)}{fact}"


def _policies(policies: tuple[Node, ...], style: Style, w: _Writer) -> list[str]:
    label = "基本施策 (◎重点施策) ・実施した 主な取組"
    chunks = []
    for p in policies:
        head = f"{'◎' if p.priority else ''}{p.code} {w.noisy(p.name)}"
        if style.policies == "html":
            items = " ".join(f"<li>{_initiative(i, w)}</li>" for i in p.initiatives)
            chunks.append(f'<p>{head}</p> <ul style="list-style-type: none"> {items} </ul>')
        else:
            chunks.append(" ".join([head, *(_initiative(i, w) for i in p.initiatives)]))
    if style.policies == "lines":
        lines = [f"{label}\t{chunks[0]}", *(f"\t{c}" for c in chunks[1:])]
    else:
        lines = [f"{label}\t{' '.join(chunks)}"]
    return _wrapped(lines, w) if style.split_policies else lines


def _wrapped(lines: list[str], w: _Writer) -> list[str]:
    """Each policy title and initiative broken once onto the next line, inside its Japanese text,
    as a PDF's cell wraps: the rest goes on a line of its own in the same column."""
    out: list[str] = []
    for line in lines:
        head, sep, body = line.partition("\t")
        pieces = re.split(r"(?=・)|(?<=\s)(?=◎?\d+-\d+\s)", body)
        text = ""
        for piece in pieces:
            spots = [
                i for i in range(2, len(piece) - 1)
                if not piece[i - 1].isascii() and not piece[i].isascii() and piece[i] not in "・<>()（）"
                and piece[i - 1] not in "・<>()（）"
            ]  # fmt: skip
            if spots and not piece.startswith("<"):
                cut = w.rng.choice(spots)
                indent = "\t" if w.rng.random() < 0.5 else ""  # the column's tab, or the wrap at the margin
                text += piece[:cut] + "\n" + indent + piece[cut:]
            else:
                text += piece
        out.extend((head + sep + text).split("\n"))
    return out


def _table(plan: Plan, goal: Node, inds: tuple[Indicator, ...], style: Style, w: _Writer) -> list[str]:
    sep = style.separator
    categories, previous = [], None
    for ind in inds:
        categories.append("" if ind.category == previous else w.noisy(ind.category))
        previous = ind.category
    if style.separator != "\t":
        categories = [w.noisy(i.category) for i in inds]  # no empty cells between spaces: repeat the label
    lines = [sep.join(["成果指標 達成状況", *categories])]
    names = [("参考:" if i.reference else "") + w.noisy(i.name) for i in inds]
    if style.split_names:
        halves = [_halves(n) for n in names]
        lines.append(
            sep.join(["", *(h[0] for h in halves)]) if sep == "\t" else "  " + sep.join(h[0] for h in halves)
        )
        lines.append(
            sep.join(["", *(h[1] for h in halves)]) if sep == "\t" else "  " + sep.join(h[1] for h in halves)
        )
    else:
        lines.append(sep.join(["", *names]) if sep == "\t" else "  " + sep.join(names))
    evaluation_fy = plan.evaluation_fy
    years = sorted({o.fy for i in inds for o in i.observations})
    for fy in years:
        if fy == evaluation_fy and not style.status_row:
            continue
        short = format_fiscal_year(fy, style="short")
        label = f"{short}{'状況' if fy == evaluation_fy else '実績'}"
        lines.append(sep.join([w.digits(label), *(w.cell(i, i.observation(fy)) for i in inds)]))
    plan_fy = plan.end_fy
    lines.append(
        sep.join(
            [
                f"{format_fiscal_year(plan_fy, style='short')}目標",
                *(w.target(i, i.target("plan")) for i in inds),
            ]
        )
    )
    if style.higher_rows:
        for h in plan.higher_plans:
            fy = format_fiscal_year(plan.end_fy + 2, style="short")
            lines.append(sep.join([f"{h.label} {fy}", *(w.target(i, i.target(h.horizon)) for i in inds)]))
    return lines


def _halves(name: str) -> tuple[str, str]:
    """Split a header cell over two lines, never inside an ASCII word (a space there is real)."""
    cut = len(name) // 2
    while 0 < cut < len(name) and name[cut - 1].isascii() and name[cut].isascii():
        cut += 1
    return name[:cut], name[cut:]


def _narrative(n: Narrative, style: Style, w: _Writer) -> str:
    label = {"results": "取組結果", "plan": "取組計画", "future": "今後に向けて"}[n.kind]
    head = f"{format_fiscal_year(n.fy)} {label}" if n.fy else label
    parts = []
    for item in n.items:
        text = ""
        if item.heading:
            text += f"●{item.heading}"  # a stray space in a heading cannot be told from its end
            if item.text:
                text += f" {w.noisy(item.text)}"
        elif item.text:
            text += w.noisy(item.text)
        bullets = [f"・{w.noisy(b)}" for b in item.bullets]
        if style.html_narratives and bullets:
            bullets = ['<ul style="list-style-type: none">', *(f"<li>{b}</li>" for b in bullets), "</ul>"]
        parts.append(" ".join([text, *bullets]).strip())
    return f"{head}\t{' '.join(parts)}"


def expected_from(plan: Plan, style: Style) -> Plan:
    """What the reader can know from a sheet rendered in ``style``: the status row may be missing,
    higher-plan rows may be left out, and so on."""

    indicators = []
    for ind in plan.indicators:
        observations = tuple(o for o in ind.observations if style.status_row or o.fy != plan.evaluation_fy)
        targets = tuple(t for t in ind.targets if style.higher_rows or t.horizon == "plan")
        indicators.append(replace(ind, observations=observations, targets=targets))
    return replace(plan, indicators=tuple(indicators))
