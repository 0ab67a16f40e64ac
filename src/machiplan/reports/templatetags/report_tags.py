"""Template filters for fiscal years and narrative labels."""

from django import template

from machiplan.domain.labels import NARRATIVE_KIND_LABELS
from machiplan.domain.labels import fy_label as _fy_label

register = template.Library()


@register.filter
def fy_label(fy: int, lang: str = "ja") -> str:
    return _fy_label(int(fy), lang)


@register.filter
def narrative_label(kind: str, lang: str = "ja") -> str:
    return NARRATIVE_KIND_LABELS[lang].get(kind, kind)
