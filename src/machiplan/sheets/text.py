"""Undo the noise of PDF text extraction without touching what the author wrote."""

from __future__ import annotations

import re
import unicodedata

# Full-width ASCII (digits, letters, a few signs) and the ideographic space become ASCII;
# Japanese punctuation (、。：「」（）～) is the author's and stays.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_KEEP_FULL = {ord(c) for c in "（）：～！？，"}
for _code in _KEEP_FULL:
    _WIDTH.pop(_code, None)

_HALF_WIDTH_KANA_RE = re.compile(r"[\uff61-\uff9f]+")  # ｱｸｼｮﾝﾌﾟﾗﾝ, ｢｣､･ and the sound marks ﾞﾟ
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # HTML only: <ビジョン編> is text
_SPACE_RE = re.compile(r"(?<=(.))[ \t\u3000]+(?=(.))")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _full_width_kana(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group())  # NFKC joins ﾌ + ﾟ into プ


def narrow(text: str) -> str:
    """'Ｈ２９' -> 'H29'; 'ｱｸｼｮﾝﾌﾟﾗﾝ' -> 'アクションプラン'; '（' stays."""
    return _HALF_WIDTH_KANA_RE.sub(_full_width_kana, text.translate(_WIDTH))


def strip_html(text: str) -> str:
    """Tags of the PDF-to-HTML extraction become spaces: '<li>・a</li>' -> ' ・a '."""
    return _TAG_RE.sub(" ", text)


def squash(text: str) -> str:
    """Remove the spaces extraction put inside words, keeping those between two ASCII words.

    '市民活動サポ ートセンター' -> '市民活動サポートセンター'; 'NPO 法人' -> 'NPO法人';
    'CSR activity' stays. Markdown bold (**…**) from the extraction is dropped too.
    """
    text = narrow(strip_html(text)).replace("**", "").strip()

    def keep(m: re.Match[str]) -> str:
        before, after = m.group(1), m.group(2)
        return " " if _ASCII_WORD.match(before) and _ASCII_WORD.match(after) else ""

    return _SPACE_RE.sub(keep, text)


def collapse(text: str) -> str:
    """Runs of whitespace as one space: for titles, where a space is the author's."""
    return re.sub(r"\s+", " ", narrow(strip_html(text))).strip()
