"""How plans number their hierarchy: '1章 市民の…', '①子育て', '(1)科学技術の振興', 'Ⅰ-2-(3)', '11102'.

``heading`` splits a heading into its number and its name, and says the numbering's style
(章, ①, (1), Ⅰ …), so that rows headed in the same style are nodes of the same level;
``code_parts`` splits a node's code into its ancestors' codes; ``child_code`` makes a node's
code from its parent's and its own number, as plans write them (Ⅰ → Ⅰ-1 → Ⅰ-1-(1)).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from machiplan.domain.validation import is_node_code

_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LEVEL_WORDS = (
    "基本目標",
    "基本施策",
    "個別施策",
    "基本方針",
    "政策",
    "施策",
    "分野",
    "目標",
    "柱",
    "方針",
    "基本事業",
)
_SEP = r"[\s.．、,:：)）\]】]*"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("章", re.compile(rf"^(?P<number>第?[0-9０-９]+章){_SEP}")),
    ("節", re.compile(rf"^(?P<number>第?[0-9０-９]+節){_SEP}")),
    (
        "word",
        re.compile(
            rf"^(?P<word>{'|'.join(_LEVEL_WORDS)})\s*(?P<number>[0-9０-９]+(?:[-‐－ー][0-9０-９]+)*|[{_ROMAN}]+|[IVX]+)(?![0-9]){_SEP}"
        ),
    ),
    ("roman", re.compile(rf"^(?P<number>[{_ROMAN}]+(?:[-‐－][0-9０-９()（）{_CIRCLED}]+)*){_SEP}")),
    ("circled", re.compile(rf"^(?P<number>[{_CIRCLED}]){_SEP}")),
    ("paren", re.compile(r"^(?P<number>[(（][0-9０-９]+[)）])\s*")),
    ("dotted", re.compile(rf"^(?P<number>[0-9０-９]+(?:[-‐－][0-9０-９]+)+)(?![0-9０-９.]){_SEP}")),
    (
        "arabic",
        re.compile(
            r"^(?P<number>[0-9０-９]{1,3})(?:[\s.．、:：)）]+(?![0-9０-９])|(?=[^\s0-9０-９.,．，%％年月日人件回歳校か箇カヶ万千億円倍位]))"
        ),
    ),
    ("kana", re.compile(r"^(?P<number>[ア-ン])[\s.．、)）]+")),
    ("latin", re.compile(r"^(?P<number>[A-Za-z])[.)）]\s*")),
)
_BRACKETS = re.compile(r"^[【\[［〔](?P<inner>[^】\]］〕]{1,40})[】\]］〕]\s*(?P<rest>.*)$")
_MARKERS = "■□●○◆◇▲△▼▽◎★☆"


@dataclass(frozen=True, slots=True)
class Heading:
    number: str  # as the plan writes it: 1章, ①, (1), Ⅰ-2, 基本目標1 -> 1
    name: str  # the rest: 市民の個性と能力が発揮できるまちづくり
    style: str  # how it is numbered: 章, circled, paren, roman, dotted2 (1-1), arabic, word:基本目標, ■ …


def heading(text: str) -> Heading | None:
    """A heading's number, name and style; None when the text starts with no number or mark."""
    text = text.strip()
    m = _BRACKETS.match(text)
    if m:  # 【基本目標1】子育て…: the bracket holds the number
        inner = heading(m["inner"])
        if inner is not None:
            return Heading(inner.number, (inner.name + " " + m["rest"]).strip() or inner.name, inner.style)
        return Heading("", m["rest"].strip() or m["inner"].strip(), "【】")
    if text[:1] in _MARKERS:
        return Heading("", text[1:].strip(), text[0])
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            number = m["number"]
            name = text[m.end() :].strip()
            if style == "word":
                style = f"word:{m['word']}"
            elif style == "dotted":
                style = f"dotted{len(re.split(r'[-‐－]', number))}"
            return Heading(number, name, style)
    return None


def ascii_forms(text: str) -> str:
    """Full-width ASCII (１, （) as ASCII; roman and circled numerals kept as the plan writes them."""
    return "".join(
        unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" or c == "\u3000" else c for c in text
    )


def bare_number(number: str) -> str:
    """A number as a code part: '第1章' -> '1', '1.' -> '1'; '(1)', '①', 'Ⅰ' stay as written."""
    text = ascii_forms(number).strip()
    m = re.fullmatch(r"第?([0-9]+)[章節]", text)
    if m:
        return m.group(1)
    return text.rstrip(".．、:：").replace("．", ".").replace("‐", "-").replace("－", "-") or text


def code_safe(text: str) -> str:
    """A text as a node code: what a node code may not hold (spaces, ; / \\ ? # % =) made '-'."""
    safe = re.sub(r"[\s;/\\?#%=]+", "-", text).strip("-")[:64]
    return safe or "x"


def child_code(parent: str | None, number: str) -> str:
    """'Ⅰ' + '1' -> 'Ⅰ-1'; '1' + '1-1' -> '1-1' (the number already holds its parent's code)."""
    own = code_safe(bare_number(number))
    if parent is None or own.startswith(parent + "-") or own.startswith(parent + "."):
        return own
    return code_safe(f"{parent}-{own}")


_SEPARATORS = re.compile(r"[-‐－ー.．・_]")


def code_parts(code: str, widths: tuple[int, ...] = ()) -> list[str]:
    """The codes of a node and its ancestors, top first: '1-1-2' -> ['1', '1-1', '1-1-2'];
    'Ⅰ-2-(3)' -> ['Ⅰ', 'Ⅰ-2', 'Ⅰ-2-(3)']; '11102' with widths (1, 1, 3) -> ['1', '11', '11102']."""
    code = ascii_forms(code).strip()
    if widths and code.isdigit():
        parts, start = [], 0
        for width in widths:
            if start >= len(code):
                break
            start += width
            parts.append(code[:start])
        if start < len(code):
            parts.append(code)
        return [p for p in parts if p]
    # each part ends before a separator (1-1-2) or an opening bracket (Ⅰ(1)): its prefixes, as written
    ends = [
        m.start() for m in re.finditer(r"(?<=[^\s\-‐－ー.．・_])(?:[-‐－ー.．・_](?=\S)|(?=[(（]))", code)
    ]
    return [code[:end] for end in ends if end > 0] + [code]


def looks_like_code(text: str) -> bool:
    """A short number a plan's outline uses as a code: 1-1-2, Ⅰ-2-(3), 11102, ①, (1), A-1."""
    t = ascii_forms(text).strip()
    if not t or len(t) > 20 or not is_node_code(t):
        return False
    return bool(re.fullmatch(rf"[0-9A-Za-z{_ROMAN}{_CIRCLED}()（）\-‐－.．・_]+", t)) and bool(
        re.search(rf"[0-9{_ROMAN}{_CIRCLED}]", t)
    )
