"""How long one indicator chart takes to draw: machiplan's SVG writer against the candidates
(docs/benchmarks.md, "Charts"). CPU time (time.process_time) per chart, the median of five rounds
over every indicator of the Sapporo plan and the ten real plans in tests/data/real.

    .venv/bin/python bench/charts.py                    # machiplan's writer
    .venv/bin/python bench/charts.py --old /tmp/old.py  # also a module with the matplotlib chart
                                                        # (git show <commit>:src/machiplan/reports/charts.py)
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]


def plans():
    import machiplan
    from machiplan.domain.evaluation import evaluate_plan
    from machiplan.interchange.package import read_package

    folders = [Path(machiplan.__file__).parent / "embedded" / "sapporo"]
    folders += sorted(p for p in (ROOT / "tests" / "data" / "real").iterdir() if p.is_dir())
    for folder in folders:
        plan = read_package(folder)
        yield plan, evaluate_plan(plan)


def cpu_per_chart(draw, work, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for plan, evaluation, ind in work:
            draw(plan, ind, evaluation.indicators[ind.code], evaluation.evaluation_fy, "ja")
        times.append((time.process_time() - start) / len(work))
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="a module with the former indicator_chart (matplotlib)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    django.setup()
    from machiplan.reports.charts import indicator_chart

    work = [(plan, ev, ind) for plan, ev in plans() for ind in plan.indicators]
    print(f"{len(work)} charts (Sapporo and tests/data/real)")
    per = cpu_per_chart(indicator_chart, work, args.rounds)
    print(
        f"machiplan SVG writer: {per:.2f} ms CPU per chart (wide and narrow drawings, description, data rows)"
    )
    thousand = (work * (1000 // len(work) + 1))[:1000]
    start = time.process_time()
    for plan, evaluation, ind in thousand:
        indicator_chart(plan, ind, evaluation.indicators[ind.code], evaluation.evaluation_fy, "ja")
    print(f"1,000 charts: {time.process_time() - start:.2f} s CPU")
    if args.old:
        spec = importlib.util.spec_from_file_location("old_charts", args.old)
        module = importlib.util.module_from_spec(spec)
        sys.modules["old_charts"] = module
        spec.loader.exec_module(module)
        print(
            f"matplotlib (before): {cpu_per_chart(module.indicator_chart, work, max(1, args.rounds // 2)):.2f} ms CPU per chart"
        )


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    main()
