"""The public plan page's list of published reports, as one tag: ``{% published_reports plan.code lang %}``.

It renders web/templates/web/_published_reports.html from ``selectors.published_reports`` — each
fiscal year's latest version with its files, the earlier versions, and the note that figures were
approved after the latest was made — so the public page needs one line for it. The page is cached
per plan version; publishing a report moves the version on (services/reports.py), and so does
every approval.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from machiplan.domain.labels import fy_label
from machiplan.reports.publication import FILES

from .. import selectors
from ..text import PUBLIC_REPORT_TEXT

register = template.Library()

LINKS = {
    "index.html": "html",
    "report.pdf": "pdf",
    "report.xlsx": "xlsx",
    "opendata.zip": "zip",
}  # file -> word


def _version(report, words: dict, lang: str) -> dict:
    names = {f["name"] for f in report.files}
    return {
        "version": words["version"].format(n=report.version),
        "published": words["published_on"].format(date=timezone.localdate(report.published_at).isoformat()),
        "links": [
            (
                words[LINKS[name]],
                reverse("reports:published-file", args=[report.plan_code, report.fy, report.version, name]),
            )
            for name in FILES
            if name in names
        ],
    }


@register.inclusion_tag("web/_published_reports.html")
def published_reports(plan_code: str, lang: str = "ja") -> dict:
    lang = lang if lang in PUBLIC_REPORT_TEXT else "ja"
    words = PUBLIC_REPORT_TEXT[lang]
    years = [
        {
            "title": words["report_of"].format(fy=fy_label(y.fy, lang)),
            "latest": _version(y.latest, words, lang),
            "newer": words["newer"].format(n=y.approved_since) if y.approved_since else "",
            "earlier": [_version(r, words, lang) for r in y.earlier],
        }
        for y in selectors.published_reports(plan_code)
    ]
    return {"years": years, "words": words}
