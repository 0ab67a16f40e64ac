"""index.html: one self-contained page (styles inlined, no network requests).

The page is written into its file as it is rendered, piece by piece, never held whole: at
100,000 indicators it is 200 MB of text, which rendered as one string (with the pieces Django
joins into it, and its UTF-8 copy) took 850 MiB more than the report model itself. ``write_rendered``
walks the template the way Django renders it: an ``{% include %}``, a ``{% with %}``, an ``{% if %}``
and a ``{% for %}`` have their parts written one after another, every other tag its whole output; the
bytes are those ``render_to_string`` gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from django.template import Context, NodeList, Template, VariableDoesNotExist
from django.template.context import make_context
from django.template.defaulttags import ForNode, IfNode, WithNode
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode, construct_relative_path

from ..model import Report, as_context

PAGE = "reports/index.html"


def render_html(report: Report, folder: Path) -> list[Path]:
    path = folder / "index.html"
    with path.open("w", encoding="utf-8") as handle:
        write_page(report, handle)
    return [path]


def page_context(report: Report) -> dict:
    """The report's context, saying it is not the printed one: the partials it shares with the PDF
    ask ``pdf`` and ``long_blocks`` of each indicator, and a variable Django has to find missing
    costs it an exception (4 % of the page's time at 10,000 indicators)."""
    return {**as_context(report), "pdf": False, "long_blocks": frozenset()}


def write_page(report: Report, out: TextIO) -> None:
    """The page, as ``render_to_string(PAGE, page_context(report))`` renders it, written to ``out``."""
    write_rendered(get_template(PAGE).template, page_context(report), out)


def write_rendered(template: Template, values: dict[str, Any], out: TextIO) -> None:
    """``template.render`` of a context of ``values`` (autoescaped as its engine says), written to
    ``out`` in parts instead of returned as one string."""
    context = make_context(values, autoescape=template.engine.autoescape)
    with context.render_context.push_state(template), context.bind_template(template):
        context.template_name = template.name
        _write_nodes(template.nodelist, context, out)


def _write_nodes(nodes: NodeList, context: Context, out: TextIO) -> None:
    """Each node's output in turn, as ``NodeList.render`` joins them, the tags that hold many parts
    opened up (what their ``render`` does, written as it goes instead of joined)."""
    for node in nodes:
        if type(node) is IncludeNode and not node.isolated_context:
            _write_include(node, context, out)
        elif type(node) is WithNode:
            values = {key: value.resolve(context) for key, value in node.extra_context.items()}
            with context.push(**values):
                _write_nodes(node.nodelist, context, out)
        elif type(node) is IfNode:
            _write_if(node, context, out)
        elif type(node) is ForNode and len(node.loopvars) == 1 and not node.is_reversed:
            _write_for(node, context, out)
        else:
            out.write(node.render_annotated(context))


def _write_include(node: IncludeNode, context: Context, out: TextIO) -> None:
    """As ``IncludeNode.render`` with a template's name: the template, found once per render."""
    name = node.template.resolve(context)
    if not isinstance(name, str):  # a template object or a list of names: rendered whole
        out.write(node.render_annotated(context))
        return
    name = construct_relative_path(node.origin.template_name, name)
    found = context.render_context.dicts[0].setdefault(_write_include, {})
    template = found.get(name)
    if template is None:
        template = found[name] = context.template.engine.get_template(name)
    values = {key: value.resolve(context) for key, value in node.extra_context.items()}
    with context.push(**values), context.render_context.push_state(template):
        _write_nodes(template.nodelist, context, out)


def _write_if(node: IfNode, context: Context, out: TextIO) -> None:
    """As ``IfNode.render``: the first clause whose condition holds (a missing variable does not)."""
    for condition, nodes in node.conditions_nodelists:
        if condition is None:  # the else clause
            match = True
        else:
            try:
                match = condition.eval(context)
            except VariableDoesNotExist:
                match = None
        if match:
            _write_nodes(nodes, context, out)
            return


def _write_for(node: ForNode, context: Context, out: TextIO) -> None:
    """As ``ForNode.render`` with one loop variable, not reversed: ``forloop`` as it sets it."""
    parent = context.get("forloop", {})
    with context.push():
        values = node.sequence.resolve(context, ignore_failures=True)
        if values is None:
            values = []
        if not hasattr(values, "__len__"):
            values = list(values)
        count = len(values)
        if not count:
            _write_nodes(node.nodelist_empty, context, out)
            return
        loop = context["forloop"] = {"parentloop": parent}
        name = node.loopvars[0]
        for i, item in enumerate(values):
            loop["counter0"], loop["counter"] = i, i + 1
            loop["revcounter"], loop["revcounter0"] = count - i, count - i - 1
            loop["first"], loop["last"] = i == 0, i == count - 1
            context[name] = item
            _write_nodes(node.nodelist_loop, context, out)
