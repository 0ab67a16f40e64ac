"""Small filters for the public pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def paren(value, lang: str = "ja"):
    """（平成29年度） on a Japanese page, (FY2017) on an English one; the value keeps its markup."""
    if value in (None, ""):
        return ""
    return format_html("（{}）", value) if lang == "ja" else format_html(" ({})", value)


@register.simple_tag
def tone_css():
    """The tones' colours, icons' backgrounds and bar patterns, from the one palette the charts use
    (reports.charts.TONES)."""
    from django.utils.safestring import mark_safe

    from machiplan.reports.charts import TONES

    rules = []
    for tone, t in TONES.items():
        rules.append(f".badge.t-{tone} {{ background: {t.fill}; color: {t.ink}; border-color: {t.fill}; }}")
        background = f"{t.pattern}, {t.fill}" if t.pattern else t.fill
        rules.append(f".seg.t-{tone} {{ background: {background}; color: {t.ink}; }}")
        rules.append(f".key.t-{tone} {{ background: {background}; }}")
        rules.append(f".seg.t-{tone} .icon {{ background: {t.fill}; }}")  # the icon clear of the pattern
    return mark_safe("\n".join(rules))


@register.filter
def bar(value):
    """A stacked status bar (web.status.Bar) as HTML."""
    from machiplan.web.status import bar_html

    return bar_html(value)
