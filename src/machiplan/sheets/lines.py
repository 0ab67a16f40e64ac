"""A published document's text as numbered lines, with the noise of its extraction undone.

What a PDF-to-text extraction or a web page's text adds is taken away here, once, for every
reader of published documents: HTML tags, full-width ASCII, a space between every character
('基 本 目 標 １'), the navigation of the site or mirror it was copied from ('ページの先頭です',
'Copied!', '読み込み中....'), and the page header a mirror repeats. What is taken away is
said (``Line.noise``), never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import narrow, strip_html

_LINE_END_RE = re.compile(r"\r\n?|\n")

# Lines of a web page or a document mirror that are not the document's: exact or leading words.
BOILERPLATE = (
    "ページの先頭です", "共通メニューなどをスキップして本文へ", "このページを一時保存する",
    "スマートフォン表示用の情報をスキップ", "現在位置", "先頭に戻る", "ページの先頭へ", "本文へ",
    "Copied!", "N/A", "Protected", "全文", "読み込み中", "• 検索結果がありません。", "検索結果がありません",
    "シェア ", "Academic year:", "このページのトップへ", "印刷する", "前のページへ戻る", "メニュー",
    "Tweet", "いいね", "ツイート", "PDFファイルを見るためには", "Adobe Reader", "Adobe Acrobat Reader",
    "お問い合わせ", "このページに関するお問い合わせ", "ダウンロード", "関連ファイル", "More", "Share",
)  # fmt: skip
_PAGE_MARK_RE = re.compile(r"^(?:\(\d{1,3}\)|-\s*\d{1,3}\s*-|\d{1,3}\s*/\s*\d{1,3}|p\.\s*\d{1,3})$")


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str  # as the reader sees it: tags out, ASCII narrowed, spaced characters joined
    raw: str  # as extracted
    noise: str = ""  # why the line is not the document's (boilerplate, a repeated header …)


def document_lines(text: str) -> list[Line]:
    """Every line, numbered from 1, cleaned; ``noise`` set on the lines that are not the document's."""
    raw_lines = _LINE_END_RE.split(text)
    lines: list[Line] = []
    first = ""
    for number, raw in enumerate(raw_lines, start=1):
        clean = clean_line(raw)
        noise = ""
        if clean and not first:
            first = clean
        elif clean and clean == first and len(clean) < 120:
            noise = "the document's first line again: a header repeated by the page or its mirror"
        if not noise:
            noise = boilerplate(clean)
        lines.append(Line(number, clean, raw, noise))
    return lines


def clean_line(raw: str) -> str:
    text = narrow(strip_html(raw)).replace("**", "").replace("\u3000", " ")
    text = re.sub(r"[ \t]+", " ", text).strip()
    if spaced(text):
        text = _join_spaced(text)
    return text


def spaced(text: str) -> bool:
    """A line with a space between every character ('基 本 目 標 1 地 域'): most tokens are one character."""
    tokens = text.split(" ")
    if len(tokens) < 6:
        return False
    singles = sum(1 for t in tokens if len(t) == 1)
    return singles >= 0.7 * len(tokens)


def _join_spaced(text: str) -> str:
    """'基 本 目 標  1' -> '基本目標 1': single spaces go, a wider gap (two spaces in the raw line) stays."""
    # the caller has made every gap one space; a gap the extraction widened is lost, so join
    # every single-character run and keep spaces only between ASCII words
    out = []
    for token in text.split(" "):
        if (
            out
            and (len(token) == 1 or len(out[-1]) == 1)
            and not (out[-1][-1].isascii() and token[0].isascii())
        ):
            out[-1] += token
        else:
            out.append(token)
    return " ".join(out)


def boilerplate(text: str) -> str:
    if not text:
        return ""
    for word in BOILERPLATE:
        if text == word.strip() or (len(word) > 6 and text.startswith(word)):
            return "the web page's or mirror's own text, not the document's"
    if _PAGE_MARK_RE.match(text):
        return "a page number or marker"
    return ""
