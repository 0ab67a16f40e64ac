"""report.md: the report as Markdown, for pasting into other documents and wikis."""

from __future__ import annotations

from pathlib import Path

from machiplan.domain.labels import NARRATIVE_KIND_LABELS, fy_label

from ..model import Report


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
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
        f"# {title} {t['report']}",
        "",
        f"{plan.municipality.name}（{plan.municipality.code}） · {t['plan_period']} {report.period_text} · "
        f"{t['evaluation_year']} {report.fy(report.evaluation.evaluation_fy)} · {t['generated']} {report.generated_on.isoformat()}",
        "",
        f"## {t['summary']}",
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
            f"## {t['goal']}{goal.number}『{goal.name}』",
            "",
            f"**{goal.statement}**",
            "",
            f"### {t['policies']}",
            "",
        ]
        for policy in goal.policies:
            out.append(f"- {'◎' if policy.priority else ''}{policy.code} {policy.title}")
            out += [f"  - {i.text}" + "".join(f"（{f}）" for f in i.facts) for i in policy.initiatives]
        out += ["", f"### {t['indicators']}", ""]
        header = [""] + [
            (f"{v.indicator.category}: " if v.indicator.category else "") + _name(v, lang)
            for v in section.indicators
        ]
        rows = [[f"{r.label} {r.western}", *(c.text for c in r.cells)] for r in section.rows]
        rows.append([t["evaluation"], *(v.status_label for v in section.indicators)])
        out += _table(header, rows)
        out += [""] + [f"{note}" for note in goal.footnotes]
        out += ["", f"### {t['evaluation']}", ""]
        for view in section.indicators:
            out.append(f"- **{view.status_label}** {_name(view, lang)}: {view.explanation}")
            out += [
                f"  - {h.label}（{h.fy_text}）: {h.status_label}, {t['progress']} {h.progress}"
                for h in view.horizons
            ]
        for narrative in goal.narratives:
            year = f"{fy_label(narrative.fy, lang)} " if narrative.fy else ""
            out += ["", f"### {year}{NARRATIVE_KIND_LABELS[lang][narrative.kind]}", ""]
            for item in narrative.items:
                if item.heading:
                    out.append(f"- ●{item.heading}" + (f" {item.text}" if item.text else ""))
                elif item.text:
                    out.append(f"- {item.text}")
                indent = "  " if item.heading or item.text else ""
                out += [f"{indent}- {b}" for b in item.bullets]
    out += ["", f"## {t['method']}", ""] + [f"- {line}" for line in report.method_lines]
    out += [
        "",
        *_table(
            [t["parameters"], "", ""], [[label, f"`{key}`", value] for key, label, value in report.parameters]
        ),
    ]
    if plan.higher_plans:
        out += ["", f"## {t['glossary']}", ""]
        out += [f"- **{h.label}**：{h.title}。{h.description}" for h in plan.higher_plans]
    path = folder / "report.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return [path]
