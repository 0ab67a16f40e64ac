"""bench/run.py's bookkeeping: issue #15's targets judged per database, and the JSON it keeps."""

import json

import pytest
from bench.run import TARGETS, Result, budget, check_targets, evaluate_target, record

from bench import run


def target(label_start):
    return next(t for t in TARGETS if t.label.startswith(label_start))


def row(scenario, size, seconds, peak=None, database="sqlite", **more):
    return Result(scenario, size, seconds, peak, 1, database=database, **more)


def test_every_row_of_issue_15s_table_is_a_target():
    assert len(TARGETS) == 14
    limits = {(t.scenario, t.size, t.measure): (t.limit, t.unit) for t in TARGETS}
    assert limits[("load + report without PDF", 10_000, "seconds")] == (20, "s")
    assert limits[("load + report without PDF", 10_000, "ratio")] == (20, "×")
    assert limits[("one chart (CPU)", None, "seconds")] == (5, "ms CPU")
    assert limits[("report PDF", 15, "seconds")] == (3, "s")
    assert limits[("report PDF", 1000, "seconds")] == (60, "s")
    assert limits[("report PDF", 1000, "peak")] == (1024, "MiB")
    assert limits[("evaluate (in-process)", 100_000, "seconds")] == (0.5, "s")
    assert limits[("evaluate", 100_000, "seconds")] == (8, "s")
    assert limits[("load", 100_000, "seconds")] == (15, "s")
    assert limits[("API plan page under load", 10_000, "seconds")] == (100, "ms")
    assert limits[("indicator page under load", 10_000, "seconds")] == (50, "ms")
    assert limits[("", 100_000, "peak of any")] == (1024, "MiB")


def test_met_not_met_and_not_measured():
    load = target("load 100,000")
    assert evaluate_target(load, [row("load", 100_000, 14.2)], "sqlite")["status"] == "met"
    verdict = evaluate_target(load, [row("load", 100_000, 15.0)], "sqlite")
    assert verdict["status"] == "not met" and verdict["measured"] == "15 s"
    assert evaluate_target(load, [row("load", 10_000, 1.0)], "sqlite")["status"] == "not measured"
    # another database's figure does not count
    assert evaluate_target(load, [row("load", 100_000, 1.0, database="postgresql")], "sqlite")["status"] == (
        "not measured"
    )


def test_scaled_units():
    page = target("`/api/plans/<code>/` page")
    # a SQLite figure does not answer for PostgreSQL
    sqlite_only = [row("API plan page under load", 10_000, 0.087)]
    assert evaluate_target(page, sqlite_only, "postgresql")["status"] == "not measured"
    verdict = evaluate_target(
        page, [row("API plan page under load", 10_000, 0.087, database="postgresql")], "postgresql"
    )
    assert verdict == {
        "target": "`/api/plans/<code>/` page p99, 10,000 indicators, 50 clients: < 100 ms",
        "database": "postgresql",
        "value": pytest.approx(87),
        "measured": "87 ms",
        "status": "met",
    }
    chart = target("one chart")
    # the chart row has no database: it counts for every database, at any size
    assert (
        evaluate_target(chart, [row("one chart (CPU)", 68, 0.0004, database="")], "postgresql")["status"]
        == "met"
    )
    assert (
        evaluate_target(chart, [row("one chart (CPU)", 68, 0.006, database="")], "sqlite")["status"]
        == "not met"
    )


def test_memory_of_any_command():
    rows = [
        row("load", 100_000, 14, 863),
        row("evaluate", 100_000, 7, 855),
        row("report without PDF", 100_000, 300, 1901),
        row("load", 10_000, 4, 3000),  # another size
        row("evaluate (in-process)", 100_000, 0.4),  # no peak
    ]
    verdict = evaluate_target(target("peak memory of any command"), rows, "sqlite")
    assert verdict["status"] == "not met"
    assert verdict["measured"] == "1,901 MiB (report without PDF)"
    assert evaluate_target(target("peak memory of any command"), rows[:2], "sqlite")["status"] == "met"
    assert (
        evaluate_target(
            target("PDF of 1,000 indicators: memory"), [row("report PDF", 1000, 50, 990)], "sqlite"
        )["status"]
        == "met"
    )


def test_ratio_against_the_peer():
    ratio = target("the same vs Open SDG")
    ours = row("load + report without PDF", 10_000, 10.0)
    peer = row("peer: sdg-build site only", 10_000, 250.0, database="")
    verdict = evaluate_target(ratio, [ours, peer], "sqlite")
    assert verdict["status"] == "met" and verdict["value"] == 25
    assert (
        evaluate_target(
            ratio, [ours, row("peer: sdg-build site only", 10_000, 150.0, database="")], "sqlite"
        )["status"]
        == "not met"
    )
    assert evaluate_target(ratio, [ours], "sqlite")["status"] == "not measured"


def test_gzip_and_304_must_be_what_was_served():
    gzip, not_modified = (
        target("`/api/plans/<code>/` whole document, gzip"),
        target("`/api/plans/<code>/` whole document, ETag"),
    )
    served = [
        row("API plan document (gzip) under load", 10_000, 0.2, served="200 gzip"),
        row("API plan document (304) under load", 10_000, 0.01, served="304"),
    ]
    assert evaluate_target(gzip, served, "sqlite")["status"] == "met"
    assert evaluate_target(not_modified, served, "sqlite")["status"] == "met"
    plain = [
        row("API plan document (gzip) under load", 10_000, 0.2, served="200"),
        row("API plan document (304) under load", 10_000, 0.01, served="200 gzip"),
    ]
    assert evaluate_target(gzip, plain, "sqlite")["status"] == "not met"
    assert evaluate_target(not_modified, plain, "sqlite")["status"] == "not met"


def test_targets_per_database():
    rows = [row("load", 100_000, 12), row("load", 100_000, 18, database="postgresql")]
    verdicts = check_targets(rows, ["sqlite", "postgresql"])
    assert len(verdicts) == 2 * len(TARGETS)
    load = {v["database"]: v["status"] for v in verdicts if v["target"].startswith("load 100,000")}
    assert load == {"sqlite": "met", "postgresql": "not met"}


def test_the_json_record():
    rows = [row("load", 1000, 0.9, 59), row("load", 1000, 1.4, 80, database="postgresql")]
    verdicts = check_targets(rows, ["sqlite", "postgresql"])
    kept = json.loads(
        json.dumps(record(rows, {"cpu": "x"}, ["--sizes", "1000"], verdicts, []), ensure_ascii=False)
    )
    assert kept["machine"] == {"cpu": "x"} and kept["arguments"] == ["--sizes", "1000"]
    assert kept["results"][1] == {
        "scenario": "load",
        "size": 1000,
        "seconds": 1.4,
        "peak_mib": 80,
        "runs": 1,
        "note": "",
        "database": "postgresql",
        "served": "",
        "budget": pytest.approx(budget("load", 1000)),
    }
    assert {t["status"] for t in kept["targets"]} == {"not measured"}
    assert kept["misses"] == [] and kept["over_budget"] == []
    assert set(kept) == {
        "machine",
        "when",
        "arguments",
        "results",
        "targets",
        "misses",
        "over_budget",
        "failures",
    }
    assert kept["failures"] == []


def test_quick_budgets_unchanged():
    """CI's budgets are issue #15's first quick run's (docs/benchmarks.md): not tightened here."""
    assert run.BUDGET_FACTOR == 1.8
    assert budget("load", 1000) == pytest.approx(1.8 * 0.95)
    assert budget("report without PDF", 1000) == pytest.approx(1.8 * 6.05)
    assert budget("load + report without PDF", 1000) is None


def test_unknown_database_is_refused(capsys):
    with pytest.raises(SystemExit):
        run.main(["--databases", "mysql"])
    assert "unknown database mysql" in capsys.readouterr().err


def test_a_small_run_end_to_end(tmp_path, capsys, monkeypatch):
    """The argument plumbing and the JSON file, on the cheapest scenario: Sapporo's load."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "machiplan.settings")  # the commands' own, not the tests'
    monkeypatch.setenv("MACHIPLAN_DATA_DIR", str(tmp_path / "data"))  # main() sets it: restored after
    out = tmp_path / "results.json"
    code = run.main(
        ["--sizes", "15", "--repeat", "1", "--only", "load", "--pdf-sizes", "", "--sdg-python", "/nowhere",
         "--json", str(out)]
    )  # fmt: skip
    assert code == 0
    kept = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["scenario"], r["size"], r["database"]) for r in kept["results"]] == [("load", 15, "sqlite")]
    assert kept["results"][0]["peak_mib"] > 0
    assert len(kept["targets"]) == len(TARGETS)
    assert "| load | sqlite | 15 |" in capsys.readouterr().out


def test_a_failing_size_keeps_what_was_measured(tmp_path, monkeypatch):
    monkeypatch.setenv("MACHIPLAN_DATA_DIR", str(tmp_path / "data"))

    def half_then_fail(size, work, repeat, *, results, **options):
        results.append(row("load", size, 1.0, 50))
        raise RuntimeError("machiplan report failed: boom")

    monkeypatch.setattr(run, "bench_size", half_then_fail)
    out = tmp_path / "results.json"
    assert run.main(["--sizes", "15,1000", "--only", "load", "--json", str(out)]) == 1
    kept = json.loads(out.read_text(encoding="utf-8"))
    assert [r["size"] for r in kept["results"]] == [15, 1000]  # the second size still ran
    assert kept["failures"] == [
        "sqlite, 15 indicators: machiplan report failed: boom",
        "sqlite, 1,000 indicators: machiplan report failed: boom",
    ]
