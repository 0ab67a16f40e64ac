"""The ten real documents of ../shared/examples/real/: each imports with no refusal, and the share
of its facts (as the hand-written package in tests/data/real/<name>/ holds them) that the import
got right is measured and held. What a document's text does not carry is said beside its number."""

from __future__ import annotations

from pathlib import Path

import pytest

from machiplan.domain.validation import check_plan
from machiplan.interchange.package import read_package
from machiplan.sheets import read_document_file

from .facts import share

SHARED = Path(__file__).resolve().parents[3] / "shared" / "examples" / "real"
if not SHARED.is_dir():  # the worktree's layout: /work/wt/<name>/tests -> /work/shared
    SHARED = Path(__file__).resolve().parents[4] / "shared" / "examples" / "real"
PACKAGES = Path(__file__).resolve().parents[1] / "data" / "real"

# document, package, the layout that reads it, the share reached (held: it may only rise)
DOCUMENTS = [
    ("abira-zenki-kensho.txt", "abira", "outline", 1.0),
    ("chiba-indicators-2026.json", "chiba", "dataset", 1.0),
    ("fuji-zenki-tassei.txt", "fuji", "outline", 1.0),
    ("fukuoka-shogai-shinchoku-2020.txt", "fukuoka", "outline", 1.0),
    ("ino-kpi-kensho-h29.txt", "ino", "outline", 1.0),
    ("mima-seika.txt", "mima", "outline", 1.0),
    ("nanto-shisaku-sheet-h27.txt", "nanto", "form", 1.0),
    ("ogaki-sousei-h28.txt", "ogaki", "outline", 1.0),
    ("tsukuba-kpi-sheet-h27.txt", "tsukuba", "kpi_sheet", 1.0),
    ("urakawa-kpi-2016.txt", "urakawa", "outline", 1.0),
]

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the shared examples are not beside the project")


@pytest.mark.parametrize(("document", "package", "layout", "least"), DOCUMENTS, ids=[d[1] for d in DOCUMENTS])
def test_the_document_imports_with_its_facts(document, package, layout, least):
    result = read_document_file(SHARED / document)
    check_plan(result.plan)  # the plan keeps every rule: it can be saved as it is
    assert result.layout == layout
    expected = read_package(PACKAGES / package)
    got, missed, extra = share(result.plan, expected)
    print(
        f"SHARE {package}: {got:.1%} of {sum(missed.values()) + 0} missed; {sum(extra.values())} more; missed {dict(missed)}"
    )
    assert got >= least, f"{got:.1%}; missed: {dict(missed)}"
