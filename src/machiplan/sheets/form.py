"""Read a policy management sheet (施策マネジメントシート), a form whose cells extraction scrambles.

The form gives 政策No. and 施策No. with their names, the 施策's 対象指標 (A, B, C, each a name
and a unit) and 成果指標 (A–E, numbered 1–5, each a name, perhaps wrapped onto a second line,
and a unit). Units that lost their place ('% %' after E) go to the indicators left without
one, in order, and the guess is shown.
"""

from __future__ import annotations

import re

from machiplan.domain.errors import MachiplanError
from machiplan.domain.plan import Indicator, Node

from .build import Builder
from .common import SheetOptions, SheetResult
from .lines import document_lines

UNITS = {"k㎡", "km2", "㎢", "㎡", "ha", "%", "件", "人", "回", "団体", "箇所", "カ所", "施設", "世帯", "t", "kg",
         "円", "千円", "万円", "社", "校", "台", "本", "m", "km", "日", "時間", "点", "戸", "人日"}  # fmt: skip
_LETTER_RE = re.compile(r"^(?P<letter>[A-F])(?:\s+(?P<name>\S.*))?$")
_LABEL_RE = re.compile(r"(施策|政策|対象|意図|成果指標|単位|課|日$|計画|有無|考え方|測定|目的|方針|姿|No\.)")
_STOP = ("成果指標設定の考え方", "成果指標の測定", "成果目標管理事業", "2 施策", "施策の成果")


def read_form(text: str, *, source: str = "sheet.txt", options: SheetOptions | None = None) -> SheetResult:
    every = document_lines(text)
    lines = [ln for ln in every if ln.text and not ln.noise]
    flat = " ".join(ln.text for ln in lines)
    if not (
        "成果指標名" in flat and ("施策No" in flat or "マネジメントシート" in flat or "対象指標名" in flat)
    ):
        raise MachiplanError("not a policy management sheet (no 成果指標名 and 施策No.)", where=source)
    b = Builder(source, options or SheetOptions(), "form")
    b.title = lines[0].text[:120]
    b.noise(every)
    b.years_from_text(lines)
    policy, measure = _numbers(lines)
    policy_name = _policy_name(lines)
    measure_name = _measure_name(lines)
    parent = None
    if policy:
        b.add_node(Node(code=policy, name=policy_name or f"政策{policy}", number=policy))
        b.level(0, "政策")
        parent = policy
    node = None
    if measure:
        code = f"{policy}-{measure}" if policy else measure
        b.add_node(Node(code=code, name=measure_name or f"施策{measure}", parent=parent, number=measure))
        b.level(1 if policy else 0, "施策")
        node = code
    for i, ln in enumerate(lines):
        if "対象指標名" in ln.text:
            _indicators(b, lines, i, node, "context", "対象指標")
        elif "成果指標名" in ln.text:
            _indicators(b, lines, i, node, "outcome", "成果指標")
    if not b.indicators:
        raise MachiplanError("a policy management sheet without indicators", where=source)
    return b.plan()


def _numbers(lines) -> tuple[str | None, str | None]:
    policy = measure = None
    for ln in lines:
        m = re.search(r"政策\s*No\.?\s*(\d+)", ln.text)
        if m and policy is None:
            policy = m.group(1)
        m = re.search(r"施策\s*No\.?\s*(\d+(?:\s+\d+)*)", ln.text)
        if m and measure is None:
            measure = m.group(1).split()[-1]  # '施策No. 2 3': the 施策's own number is the last
    return policy, measure


def _free(text: str) -> bool:
    """A cell's value rather than a label: words without figures, of some length."""
    return (
        len(text) >= 4
        and not re.search(r"\d", text)
        and not _LABEL_RE.search(text)
        and not text.startswith("・")
    )


def _policy_name(lines) -> str:
    seen = False
    for ln in lines:
        if "施策No" in ln.text or "政策No" in ln.text:
            seen = True
            continue
        if seen and _free(ln.text):
            return ln.text
    return ""


def _measure_name(lines) -> str:
    for i, ln in enumerate(lines):
        if ln.text == "施策" and i > 0 and _free(lines[i - 1].text):
            return lines[i - 1].text
        if ln.text == "施策" and i + 1 < len(lines) and _free(lines[i + 1].text):
            return lines[i + 1].text
    return ""


def _indicators(b: Builder, lines, at: int, node: str | None, kind: str, label: str) -> None:
    entries: list[dict] = []
    surplus: list[str] = []
    started = False
    for ln in lines[at + 1 :]:
        text = ln.text
        if text.startswith(_STOP) or re.match(r"^[①-⑳]", text) or (started and ("指標名" in text)):
            break
        if text == "単位":
            started = True
            continue
        if not started:
            continue
        m = _LETTER_RE.match(text)
        if m:
            entries.append({"letter": m["letter"], "no": "", "name": [m["name"]] if m["name"] else [], "unit": None,
                            "line": ln.number})  # fmt: skip
            continue
        if not entries:
            continue
        entry = entries[-1]
        if re.fullmatch(r"\d{1,2}", text) and not entry["name"]:
            entry["no"] = text
        elif text in UNITS:
            if entry["unit"] is None and entry["name"]:
                entry["unit"] = text
            else:
                surplus.append(text)
        elif entry["unit"] is None:
            entry["name"].append(text)
        else:
            break
    named = [e for e in entries if e["name"]]
    for entry in named:
        if entry["unit"] is None and surplus:
            entry["unit"] = surplus.pop(0)
            b.saw("column", f"{label} {entry['letter']}: {entry['unit']}", "居場所を失った単位を、単位のない指標に順に対応づけ",
                  "a unit that lost its place given to the indicator left without one", entry["line"])  # fmt: skip
    for entry in named:
        name = "".join(entry["name"])
        if len(entry["name"]) > 1:
            b.saw(
                "record",
                name,
                "次の行に続く名称をつなげた",
                "a name wrapped onto the next line joined",
                entry["line"],
            )
        tag = entry["letter"] + (f"（No.{entry['no']}）" if entry["no"] else "")
        code = b.unique_code(
            f"{node or 'top'}-{'taisho' if kind == 'context' else 'seika'}-{entry['letter']}"
        )
        b.indicator(Indicator(code=code, name=name, nodes=(node,) if node else (), type=kind, unit=entry["unit"],
                              category=label, note=f"{label} {tag}"), line=entry["line"])  # fmt: skip
