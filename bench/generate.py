"""Generate a plan package of any size, deterministically, for benchmarks and scale tests.

    python bench/generate.py --indicators 100000 [--years 10] [--seed 1] [--code big-plan] --out DIR

The package has every kind of value the Sapporo sheet has: actuals, interim
values with as-of dates, pending and none cells, approximate yen amounts,
breakdowns that add up, cumulative series, targets summed over a period, and
several target horizons. The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
from pathlib import Path

import yaml

from machiplan.interchange.package.document import SCHEMA_1 as SCHEMA

# The generator writes format 1 (goals and policies), which `machiplan load` reads unchanged.
INDICATOR_COLUMNS = ("code", "goal", "category", "name", "name_en", "unit", "direction", "measure", "survey",
                     "reference", "department", "note")  # fmt: skip
OBSERVATION_COLUMNS = (
    "indicator",
    "fy",
    "kind",
    "value",
    "as_of",
    "approximate",
    "breakdown",
    "source_text",
    "note",
)
TARGET_COLUMNS = ("indicator", "horizon", "fy", "value", "period_start_fy", "approximate", "source_text")

START_FY = 2015
UNITS = ("%", "件", "団体", "人", "回", "円")
WORDS = (
    "図書館",
    "地域活動",
    "ボランティア",
    "子育て支援",
    "防災訓練",
    "市民講座",
    "NPO法人",
    "町内会",
    "健康教室",
    "公園",
    "観光",
    "交流",
)


def generate(
    out: Path,
    *,
    indicators: int,
    years: int = 10,
    seed: int = 1,
    code: str | None = None,
    goals: int | None = None,
) -> Path:
    if indicators < 1 or years < 3:
        raise ValueError("at least 1 indicator and 3 years")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    goals = goals or max(2, min(200, math.ceil(indicators / 500)))
    first_fy = START_FY - 1  # the baseline year
    end_fy = START_FY + years - 2  # the plan's last year; observations run to the year after
    evaluation_fy = first_fy + years - 1
    plan = {
        "schema": SCHEMA,
        "code": code or f"generated-{indicators}",
        "title": f"第1期 生成計画（{indicators:,}指標）",
        "title_en": f"Generated plan ({indicators:,} indicators)",
        "municipality": {"name": "生成市", "code": "999997"},
        "period": {"start_fy": START_FY, "end_fy": end_fy},
        "evaluation_fy": evaluation_fy,
        "method": {"name": "progress_vs_pace", "params": {}},
        "higher_plans": [
            {
                "horizon": "action_plan",
                "label": "アクションプラン",
                "title": "生成市アクションプラン",
                "start_fy": START_FY,
                "end_fy": end_fy + 1,
            },
            {
                "horizon": "vision",
                "label": "戦略ビジョン",
                "title": "生成市戦略ビジョン",
                "start_fy": first_fy,
                "end_fy": end_fy + 4,
            },
        ],
        "departments": [{"code": f"dept-{d}", "name": f"第{d}課"} for d in range(1, 11)],
        "goals": [_goal(n, rng, evaluation_fy) for n in range(1, goals + 1)],
    }
    (out / "plan.yaml").write_text(
        yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    with (
        (out / "indicators.csv").open("w", encoding="utf-8", newline="") as ind_file,
        (out / "observations.csv").open("w", encoding="utf-8", newline="") as obs_file,
        (out / "targets.csv").open("w", encoding="utf-8", newline="") as tgt_file,
    ):
        ind_csv, obs_csv, tgt_csv = csv.writer(ind_file), csv.writer(obs_file), csv.writer(tgt_file)
        ind_csv.writerow(INDICATOR_COLUMNS)
        obs_csv.writerow(OBSERVATION_COLUMNS)
        tgt_csv.writerow(TARGET_COLUMNS)
        for index in range(indicators):
            _indicator(index, goals, rng, first_fy, end_fy, evaluation_fy, ind_csv, obs_csv, tgt_csv)
    return out


def _goal(number: int, rng: random.Random, evaluation_fy: int) -> dict:
    word = WORDS[number % len(WORDS)]
    return {
        "number": number,
        "name": f"{word}{number}",
        "statement": f"{word}を通じたまちづくりの推進（{number}）",
        "policies": [
            {
                "code": f"{number}-{k}",
                "title": f"{WORDS[(number + k) % len(WORDS)]}の充実",
                "priority": rng.random() < 0.3,
                "initiatives": [f"{WORDS[(number * k + j) % len(WORDS)]}事業を実施" for j in range(2)],
            }
            for k in range(1, 4)
        ],
        "narratives": [
            {
                "kind": "results",
                "fy": evaluation_fy - 1,
                "items": [{"heading": f"{word}事業", "text": "取組を実施した"}],
            },
            {"kind": "future", "items": [{"bullets": [f"{word}の周知"]}]},
        ],
    }


def _indicator(index, goals, rng, first_fy, end_fy, evaluation_fy, ind_csv, obs_csv, tgt_csv) -> None:
    code = f"i{index + 1}"
    goal = index % goals + 1
    unit = UNITS[rng.randrange(len(UNITS))]
    roll = rng.random()
    measure = "cumulative" if roll < 0.15 else "flow" if roll < 0.4 and unit != "%" else "level"
    if unit == "%":
        measure = "level"
    direction = "decrease" if rng.random() < 0.15 else "increase"
    survey = unit == "%" and rng.random() < 0.5
    reference = rng.random() < 0.05
    ind_csv.writerow([code, goal, f"分類{index // 3 + 1}", f"{WORDS[index % len(WORDS)]}の指標{index + 1}", "", unit, direction, measure,
                      _flag(survey), _flag(reference), f"dept-{index % 10 + 1}", ""])  # fmt: skip

    base = {"%": rng.uniform(20, 80), "円": rng.randint(10, 900) * 1_000_000}.get(unit, rng.randint(50, 5000))
    step = base * rng.uniform(-0.05, 0.08) * (-1 if direction == "decrease" else 1)
    running = base
    approximate = unit == "円"
    for fy in range(first_fy, evaluation_fy + 1):
        if measure == "cumulative":
            running += abs(base * rng.uniform(0.02, 0.1))
            value = running
        else:
            value = max(0.0, base + step * (fy - first_fy) + base * rng.uniform(-0.04, 0.04))
        text = _number(value, unit)
        roll = rng.random()
        if fy == evaluation_fy:  # the current year: interim, or not measured yet
            if roll < 0.6:
                as_of = dt.date(fy, rng.randint(6, 12), rng.randint(1, 28))
                obs_csv.writerow(
                    [
                        code,
                        fy,
                        "interim",
                        text,
                        as_of.isoformat(),
                        _flag(approximate),
                        "",
                        f"{text}{unit} ({as_of}時点)",
                        "",
                    ]
                )
            elif roll < 0.8:
                obs_csv.writerow([code, fy, "pending", "", "", "false", "", "今後調査", ""])
            else:
                obs_csv.writerow([code, fy, "none", "", "", "false", "", "—", ""])
        elif roll < 0.05 and fy != first_fy:
            obs_csv.writerow([code, fy, "none", "", "", "false", "", "—", ""])
        else:
            breakdown = ""
            if unit == "団体" and rng.random() < 0.1:
                whole = int(float(text))
                part = whole // 3
                breakdown = f"認定={part};仮認定={whole - part}"
            obs_csv.writerow(
                [
                    code,
                    fy,
                    "actual",
                    text,
                    "",
                    _flag(approximate),
                    breakdown,
                    f"{'約' if approximate else ''}{text}{unit}",
                    "",
                ]
            )
    if reference:
        return
    goal_value = base * (1.25 if direction == "increase" else 0.8)
    if measure in ("flow", "cumulative") and rng.random() < 0.25:
        total = base * (end_fy - START_FY + 1) * (0.3 if measure == "cumulative" else 1.0)
        tgt_csv.writerow(
            [
                code,
                "plan",
                end_fy,
                _number(total, unit),
                START_FY,
                "false",
                f"{_number(total, unit)}{unit} (計)",
            ]
        )
    else:
        if measure == "cumulative":
            goal_value = running * 1.1
        tgt_csv.writerow(
            [
                code,
                "plan",
                end_fy,
                _number(goal_value, unit),
                "",
                "false",
                f"{_number(goal_value, unit)}{unit}",
            ]
        )
    if rng.random() < 0.3:
        tgt_csv.writerow([code, "action_plan", end_fy + 1, _number(goal_value * 1.05, unit), "", "false", ""])
    if rng.random() < 0.2:
        tgt_csv.writerow([code, "vision", end_fy + 4, _number(goal_value * 1.2, unit), "", "false", ""])


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{min(value, 100.0):.1f}"
    if unit == "円":
        return str(int(round(value, -6)))
    return str(round(value))


def _flag(value: bool) -> str:
    return "true" if value else "false"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, required=True)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(args.out, indicators=args.indicators, years=args.years, seed=args.seed, code=args.code)
    print(f"wrote {args.out}/ ({args.indicators:,} indicators × {args.years} years)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
