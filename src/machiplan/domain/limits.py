"""How many characters each short text of a plan may hold: one definition.

The database columns (``plans.models``) and the staff structure forms take their
``max_length`` from here, and ``validation.check_plan`` holds every plan to it,
whatever way the plan came in (package, sheet, table, the staff pages), with the
figures' rule and message (``entry_checks.length_problem``: 「300文字以内で入力して
ください」). So a text too long for its column is refused the same way on SQLite,
which would keep it whole, and on PostgreSQL, which would refuse it mid-write.

A text not named here is unlimited (a TextField). The texts of a yearly figure, a
target and a baseline are limited where their fields are defined (``figures.py``).
"""

from __future__ import annotations

CODE = 64  # plan, department, indicator, revision, node codes and horizons (validation's patterns)
SOURCE = 500  # provenance: 'observations.csv:12', '成果指標.xlsx!Sheet1!C7', where a plan was loaded from

PLAN = {"title": 300, "title_en": 300, "municipality_name": 100, "source": SOURCE}
DEPARTMENT = {"name": 200}
HIGHER_PLAN = {"label": 100, "title": 300}
REVISION = {"title": 200}
LEVEL = {"name": 100, "name_en": 100}  # kept in the plan's JSON; the staff form's size
RATING_SCALE = {"key": 64, "name": 100, "name_en": 100}
GRADE = {"code": 64}
NODE = {"number": 32, "name": 300, "name_en": 300}
INDICATOR = {
    "category": 100,
    "name": 300,
    "name_en": 300,
    "unit": 32,
    "confirmed_when": 200,
    "carried_from": 200,
}
COST = {"account": 50, "label": 100, "source_text": 300, "source": SOURCE}
RATING = {"scale": RATING_SCALE["key"], "grade": GRADE["code"], "source": SOURCE}
TALLY = RATING
COMMENT = {"body_name": 200, "source": SOURCE}
# A figure being entered (staff.models.Entry): where it comes from (出典), and why a reviewer sent it back
ENTRY = {"data_source": 300, "comment": 2000}
