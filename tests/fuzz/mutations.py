"""Hypothesis strategies that mutate real inputs: characters, lines and bytes, and hostile tokens put in.

The inputs are the product's own (the seed sheet, the embedded package's files,
a bulk template), so most mutants stay close to something a reader
understands and reach deep into it, rather than being refused at the first byte.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.sax.saxutils import escape

from hypothesis import strategies as st

# What attacks and PDF extraction put in files: long digit runs, brackets, era dates real and
# impossible, numbers too large for anything, control and invisible characters, markup.
HOSTILE = (
    "9" * 40,
    "1" * 2_000,
    "1," * 500 + "x",
    "1万" * 300 + "x",
    "4億9,600万円",
    "1" + "0" * 40 + "円",
    "1e400",
    "NaN",
    "-0",
    "▲",
    "(" * 200,
    ")" * 200,
    "（" * 100 + "1",
    "(((H29.8.31時点)))",
    "(H29.2.30時点)",
    "(H26-30 計)",
    "(R9-H2 計)",
    "H29.8.31.時点",
    "a" * 3_000 + "時点",
    "H9999",
    "9999状況",
    "1800実績",
    "0000実績",
    "R0実績",
    "平成99年度",
    "令和元年度",
    "S64.1.7",
    "9999.12.31時点",
    "基本目標 " + "9" * 30,
    "基本 目標 5",
    "基本\u3000目標",
    "成果指標 達成状況",
    "H29状況",
    "アクションプラン H31",
    "ｱｸｼｮﾝﾌﾟﾗﾝ",
    "※平成29年度の" + "は" * 300,
    "※H29年度の登録団体数はH29.9.31時点",
    "◎1-1 ",
    "1-" + "1" * 300,
    "・x(" + "1" * 300,
    "『』",
    "『" * 50,
    "今後調査",
    "—",
    "\t" * 300,
    " " * 300,
    "\u2000" * 300,
    "\u3000",
    "\x00",
    "\x0b\x0c\x1c\x1d\x1e\x85",
    "\u2028\u2029",
    "\ufeff",
    "\u200b",
    "\r",
    "\r\n",
    "<li>",
    "<ul style='" + "x" * 500,
    "**",
    "Ｈ２９実績",
    "１，２３４人",
    "認定9、仮認定5、" * 50,
    '"',
    '"' + "x" * 1_000,
    ",",
    "=1+1",
    "45565",
    "&lt;",
    "]]>",
    "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>",
)

# Bytes that are no UTF-8 (a lone continuation, an overlong form, an encoded surrogate, a cut character).
INVALID_BYTES = (
    b"\xff",
    b"\xfe\xff",
    b"\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xe3\x81",
    b"\xf4\x90\x80\x80",
)


def _position(draw, text) -> int:
    """Anywhere in the text, evenly (hypothesis's integers lean towards 0: the start of every file)."""
    return draw(st.sampled_from(range(len(text) + 1)))


def _value(draw) -> str:
    return draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)))


@st.composite
def _text_edit(draw, text: str) -> str:
    kind = draw(
        st.sampled_from(
            ["insert", "insert", "delete", "duplicate", "replace_char", "line", "line", "repeat_line"]
        )
    )
    if kind == "insert":
        at = _position(draw, text)
        return (
            text[:at]
            + draw(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=12)))
            + text[at:]
        )
    if kind == "delete":
        start = _position(draw, text)
        return text[:start] + text[start + draw(st.integers(1, 200)) :]
    if kind == "duplicate":
        start = _position(draw, text)
        piece = text[start : start + draw(st.integers(1, 300))]
        return text[:start] + piece * draw(st.integers(2, 20)) + text[start:]
    if kind == "replace_char":
        at = _position(draw, text)
        return text[:at] + draw(st.characters()) + text[at + 1 :]
    lines = text.split("\n")
    i = draw(st.sampled_from(range(len(lines))))
    if kind == "repeat_line":
        lines[i:i] = [lines[i]] * draw(st.integers(1, 50))
    else:
        action = draw(st.sampled_from(["drop", "swap", "copy", "hostile"]))
        j = draw(st.sampled_from(range(len(lines))))
        if action == "drop":
            del lines[i]
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "copy":
            lines.insert(i, lines[j])
        else:
            lines[i] = draw(st.sampled_from(HOSTILE))
    return "\n".join(lines)


@st.composite
def mutated_text(draw, base: str, max_edits: int = 4) -> str:
    """``base`` with one to ``max_edits`` edits: insertions of hostile tokens, deletions, duplications, line edits."""
    text = base
    for _ in range(draw(st.integers(1, max_edits))):
        text = draw(_text_edit(text))
    return text


@st.composite
def mutated_bytes(draw, base: bytes, max_edits: int = 3) -> bytes:
    """``base`` with byte-level edits: flipped bytes, invalid UTF-8 put in, cut short."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, max_edits))):
        kind = draw(st.sampled_from(["flip", "invalid", "truncate", "insert_bytes"]))
        at = _position(draw, data)
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "invalid":
            data[at:at] = draw(st.sampled_from(INVALID_BYTES))
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@st.composite
def encoded(draw, text: str) -> bytes:
    """A text as a file: in UTF-8 (with or without BOM), CP932 or UTF-16, as the readers accept."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp932", "utf-16"]))
    return text.encode(encoding, errors="replace")


@st.composite
def text_file(draw, base: str) -> bytes:
    """A mutated text file: text edits, then perhaps byte edits."""
    data = draw(encoded(draw(mutated_text(base))))
    if draw(st.integers(0, 3)) == 0:
        data = draw(mutated_bytes(data))
    return data


@st.composite
def csv_file(draw, base: str) -> bytes:
    """A mutated CSV template: cells given hostile values (the file stays CSV), then perhaps text and byte edits."""
    rows = list(csv.reader(io.StringIO(base, newline="")))
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.sampled_from(rows))
        if row:
            row[draw(st.sampled_from(range(len(row))))] = _value(draw)
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"]))).writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 2)) == 0:
        text = draw(mutated_text(text, max_edits=2))
    data = draw(encoded(text))
    return draw(mutated_bytes(data)) if draw(st.integers(0, 5)) == 0 else data


def rezip(data: bytes, member: str, content: bytes) -> bytes:
    """A zip (a workbook) with one member's content replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member else source.read(info))
    return out.getvalue()


_CELL_TEXT_RE = re.compile(r"(<t>|<t xml:space=\"preserve\">)([^<]*)(</t>)")


def _xml_text(text: str) -> str:
    """A value as XML character data (XML 1.0 has no control characters but tab and line ends)."""
    return escape("".join(c for c in text if c in "\t\n\r" or 0x20 <= ord(c) < 0xFFFE))


@st.composite
def workbook_file(draw, base: bytes) -> bytes:
    """A mutated workbook: cells given hostile values, or its XML edited as text (so openpyxl reads
    deep into it), or its bytes."""
    kind = draw(st.sampled_from(["cells", "cells", "cells", "xml", "bytes"]))
    if kind == "bytes":
        return draw(mutated_bytes(base))
    member = "xl/worksheets/sheet1.xml"
    if kind == "xml":
        member = draw(st.sampled_from([member, member, member, "xl/workbook.xml", "xl/styles.xml"]))
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        xml = archive.read(member).decode("utf-8")
    if kind == "cells":
        cells = list(_CELL_TEXT_RE.finditer(xml))
        chosen = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=6, unique_by=lambda m: m.start()))
        for m in sorted(chosen, key=lambda m: -m.start()):  # from the end, so that the places stay right
            xml = xml[: m.start(2)] + _xml_text(_value(draw)) + xml[m.end(2) :]
    else:
        xml = draw(mutated_text(xml))
    return rezip(base, member, xml.encode("utf-8", errors="replace"))
