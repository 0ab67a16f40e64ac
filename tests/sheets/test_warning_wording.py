"""Every warning the readers and the plan rules give has its Japanese wording (the staff pages show
it): the documents, tables and packages the tests import, and a table made to trip the table
reader's rules, each read, checked, and every warning's Japanese text looked at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from machiplan.domain.validation import check_plan
from machiplan.interchange.package import read_package_result
from machiplan.sheets import read_document_file
from machiplan.tables import PlanFacts, read_table
from tests.conftest import SEED
from tests.tables import sheets

from .test_shared_documents import DOCUMENTS as SHARED_DOCUMENTS
from .test_shared_documents import SHARED

DATA = Path(__file__).resolve().parents[1] / "data"
# Kana: a Japanese sentence has them; the English wording (which may quote 指標名 or 目標) has none.
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")

DOCUMENTS = [
    *sorted(p for p in (DATA / "documents").iterdir() if p.is_file()),
    *sorted((DATA / "documents" / "family").glob("*.txt")),
    SEED,
    *(SHARED / d[0] for d in SHARED_DOCUMENTS if (SHARED / d[0]).is_file()),
]

# A table as a city might get it wrong: digits grouped wrongly, a total row, figures with no name, a
# direction in no known words, a cell's own year against its column's, a word for a figure, the same
# indicator twice with another unit.
TRIPPING = """指標名,単位,方向,令和2年度実績,令和3年度実績,目標値
観光客数,人,増加,"1,000","1,2000",2000
合計,人,,5,6,7
,人,,5,6,7
移住者数,人,右肩,▲あ,令和4年度 30,40
移住者数,組,,3,4,5
"""


def japanese(warnings) -> list[str]:
    """The warnings whose Japanese is missing or not Japanese: none, when all is well."""
    return [f"{w}: {w.text('ja')!r}" for w in warnings if not w.message_ja or not KANA.search(w.text("ja"))]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_document_warning_has_its_japanese(path):
    result = read_document_file(path)
    warnings = [*result.warnings, *check_plan(result.plan)]
    assert not japanese(warnings)


@pytest.mark.parametrize("layout", sorted(sheets.LAYOUTS))
def test_every_table_warning_has_its_japanese(layout):
    name, data = sheets.LAYOUTS[layout]()
    facts = PlanFacts(start_fy=2013, end_fy=2019) if layout == "urakawa_arrows" else None
    result = read_table(data, name, facts=facts)
    warnings = [*result.warnings, *check_plan(result.plan)]
    assert warnings and not japanese(warnings)


def test_a_table_tripping_the_readers_rules_warns_in_both_languages():
    result = read_table(TRIPPING.encode(), "t.csv", facts=PlanFacts(start_fy=2020, end_fy=2024))
    assert len(result.warnings) >= 8 and not japanese(result.warnings)
    by_cell = {w.where: w for w in result.warnings}
    assert by_cell["t.csv!A3"].text("ja") == "合計の行です（合計）：読み込みません"
    assert by_cell["t.csv!A3"].text("en") == "a total row (合計): not read"
    assert by_cell["t.csv!E2"].text("ja").startswith("'1,2000'を'1,200'と読みました（桁区切りの誤り）")


def test_next_years_sheet_and_the_packages_warn_in_japanese():
    name, data = sheets.urakawa_r5()
    result = read_table(data, name)
    assert not japanese([*result.warnings, *check_plan(result.plan)])
    packages = sorted(p for p in (DATA / "real").iterdir() if p.is_dir())
    warnings = [w for p in packages for w in read_package_result(p).warnings]
    assert warnings and not japanese(warnings)
