"""Detect the encoding of a sheet file: UTF-8 (with or without BOM), UTF-16 or CP932."""

from __future__ import annotations

import codecs
import re

from machiplan.domain.errors import MachiplanError

# Characters a Japanese plan document is made of: ASCII, kana, kanji, full-width forms, punctuation.
_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef\u2010-\u2312\u25a0-\u25ff]")


def _plausible_share(text: str) -> float:
    return len(_PLAUSIBLE.findall(text)) / len(text) if text else 0.0


def decode(data: bytes, *, name: str) -> tuple[str, str]:
    """The text and the encoding it was read with; one clear error when none fits."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:  # UTF-16 without a BOM: the byte order whose text reads as Japanese
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _plausible_share(text) > 0.95:
                return text, encoding
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        pass
    raise MachiplanError("cannot read the text: not UTF-8, UTF-16 or CP932 (Shift_JIS)", where=name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise MachiplanError(f"not valid {encoding} text at byte {exc.start}", where=name) from None
