"""The benchmark suite: how long machiplan takes, and how much memory, as plans grow.

    .venv/bin/python bench/run.py                 # the full run: 15, 1,000, 10,000, 100,000 indicators
    .venv/bin/python bench/run.py --quick         # a minute: what CI runs; exit 1 when a figure is over its budget
    .venv/bin/python bench/run.py --sizes 15,1000 --repeat 5 --json bench/out/results.json

Method. Each scenario runs the real command in a new process (``machiplan load``,
``evaluate``, ``report``, ``import-sheet``) against its own data folder, as a
user runs it: the figure is the whole-process wall time, the median of
``--repeat`` runs, and the process's peak resident memory (from ``wait4``).
"evaluate (in-process)" times ``evaluate_plan`` alone on a plan already in
memory (median of repeats). Plans are made by ``bench/generate.py`` (10
years); 15 is the embedded Sapporo plan. The 100,000 size runs once per
scenario (its load alone is most of a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for bench.generate and the sheet writer of the tests
MACHIPLAN = Path(sys.executable).parent / "machiplan"
REPORT_NO_PDF = "html,xlsx,md,json,csv"
TARGETS = {  # issue #6: (scenario, size) -> seconds or MiB
    ("indicator page under load", 15): ("s (p99)", 0.1),
    ("evaluate (in-process)", 100_000): ("s", 5.0),
    ("load", 100_000): ("s", 60.0),
    ("report without PDF", 10_000): ("s", 60.0),
    ("report PDF", 15): ("s", 10.0),
    ("load", 100_000, "memory"): ("MiB", 2048.0),
    ("evaluate", 100_000, "memory"): ("MiB", 2048.0),
}


@dataclass
class Result:
    scenario: str
    size: int
    seconds: float
    peak_mib: float | None
    runs: int
    note: str = ""


def run(args: list[str], env: dict[str, str], *, cwd: Path) -> tuple[float, float]:
    """Run a command to the end; its wall time and peak resident memory (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def timed(args: list[str], env: dict[str, str], cwd: Path, repeat: int) -> tuple[float, float]:
    times, peaks = zip(*(run(args, env, cwd=cwd) for _ in range(repeat)), strict=True)
    return statistics.median(times), max(peaks)


def bench_size(size: int, work: Path, repeat: int, *, quick: bool, charts: str = "always") -> list[Result]:
    from bench.generate import generate
    from machiplan.domain.evaluation import evaluate_plan
    from machiplan.embedded import DEFAULT_PLAN_DIR
    from machiplan.interchange.package import read_package

    results: list[Result] = []
    folder = work / f"size-{size}"
    folder.mkdir()
    env = {**os.environ, "MACHIPLAN_DATA_DIR": str(folder / "data")}
    env.pop("MACHIPLAN_DATABASE_URL", None)
    if size == 15:
        package, code = DEFAULT_PLAN_DIR, "sapporo-machizukuri-2"
    else:
        package, code = folder / "package", f"generated-{size}"
        start = time.perf_counter()
        generate(package, indicators=size, years=10, seed=1)
        results.append(Result("generate package", size, time.perf_counter() - start, None, 1))
    runs = 1 if size >= 100_000 else repeat

    subprocess.run(
        [str(MACHIPLAN), "plans"], env=env, cwd=folder, check=True, capture_output=True
    )  # migrate first
    seconds, peak = timed([str(MACHIPLAN), "load", str(package), "--replace"], env, folder, runs)
    results.append(Result("load", size, seconds, peak, runs))

    plan = read_package(package)
    times = []
    for _ in range(max(runs, 3)):
        start = time.perf_counter()
        evaluate_plan(plan)
        times.append(time.perf_counter() - start)
    results.append(Result("evaluate (in-process)", size, statistics.median(times), None, len(times)))
    del plan

    seconds, peak = timed([str(MACHIPLAN), "evaluate", code, "--json"], env, folder, runs)
    results.append(
        Result(
            "evaluate", size, seconds, peak, runs, "whole command: read from the database, judge, print JSON"
        )
    )

    seconds, peak = timed(
        [
            str(MACHIPLAN),
            "report",
            code,
            "--format",
            REPORT_NO_PDF,
            "--charts",
            charts,
            "--out",
            str(folder / "report"),
        ],
        env,
        folder,
        runs,
    )
    results.append(
        Result(
            "report without PDF",
            size,
            seconds,
            peak,
            runs,
            f"html, xlsx, md, json, csv; charts {charts}",
        )
    )

    if size <= 1000 and not quick:
        seconds, peak = timed(
            [str(MACHIPLAN), "report", code, "--format", "pdf", "--out", str(folder / "pdf")],
            env,
            folder,
            runs,
        )
        results.append(Result("report PDF", size, seconds, peak, runs, "with a chart per indicator"))

    from bench.web import run_server

    page = "/plans/sapporo-machizukuri-2/indicators/2a/" if size == 15 else f"/plans/{code}/indicators/i1/"
    clients, seconds = (10, 2) if quick else (50, 10)
    api = f"/api/plans/{code}/"
    for label, path, headers in (
        ("indicator page", page, None),
        ("API plan list", "/api/plans/", None),
        ("API plan page", api + "?page=1", None),
        ("API plan document (gzip)", api, {"Accept-Encoding": "gzip"}),
    ):
        web = run_server(folder / "data", [path], clients, 200 if quick else 5000, seconds=seconds,
                         headers=headers)  # fmt: skip
        results.append(Result(
            f"{label} under load", size, web["p99_ms"] / 1000, None, 1,
            f"{clients} clients, {web['tool']}: {web['rps']:,.0f} req/s, p50 {web['p50_ms']:.1f} ms, "
            f"p99 {web['p99_ms']:.1f} ms, {web['errors']} errors",
        ))  # fmt: skip

    if size <= 10_000:
        sheet = _sheet(size, folder)
        seconds, peak = timed([str(MACHIPLAN), "import-sheet", str(sheet), "--json"], env, folder, runs)
        results.append(
            Result(
                "import-sheet",
                size,
                seconds,
                peak,
                runs,
                "the seed" if size == 15 else "a generated sheet, 5 indicators per goal",
            )
        )
    return results


def _sheet(size: int, folder: Path) -> Path:
    from machiplan.embedded import DEFAULT_PLAN_DIR

    if size == 15:
        return DEFAULT_PLAN_DIR / "source-sheet.txt"
    from dataclasses import replace

    from tests.support.sheets import Style, render_sheet

    from bench.generate import generate
    from machiplan.interchange.package import read_package

    package = generate(folder / "sheet-package", indicators=size, years=6, seed=2, goals=max(2, size // 5))
    plan = read_package(package)
    plan = replace(plan, higher_plans=tuple(h for h in plan.higher_plans if h.horizon != "vision"))
    plan = replace(
        plan,
        indicators=tuple(
            replace(i, targets=tuple(t for t in i.targets if t.horizon != "vision")) for i in plan.indicators
        ),
    )
    path = folder / "sheet.txt"
    path.write_text(render_sheet(plan, Style()), encoding="utf-8")
    return path


def machine() -> dict[str, str]:
    import django

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "?",
    )
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
    }


# CI's budgets (quick mode): a figure may take up to BUDGET_FACTOR times its reference on this
# project's machine (2 shared cores), and the reference grows with the plan: fixed seconds
# (the process's start-up, migrations, the server's warm-up) plus seconds per 1,000 indicators.
# 1.8 leaves room for the shared machine's noise (±30 % measured) yet fails a 2x regression of
# the whole figure. Measured with `bench/run.py --quick` on 2026-12-01 (docs/benchmarks.md).
BUDGET_FACTOR = 1.8
REFERENCE = {  # scenario -> (fixed seconds, seconds per 1,000 indicators)
    "load": (0.65, 0.3),
    "evaluate (in-process)": (0.01, 0.05),  # a few milliseconds: a pause of the collector is most of it
    "evaluate": (0.9, 0.05),
    "report without PDF": (1.05, 5.0),  # charts on
    "import-sheet": (0.68, 3.6),
    # p99 of 10 clients for 2 s: pages do not grow with the plan. A tail latency on a shared machine
    # swings 2-3x between runs, so its reference is three times the measured one (~50 ms): these
    # catch a page gone several times slower, not a 2x one (the commands above do).
    "indicator page under load": (0.15, 0.0),
    "API plan list under load": (0.15, 0.0),
    "API plan page under load": (0.15, 0.0),
    "API plan document (gzip) under load": (0.2, 0.0),
}


def budget(scenario: str, size: int) -> float | None:
    if scenario not in REFERENCE:
        return None
    fixed, per_thousand = REFERENCE[scenario]
    return BUDGET_FACTOR * (fixed + per_thousand * size / 1000)


def check_budgets(results: list[Result]) -> list[str]:
    misses = []
    for r in results:
        limit = budget(r.scenario, r.size)
        if limit is not None and r.seconds > limit:
            misses.append(f"{r.scenario} at {r.size:,}: {r.seconds:.2f} s > budget {limit:.2f} s")
    return misses


def check_targets(results: list[Result]) -> list[str]:
    misses = []
    for r in results:
        for key, (unit, limit) in TARGETS.items():
            if key[:2] != (r.scenario, r.size):
                continue
            value = r.peak_mib if len(key) == 3 else r.seconds
            if value is not None and value > limit:
                misses.append(f"{r.scenario} at {r.size:,}: {value:.1f} {unit} > {limit:g} {unit}")
    return misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: seconds")
    parser.add_argument(
        "--sizes", default=None, help="comma-separated indicator counts (15 is the Sapporo plan)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "bench" / "out" / "results.json",
        help="where the results are kept",
    )
    parser.add_argument(
        "--charts",
        choices=("always", "auto", "never"),
        default="always",
        help="the report's charts (default: on)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([15, 1000] if args.quick else [15, 1000, 10_000, 100_000])
    )
    repeat = 1 if args.quick else args.repeat
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="machiplan-bench-") as tmp:
        os.environ["MACHIPLAN_DATA_DIR"] = str(Path(tmp) / "parent-data")
        for size in sizes:
            results += bench_size(size, Path(tmp), repeat, quick=args.quick, charts=args.charts)
            print(f"size {size:,} done", file=sys.stderr)
    print("| scenario | indicators | seconds (median; p99 under load) | peak MiB | runs | note |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        peak = f"{r.peak_mib:,.0f}" if r.peak_mib is not None else "—"
        print(f"| {r.scenario} | {r.size:,} | {r.seconds:.2f} | {peak} | {r.runs} | {r.note} |")
    info = machine()
    print("\n" + ", ".join(f"{k}: {v}" for k, v in info.items()))
    misses = check_targets(results)
    for miss in misses:
        print(f"target missed: {miss}")
    over = check_budgets(results) if args.quick else []
    for miss in over:
        print(f"over budget: {miss}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "machine": info,
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "arguments": sys.argv[1:],
                "results": [{**asdict(r), "budget": budget(r.scenario, r.size)} for r in results],
                "misses": misses,
                "over_budget": over,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
