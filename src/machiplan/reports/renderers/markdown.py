"""report.md: the report as Markdown, for pasting into other documents and wikis.

Every text put into it — the plan's, the staff's, and the report's own labels —
goes through ``md``: it cannot open an HTML tag, a link, an image, emphasis, code
or a table cell, and cannot start a line of its own; a Markdown reader shows it
exactly as it was written. Only the renderer's own literals are Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from machiplan.domain.labels import fy_label

from ..model import NodeSection, Report, Table, as_context
from ..text import NARRATIVE_LABELS

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


def _facts_table(table: Table) -> list[str]:
    return [f"**{md(table.caption)}**", "", *_table(list(table.header), [list(r) for r in table.rows]), ""]


def _comments(comments) -> list[str]:
    out = []
    for c in comments:
        out.append(f"- **{md(c.heading)}**")
        out += [
            f"  {md(line)}" if n == 0 else f"  <br>{md(line)}" for n, line in enumerate(_paragraphs(c.text))
        ]
    return out


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _indicator(view, t: dict[str, str], lang: str) -> list[str]:
    out = [f"- **{md(view.status_label)}** {md(_name(view, lang))}: {md(view.explanation)}"]
    out += [
        f"  - {md(h.label)}（{md(h.fy_text)}）: {md(h.status_label)}, {md(t['progress'])} {md(h.progress)}"
        for h in view.horizons
    ]
    if view.baseline_text:
        out.append(f"  - {md(view.baseline_text)}")
    for r in view.ratings:
        if lang == "ja":
            line = f"  - {md(t['city_rating'])}（{md(r.fy_text)}）{md(r.scale)}：**{md(r.grade)}**"
            line += f"（{md(r.meaning)}）" if r.meaning else ""
        else:
            line = f"  - {md(t['city_rating'])} ({md(r.fy_text)}), {md(r.scale)}: **{md(r.grade)}**"
            line += f" ({md(r.meaning)})" if r.meaning else ""
        line += f" {md(r.note)}" if r.note else ""
        line += f" ⚠ **{md(r.disagreement)}**" if r.disagreement else ""
        out.append(line)
    for s in view.series:
        year = f"（{md(s.latest_year)}）" if s.latest_year else ""
        parts = [f"{md(t['latest'])} {md(s.latest_text)}{year}", f"{md(t['target'])} {md(s.target_text)}"]
        if s.baseline_text:
            parts.insert(0, md(s.baseline_text))
        out.append(
            f"  - {md(t['series'])} {md(s.label)}: **{md(s.status_label)}**, {md(t['progress'])} {md(s.progress)}; "
            + "; ".join(parts)
        )
    for label, text in view.definition:
        out.append(f"  - {md(label)}: {md(text)}")
    if view.also_text:
        out.append(f"  - {md(view.also_text)}")
    for c in view.comments:
        out.append(f"  - **{md(c.heading)}** {md(c.text)}")
    return out


def _section(section: NodeSection, report: Report) -> list[str]:
    t, lang = report.t, report.lang
    level = section.heading_level
    head, sub = "#" * level, "#" * (level + 1)
    out = [""]
    if section.breadcrumb:
        out += [f"{md(t['breadcrumb'])}: " + " › ".join(md(title) for _, title in section.breadcrumb), ""]
    out += [f"{head} {'◎' if section.node and section.node.priority else ''}{md(section.heading)}", ""]
    if section.statement:
        out += [f"**{md(section.statement)}**", ""]
    if section.counts_text:
        out += [md(section.counts_text), ""]
    if section.subsections:
        out += [f"- {md(title)}" for _, title in section.subsections] + [""]
    if section.info:
        out += [f"- {md(label)}: {md(text)}" for label, text in section.info] + [""]
    if section.initiatives:
        out += [f"{sub} {md(t['initiatives'])}", ""]
        out += [f"- {md(i.text)}" + "".join(f"（{md(f)}）" for f in i.facts) for i in section.initiatives]
        out.append("")
    if section.listed:
        out += [f"{sub} {md(section.listed_heading)}", ""]
        for policy in section.listed:
            out.append(f"- {'◎' if policy.priority else ''}{md(policy.label)} {md(policy.name)}")
            out += [
                f"  - {md(i.text)}" + "".join(f"（{md(f)}）" for f in i.facts) for i in policy.initiatives
            ]
        out.append("")
    if section.indicators:
        out += [f"{sub} {md(t['indicators'])}", ""]
        header = [""] + [
            (f"{v.indicator.category}: " if v.indicator.category else "") + _name(v, lang)
            for v in section.indicators
        ]
        rows = [[r.title, *(c.text for c in r.cells)] for r in section.rows]
        rows.append([t["evaluation"], *(v.status_label for v in section.indicators)])
        out += _table(header, rows)
        out += [""] + [_line(note) for note in section.footnotes]
        out += ["", f"{sub} {md(t['evaluation'])}", ""]
        for view in section.indicators:
            if view.indicator.code in section.elsewhere:
                out.append(f"- **{md(view.status_label)}** {md(_name(view, lang))}: {md(view.explanation)}")
                home = section.home_titles.get(view.indicator.code)
                if home:
                    out.append(f"  - {md(home)}")
            else:
                out += _indicator(view, t, lang)
    elif section.footnotes:
        out += [_line(note) for note in section.footnotes]
    for narrative in section.narratives:
        year = f"{md(fy_label(narrative.fy, lang))} " if narrative.fy else ""
        if out[-1] == "":  # after a list of the new parts, not after the evaluations as in the sheet
            out.pop()
        out += ["", f"{sub} {year}{md(NARRATIVE_LABELS[lang].get(narrative.kind, narrative.kind))}", ""]
        for item in narrative.items:
            if item.heading:
                out.append(f"- ●{md(item.heading)}" + (f" {md(item.text)}" if item.text else ""))
            elif item.text:
                out.append(f"- {md(item.text)}")
            indent = "  " if item.heading or item.text else ""
            out += [f"{indent}- {md(b)}" for b in item.bullets]
    extra = []
    if section.costs:
        extra += [f"{sub} {md(t['costs'])}", "", *_facts_table(section.costs)]
    if section.ratings:
        extra += [f"{sub} {md(t['city_ratings'])}", "", *_facts_table(section.ratings)]
    if section.tallies:
        extra += [f"{sub} {md(t['tallies'])}", ""]
        for table in section.tallies:
            extra += _facts_table(table)
    if section.comments:
        extra += [f"{sub} {md(t['comments'])}", "", *_comments(section.comments), ""]
    if section.empty:
        extra += [md(t["empty_section"]), ""]
    if extra:
        while out[-1] == "":
            out.pop()
        out += ["", *extra]
        while out[-1] == "":
            out.pop()
    return out


def _written(lines: list[str], handle: TextIO) -> None:
    """The lines made so far written to the file and let go, each ended by a newline: the file is
    the lines joined by newlines, with one at the end, without the lines of a big plan all at once
    (at 100,000 indicators they and their joined copy took 200 MiB)."""
    if lines:
        handle.write("\n".join(lines))
        handle.write("\n")
        lines.clear()


def render_markdown(report: Report, folder: Path) -> list[Path]:
    path = folder / "report.md"
    with path.open("w", encoding="utf-8") as handle:
        _write_markdown(report, handle)
    return [path]


def _write_markdown(report: Report, handle: TextIO) -> None:
    """The document's lines, written a part at a time: the summary, then each section, then the rest
    (a later part never changes a line of an earlier one)."""
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
    context = as_context(report)
    rows = [[row["label"], *row["counts"]] for row in context["count_rows"]]
    out += [*_table([context["count_header"], *(label for _, label in report.status_order)], rows), ""]
    if report.indicators:
        out += _table(
            [report.home_header, t["indicator"], t["latest"], t["year"], t["target"], t["target_year"], t["progress"], t["status"]],
            [
                [report.home_text(v), _name(v, lang), v.latest_text, v.latest_year, v.target_text, v.target_year, v.progress, v.status_label]
                for v in report.indicators
            ],
        )  # fmt: skip
    _written(out, handle)
    facts = report.facts
    if facts:
        out += ["", f"## {md(t['plan_overview'])}", ""]
        for line in facts.description:
            out += [_line(line), ""]
        if facts.costs:
            out += [f"### {md(t['costs'])}", "", *_facts_table(facts.costs)]
        if facts.ratings:
            out += [f"### {md(t['city_ratings'])}", "", *_facts_table(facts.ratings)]
        if facts.tallies:
            out += [f"### {md(t['tallies'])}", ""]
            for table in facts.tallies:
                out += _facts_table(table)
        if facts.comments:
            out += [f"### {md(t['comments'])}", "", *_comments(facts.comments), ""]
        while out[-1] == "":
            out.pop()
    for section in report.sections:
        out += _section(section, report)
        _written(out, handle)
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
    if report.city_method:
        out += ["", f"### {md(t['city_method'])}", ""] + [_line(line) + "  " for line in report.city_method]
        out[-1] = out[-1].rstrip()
    if report.scales:
        out += ["", f"### {md(t['rating_scales'])}", ""]
        for table in report.scales:
            out += _facts_table(table)
        out.pop()
    if plan.higher_plans:
        out += ["", f"## {md(t['glossary'])}", ""]
        out += [f"- **{md(h.label)}**：{md(h.title)}。{md(h.description)}" for h in plan.higher_plans]
    if report.revisions:
        out += ["", f"## {md(t['revisions'])}", ""]
        for head, lines in report.revisions:
            out.append(f"- **{md(head)}**")
            out += [f"  - {md(line)}" for line in lines]
    if report.sources:
        out += ["", f"## {md(t['sources'])}", ""]
        for source in report.sources:
            parts = [f"**{md(source.title)}**"]
            if source.date:
                parts.append(md(source.date))
            if source.url:
                parts.append(md(source.url))  # text, like every other: no autolink (docs/report.md)
            if source.note:
                parts.append(md(source.note))
            out.append("- " + " · ".join(parts))
    _written(out, handle)
