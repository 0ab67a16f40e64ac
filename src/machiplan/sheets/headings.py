"""Headings as cities write them, wherever extraction left them: at a line's start or mid-line.

基本目標 Ⅰ, 基本目標1, 第1章, 1章, 第3章第3節, 政策1, 施策1-1, ●施策1-14, 【基本目標2】, Ⅰ 子育て・教育,
①子育て・就学前教育, (1)第一次産業の振興, 1.競争力のある…, 1-2 居場所づくり. A heading's kind (its
label, or the shape of its number) gives its level: the first kind seen is the top level, a
kind first seen under another is one level below it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

LABELS = (
    "基本目標", "基本方針", "基本施策", "個別施策", "具体的な施策", "具体的施策", "重点施策", "重点目標",
    "重点プロジェクト", "政策分野", "基本政策", "政策", "施策の柱", "施策", "分野", "柱",
)  # fmt: skip
_LABEL = "|".join(LABELS)
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
_NUM = rf"\d+(?:\s*[-‐－]\s*\d+)*|[{ROMAN}]+|\(\d+\)|（\d+）|[①-⑳]|[⑴-⒇]"
_MARKS = "●■◆◇▼▶◎"
_LABELLED_RE = re.compile(rf"^(?P<label>{_LABEL})\s*(?P<num>{_NUM})(?![\d,.])\s*[.．:：]?\s*(?P<rest>.*)$")
_CHAPTER_RE = re.compile(
    r"^(?:第\s*(?P<num>\d+|[一二三四五六七八九十]+)|(?P<num2>\d+))\s*(?P<label>章|節|編)\s*(?P<rest>.*)$"
)
_ROMAN_RE = re.compile(rf"^(?P<num>[{ROMAN}]+)(?:[.．、]\s*|\s+)(?P<rest>\S.*)$")
_CIRCLED_RE = re.compile(r"^(?P<num>[①-⑳])\s*(?P<rest>\S.*)$")
_PAREN_RE = re.compile(r"^(?P<num>\(\d{1,2}\)|（\d{1,2}）|[⑴-⒇])\s*(?P<rest>\S.*)$")
_DOT_RE = re.compile(r"^(?P<num>\d{1,2})[.．](?!\d)\s*(?P<rest>\S.*)$")
_CODE_RE = re.compile(r"^(?P<num>\d{1,3}(?:-\d{1,3})+)\s+(?P<rest>\S.*)$")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九", start=0)}

# where a heading may begin inside a line (before it: the line's start or a space)
_SPLIT_RE = re.compile(
    rf"(?:(?<=\s)|(?<=^)|(?<=[。」』】≫]))(?=(?:{_LABEL})\s*(?:\d|[{ROMAN}]|\(\d)|第\s*\d+\s*[章節]|\d+章|[①-⑳]|[{ROMAN}]+\s|[{_MARKS}]|【|≪|《|○|\(\d{{1,2}}\)(?=[^\s\d)])|\d{{1,2}}[.．](?=[^\d\s]))"
)
_NOT_AFTER = re.compile(rf"(?:{_LABEL}|第|No\.?|NO\.?)\s*$")


@dataclass(frozen=True, slots=True)
class Heading:
    kind: str  # the label (基本目標, 施策, 章 …) or the shape: roman, circled, paren, dot, code
    number: str  # as written: Ⅰ, 1-1, (1), ①, 第1章
    key: str  # the number as a code part: Ⅰ, 1-1, (1), ①, 1
    rest: str  # what follows on its segment: the name, then whatever else
    label: str = ""  # the level's name where the heading gives it


def segments(text: str) -> list[str]:
    """A line cut where a heading or an item begins inside it; a line without one is one segment."""
    cuts = [0]
    for m in _SPLIT_RE.finditer(text):
        start = m.start()
        if start == 0 or _NOT_AFTER.search(text[:start]):
            continue
        cuts.append(start)
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def _kanji_number(text: str) -> str:
    if text.isdigit():
        return text
    if text == "十":
        return "10"
    if text.startswith("十"):
        return str(10 + _KANJI_DIGITS.get(text[1], 0))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str(_KANJI_DIGITS.get(tens, 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0))
    return str(_KANJI_DIGITS.get(text, 0))


def heading(segment: str) -> list[Heading]:
    """The heading(s) a segment starts with ('第3章第3節 商業・流通' is two), or none."""
    text = segment.strip()
    bracketed = False
    if text[:1] in _MARKS:
        text = text[1:].strip()
    m = re.match(r"^[【≪《<〈](?P<inner>[^】≫》>〉]{1,60})[】≫》>〉]\s*(?P<after>.*)$", text)
    if m:
        bracketed = True
        inner = m["inner"].strip()
        found = heading(inner)
        if not found:
            return []
        last = found[-1]
        rest = (last.rest + " " + m["after"]).strip() if last.rest else m["after"]
        return [*found[:-1], Heading(last.kind, last.number, last.key, rest, last.label)]
    found: list[Heading] = []
    while text:
        h = _one(text)
        if h is None:
            break
        found.append(h)
        text = h.rest
        if not re.match(r"^第\s*\d+\s*[章節]", text):  # 第3章第3節: go on
            break
    del bracketed
    return found


def _one(text: str) -> Heading | None:
    m = _LABELLED_RE.match(text)
    if m:
        num = re.sub(r"\s+", "", m["num"]).replace("－", "-").replace("‐", "-")
        return Heading(m["label"], f"{m['label']}{num}", num, m["rest"].strip(), m["label"])
    m = _CHAPTER_RE.match(text)
    if m:
        num = _kanji_number(m["num"] or m["num2"])
        written = f"第{num}{m['label']}" if m["num"] else f"{num}{m['label']}"
        return Heading(m["label"], written, num, m["rest"].strip(), m["label"])
    for kind, pattern in (("roman", _ROMAN_RE), ("circled", _CIRCLED_RE), ("paren", _PAREN_RE),
                          ("code", _CODE_RE), ("dot", _DOT_RE)):  # fmt: skip
        m = pattern.match(text)
        if m:
            num = m["num"]
            key = num.rstrip(".．")
            if kind == "paren":
                key = "(" + re.sub(r"\D", "", num) + ")" if num[0] in "(（" else f"({ord(num) - 0x2473})"
            return Heading(kind, num, key, m["rest"].strip())
    return None


def child_code(parent: str | None, key: str) -> str:
    if parent is None:
        return key
    if key.startswith(parent + "-"):
        return key
    return f"{parent}-{key}"
