"""The embedded Sapporo plan's report is as it was before the general plan model.

tests/data/sapporo-before/ holds the report written before the model change
(tests/support/report_snapshot.py, report date fixed, charts left out). Today's report may
only add to it:

- plan.json: every key and value of the saved document is present, unchanged (the schema's
  new version, machiplan/plan@2, is the one change allowed); new keys are fine;
- CSV: the same files, the same rows; the saved columns are an unchanged prefix of each row;
- Japanese report.md, index.html's text and report.xlsx's cell values: equal, but for columns
  added at the end of the data and evaluation sheets' tables (as in the CSV files), and a progress
  rate below zero, which the text now words (基準値より悪化) instead of printing −352 %;
- English: the same of the data files (JSON, CSV); its wording may have improved elsewhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.support.report_snapshot import write_snapshot

BEFORE = Path(__file__).resolve().parents[1] / "data" / "sapporo-before"
TIDY_SHEETS = {"データ", "評価", "Data", "Evaluation"}  # tables that grow columns at their end


@pytest.fixture(scope="module")
def written(sapporo, tmp_path_factory):
    """Today's report in a language, written once per language."""
    folders: dict[str, Path] = {}

    def write(lang: str) -> Path:
        if lang not in folders:
            folders[lang] = tmp_path_factory.mktemp(f"sapporo-{lang}")
            write_snapshot(sapporo, folders[lang], lang)
        return folders[lang]

    return write


@pytest.fixture(params=["ja", "en"])
def today(request, written):
    return request.param, written(request.param)


@pytest.fixture
def japanese(written):
    return written("ja")


@pytest.fixture
def english(written):
    return written("en")


def _contained(saved, new, path="$"):
    """Every key and value of ``saved`` is in ``new`` unchanged (lists item by item)."""
    if isinstance(saved, dict):
        assert isinstance(new, dict), path
        for key, value in saved.items():
            assert key in new, f"{path}.{key} is missing"
            _contained(value, new[key], f"{path}.{key}")
    elif isinstance(saved, list):
        assert isinstance(new, list) and len(new) == len(saved), f"{path}: {len(saved)} items before"
        for n, (a, b) in enumerate(zip(saved, new, strict=True)):
            _contained(a, b, f"{path}[{n}]")
    else:
        assert saved == new, f"{path}: {saved!r} became {new!r}"


def test_plan_json_keeps_every_key_and_value(today):
    lang, folder = today
    saved = json.loads((BEFORE / lang / "plan.json").read_text(encoding="utf-8"))
    new = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    assert saved.pop("schema") in ("machiplan/plan@1", "machiplan/plan@2")  # the saved report's version
    assert new["schema"] == "machiplan/plan@2"
    _contained(saved, new)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_files_keep_their_columns_and_rows(today):
    lang, folder = today
    saved_files = sorted(p.name for p in (BEFORE / lang).glob("*.csv"))
    assert sorted(p.name for p in folder.glob("*.csv")) == saved_files  # no new file for Sapporo
    for name in saved_files:
        saved, new = _rows(BEFORE / lang / name), _rows(folder / name)
        assert len(new) == len(saved), name
        for number, (a, b) in enumerate(zip(saved, new, strict=True), start=1):
            assert b[: len(a)] == a, f"{name}:{number}"
        assert len(new[0]) >= len(saved[0])  # the new columns, at the end


def _worded(saved: str) -> str:
    """The one wording changed since: a progress rate below zero reads 基準値より悪化, not −352 %
    (labels.progress_label; the number stays in the CSV files and the workbook)."""
    return re.sub(r"(?<![\d.])-\d+%", "基準値より悪化", saved)


def test_japanese_markdown_and_page_text_are_equal(japanese):
    lang, folder = "ja", japanese
    for name in ("report.md", "index.txt"):
        saved = (BEFORE / lang / name).read_text(encoding="utf-8")
        assert (folder / name).read_text(encoding="utf-8") == _worded(saved), name
    assert "-352%" in (BEFORE / lang / "index.txt").read_text(encoding="utf-8")  # what the words replace


def test_japanese_workbook_values_are_equal(japanese):
    lang, folder = "ja", japanese
    saved = json.loads((BEFORE / lang / "report.xlsx.json").read_text(encoding="utf-8"))
    new = json.loads((folder / "report.xlsx.json").read_text(encoding="utf-8"))
    assert list(new) == list(saved)  # the same sheets, in the same order
    for sheet, rows in saved.items():
        assert len(new[sheet]) == len(rows), sheet
        for number, (a, b) in enumerate(zip(rows, new[sheet], strict=True), start=1):
            if sheet in TIDY_SHEETS:
                assert b[: len(a)] == a, f"{sheet}!{number}"
            else:
                assert b == a, f"{sheet}!{number}"


def test_english_workbook_keeps_its_figures(english):
    """English labels may read better; the figures and the tidy tables' columns may not move."""
    lang, folder = "en", english
    saved = json.loads((BEFORE / lang / "report.xlsx.json").read_text(encoding="utf-8"))
    new = json.loads((folder / "report.xlsx.json").read_text(encoding="utf-8"))
    assert len(new) == len(saved)
    for (old_name, rows), (new_name, got) in zip(saved.items(), new.items(), strict=True):
        assert len(got) == len(rows), (old_name, new_name)
        for a, b in zip(rows, got, strict=True):
            numbers = [v for v in a if isinstance(v, int | float) and not isinstance(v, bool)]
            assert numbers == [
                v for v in b[: len(a)] if isinstance(v, int | float) and not isinstance(v, bool)
            ]
