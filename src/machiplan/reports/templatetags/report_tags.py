"""Template filters for fiscal years, narrative labels and the small lookups the report needs."""

import base64
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from machiplan.domain.fiscal import heisei_spelling
from machiplan.domain.labels import fy_label as _fy_label
from machiplan.reports.text import NARRATIVE_LABELS

register = template.Library()


@register.filter
def fy_label(fy: int, lang: str = "ja") -> str:
    return _fy_label(int(fy), lang)


@register.filter
def narrative_label(kind: str, lang: str = "ja") -> str:
    return NARRATIVE_LABELS[lang].get(kind, kind)


@register.filter
def indicator_name(indicator, lang: str = "ja") -> str:
    """The English name where the plan gives one; otherwise the name as entered."""
    return indicator.name_en if lang == "en" and indicator.name_en else indicator.name


@register.filter
def fy_both(fy: int, lang: str = "ja") -> str:
    """令和4年度 (2022), and in Japanese the Heisei name a plan written before 2019 used: （平成34年度）."""
    if fy is None:
        return ""
    text = _fy_label(int(fy), lang, western=True)
    old = heisei_spelling(int(fy))
    return f"{text}（{old}）" if lang == "ja" and old and int(fy) > 2019 else text


@register.filter
def get(mapping, key):
    """mapping[key], or None: a section's lookup by indicator code."""
    return mapping.get(key) if mapping else None


@register.filter
def index(sequence, position: int):
    """sequence[position], or None past its end: a table's per-column flags."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def lines(text: str) -> list[str]:
    """A text's non-empty lines: each a paragraph."""
    return [line.strip() for line in str(text).splitlines() if line.strip()]


@register.simple_tag
def toc_sections(report) -> SafeString:
    """The sections as items of the table of contents, a node's sections nested under it."""
    html: list[str] = []
    depth = 0
    for section in report.sections:
        while depth > section.depth:
            html.append("</li></ol>")
            depth -= 1
        if depth < section.depth:
            html.append("<ol>")
            depth += 1
        elif html:
            html.append("</li>")
        html.append(format_html('<li><a href="#{}">{}</a>', section.anchor, section.title))
    while depth > 0:
        html.append("</li></ol>")
        depth -= 1
    if html:
        html.append("</li>")
    return mark_safe("".join(html))  # every text above went through format_html


@register.filter
def svg_data_uri(svg: str) -> str:
    """An SVG drawing as a data: address, for an <img> whose alt the PDF tags as the figure's /Alt."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# The two tables below are made here rather than by a template loop: a report of 10,000 indicators
# has some 200,000 of their cells, and Django spends about 10 µs on each ``{{ }}`` of a loop. The
# text is escaped as autoescape would (``html.escape``, which Django's own ``escape`` calls).


@register.filter
def chart_data_rows(rows) -> SafeString:
    """A chart's data, (year, what, value) each, as the rows of its table's body."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(year)}</th><td>{escape(kind)}</td><td class="num">{escape(value)}</td></tr>'
            for year, kind, value in rows
        )
    )


@register.filter
def sheet_cells(cells) -> SafeString:
    """A row of a section's indicator table: one cell per indicator, classed by what it holds."""
    return mark_safe("".join(f'<td class="cell-{escape(c.kind)}">{escape(c.text)}</td>' for c in cells))
