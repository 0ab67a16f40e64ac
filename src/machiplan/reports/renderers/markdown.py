"""report.md: the report as Markdown, for pasting into other documents and wikis.

Every text put into it — the plan's, the staff's, and the report's own labels —
goes through ``md``: it cannot open an HTML tag, a link, an image, emphasis, code
or a table cell, and cannot start a line of its own; a Markdown reader shows it
exactly as it was written. Only the renderer's own literals are Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from machiplan.domain.labels import NARRATIVE_KIND_LABELS, fy_label

from ..model import Report

# HTML's three as entities (a raw tag or autolink is impossible), Markdown's inline marks as backslash escapes
_INLINE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]|~#"}})
_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")
_BLOCK_START = re.compile(r"[-+=]|\d+(?=[.)])")  # a list item, a setext underline, a numbered item


def md(text: object) -> str:
    """Text as Markdown that shows it as it is: one line, every mark escaped."""
    return _BREAKS.sub(" ", str(text)).strip().translate(_INLINE)


def _line(text: object) -> str:
    """Text that begins a line: nor may it begin a list, a heading underline or a numbered item."""
    escaped = md(text)
    start = _BLOCK_START.match(escaped)
    if start is None:
        return escaped
    if start.group().isdigit():
        return start.group() + "\\" + escaped[start.end() :]
    return "\\" + escaped


class _Raw(str):
    """A cell the renderer wrote as Markdown itself."""


def _cell(text: object) -> str:
    return text if isinstance(text, _Raw) else md(text)


def _table(header: list[object], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _name(view, lang: str) -> str:
    ind = view.indicator
    return ind.name_en if lang == "en" and ind.name_en else ind.name


def render_markdown(report: Report, folder: Path) -> list[Path]:
    t, plan, lang = report.t, report.plan, report.lang
    title = plan.title_en if lang == "en" and plan.title_en else plan.title
    out = [
        f"# {md(title)} {md(t['report'])}",
        "",
        f"{md(plan.municipality.name)}（{md(plan.municipality.code)}） · {md(t['plan_period'])} {md(report.period_text)} · "
        f"{md(t['evaluation_year'])} {md(report.fy(report.evaluation.evaluation_fy))} · {md(t['generated'])} {report.generated_on.isoformat()}",
        "",
        f"## {md(t['summary'])}",
        "",
    ]
    rows = [[t["all_goals"], *report.evaluation.overall.values()]]
    rows += [[f"{t['goal']}{s.goal.number} {s.goal.name}", *s.counts.values()] for s in report.goals]
    out += [*_table([t["goal"], *(label for _, label in report.status_order)], rows), ""]
    out += _table(
        [
            t["goal"],
            t["indicator"],
            t["latest"],
            t["year"],
            t["target"],
            t["target_year"],
            t["progress"],
            t["status"],
        ],
        [
            [
                v.indicator.goal,
                _name(v, lang),
                v.latest_text,
                v.latest_year,
                v.target_text,
                v.target_year,
                v.progress,
                v.status_label,
            ]
            for v in report.indicators
        ],
    )
    for section in report.goals:
        goal = section.goal
        out += [
            "",
            f"## {md(t['goal'])}{goal.number}『{md(goal.name)}』",
            "",
            f"**{md(goal.statement)}**",
            "",
            f"### {md(t['policies'])}",
            "",
        ]
        for policy in goal.policies:
            out.append(f"- {'◎' if policy.priority else ''}{md(policy.code)} {md(policy.title)}")
            out += [
                f"  - {md(i.text)}" + "".join(f"（{md(f)}）" for f in i.facts) for i in policy.initiatives
            ]
        out += ["", f"### {md(t['indicators'])}", ""]
        header = [""] + [
            (f"{v.indicator.category}: " if v.indicator.category else "") + _name(v, lang)
            for v in section.indicators
        ]
        rows = [[f"{r.label} {r.western}", *(c.text for c in r.cells)] for r in section.rows]
        rows.append([t["evaluation"], *(v.status_label for v in section.indicators)])
        out += _table(header, rows)
        out += [""] + [_line(note) for note in goal.footnotes]
        out += ["", f"### {md(t['evaluation'])}", ""]
        for view in section.indicators:
            out.append(f"- **{md(view.status_label)}** {md(_name(view, lang))}: {md(view.explanation)}")
            out += [
                f"  - {md(h.label)}（{md(h.fy_text)}）: {md(h.status_label)}, {md(t['progress'])} {md(h.progress)}"
                for h in view.horizons
            ]
        for narrative in goal.narratives:
            year = f"{md(fy_label(narrative.fy, lang))} " if narrative.fy else ""
            out += ["", f"### {year}{md(NARRATIVE_KIND_LABELS[lang][narrative.kind])}", ""]
            for item in narrative.items:
                if item.heading:
                    out.append(f"- ●{md(item.heading)}" + (f" {md(item.text)}" if item.text else ""))
                elif item.text:
                    out.append(f"- {md(item.text)}")
                indent = "  " if item.heading or item.text else ""
                out += [f"{indent}- {md(b)}" for b in item.bullets]
    out += ["", f"## {md(t['method'])}", ""] + [f"- {md(line)}" for line in report.method_lines]
    out += [
        "",
        *_table(
            [t["parameters"], "", ""],
            [
                [label, _Raw(f"`{key}`"), value] for key, label, value in report.parameters
            ],  # keys are Params' fields
        ),
    ]
    if plan.higher_plans:
        out += ["", f"## {md(t['glossary'])}", ""]
        out += [f"- **{md(h.label)}**：{md(h.title)}。{md(h.description)}" for h in plan.higher_plans]
    path = folder / "report.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return [path]
