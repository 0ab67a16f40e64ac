"""report.pdf: A4, laid out by WeasyPrint from the print template; fonts are embedded.

The PDF is tagged as PDF/UA-1 (ISO 14289-1) by WeasyPrint's own ``pdf/ua-1`` variant: a structure
tree made from the HTML (H1–H6, P, L/LI, Table/TR/TH/TD with each data cell's /Headers, Figure
with /Alt from the chart's ``alt``, Art, Sect), every painted thing either marked content in that
tree or an /Artifact (borders, backgrounds, the running headers and page numbers), /MarkInfo
Marked, /Lang from ``<html lang>``, the title from ``<title>`` shown as the window's title
(DisplayDocTitle), and the PDF/UA identifier in the XMP metadata. docs/report.md says how the
tests check it.

Laid out in parts, written as one file (issue #15). WeasyPrint keeps every page of a document
laid out until it is written: a plan of 1,000 indicators took 5 GB. The report is cut into parts
of about ``PART_SIZE`` indicators (a small plan is one part), each part is laid out as its own
document, painted into the one PDF and tagged into its one structure tree, then let go
(``_PdfWriter``, which does what ``weasyprint.pdf.generate_pdf`` does, a part at a time). A cut
falls before a goal where it can (a goal begins a page anyway); inside a goal too long for one
part, the next part begins a new page. A page's content stream is compressed to bytes as soon
as its part is painted and tagged (``_freeze``). The page numbers ("3 / 20") of a report in
several parts are painted last, as artifacts, in a second content stream per page, when the
number of pages is known; the running headers of a part that does not begin with the cover carry
the plan's title and the goal's title over (``Part.css``). Only a part with an indicator block
taller than a page is laid out a second time (``split_blocks``). What is left at the end is the
structure tree, as pydyf objects (about 0.5 MB a page), and the fonts.

In two processes, on two cores (``APART_FROM`` parts or more, from the command line: a fork copies
only the thread that makes it, so a report the web app makes in a thread is painted in one). A
forked copy lays out, paints and tags the second half of the parts (``_halves``) while this process
does the first; it then pickles its objects into a temporary file (``_PdfWriter.hand_over``), and
this process takes them in after its own (``take_in``): each object numbered anew and its
references changed to match, the pages added, their structure elements put under the one
/Document element and in the parent tree, their links, destinations and bookmarks joined. The
fonts are written once, by this process, with the glyphs both halves used (a subset keeps the
font's own glyph numbers); a font only the second half used is found again from its Pango
description (``_described_font_class``). The file is the same document a single process writes:
tests/reports/test_print_parts.py compares the two, page by page.
"""

from __future__ import annotations

import ctypes.util
import functools
import gc
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, BinaryIO

import pydyf  # WeasyPrint's PDF library: pure Python, without the Pango that WeasyPrint loads
from django.template.loader import render_to_string

from machiplan.domain.apart import abandon, begun_apart, may_fork
from machiplan.domain.collection import objects_so_far_frozen, settle
from machiplan.domain.errors import MachiplanError

from ..model import Report, as_context

PART_SIZE = 40
"""Indicators (and indicator sheets) laid out at once, at most, but for a part's first unit."""


def _check_japanese_font() -> None:
    """The print stylesheet names Noto Sans CJK JP for every text: without it a Japanese glyph would
    print as a box, or in whatever font the machine has. Refuse rather than do that."""
    if shutil.which("fc-list") is None:
        return
    found = subprocess.run(["fc-list", "Noto Sans CJK JP", "family"], capture_output=True, text=True).stdout
    if not found.strip():
        raise MachiplanError(
            "the PDF needs a Japanese font: install fonts-noto-cjk (bin/setup does it as root)"
        )


@dataclass
class Piece:
    """A section, or a run of it, in one part: its head (heading, statement, …, the
    indicators' heading), some of its indicator sheets, the evaluation's heading, some of its
    indicators, its tail (narratives, costs, …)."""

    section: Any
    head: bool = True
    sheet_parts: list = field(default_factory=list)
    evaluation: bool = False
    indicators: list = field(default_factory=list)
    tail: bool = False


@dataclass
class Part:
    front: bool = False  # the cover, the summary, the plan's overview
    back: bool = False  # the appendices
    pieces: list[Piece] = field(default_factory=list)
    plan_title: str = ""  # carried over into the running header of a part without the cover
    section_title: str | None = None  # carried over when the part begins inside a goal
    weight: int = 0
    numbered: bool = False  # the page numbers laid out with the part: it is the whole report

    @property
    def css(self) -> str:
        rules = [] if self.numbered else ["@page { @bottom-center { content: none; } }"]  # painted last
        if not self.front:
            rules.append(
                "@page :first { @top-left { content: string(plan-title); }"
                " @top-right { content: string(section-title); } }"
            )
            # Set on the part's first element that is never split between pages (a box split
            # sets it again on every page it is on): its first heading or paragraph, the first
            # indicator's heading, or the corner cell of the first sheet (repeated with the
            # sheet's head, on the pages of the same goal)
            sets = [f"plan-title {_css_string(self.plan_title)}"]
            if self.section_title is not None:
                sets.append(f"section-title {_css_string(self.section_title)}")
            first = "main > section:first-of-type"
            selectors = ", ".join(
                f"{first} > {tag}:first-child" for tag in ("p", "h2", "h3", "h4", "h5", "h6")
            )
            selectors += f", {first} > article:first-child > :first-child"
            selectors += f", {first} > div.table-wrap:first-child thead tr:first-child > :first-child"
            rules.append(f"{selectors} {{ string-set: {', '.join(sets)}; }}")
            if self.section_title is None:  # the part begins with a goal: its heading sets both
                rules.append(
                    f"{first} > h2.goal-title:first-child {{ string-set: {sets[0]}, section-title content(); }}"
                )
        return "\n".join(rules)


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def plan_parts(report: Report, size: int | None = None) -> list[Part]:
    """The report cut into parts of about ``size`` (``PART_SIZE``) units (an indicator, or an
    indicator sheet)."""
    size = size or PART_SIZE
    t = report.t
    plan = report.plan
    plan_title = plan.title_en if report.lang == "en" and getattr(plan, "title_en", None) else plan.title
    parts = [Part(front=True, plan_title=plan_title)]
    goal_title = ""

    def cut(section_title: str | None) -> Part:
        parts.append(Part(plan_title=plan_title, section_title=section_title))
        return parts[-1]

    for section in report.sections:
        sheets = section.sheet_parts  # its rows are made each time they are asked for
        weight = len(sheets) + len(section.indicators)
        part = parts[-1]
        if section.depth == 0:
            node = getattr(section, "node", None)
            priority = (
                f"◎（{t['priority']}）" if node is not None and getattr(node, "priority", False) else ""
            )
            goal_title = priority + section.heading
            if part.weight and part.weight + weight > size:
                part = cut(None)
        piece = Piece(section)
        part.pieces.append(piece)
        units = [("sheet", s) for s in sheets] + [("evaluation", None)]
        units += [("indicator", v) for v in section.indicators] + [("tail", None)]
        for kind, unit in units:
            if kind in ("sheet", "indicator") and part.weight >= size:
                part = cut(goal_title)
                piece = Piece(section, head=False)
                part.pieces.append(piece)
            if kind == "sheet":
                piece.sheet_parts.append(unit)
            elif kind == "indicator":
                piece.indicators.append(unit)
            else:
                setattr(piece, kind, True)
            part.weight += kind in ("sheet", "indicator")
    parts[-1].back = True
    parts[0].numbered = len(parts) == 1
    return parts


@contextmanager
def _libraries_opened_by_soname() -> Iterator[None]:
    """WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject trying several names for each, for
    each platform; every name the dynamic loader does not know sends cffi to
    ``ctypes.util.find_library``, which runs ldconfig, gcc and ld (some fifty processes, 0.2 s of a
    PDF's start). On Linux each list holds the library's soname, which the loader finds by itself,
    so the search is left out while WeasyPrint is imported."""
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def _import_weasyprint() -> None:
    if sys.platform == "linux" and "weasyprint" not in sys.modules:
        try:
            with _libraries_opened_by_soname():
                import weasyprint.text.ffi
        except OSError:
            pass  # a library known by another name: imported again below, with the search
    import weasyprint.text.ffi  # noqa: F401


@contextmanager
def _fonts_described() -> Iterator[None]:
    """WeasyPrint's fonts made as ``DescribedFont`` while the PDF is painted: each knows the Pango
    description it was found by, for the writer of a first half that did not use it to find it."""
    import weasyprint.pdf.stream

    font_class = weasyprint.pdf.stream.Font
    weasyprint.pdf.stream.Font = _described_font_class()
    try:
        yield
    finally:
        weasyprint.pdf.stream.Font = font_class


@functools.cache
def _described_font_class():
    """WeasyPrint's font class, made to note the description each font is found by (made once,
    when first asked for: WeasyPrint is imported then)."""
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import ffi, pango

    ffi.cdef("PangoFontDescription * pango_font_description_from_string (const char *str);")

    class DescribedFont(Font):
        def __init__(self, pango_font, description, font_size) -> None:
            self.described = ffi.string(pango.pango_font_description_to_string(description))
            super().__init__(pango_font, description, font_size)

        @classmethod
        def found(cls, described: bytes, size: float, key: int, font_config) -> DescribedFont:
            from weasyprint.text.ffi import TO_UNITS, gobject
            from weasyprint.text.fonts import get_pango_font_key

            description = ffi.gc(
                pango.pango_font_description_from_string(described), pango.pango_font_description_free
            )
            pango.pango_font_description_set_absolute_size(description, size * TO_UNITS)
            context = ffi.gc(
                pango.pango_font_map_create_context(font_config.font_map), gobject.g_object_unref
            )
            pango_font = pango.pango_font_map_load_font(font_config.font_map, context, description)
            found, found_description, found_size = get_pango_font_key(pango_font)
            if found != key:
                raise MachiplanError(
                    f"the PDF's second half used a font not found again: {described.decode()}"
                )
            return cls(pango_font, found_description, found_size)

    return DescribedFont


def render_pdf(report: Report, folder: Path) -> list[Path]:
    _check_japanese_font()
    try:
        _import_weasyprint()
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except OSError as exc:  # the Pango library is missing
        raise MachiplanError(
            f"the PDF needs the Pango library ({exc}); run bin/setup as root, or apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
        ) from None
    path = folder / "report.pdf"
    options = {
        "pdf_identifier": report.plan.code.encode(),
        "pdf_variant": "pdf/ua-1",
        "uncompressed_pdf": False,
    }
    font_config = FontConfiguration()  # one for all parts: one embedded subset of each font
    base = as_context(report)

    def layout(part: Part, long_blocks: frozenset[str]):
        context = {**base, "pdf": True, "long_blocks": long_blocks, "print_part": part}
        html = render_to_string("reports/print.html", context)
        return HTML(string=html).render(font_config=font_config, **options)

    def paint(writer: _PdfWriter, parts: list[Part]) -> _PdfWriter:
        for number, part in enumerate(parts):
            if number:
                settle()  # the last part's boxes hold cycles: let them go, freeze its pages painted
            document = layout(part, frozenset())
            long_blocks = split_blocks(report, document.pages)
            if long_blocks:  # laid out again, those blocks flowing from where they start
                del document
                document = layout(part, long_blocks)
            writer.add(document)
            del document
        return writer

    parts = plan_parts(report)
    with (
        _collecting_only_new_objects(),
        _spool(len(parts)) as spool,
        _fonts_described() if spool is not None else nullcontext(),  # (the web app's threads: never)
    ):
        first, second = _halves(parts) if spool is not None else (parts, [])
        writer = _PdfWriter(options)
        if second:  # a forked copy paints the second half meanwhile, and hands it over in the spool
            painted = begun_apart(
                lambda: paint(_PdfWriter(options, apart=True), second).hand_over(spool),
                "painting the PDF's second half",
            )
            try:
                paint(writer, first)
                painted()
            except BaseException:
                abandon(painted)
                raise
            settle()
            spool.seek(0)
            writer.take_in(spool, font_config)
        else:
            paint(writer, first)
        if not parts[0].numbered:
            settle()
            footer = render_to_string(
                "reports/print_footer.html", {"lang": report.lang, "pages": range(writer.page_count)}
            )
            writer.add_page_numbers(HTML(string=footer).render(font_config=font_config, **options))
        writer.write(path)
    return [path]


APART_FROM = 4
"""Parts from which the second half of the report is laid out, painted and tagged by a forked copy
of the command, on a second core, while this process does the first half (``_halves``); the copy
hands its pages over through a temporary file (``_PdfWriter.hand_over``, ``take_in``)."""


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def _spool(parts: int) -> Iterator[BinaryIO | None]:
    """The temporary file the second half is handed over in, when it is painted apart (``_in_two``)
    and there is a temporary folder. Otherwise None: the whole report is painted here."""
    if not _in_two(parts):
        yield None
        return
    try:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the block below)
    except OSError:  # no temporary folder to write in
        yield None
        return
    with spool:
        yield spool


def painted_in_two(report: Report) -> bool:
    """Whether the PDF of ``report`` would be painted by two processes, if made here now."""
    return _in_two(len(plan_parts(report)))


def _in_two(parts: int) -> bool:
    """``parts`` are many enough to paint in two processes, and this process may fork (the command
    line says so: ``domain/apart.py`` ``forks_allowed``) onto a second core."""
    return parts >= APART_FROM and _cores() >= 2 and may_fork()


def _halves(parts: list[Part]) -> tuple[list[Part], list[Part]]:
    """The parts cut in two that take about as long each to lay out and paint: a part costs its
    indicators, and the front (the summary lists every indicator, in tables) ``FRONT_COST`` of
    the report's."""
    indicators = sum(part.weight for part in parts)
    costs = [part.weight + (FRONT_COST * indicators if part.front else 0) for part in parts]
    half = sum(costs) / 2
    so_far = 0.0
    for number, cost in enumerate(costs[:-1]):
        so_far += cost
        if so_far >= half:
            return parts[: number + 1], parts[number + 1 :]
    return parts[:-1], parts[-1:]


FRONT_COST = 0.14
"""The front of a report (cover, summary, overview) costs about this share of its units to lay out
and paint (measured with 1,000 indicators: at 0.18 the second half ended 4.4 s after the first, at
0.03 10 s before it; the first half also has the second to take in after)."""


YOUNG_OBJECTS = 5000
"""Objects made, less those let go, before the youngest generation is collected while the PDF is
made (Python's default is 700): laying out allocates many that live for a while, which each
collection walks again and moves to the next generation, until the oldest is collected in turn."""


@contextmanager
def _collecting_only_new_objects() -> Iterator[None]:
    """The objects that were there before the PDF (Django's, the report's, the modules') kept out
    of the garbage collector's sight while it is made (domain/collection.py): every collection of
    the oldest generation, automatic or between parts, would walk them all again (a tenth of the
    Sapporo PDF's time). The youngest generation is collected less often meanwhile; its threshold
    is given back after."""
    thresholds = gc.get_threshold()
    with objects_so_far_frozen():
        settle()
        gc.set_threshold(YOUNG_OBJECTS, *thresholds[1:])
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)


def split_blocks(report: Report, pages) -> frozenset[str]:
    """The indicators whose block begins on one page and ends on another: taller than a page, as
    every block is kept whole (print.css) where it fits. Each is marked ``long`` and laid out
    again without being moved whole to the next page, which would leave the heading before it
    (評価) alone on a page."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, page in enumerate(pages):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
            last[anchor] = number
    codes = {view.indicator.code for section in report.sections for view in section.indicators}
    return frozenset(
        code
        for code in codes
        if f"indicator-{code}" in first
        and first[f"indicator-{code}"] != last.get(f"indicator-{code}-end", first[f"indicator-{code}"])
    )


def _freeze_resources(resources, frozen: set[int]) -> None:
    """The form XObjects and patterns painted so far (an SVG chart's groups, a box's opacity …),
    each frozen as a page's stream is, with the ones they use in turn."""
    from weasyprint.pdf.stream import Stream

    for kind in ("XObject", "Pattern"):
        for item in (resources.get(kind) or {}).values():
            if isinstance(item, Stream) and id(item) not in frozen:
                frozen.add(id(item))
                _freeze(item, wrap=False)
                inner = item.extra.get("Resources")
                if inner is not None and not isinstance(inner, int | str):
                    _freeze_resources(inner, frozen)


def _freeze(stream, wrap: bool = True, level: int = 9) -> None:
    """A page's content stream, painted and tagged, as the bytes pydyf would write (compressed
    now, not at the end): a list of Python objects per drawing operator, for every page of a
    long report, would be most of the memory left."""
    import zlib

    # in q … Q: the graphics state (the page's flip to top-down) not carried into the page's
    # next content stream (the page numbers)
    items = (pydyf._to_bytes(item) for item in stream.stream)
    data = b"\n".join([b"q", *items, b"Q"] if wrap else items)
    if stream.compress:
        compressor = zlib.compressobj(level=level)
        data = compressor.compress(data) + compressor.flush()
        stream.extra["Filter"] = "/FlateDecode"
        stream.compress = False
    stream.stream = [data]
    stream._tags = None


class _PagedPdf(pydyf.PDF):
    """A pydyf PDF that keeps its pages' references as they are added. pydyf makes the tuple of
    every page's reference again each time ``page_references`` is read, and WeasyPrint's tagging
    reads it for each structure element it makes: quadratic in the pages, 7 % of the
    1,000-indicator PDF (1,138 pages)."""

    def __init__(self) -> None:
        self._page_references: list[bytes] = []
        super().__init__()

    def add_page(self, page) -> None:
        super().add_page(page)
        self._page_references.append(f"{page.number} 0 R".encode("ascii"))

    def adopt_page(self, page) -> None:
        """A page already among the objects (taken in from the second half) added to the pages."""
        self.pages["Count"] += 1
        self.pages["Kids"].extend([page.number, 0, "R"])
        self._page_references.append(page.reference)

    @property
    def page_references(self) -> list[bytes]:
        return self._page_references

    def write(self, output, version, identifier, compress) -> None:
        """As pydyf writes, but each object made into bytes once: with an identifier, pydyf makes
        every object's bytes again to hash them, the object stream compressed again with them (a
        tenth of the 1,000-indicator PDF's time)."""
        self.objects = [_Once(item) for item in self.objects]
        self.add_object = self._add_once  # for the info and the object stream, added as it writes
        try:
            super().write(output, version, identifier, compress)
        finally:
            del self.add_object

    def _add_once(self, object_) -> None:
        super().add_object(object_)
        if type(object_) is pydyf.Stream:
            object_.__class__ = _OnceStream
        else:
            self.objects[-1] = _Once(object_)


class _Once(pydyf.Object):
    """An object as ``_PagedPdf.write`` writes it: its bytes made the first time they are asked
    for, and kept."""

    def __init__(self, item) -> None:
        super().__init__()
        self.item = item
        self.number, self.offset, self.generation, self.free = (
            item.number,
            item.offset,
            item.generation,
            item.free,
        )
        self._data: bytes | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self.item.data
        return self._data

    @property
    def compressible(self) -> bool:
        return self.item.compressible


class _OnceStream(pydyf.Stream):
    """The object stream pydyf makes as it writes (every object but the streams: 80 MB for 1,000
    indicators), compressed once (``_freeze``), at ``OBJECT_STREAM_LEVEL``."""

    @property
    def data(self) -> bytes:
        if "_data" not in self.__dict__:
            _freeze(self, wrap=False, level=OBJECT_STREAM_LEVEL)
            self._data = super().data
        return self._data


OBJECT_STREAM_LEVEL = 6
"""zlib's usual level for the object stream: at pydyf's highest (9) it took 3.6 s of the
1,000-indicator PDF's writing, for a file 0.9 % smaller."""


HANDOVER_BATCH = 20_000
"""Objects pickled at once by the second half, and so unpickled at once by the first."""


@dataclass
class Handover:
    """What the writer of the first half needs to know of the pages the second half painted, besides
    the objects (in their numbers in the forked copy)."""

    kept: list[int]  # the objects handed over, in order
    stands_for: dict[int, str]  # the copy's own objects that stand for the first half's
    pages: list[int]
    page_sizes: list[float]
    page_bookmarks: list[tuple[list, float]]  # each page's headings, and its height
    marked: list  # each page's structure elements, by marked-content number (the parent tree)
    elements: list  # the structure elements under the /Document element
    annotations: list[int]  # the links, which the structure tree names after the pages
    names: list  # named destinations
    fonts: dict[int, _FontUse]


class _Renumbering:
    """An object's references (``b"12 0 R"``, in any dictionary, array or stream dictionary within
    it) changed to the numbers ``numbers`` gives them, in place."""

    _REFERENCE = re.compile(rb"(\d+) 0 R")

    def __init__(self, numbers: dict[int, bytes]) -> None:
        self.numbers = numbers

    def __call__(self, item):
        if isinstance(item, pydyf.Stream):
            self(item.extra)
            return item
        for key, value in item.items() if isinstance(item, dict) else enumerate(item):
            if isinstance(value, bytes | str):
                item[key] = self._reference(value)
            elif isinstance(value, dict | list | pydyf.Stream):
                self(value)
        return item

    def _reference(self, value: bytes | str) -> bytes | str:
        if isinstance(value, str):  # a name, a keyword, or a reference written as text
            if not value.endswith(" 0 R"):
                return value
            value = value.encode()
        matched = self._REFERENCE.fullmatch(value)
        return self.numbers[int(matched.group(1))] if matched else value


@dataclass
class _FontUse:
    """The glyphs of a font that the second half used, as its writer noted them, and how to find
    the font again where the first half never used it (``_described_font_class``)."""

    described: bytes
    size: float
    widths: dict
    to_unicode: dict
    missing: dict
    used_in_forms: bool

    @classmethod
    def of(cls, font) -> _FontUse:
        return cls(
            font.described, font.font_size, font.widths, font.to_unicode, font.missing, font.used_in_forms
        )

    def add_to(self, fonts: dict, key: int, font_config) -> None:
        """Into the font of ``fonts`` under ``key``, made if it is not there. Glyph numbers are the
        font's own (the subset keeps them), so the two halves' glyphs join as they are; a character
        no font has is drawn as the empty glyph in both, though its text may be read as another's."""
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _described_font_class().found(self.described, self.size, key, font_config)
        font.widths.update(self.widths)
        for glyph, text in self.to_unicode.items():
            font.to_unicode.setdefault(glyph, text)
        for character, glyph in self.missing.items():
            font.missing.setdefault(character, glyph)
        font.used_in_forms = font.used_in_forms or self.used_in_forms


class _PdfWriter:
    """One PDF, written from several laid-out WeasyPrint documents in turn: what
    ``weasyprint.pdf.generate_pdf`` (WeasyPrint 70, pinned) does for one document, for the parts
    of this report: no forms, attachments, color profiles or bleed. Each part's pages are painted,
    their links and bookmarks noted and their structure elements added to the one structure tree
    as soon as the part is laid out, so that its boxes can be let go."""

    def __init__(self, options: dict, apart: bool = False) -> None:
        from tinycss2.color5 import D50, D65
        from weasyprint import DEFAULT_OPTIONS
        from weasyprint.pdf import VARIANTS

        self.options = {**DEFAULT_OPTIONS, **options}
        variant_function, properties = VARIANTS[self.options["pdf_variant"]]
        for key, value in properties.items():
            if self.options.get(key) is None:
                self.options[key] = value
        self.variant_function = variant_function
        self.compress = not self.options["uncompressed_pdf"]
        self.scale = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch
        self.pdf = pdf = _PagedPdf()
        self.images: dict = {}
        self.fonts: dict = {}
        color_space = pydyf.Dictionary(
            {  # as weasyprint.pdf.generate_pdf: lab() colours
                f"lab-{name}": pydyf.Array(
                    (
                        "/Lab",
                        pydyf.Dictionary(
                            {"WhitePoint": pydyf.Array(white), "Range": pydyf.Array((-125, 125, -125, 125))}
                        ),
                    )
                )
                for name, white in (("d50", D50), ("d65", D65))
            }
        )
        pdf.add_object(color_space)
        self.color_space = color_space
        self.resources = pydyf.Dictionary(
            {
                "ExtGState": pydyf.Dictionary(),
                "XObject": pydyf.Dictionary(),
                "Pattern": pydyf.Dictionary(),
                "Shading": pydyf.Dictionary(),
                "ColorSpace": color_space.reference,
            }
        )
        pdf.add_object(self.resources)
        self.names: list = []
        self.anchors: set[str] = set()
        self.page_streams: list = []
        self.pdf_pages: list = []
        self._frozen: set[int] = set()
        self.page_sizes: list[float] = []
        self.bookmarks: list = []
        self._bookmark_state: tuple[list, list, int] = ([], [self.bookmarks], 0)
        self.apart = apart  # painting the second half, to hand over: its bookmarks kept as found
        self.page_bookmarks: list[tuple[list, float]] = []
        self.font_dictionary = pydyf.Dictionary()  # filled as the file is written
        pdf.add_object(self.font_dictionary)
        self.resources["Font"] = self.font_dictionary.reference
        self.metadata = None
        self.annotations: list = []
        # The structure tree (weasyprint.pdf.tags.add_tags, a page at a time)
        self.parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
        pdf.add_object(self.parent_tree)
        self.root = root = pydyf.Dictionary(
            {"Type": "/StructTreeRoot", "ParentTree": self.parent_tree.reference}
        )
        pdf.add_object(root)
        self.structure = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(), "P": root.reference}
        )
        pdf.add_object(self.structure)
        root["K"] = pydyf.Array([self.structure.reference])
        pdf.catalog["StructTreeRoot"] = root.reference

    @property
    def page_count(self) -> int:
        return len(self.page_streams)

    def add(self, document) -> None:
        from weasyprint.matrix import Matrix
        from weasyprint.pdf.anchors import add_links
        from weasyprint.pdf.stream import Stream
        from weasyprint.pdf.tags import _build_box_tree

        pdf, scale = self.pdf, self.scale
        if self.metadata is None:
            self.metadata = document.metadata
        first = self.page_count
        for page in document.pages:
            number = self.page_count
            anchors = []
            for name, (x, y, _, _) in page.anchors.items():
                if name not in self.anchors:
                    self.anchors.add(name)
                    anchors.append((name, x, y))
            links = [link for link in page.links if link[0] in ("internal", "external")]
            matrix = Matrix(scale, 0, 0, -scale, 0, page.height * scale)
            width, height = scale * page.width, scale * page.height
            stream = Stream(
                self.fonts,
                (0, 0, page.width, page.height),
                self.resources,
                self.images,
                {},
                {},
                None,
                compress=self.compress,
            )
            stream.transform(d=-1, f=height)
            pdf.add_object(stream)
            self.page_streams.append(stream)
            self.page_sizes.append(page.height)
            pdf_page = pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": pydyf.Array([0, 0, width, height]),
                    "Contents": stream.reference,
                    "Resources": self.resources.reference,
                    "Tabs": "/S",
                    "StructParents": number,
                }
            )
            pdf.add_page(pdf_page)
            self.pdf_pages.append(pdf_page)
            add_links((links, anchors), matrix, pdf, pdf_page, self.names, stream._tags)
            page.paint(stream, scale)
            pdf_page["TrimBox"] = pydyf.Array([0, 0, width, height])
            pdf_page["BleedBox"] = pydyf.Array([0, 0, width, height])
            self._bookmark(page.bookmarks, number, page.height)
        for offset, page in enumerate(document.pages):
            number = first + offset
            stream = self.page_streams[number]
            self.parent_tree["Nums"].append(number)
            self.parent_tree["Nums"].append(pydyf.Array())
            nums: dict = {}
            for element in _build_box_tree(
                page._page_box, self.structure, pdf, number, nums, self.annotations, stream._tags
            ):
                self.structure["K"].append(element.reference)
            assert not stream._tags
            self.parent_tree["Nums"][-1].extend(ref for _, ref in sorted(nums.items()))
            _freeze(stream)
        _freeze_resources(self.resources, self._frozen)

    def _bookmark(self, bookmarks: list, number: int, height: float) -> None:
        """A page's bookmarks (its headings) into the outline; for a second half painted apart, kept
        as they are, to be put in after the first half's (``take_in``)."""
        from weasyprint.anchors import make_page_bookmark_tree
        from weasyprint.matrix import Matrix

        if self.apart:
            self.page_bookmarks.append((bookmarks, height))
            return
        skipped, by_depth, level = self._bookmark_state
        page = SimpleNamespace(bookmarks=bookmarks)
        matrix = Matrix(a=self.scale, d=-self.scale, f=height * self.scale)
        level = make_page_bookmark_tree(page, skipped, by_depth, level, number, matrix)
        self._bookmark_state = (skipped, by_depth, level)

    def hand_over(self, out: BinaryIO) -> None:
        """(In the forked copy that painted the second half.) Its pages, with every object they
        use, pickled into ``out`` for the first half's writer to take in (``take_in``): first
        what it needs to know (``Handover``), then the objects, in batches, each a plain pydyf
        object whose references are still this copy's numbers. The fonts are not written here: the
        first half's writer writes each once, with the glyphs both halves used."""
        from weasyprint.pdf import _use_references
        from weasyprint.pdf.stream import Stream

        pdf = self.pdf
        _use_references(pdf, self.resources, self.images, {})
        stands_for = {
            pdf.pages.number: "pages",
            self.color_space.number: "color_space",
            self.font_dictionary.number: "font_dictionary",
            self.structure.number: "structure",
        }
        left_out = {0, pdf.catalog.number, self.root.number, self.parent_tree.number, *stands_for}
        kept = [item.number for item in pdf.objects if item.number not in left_out]
        handover = Handover(
            kept=kept,
            stands_for=stands_for,
            pages=[page.number for page in self.pdf_pages],
            page_sizes=self.page_sizes,
            page_bookmarks=self.page_bookmarks,
            marked=[self.parent_tree["Nums"][i] for i in range(1, len(self.parent_tree["Nums"]), 2)],
            elements=list(self.structure["K"]),
            annotations=[annotation.number for _, annotation in self.annotations],
            names=self.names,
            fonts={key: _FontUse.of(font) for key, font in self.fonts.items()},
        )
        pickle.dump(handover, out, pickle.HIGHEST_PROTOCOL)
        batch: list = []
        for number in kept:
            item = pdf.objects[number]
            if isinstance(item, Stream):  # WeasyPrint's, which holds the fonts, the resources …
                plain = pydyf.Stream(item.stream, item.extra, item.compress)
                plain.number = number
                item = plain
            if isinstance(item, pydyf.Stream) and item.compress:
                _freeze(item, wrap=False)
            batch.append(item)
            if len(batch) == HANDOVER_BATCH:
                pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
                batch = []
        pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
        out.flush()  # the forked copy ends without flushing

    def take_in(self, spool: BinaryIO, font_config) -> None:
        """The second half's pages, painted and tagged by a forked copy (``hand_over``), put after
        this writer's: each object given a number of this file and its references renumbered,
        its pages' structure, links, destinations and bookmarks joined to this writer's, and the
        glyphs it used added to the fonts' subsets."""
        pdf = self.pdf
        handover: Handover = pickle.load(spool)
        ours = {
            "pages": pdf.pages.reference,
            "color_space": self.color_space.reference,
            "font_dictionary": self.font_dictionary.reference,
            "structure": self.structure.reference,
        }
        numbers = {number: ours[name] for number, name in handover.stands_for.items()}
        base = len(pdf.objects)
        numbers.update((number, f"{base + i} 0 R".encode()) for i, number in enumerate(handover.kept))
        renumber = _Renumbering(numbers)
        while len(pdf.objects) < base + len(handover.kept):
            for item in pickle.load(spool):
                renumber(item)
                pdf.add_object(item)

        def at(reference: bytes):  # the object a reference of this file is to
            return pdf.objects[int(reference.split()[0])]

        first = self.page_count
        for index, number in enumerate(handover.pages):
            page = at(numbers[number])
            page["StructParents"] = first + index
            pdf.adopt_page(page)
            self.pdf_pages.append(page)
            self.page_streams.append(at(page["Contents"]))
        self.page_sizes.extend(handover.page_sizes)
        for index, (marked, (bookmarks, height)) in enumerate(
            zip(handover.marked, handover.page_bookmarks, strict=True)
        ):
            self.parent_tree["Nums"].extend([first + index, renumber(marked)])
            self._bookmark(bookmarks, first + index, height)
        self.structure["K"].extend(renumber(handover.elements))
        for number in handover.annotations:
            annotation = at(numbers[number])
            self.annotations.append((annotation.reference, annotation))
        for name, destination in handover.names:
            if name not in self.anchors:
                self.anchors.add(name)
                self.names.append([name, renumber(destination)])
        for key, use in handover.fonts.items():
            use.add_to(self.fonts, key, font_config)

    def add_page_numbers(self, footer) -> None:
        """Paint each page of ``footer`` (the page numbers in its margins, nothing else) over the
        page of the same number, as an artifact."""
        from weasyprint.pdf.stream import Stream

        assert len(footer.pages) == self.page_count, (len(footer.pages), self.page_count)
        for page, pdf_page in zip(footer.pages, self.pdf_pages, strict=True):
            stream = Stream(
                self.fonts,
                (0, 0, page.width, page.height),
                self.resources,
                self.images,
                None,  # not marked: an artifact
                {},
                None,
                compress=self.compress,
            )
            stream.transform(d=-1, f=self.scale * page.height)
            pydyf.Stream.begin_marked_content(stream, "Artifact")
            page.paint(stream, self.scale)
            pydyf.Stream.end_marked_content(stream)
            self.pdf.add_object(stream)
            pdf_page["Contents"] = pydyf.Array([pdf_page["Contents"], stream.reference])

    def write(self, path: Path) -> None:
        from weasyprint import VERSION
        from weasyprint.pdf import _use_references, _w3c_date_to_pdf
        from weasyprint.pdf.anchors import add_outlines
        from weasyprint.pdf.fonts import build_fonts_dictionary

        pdf, options, metadata = self.pdf, self.options, self.metadata
        add_outlines(pdf, self.bookmarks)
        pdf.info["Producer"] = pydyf.String(f"WeasyPrint {VERSION}")
        if metadata.title:
            pdf.info["Title"] = pydyf.String(metadata.title)
        if metadata.authors:
            pdf.info["Author"] = pydyf.String(", ".join(metadata.authors))
        if metadata.description:
            pdf.info["Subject"] = pydyf.String(metadata.description)
        if metadata.keywords:
            pdf.info["Keywords"] = pydyf.String(", ".join(metadata.keywords))
        if metadata.generator:
            pdf.info["Creator"] = pydyf.String(metadata.generator)
        if metadata.created:
            pdf.info["CreationDate"] = pydyf.String(_w3c_date_to_pdf(metadata.created, "created"))
        if metadata.modified:
            pdf.info["ModDate"] = pydyf.String(_w3c_date_to_pdf(metadata.modified, "modified"))
        if metadata.lang:
            pdf.catalog["Lang"] = pydyf.String(metadata.lang)

        fonts = build_fonts_dictionary(pdf, self.fonts, self.compress, not options["full_fonts"], options)
        self.font_dictionary.update(fonts)
        _use_references(pdf, self.resources, self.images, {})

        if self.names:
            names = pydyf.Array()
            for name, destination in sorted(self.names, key=lambda item: item[0]):
                names.append(pydyf.String(name))
                names.append(destination)
            pdf.catalog["Names"] = pydyf.Dictionary({"Dests": pydyf.Dictionary({"Names": names})})

        # The rest of weasyprint.pdf.tags.add_tags
        for i, (reference, annotation) in enumerate(self.annotations, start=self.page_count):
            self.parent_tree["Nums"].append(i)
            self.parent_tree["Nums"].append(reference)
            annotation["StructParent"] = i
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        if "Lang" not in pdf.catalog:
            pdf.catalog["Lang"] = pydyf.String()

        self.variant_function(pdf, self, self.page_streams, [], self.compress)
        with open(path, "wb") as out:
            pdf.write(out, options["pdf_version"], options["pdf_identifier"], self.compress)
