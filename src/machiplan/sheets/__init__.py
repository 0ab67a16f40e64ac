"""Reading progress sheets and published plan documents (text extracted from PDF or web pages): pure Python.

``read_sheet(text)`` reads a sheet of the Sapporo family exactly (``reader``);
``read_document(text)`` tries every reader (``dispatch``: the Sapporo family, an evaluation
sheet per KPI, a policy management form, a document of headings and indicators, a JSON
dataset) and keeps the one that placed the most facts. Each returns the plan, a warning for
every line it could not place, and what it guessed, so nothing is dropped silently.
"""

from .common import SheetOptions, SheetResult, SheetWarning, StructureGuess
from .dispatch import read_document, read_document_file
from .reader import read_sheet, read_sheet_file

__all__ = [
    "SheetOptions",
    "SheetResult",
    "SheetWarning",
    "StructureGuess",
    "read_document",
    "read_document_file",
    "read_sheet",
    "read_sheet_file",
]
