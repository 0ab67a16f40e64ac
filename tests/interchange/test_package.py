"""Plan packages: read, write, read again; and every kind of malformed package gets one clear error."""

import shutil
from pathlib import Path

import pytest

from machiplan.domain.errors import MachiplanError
from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package, write_package


def test_the_embedded_package_reads(sapporo):
    assert sapporo.code == "sapporo-machizukuri-2"
    assert (sapporo.municipality.name, sapporo.municipality.code) == ("札幌市", "011002")
    assert (sapporo.start_fy, sapporo.end_fy, sapporo.evaluation_fy) == (2014, 2018, 2017)
    assert [g.code for g in sapporo.top_nodes] == ["1", "2", "3", "4"]
    assert len(sapporo.indicators) == 15
    assert sum(len(i.observations) for i in sapporo.indicators) == 75
    assert [h.horizon for h in sapporo.higher_plans] == ["action_plan", "vision"]


def test_provenance_names_the_file_and_line(sapporo):
    obs = sapporo.indicators[0].observations[0]
    assert obs.source == "observations.csv:2"


def test_write_then_read_is_the_same_plan(sapporo, tmp_path):
    write_package(sapporo, tmp_path / "out")
    assert read_package(tmp_path / "out") == sapporo


@pytest.fixture
def package(tmp_path) -> Path:
    folder = tmp_path / "pkg"
    shutil.copytree(DEFAULT_PLAN_DIR, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "plan.yaml",
            "schema: machiplan/package@1",
            "schema: other@9",
            r"plan.yaml.schema: unsupported schema",
        ),
        (
            "plan.yaml",
            'code: "011002"',
            "code: 11002",
            r"plan.yaml.municipality.code: '11002' is not a six-digit",
        ),
        ("plan.yaml", "  end_fy: 2018", "  end_fy: 2010", r"plan.yaml.period: end_fy is before start_fy"),
        ("plan.yaml", "  - number: 2", "  - number: two", r"plan.yaml.goals\[1\].number: must be an integer"),
        ("plan.yaml", "  - number: 2", "  - number: 1", r"plan.yaml.goals: goal number 1 appears twice"),
        (
            "plan.yaml",
            "      - kind: results",
            "      - kind: diary",
            r"plan.yaml.goals\[0\].narratives\[0\].kind: unknown kind 'diary'",
        ),
        ("plan.yaml", "title: 第2期", "title: [第2期", r"plan.yaml:\d+: not valid YAML"),
        (
            "plan.yaml",
            "  params: {}",
            "  params: {speed: 2}",
            r"plan.yaml.method.params: unknown parameter 'speed'",
        ),
        (
            "indicators.csv",
            "2b,2,組織化",
            "2a,2,組織化",
            r"indicators.csv:7: indicator code 2a appears twice",
        ),
        (
            "indicators.csv",
            "1b,1,町内会加入",
            "1b,9,町内会加入",
            r"indicators.csv:3: goal 9 is not in plan.yaml",
        ),
        (
            "indicators.csv",
            ",%,increase,level,false,false,chiiki-katsudo,\n1c",
            ",%,upward,level,false,false,chiiki-katsudo,\n1c",
            r"indicators.csv:3: 'direction' must be one of",
        ),
        (
            "indicators.csv",
            "shimin-jichi,\n1b",
            "somebody,\n1b",
            r"indicators.csv:2: department 'somebody' is not in plan.yaml",
        ),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            "1a,2013,actual,94.1",
            r"observations.csv:3: indicator 1a has a second row for FY2013",
        ),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            "1a,2014,actual,94,1",
            r"observations.csv:3: has 10 cells, the header has 9",
        ),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            "1a,2014,actual,lots",
            r"observations.csv:3: 'value' must be a number, not 'lots'",
        ),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            "1a,2014,actual,",
            r"observations.csv:3: an actual value needs 'value'",
        ),
        (
            "observations.csv",
            "1a,2017,pending,",
            "1a,2017,pending,5",
            r"observations.csv:6: a pending observation has no value",
        ),
        ("observations.csv", "1a,2014,actual", "1a,2014,guess", r"observations.csv:3: 'kind' must be one of"),
        (
            "observations.csv",
            "69,2017-09-15",
            "69,2018-09-15",
            r"observations.csv:\d+: as_of 2018-09-15 is outside FY2017",
        ),
        (
            "observations.csv",
            "69,2017-09-15",
            "69,15/9/2017",
            r"observations.csv:\d+: 'as_of' must be a date",
        ),
        (
            "observations.csv",
            "1a,2014,actual,94.1",
            "9z,2014,actual,94.1",
            r"observations.csv: indicator '9z' is not in indicators.csv",
        ),
        (
            "observations.csv",
            "認定=9;仮認定=5",
            "認定:9;仮認定=5",
            r"observations.csv:\d+: breakdown part '認定:9' is not 'label=number'",
        ),
        (
            "observations.csv",
            "indicator,fy,kind",
            "indicator,year,kind",
            r"observations.csv:1: missing column\(s\): fy",
        ),
        ("targets.csv", "1a,vision,2022", "1a,mayor,2022", r"targets.csv:4: unknown horizon 'mayor'"),
        (
            "targets.csv",
            "1a,vision,2022",
            "1a,plan,2022",
            r"targets.csv:4: indicator 1a has a second 'plan' target",
        ),
        ("targets.csv", "100,2014,false", "100,2019,false", r"targets.csv:\d+: period_start_fy is after fy"),
    ],
)
def test_malformed_packages_name_the_place(package, file, old, new, message):
    edit(package / file, old, new)
    with pytest.raises(MachiplanError, match=message):
        read_package(package)


def test_not_a_package(tmp_path):
    with pytest.raises(MachiplanError, match="no such plan package folder"):
        read_package(tmp_path / "missing")
    with pytest.raises(MachiplanError, match=r"plan\.yaml is missing"):
        read_package(tmp_path)


def test_an_unreadable_file_is_named(package):
    (package / "observations.csv").write_bytes("indicator,fy\n".encode("utf-16"))
    with pytest.raises(MachiplanError, match=r"observations\.csv: not UTF-8"):
        read_package(package)
