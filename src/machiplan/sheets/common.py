"""What every reader of a document returns, and the small helpers they share.

A reader is pure: text in, a ``Reading`` out (the plan, a warning for every line it could
not place, what it guessed of the indicators and of the structure, and the layout it read).
``dispatch.read_document`` tries every reader and keeps the one that placed the most facts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from machiplan.domain.guesses import Guess
from machiplan.domain.plan import Plan
from machiplan.domain.validation import Worded


@dataclass(frozen=True, slots=True)
class SheetWarning(Worded):
    """A line the reader could not place, in English and Japanese (``text(lang)``)."""

    line: int | None
    message: str
    message_ja: str = ""

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str = "en") -> str:
        """The line, then what, in ``lang`` ('line 55: …', '55行目：…'; ``str``: in English)."""
        if not self.line:
            return self.text(lang)
        return (
            f"{self.line}行目：{self.text(lang)}" if lang == "ja" else f"line {self.line}: {self.text(lang)}"
        )


@dataclass(frozen=True, slots=True)
class SheetOptions:
    """What the sheet cannot say. ``None`` means: infer it, and warn."""

    code: str | None = None
    municipality_name: str | None = None
    municipality_code: str | None = None
    start_fy: int | None = None
    end_fy: int | None = None


@dataclass(frozen=True, slots=True)
class StructureGuess:
    """What a reader took a line (or the whole document) for: its layout, a heading and its level,
    a row of a table, a column … with why, so that a person can check it."""

    what: str  # layout | heading | level | table | record | column | merge | split | scale | year
    value: str  # 'outline', '基本目標 Ⅰ → level 1 (基本目標)', …
    reason_ja: str
    reason_en: str
    line: int | None = None

    def reason(self, lang: str) -> str:
        return self.reason_ja if lang == "ja" else self.reason_en

    def as_dict(self) -> dict:
        return {
            "what": self.what,
            "value": self.value,
            "line": self.line,
            "reason_ja": self.reason_ja,
            "reason_en": self.reason_en,
        }


@dataclass(frozen=True, slots=True)
class SheetResult:
    plan: Plan
    warnings: tuple[SheetWarning, ...]
    encoding: str = "utf-8"
    guesses: tuple[tuple[str, Guess], ...] = ()  # (indicator code, what was guessed and why)
    layout: str = "sapporo"  # the reader that read it: sapporo | kpi_sheet | form | outline | dataset
    structure: tuple[StructureGuess, ...] = ()  # what the reader took the lines for
    scores: tuple[tuple[str, int | str], ...] = field(default=())  # every reader's facts, or why it refused


LAYOUTS = {
    "sapporo": ("札幌市の進捗状況シートの系統", "a progress sheet of the Sapporo family"),
    "kpi_sheet": ("KPIごとの評価シート", "an evaluation sheet per KPI"),
    "form": ("施策マネジメントシート（様式）", "a policy management sheet (a form)"),
    "outline": ("見出しと指標の文書", "a document of headings and indicators"),
    "dataset": ("指標のデータセット（JSON）", "a dataset of indicators (JSON)"),
}


def code_from(source: str) -> str:
    """A plan code from the file name: letters, digits, '-' and '_' ('town.v2.txt' -> 'town-v2')."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(source).stem).strip("-_")  # a code is a URL slug
    return (stem or "imported-sheet")[:64]


def key(text: str) -> str:
    """A name as compared: NFKC, no whitespace ('市民 の 割合' and '市民の割合' are one)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def slug(text: str, fallback: str) -> str:
    """An ASCII code from a city's numbering: 'Ⅰ-1-(1)' -> 'I-1-1'; else the fallback."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_ROMAN_ASCII)
    for circled, n in _CIRCLED.items():
        text = text.replace(circled, str(n))
    out = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return out[:48] if out else fallback


_ROMAN_ASCII = str.maketrans({"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V", "Ⅵ": "VI",
                              "Ⅶ": "VII", "Ⅷ": "VIII", "Ⅸ": "IX", "Ⅹ": "X"})  # fmt: skip
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
