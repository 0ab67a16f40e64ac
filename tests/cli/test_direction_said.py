"""Which way is better, as a city says it: a target of 以下 or 以上 in an imported table sets the
indicator's direction (its trend is judged by the direction, whether the target is met by the
target's word: docs/evaluation.md), and a plan whose target's word contradicts its indicator's
direction loads with a warning naming the target's line."""

from __future__ import annotations

from dataclasses import replace

from machiplan.domain.plan import DECREASE, INCREASE
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package, write_package
from machiplan.plans.selectors import plan_data

TABLE = (
    "基本目標,施策,成果指標,単位,基準値(R1),R2実績,R3実績,目標値(R6)\n"
    "1 安全なまち,1-1 資源循環,家庭系排出物の量,g,900,880,860,800以下\n"
    "1 安全なまち,1-1 資源循環,市民講座の受講者数,人,100,120,130,200以上\n"
)


def test_an_imported_target_of_or_less_makes_lower_better(cli, tmp_path):
    path = tmp_path / "kpi.csv"
    path.write_text(TABLE, encoding="utf-8")
    assert cli("plans").code == 0
    result = cli("import-table", str(path), "--save", "--code", "kpi", "--municipality-code", "011002")
    assert result.code == 0, result.err
    assert "direction decrease (a target 'or less': lower is better)" in result.out
    plan = plan_data("kpi")
    assert {i.name: i.direction for i in plan.indicators} == {
        "家庭系排出物の量": DECREASE,
        "市民講座の受講者数": INCREASE,
    }
    # 900 → 860 toward 800 or less is progress, not a fall
    judged = cli("evaluate", "kpi", "--json")
    assert judged.code == 0 and '"status": "regressing"' not in judged.out


def test_a_target_that_contradicts_its_indicators_direction_is_a_warning_naming_its_line(cli, tmp_path):
    plan = read_package(DEFAULT_PLAN_DIR)
    first = plan.indicators[0]  # 1a: a share, higher is better; its plan target 70.0%
    targets = tuple(replace(t, operator="at_most") if n == 0 else t for n, t in enumerate(first.targets))
    plan = replace(
        plan, code="contradiction", indicators=(replace(first, targets=targets), *plan.indicators[1:])
    )
    folder = write_package(plan, tmp_path / "package")
    result = cli("load", str(folder))
    assert result.code == 0, result.err
    (line,) = [w for w in result.err.splitlines() if "direction" in w]
    assert line.startswith("machiplan: warning: targets.csv:2: 1a: its target says '以下'")
    assert "check the direction" in line
