"""write_report: the formats made in a second process come out as made in one, errors and all."""

import zipfile

import pytest
from django.template import Context, Template

from machiplan.domain.apart import forks_allowed
from machiplan.domain.errors import MachiplanError
from machiplan.reports import writer
from machiplan.reports.model import Cell, build_report
from machiplan.reports.renderers import RENDERERS
from machiplan.reports.renderers import pdf as pdf_renderer
from machiplan.reports.writer import write_report

FORMATS = ["html", "xlsx", "md", "csv"]


def contents(path):
    """A file's bytes; a workbook's parts but its creation time (docProps/core.xml)."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


@pytest.fixture(scope="module")
def report(sapporo):
    return build_report(sapporo, charts=True)


def test_a_second_process_makes_the_same_files_listed_in_the_same_order(report, tmp_path):
    one = write_report(report, tmp_path / "one", FORMATS)
    begun: list[str] = []
    two = write_report(report, tmp_path / "two", [*FORMATS, "md"], begun.append, second_process=True)
    assert [p.name for p in two] == [p.name for p in one]
    assert writer._made_apart(report, FORMATS) == "xlsx"
    assert begun == ["xlsx", "html", "md", "csv"]  # the second process first: both work from the start
    for a, b in zip(one, two, strict=True):
        assert contents(a) == contents(b), a.name


def test_an_error_in_the_second_process_is_raised_here_and_the_folder_left_as_it_was(
    report, tmp_path, monkeypatch
):
    def broken(report, folder):
        raise MachiplanError("cannot write", where="report.xlsx")

    monkeypatch.setitem(RENDERERS, "xlsx", broken)
    with pytest.raises(MachiplanError, match=r"report\.xlsx: cannot write") as raised:
        write_report(report, tmp_path, FORMATS, second_process=True)
    assert raised.value.where == "report.xlsx"
    assert list(tmp_path.iterdir()) == []


class TwoPartError(Exception):
    """An exception pickle cannot make again: its ``__init__`` wants two arguments, its ``args`` hold one."""

    def __init__(self, what, why):
        super().__init__(f"{what}: {why}")


def test_an_error_the_pipe_cannot_carry_is_raised_here_in_words(report, tmp_path, monkeypatch):
    def broken(report, folder):
        raise TwoPartError("report.xlsx", "no room")

    monkeypatch.setitem(RENDERERS, "xlsx", broken)
    with pytest.raises(RuntimeError, match=r"TwoPartError: report\.xlsx: no room") as raised:
        write_report(report, tmp_path, FORMATS, second_process=True)
    assert "in broken" in str(raised.value)  # where the second process raised it
    assert list(tmp_path.iterdir()) == []


def test_one_format_is_made_here(report, monkeypatch):
    assert writer._made_apart(report, ["xlsx"]) is None
    assert writer._made_apart(report, ["html", "md"]) is None
    assert writer._made_apart(report, ["xlsx", "html", "pdf"]) == "pdf"
    # a PDF long enough to be painted in two processes is made here, where it can fork itself
    monkeypatch.setattr(pdf_renderer, "APART_FROM", 1)
    assert writer._made_apart(report, ["xlsx", "html", "pdf"]) == "pdf"  # the web app's thread
    with forks_allowed():  # the command line
        assert writer._made_apart(report, ["xlsx", "html", "pdf"]) == "xlsx"
        assert writer._made_apart(report, ["html", "pdf"]) is None


def test_the_table_filters_write_what_the_template_loops_wrote():
    rows = [("令和元年度 (2019)", "実績 <a & b>", "1,234\"件'"), ("—", "", "—")]
    cells = [Cell("4,717件 & <more>", "actual"), Cell("—", 'none"')]
    loops = Template(
        '{% for year, kind, value in rows %}<tr><th scope="row">{{ year }}</th><td>{{ kind }}</td>'
        '<td class="num">{{ value }}</td></tr>{% endfor %}|'
        '{% for cell in cells %}<td class="cell-{{ cell.kind }}">{{ cell.text }}</td>{% endfor %}'
    )
    filters = Template("{% load report_tags %}{{ rows|chart_data_rows }}|{{ cells|sheet_cells }}")
    context = {"rows": rows, "cells": cells}
    assert filters.render(Context(context)) == loops.render(Context(context))
