"""The printed report laid out in parts (renderers/pdf.py, issue #15) is one tagged PDF/UA-1 file as
much as when it is laid out at once: test_print.py's checks of the document, run again on reports
cut into parts of two indicators, and the seams: a page number and running headers on every page
after the cover, one structure tree covering every page, one embedded subset per font, every link
to a destination in the file; and the garbage collector, tuned while the parts are laid out, given
back as it was.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import subprocess
import sys
from dataclasses import replace

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, NameObject

from machiplan.reports.model import build_report
from machiplan.reports.renderers import pdf as pdf_renderer
from machiplan.reports.writer import write_report

from .test_print import (  # noqa: F401 (the checks, run here on this module's reports)
    DAY,
    _plan,
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
    bases = [re.sub(r"^[A-Z]{6}\+", "", font) for font in _fonts(doc.pdf)]
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


def _fonts(pdf: PdfReader) -> dict:
    """The fonts the pages name, by their /BaseFont (a subset's tag, then the font's name)."""
    return {
        str(font.get_object()["/BaseFont"]): font.get_object()
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }


def _document(path) -> dict:
    """What a reader gets of a PDF: each page's text and size, the outline (title, page, depth),
    the named destinations (name, page), each page's links (where to), the structure tree (each
    element's role and depth, the page it marks), the fonts (name, glyphs in its ToUnicode map)."""
    pdf = PdfReader(path)
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(pdf.pages)}

    def outline(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from outline(item, depth + 1)
            else:
                yield item.title, pdf.get_destination_page_number(item), depth

    names = pdf.trailer["/Root"]["/Names"]["/Dests"]["/Names"]
    fonts = {
        re.sub(r"^[A-Z]{6}\+", "", name): len(font["/ToUnicode"].get_data())
        for name, font in _fonts(pdf).items()
    }
    return {
        "pages": [(squash(page.extract_text()), page.mediabox.height) for page in pdf.pages],
        "outline": list(outline(pdf.outline)),
        "destinations": [
            (str(names[i]), pages[names[i + 1].get_object()[0].idnum]) for i in range(0, len(names), 2)
        ],
        "links": [[str(a.get_object().get("/Dest")) for a in page.get("/Annots", [])] for page in pdf.pages],
        "structure": [
            (e.role, e.depth, pages.get(e.obj.raw_get("/Pg").idnum) if "/Pg" in e.obj else None)
            for e in structure(pdf)
        ],
        "fonts": fonts,
    }


@pytest.mark.parametrize("name", ["sapporo", "urakawa"])
def test_painted_in_two_processes_it_is_the_document_painted_in_one(tmp_path, monkeypatch, name):
    """A report of ``APART_FROM`` parts or more is painted half by this process, half by a forked
    copy, whose pages this one takes in: the reader gets the same document as when one process
    paints it all."""
    report = build_report(_plan(name), lang="ja", today=DAY)
    monkeypatch.setattr(pdf_renderer, "PART_SIZE", PART_SIZE)
    assert len(pdf_renderer.plan_parts(report)) >= pdf_renderer.APART_FROM
    took_in = []
    take_in = pdf_renderer._PdfWriter.take_in
    monkeypatch.setattr(pdf_renderer._PdfWriter, "take_in", lambda *args: took_in.append(1) or take_in(*args))
    write_report(report, tmp_path / "two", ["pdf"], second_process=True)
    assert took_in  # the second half was painted apart
    write_report(report, tmp_path / "one", ["pdf"])  # as the web app makes it, in a thread
    assert len(took_in) == 1
    # the command line makes every format of such a report: the PDF in two processes, the Excel
    # workbook beside them in a third
    write_report(report, tmp_path / "all", second_process=True)
    assert len(took_in) == 2
    one, two, every = (_document(tmp_path / made / "report.pdf") for made in ("one", "two", "all"))
    assert len(one["pages"]) > 4
    for key in one:
        assert two[key] == one[key], key
    assert every == one
    _every_resource_named_is_there(PdfReader(tmp_path / "two" / "report.pdf"))


@pytest.mark.parametrize("where", ["second half", "first half"])
def test_a_failure_in_either_half_is_the_reports_and_leaves_no_process(tmp_path, monkeypatch, where):
    """What goes wrong in the forked copy is raised here; what goes wrong here stops the copy."""
    report = build_report(_plan("sapporo"), lang="ja", today=DAY)
    monkeypatch.setattr(pdf_renderer, "PART_SIZE", PART_SIZE)
    here = os.getpid()
    add = pdf_renderer._PdfWriter.add

    def failing(writer, document):
        if (os.getpid() == here) == (where == "first half"):
            raise RuntimeError(f"failed in the {where}")
        add(writer, document)

    monkeypatch.setattr(pdf_renderer._PdfWriter, "add", failing)
    with pytest.raises(RuntimeError, match=f"failed in the {where}"):
        write_report(report, tmp_path / "out", ["pdf"], second_process=True)
    assert not (tmp_path / "out" / "report.pdf").exists()
    assert multiprocessing.active_children() == []


def _every_resource_named_is_there(pdf: PdfReader) -> None:
    """Each font, graphics state, XObject, pattern and shading a page's content names is in that
    page's resources (the page numbers, painted over the second half's pages after they are taken
    in, as much as the pages' own content)."""
    kinds = {b"Tf": "/Font", b"gs": "/ExtGState", b"Do": "/XObject", b"sh": "/Shading", b"scn": "/Pattern"}
    for number, page in enumerate(pdf.pages):
        resources = page["/Resources"]
        for operands, operator in ContentStream(page.get_contents(), pdf).operations:
            if operator in kinds and operands and isinstance(operands[0], NameObject):
                kind = kinds[operator]
                assert operands[0] in resources[kind], (number, kind, operands[0])


def test_a_font_only_the_second_half_used_is_found_again_and_embedded(tmp_path, monkeypatch):
    """A glyph no font of the first half has (here, a sign only in a fallback font) makes the
    second half's copy use a font the first half's writer never made: it finds the font again from
    its description, and embeds it with the glyphs used."""
    sign = _a_sign_only_a_fallback_font_has()
    sapporo = _plan("sapporo")
    *rest, last = sapporo.indicators
    plan = replace(sapporo, indicators=(*rest, replace(last, name=f"{last.name}{sign}")))
    report = build_report(plan, lang="ja", today=DAY)
    monkeypatch.setattr(pdf_renderer, "PART_SIZE", PART_SIZE)
    first, second = pdf_renderer._halves(pdf_renderer.plan_parts(report))
    assert second and last.code not in {
        v.indicator.code for part in first for p in part.pieces for v in p.indicators
    }
    write_report(report, tmp_path, ["pdf"], second_process=True)
    pdf = PdfReader(tmp_path / "report.pdf")
    fonts = _fonts(pdf)
    fallback = [name for name in fonts if "CJK" not in name]
    assert fallback, list(fonts)
    descendant = fonts[fallback[0]]["/DescendantFonts"][0].get_object()
    assert descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()  # embedded
    assert sign in "".join(page.extract_text() for page in pdf.pages)  # and read back as the sign


def _a_sign_only_a_fallback_font_has() -> str:
    """A character the machine's fonts have but Noto Sans CJK JP, which the report names, has not."""
    for sign in "⚓☺ႠԱ":
        families = subprocess.run(
            ["fc-list", f":charset={ord(sign):x}", "family"], capture_output=True, text=True
        ).stdout
        if families.strip() and "Noto Sans CJK JP" not in families:
            return sign
    raise AssertionError("no font on this machine has a sign Noto Sans CJK JP lacks (fonts-dejavu-core has)")


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
