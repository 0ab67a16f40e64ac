"""Reading legacy progress sheets (進捗状況) as extracted from their PDFs: pure Python.

``read_sheet(text)`` returns the plan the sheet describes, plus a warning for
every line it could not place, so nothing is dropped silently.
"""

from .reader import SheetResult, SheetWarning, read_sheet, read_sheet_file

__all__ = ["SheetResult", "SheetWarning", "read_sheet", "read_sheet_file"]
