"""bench/peer.py writes the generated plan as Open SDG's input: a data CSV and a metadata file per indicator."""

import csv

import yaml
from bench.generate import generate
from bench.peer import sdg_ids, write_sdg_input


def test_the_plan_as_open_sdg_input(tmp_path):
    package = generate(tmp_path / "package", indicators=30, years=10, seed=1)
    assert write_sdg_input(package, tmp_path / "src") == 30
    ids = sdg_ids(package)
    assert len(set(ids.values())) == 30 and all(i.count("-") == 2 for i in ids.values())
    data = sorted((tmp_path / "src" / "data").glob("indicator_*-*.csv"))
    meta = sorted((tmp_path / "src" / "meta").glob("*.yml"))
    assert len(data) == len(meta) == 30
    with open(package / "observations.csv", encoding="utf-8", newline="") as f:
        observations = [row for row in csv.DictReader(f) if row["value"]]
    headline = 0
    for path in data:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and set(rows[0]) == {"Year", "Series", "Units", "Breakdown", "Value"}
        headline += sum(1 for r in rows if not r["Breakdown"])
    assert headline == len(observations)  # every figure, once, beside its breakdown's parts
    first = yaml.safe_load((tmp_path / "src" / "meta" / f"{ids['i1']}.yml").read_text(encoding="utf-8"))
    assert first["indicator_name"] and first["reporting_status"] == "complete"
    assert (tmp_path / "src" / "_prose.yml").exists()
    assert (tmp_path / "src" / "translations" / "ja" / "general.yml").exists()
