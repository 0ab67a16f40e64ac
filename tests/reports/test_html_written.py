"""The HTML page written in parts (renderers/html.py) is the page Django renders as one string."""

import io

import pytest
from django.template import Context, Engine
from django.template.loader import render_to_string

from machiplan.reports.model import build_report
from machiplan.reports.renderers.html import PAGE, page_context, write_page, write_rendered


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("charts", [True, False])
def test_the_page_written_in_parts_is_the_one_string_render(sapporo, lang, charts):
    report = build_report(sapporo, lang=lang, charts=charts)
    out = io.StringIO()
    write_page(report, out)
    assert out.getvalue() == render_to_string(PAGE, page_context(report))


TEMPLATES = {
    "page.html": (
        "{% for row in rows %}{% include 'row.html' with n=forloop.counter %}{% empty %}none{% endfor %}"
        "|{% if missing.thing %}a{% elif flag %}b{% else %}c{% endif %}"
        "|{% with x=name|upper %}{{ x }}{% include 'name.html' only %}{% endwith %}"
        "|{% for a, b in pairs %}{{ a }}{{ b }}{% endfor %}|{% for r in rows reversed %}{{ r.0 }}{% endfor %}"
        "|{% for r in none %}{% empty %}empty{% endfor %}|{{ name }}"
    ),
    "row.html": (
        "<{{ n }}:{% for v in row %}{{ forloop.parentloop.counter0 }}{{ forloop.revcounter }}"
        "{{ forloop.first|yesno:'F,' }}{{ forloop.last|yesno:'L,' }}{{ v }}{% endfor %}"
        "{% cycle 'x' 'y' %}>"
    ),
    "name.html": "[{{ name|default:'isolated' }}]",
}


@pytest.mark.parametrize(
    "values",
    [
        {"rows": [["<a>", 2], [3]], "flag": True, "name": "n&m", "pairs": [(1, 2), (3, 4)]},
        {"rows": [], "flag": False, "name": "", "pairs": []},
    ],
)
def test_every_tag_opened_up_renders_as_django_renders_it(values):
    engine = Engine(loaders=[("django.template.loaders.locmem.Loader", TEMPLATES)])
    template = engine.get_template("page.html")
    out = io.StringIO()
    write_rendered(template, values, out)
    assert out.getvalue() == template.render(Context(values))
