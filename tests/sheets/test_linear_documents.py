"""Every reader of published documents takes time linear in the document: n and 10n, timed."""

from __future__ import annotations

import contextlib

import pytest

from machiplan.domain.errors import MachiplanError
from machiplan.sheets import read_document
from tests.fuzz.timing import growth

BOUND = 30  # linear is ~10, quadratic ~100

DOCUMENTS = {
    "a list of 現状 → 目標": (
        lambda n: "計画\n1.目標\n" + "".join(f"指標{i}:{i}人 → {i + 1}人\n" for i in range(n)),
        200,
    ),
    "a table flattened into one line": (
        lambda n: (
            "成果指標 1章 名 ①節 目標(指標)名 単位 現状 目標(令和6年度) "
            + " ".join(f"指標{i} 人 {i} {i + 1}" for i in range(n))
        ),
        200,
    ),
    "records": (lambda n: "計画\n" + "指標名：a\n初期値：1（平成26年）\n目標値：2（令和6年）\n" * n, 200),
    "headings": (
        lambda n: "計画\n" + "".join(f"基本目標{i} 目標{i}\n施策{i}-1 施策\n" for i in range(1, n)),
        200,
    ),
    "one long line of markers": (lambda n: "計画 " + "①a 【b】 ●c (1)d " * n, 200),
    "a scrambled KPI sheet": (
        lambda n: (
            "従前値 (単位) H27 H28 H29 H30 H31 目標値\n指標の方向性 上\nKPI その1\n名前\n"
            + "件 H27年度 - - - - 12 12 件 H31年度\n" * n
        ),
        200,
    ),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_linear(name):
    make, n = DOCUMENTS[name]

    def run(text):
        with contextlib.suppress(MachiplanError):
            read_document(text, source="doc.txt")

    ratios = []
    for _ in range(3):
        ratios.append(growth(run, make, n))
        if ratios[-1] < BOUND:
            return
    raise AssertionError(f"10x the input took {min(ratios):.0f}x as long")
