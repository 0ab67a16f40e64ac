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
    """The text and the encoding it was read with; one clear error when none fits.

    A text has no NUL character (PostgreSQL keeps none, and no sheet or template has one):
    one is an error naming its line.
    """
    text, encoding = _decode(data, name)
    if "\x00" in text:
        line = len(re.findall(r"\r\n?|\n", text[: text.index("\x00")])) + 1
        raise MachiplanError(f"line {line}: a NUL character (0x00): not a text file", where=name)
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    utf8 = None
    try:
        utf8 = data.decode("utf-8")
        if "\x00" not in utf8:
            return utf8, "utf-8"
    except UnicodeDecodeError as exc:
        if _cut_short(data, exc):
            raise _cut_error("UTF-8", exc, name) from None
    if len(data) % 2 == 0:  # UTF-16 without a BOM: the byte order whose text reads as Japanese
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _plausible_share(text) > 0.95:
                return text, encoding
    if utf8 is not None:  # UTF-8 with NUL characters in it, and no UTF-16 either
        return utf8, "utf-8"
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        pass
    raise MachiplanError("cannot read the text: not UTF-8, UTF-16 or CP932 (Shift_JIS)", where=name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and exc.reason in ("unexpected end of data", "truncated data"):
            raise _cut_error(encoding.upper(), exc, name) from None
        raise MachiplanError(f"not valid {encoding} text at byte {exc.start}", where=name) from None


def _cut_short(data: bytes, exc: UnicodeDecodeError) -> bool:
    """Valid UTF-8 with characters beyond ASCII, up to a last character that is not all there."""
    return (
        exc.reason == "unexpected end of data"
        and exc.end >= len(data)
        and any(byte >= 0x80 for byte in data[: exc.start])
    )


def _cut_error(encoding: str, exc: UnicodeDecodeError, name: str) -> MachiplanError:
    return MachiplanError(
        f"the file ends in the middle of a character (byte {exc.start:,}): it was cut short, "
        f"or saved or copied incompletely ({encoding})",
        where=name,
    )
