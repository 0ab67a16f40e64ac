"""The printed report laid out in parts (renderers/pdf.py, issue #15) is one tagged PDF/UA-1 file as
much as when it is laid out at once: test_print.py's checks of the document, run again on reports
cut into parts of two indicators, and the seams: a page number and running headers on every page
after the cover, one structure tree covering every page, one embedded subset per font, every link
to a destination in the file; and the garbage collector, tuned while the parts are laid out, given
back as it was.
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys

import pytest

from machiplan.reports.renderers import pdf as pdf_renderer

from .test_print import (  # noqa: F401 (the checks, run here on this module's reports)
    DAY,
    printer,
    squash,
    structure,
    test_an_indicators_heading_and_its_evaluation_are_on_the_same_page,
    test_each_indicator_block_is_on_one_page,
    test_every_chart_is_a_figure_whose_alt_says_what_it_shows,
    test_every_font_is_embedded,
    test_everything_painted_is_marked_content_or_an_artifact,
    test_headings_are_nested_without_skipping_a_level,
    test_method_appendix_in_words,
    test_pdfua_checker_finds_no_error,
    test_tables_have_header_cells_and_every_data_cell_names_its_headers,
    test_tagged_with_language_title_and_pdf_ua_identifier,
)

PART_SIZE = 2


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A plan's report.pdf in a language, laid out in parts of two indicators."""
    return printer(tmp_path_factory, PART_SIZE)


@pytest.mark.parametrize("name", ["sapporo", "urakawa"])
def test_every_page_after_the_cover_has_its_number_and_running_headers(printed, name):
    doc = printed(name)
    total = len(doc.pdf.pages)
    plan_title = squash(doc.report.plan.title)
    texts = doc.texts
    assert f"1/{total}" not in texts[0]  # the cover has none
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number}/{total}" in text, (number, text[-40:])
        assert plan_title in text, number
    assert len(doc.pdf.pages[1]["/Contents"]) == 2  # laid out in parts: numbered at the end
    for number in (2, total):  # at the foot of the page, the right way up
        assert _foot(doc.pdf.pages[number - 1]) == f"{number}/{total}"


def _foot(page) -> str:
    """The text within the page's bottom margin (16 mm: 45 pt)."""
    parts = []

    def visit(text, cm, tm, font, size):
        if text.strip() and tm[4] * cm[1] + tm[5] * cm[3] + cm[5] < 45:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return squash("".join(parts))


def test_a_goal_cut_in_parts_keeps_its_title_in_the_running_header(printed):
    doc = printed("sapporo")
    report = doc.report
    parts = pdf_renderer.plan_parts(report, PART_SIZE)
    carried = [part.section_title for part in parts if part.section_title]
    assert carried  # Sapporo's goals have three to five indicators: each is cut
    for title in carried:  # on the first page of a part that begins inside a goal, at least
        assert sum(squash(title) in text for text in doc.texts) >= 2, title


@pytest.mark.parametrize("name", ["sapporo", "urakawa"])
def test_one_structure_tree_covers_every_page(printed, name):
    doc = printed(name)
    root = doc.catalog["/StructTreeRoot"].get_object()
    assert len(root["/K"]) == 1  # one /Document element
    nums = root["/ParentTree"].get_object()["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    pages = doc.pdf.pages
    assert [int(page["/StructParents"]) for page in pages] == list(range(len(pages)))
    assert keys[: len(pages)] == list(range(len(pages)))
    assert keys == list(range(len(keys)))  # then one per link annotation, in turn
    for number in range(len(pages)):
        marked = nums[2 * number + 1].get_object()
        assert len(marked) > 0 or number == 0, number  # each page's content is in the tree
        # and the elements that mark it name that page as theirs (/Pg: the reference each part's
        # pages are given as they are added, renderers/pdf.py _PagedPdf)
        elements = [element.get_object() for element in marked]
        owners = {element.raw_get("/Pg").idnum for element in elements if "/Pg" in element}
        assert owners <= {pages[number].indirect_reference.idnum}, (number, owners)
    kinds = [element.role for element in structure(doc.pdf)]
    assert kinds.count("/H1") == 1


@pytest.mark.parametrize("name", ["sapporo", "urakawa"])
def test_each_font_is_embedded_once_and_every_link_has_its_destination(printed, name):
    doc = printed(name)
    fonts = set()
    for page in doc.pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"])
    bases = [re.sub(r"^[A-Z]{6}\+", "", str(font)) for font in fonts]
    assert len(bases) == len(set(bases)), bases
    names = doc.catalog["/Names"]["/Dests"]["/Names"]
    destinations = {str(names[i]) for i in range(0, len(names), 2)}
    links = 0
    for page in doc.pdf.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                links += 1
                assert str(annotation["/Dest"]) in destinations
    assert links


def test_the_garbage_collector_is_given_back_as_it_was():
    """While a PDF is made, the objects there before it are frozen and the youngest generation is
    collected less often (renderers/pdf.py); after, even when it fails, neither is left so."""
    thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), pdf_renderer._collecting_only_new_objects():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (pdf_renderer.YOUNG_OBJECTS, *thresholds[1:])
        raise RuntimeError
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


@pytest.mark.skipif(sys.platform != "linux", reason="the libraries are opened by soname on Linux")
def test_weasyprint_is_imported_without_searching_for_its_libraries():
    """Each library name WeasyPrint tries that the loader does not know would run ldconfig, gcc
    and ld through ctypes.util.find_library; on Linux the PDF imports it with the search left out,
    and gives the search back after."""
    program = """
import ctypes.util, sys
searched = []
search = ctypes.util.find_library
def counting(name):
    searched.append(name)
    return search(name)
ctypes.util.find_library = counting
from machiplan.reports.renderers.pdf import _import_weasyprint
_import_weasyprint()
from weasyprint import HTML
assert ctypes.util.find_library is counting
assert HTML(string="<p>a</p>").render().pages
print(len(searched))
"""
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["0"]
