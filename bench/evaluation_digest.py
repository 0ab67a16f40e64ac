"""Every judgement of a set of plans, under every method, in several years: one line each, to compare
two versions of the evaluation code (a change made for speed must change no result).

    .venv/bin/python bench/evaluation_digest.py /tmp/after.txt
    PYTHONPATH=/path/to/other/checkout/src .venv/bin/python bench/evaluation_digest.py /tmp/before.txt
    cmp /tmp/before.txt /tmp/after.txt

The plans: the embedded Sapporo plan, the real plans of tests/data/real and any package folders
given after the output file (a generated plan, say). Each is judged under its own method and under
each of domain/methods.py's (progress_vs_pace also with ``trend_without_target``), in its first,
middle, default and last evaluation year; the line is the ``repr`` of the indicator's Evaluation,
then each evaluation's counts per node, overall counts and node grades.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def plan_folders(extra: list[str]) -> list[Path]:
    from machiplan.embedded import DEFAULT_PLAN_DIR

    real = sorted(p.parent for p in (ROOT / "tests" / "data" / "real").glob("*/plan.yaml"))
    return [Path(DEFAULT_PLAN_DIR), *real, *(Path(p) for p in extra)]


def digest(folder: Path, out) -> None:
    from machiplan.domain import methods
    from machiplan.domain.evaluation import Params, evaluate_plan
    from machiplan.interchange.package import read_package

    plan = read_package(folder)
    low, high = plan.evaluation_fy_range
    years = sorted({low, high, plan.default_evaluation_fy(), (low + high) // 2})
    settings: list[tuple[str, Params | None]] = [("own", None)]
    for name in methods.METHODS:
        params = Params.from_mapping({}, method=name)
        settings.append((name, params))
        if name == "progress_vs_pace":
            settings.append((f"{name}+trend", replace(params, trend_without_target=True)))
    for label, params in settings:
        for fy in years:
            head = f"{folder.name} {label} {fy}"
            try:
                evaluation = evaluate_plan(plan, evaluation_fy=fy, params=params)
            except Exception as exc:  # the same error either way is the same result
                out.write(f"{head} error {exc!r}\n")
                continue
            for code, judged in evaluation.indicators.items():
                out.write(f"{head} {code} {judged!r}\n")
            out.write(
                f"{head} counts {evaluation.by_node!r} {evaluation.overall!r} {evaluation.node_grades!r}\n"
            )


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], "w", encoding="utf-8") as out:
        for folder in plan_folders(argv[1:]):
            digest(folder, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
