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
