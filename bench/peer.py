"""machiplan against Open SDG's sdg-build on the same plan (issue #15: load + report ≥ 20× faster).

    .venv/bin/python bench/peer.py --sdg-python /tmp/peer/venv/bin/python [--indicators 10000] [--rounds 1]

sdg-build is not on PyPI (the PyPI name ``sdg`` is another project): it is installed
from its repository into a scratch virtualenv of its own, never the project's, e.g.

    python3 -m venv /tmp/peer/venv
    /tmp/peer/venv/bin/pip install ./yamlmd ./sdg-build "pandas<2" "numpy<2"
    # github.com/dougmet/yamlmd and github.com/open-sdg/sdg-build (2.3.0), as source trees.
    # yamlmd's setup.py installs no module (its files sit at the repository's top): copy them
    mkdir .../site-packages/yamlmd && cp yamlmd/{__init__,read,write}.py .../site-packages/yamlmd/

The plan is bench/generate.py's (10 years a indicator, seed 1). sdg-build gets it as
Open SDG's input: one data CSV per indicator (``data/indicator_<goal>-<n>-1.csv``:
Year, Series, Units, Value, with a breakdown's parts as rows of a ``Breakdown``
disaggregation column) and one metadata YAML per indicator (name, unit, goal, the
plan target), and runs what ``open_sdg_build`` runs for the site: the Open SDG
output (per language, ``ja``, and untranslated) and the data packages — without the
documentation pages, with a local translation file (none fetched from the network). machiplan
runs ``load`` then ``report`` without PDF (charts on) into a fresh SQLite data folder.
The two alternate, ``--rounds`` times; each figure is a whole-process wall time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MACHIPLAN = Path(sys.executable).parent / "machiplan"

SCHEMA = {  # the metadata fields the site shows (Open SDG's _prose.yml format)
    "prose": {
        "metadata": {
            "meta": [
                {"name": name, "field": {"element": "text", "label": name, "scope": "page"}}
                for name in ("indicator_name", "indicator_number", "computation_units", "target", "goal")
            ]
        }
    }
}

BUILD = """
import os, sys
import sdg
from sdg import open_sdg

src, site = sys.argv[1], sys.argv[2]  # site: relative to src (frictionless refuses absolute paths)
os.chdir(src)
sdg.OutputDocumentationService.generate_documentation = lambda self: None  # the site only
status = open_sdg.open_sdg_build(
    src_dir="",
    site_dir=site,
    schema_file="_prose.yml",
    languages=["ja"],
    translations=[{"class": "TranslationInputYaml", "source": "translations"}],
    config="no-config-file.yml",
    inputs=[
        {"class": "InputCsvData", "path_pattern": os.path.join("data", "*-*.csv")},
        {"class": "InputYamlMeta", "path_pattern": os.path.join("meta", "*.yml"), "git": False},
    ],
    logging=[],
)
sys.exit(0 if status else 1)
"""


def sdg_ids(package: Path) -> dict[str, str]:
    """machiplan's indicator code -> an Open SDG id (goal-n-1: the goal, its n-th indicator)."""
    ids, per_goal = {}, {}
    with open(package / "indicators.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            n = per_goal[row["goal"]] = per_goal.get(row["goal"], 0) + 1
            ids[row["code"]] = f"{row['goal']}-{n}-1"
    return ids


def write_sdg_input(package: Path, src: Path) -> int:
    """The package as sdg-build's input folder; the number of indicators written."""
    ids = sdg_ids(package)
    (src / "data").mkdir(parents=True)
    (src / "meta").mkdir()
    (src / "_prose.yml").write_text(yaml.safe_dump(SCHEMA), encoding="utf-8")
    (src / "translations" / "ja").mkdir(parents=True)  # local: nothing fetched from the network
    (src / "translations" / "ja" / "general.yml").write_text(
        yaml.safe_dump({"goal": "目標", "indicator": "指標", "target": "目標値"}, allow_unicode=True),
        encoding="utf-8",
    )
    with open(package / "indicators.csv", encoding="utf-8", newline="") as f:
        indicators = {row["code"]: row for row in csv.DictReader(f)}
    targets = {}
    with open(package / "targets.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["horizon"] == "plan":
                targets[row["indicator"]] = f"{row['value']} ({row['fy']})"
    rows: dict[str, list[list[str]]] = {code: [] for code in indicators}
    with open(package / "observations.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if not row["value"]:  # pending, none: no figure
                continue
            unit = indicators[row["indicator"]]["unit"]
            rows[row["indicator"]].append([row["fy"], "", unit, "", row["value"]])
            for part in filter(None, row["breakdown"].split(";")):
                name, value = part.split("=", 1)
                rows[row["indicator"]].append([row["fy"], "", unit, name, value])
    for code, indicator in indicators.items():
        sdg_id = ids[code]
        with open(src / "data" / f"indicator_{sdg_id}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["Year", "Series", "Units", "Breakdown", "Value"])
            writer.writerows(rows[code])
        meta = {
            "indicator_name": indicator["name"],
            "indicator_number": sdg_id.replace("-", "."),
            "computation_units": indicator["unit"],
            "goal": indicator["goal"],
            "target": targets.get(code, ""),
            "reporting_status": "complete",
            "data_non_statistical": False,
            "graph_type": "line",
            "graph_title": indicator["name"],
            "published": True,
        }
        (src / "meta" / f"{sdg_id}.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8"
        )
    return len(indicators)


def wall(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - start


def compare(sdg_python: str, indicators: int, rounds: int, work: Path) -> dict:
    from bench.generate import generate

    package = generate(work / "package", indicators=indicators, years=10, seed=1)
    code = f"generated-{indicators}"
    src = work / "sdg-src"
    write_sdg_input(package, src)
    script = work / "build.py"
    script.write_text(BUILD, encoding="utf-8")
    ours, theirs = [], []
    for n in range(rounds):
        data = work / f"data-{n}"
        env = {**os.environ, "MACHIPLAN_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "machiplan.settings"}
        env.pop("MACHIPLAN_DATABASE_URL", None)
        subprocess.run([str(MACHIPLAN), "plans"], env=env, check=True, capture_output=True)  # migrate first
        load = wall([str(MACHIPLAN), "load", str(package), "--replace"], env)
        report = wall(
            [str(MACHIPLAN), "report", code, "--format", "html,xlsx,md,json,csv", "--charts", "always",
             "--out", str(work / f"report-{n}")],
            env,
        )  # fmt: skip
        ours.append(load + report)
        theirs.append(wall([sdg_python, str(script), str(src), f"_site-{n}"]))
        print(
            f"round {n + 1}: machiplan {ours[-1]:.1f} s (load {load:.1f} + report {report:.1f}), "
            f"sdg-build {theirs[-1]:.1f} s",
            file=sys.stderr,
        )
    version = subprocess.run(
        [sdg_python, "-c", "import importlib.metadata as m; print(m.version('sdg'))"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    return {
        "indicators": indicators,
        "rounds": rounds,
        "machiplan_load_report_s": ours,
        "sdg_build_site_s": theirs,
        "sdg_version": version,
        "ratio": theirs_s / ours_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sdg-python", required=True, help="the python of a virtualenv with sdg-build")
    parser.add_argument("--indicators", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "peer.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="machiplan-peer-") as tmp:
        result = compare(args.sdg_python, args.indicators, args.rounds, Path(tmp))
    print(
        f"{args.indicators:,} indicators: machiplan load + report without PDF "
        f"{statistics.median(result['machiplan_load_report_s']):.1f} s, sdg-build {result['sdg_version']} "
        f"site only {statistics.median(result['sdg_build_site_s']):.1f} s: {result['ratio']:.1f}×"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
