"""Import a plan's table (XLSX or CSV): a preview that writes nothing, then a save in one transaction.

``table_preview`` reads the table (with a mapping a person confirmed, or the one the plan keeps,
or as detected), merges it into the plan it updates (``plan_code``: next year's sheet), and does
everything that can fail — the plan rules (check_plan), the evaluation, the plan JSON with every
figure formatted — so that a plan is never saved that its own preview could not show.
``table_save`` stores that plan and the mapping it was read with, in one transaction: the
mapping stays with the plan, and next year's sheet imports with it in one step.

The command line (``machiplan import-table``) and the staff app's upload page call these two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import evaluate_plan
from machiplan.domain.validation import PlanWarning, check_plan
from machiplan.interchange.plan_json import plan_json
from machiplan.tables import (
    Mapping,
    PlanFacts,
    TableResult,
    mapping_document,
    mapping_from_document,
    read_table,
)
from machiplan.tables.detect import TableWarning
from machiplan.tables.merge import Changes, merge

from .. import models
from ..selectors import plan_data
from .plan_load import plan_load


@dataclass(frozen=True)
class TablePreview:
    """What a table would make, checked whole: nothing is written until ``table_save``."""

    result: TableResult  # the table as read: its plan, mapping, warnings and guesses
    plan: domain.Plan  # what a save stores (with ``updates``: the stored plan with the table's figures)
    mapping: Mapping  # the mapping a save keeps with the plan
    checked: tuple[PlanWarning, ...]  # what the plan rules warn about
    warnings: tuple[TableWarning, ...]  # the reader's and the merge's
    document: dict[str, Any]  # the plan JSON, with the source, warnings, guesses and mapping
    updates: str | None = None  # the stored plan it updates (next year's sheet), by code
    changes: Changes | None = None
    mapping_from: str = "detected"  # detected | given | kept (the plan's own)

    @property
    def all_warnings(self) -> list[str]:
        return [str(w) for w in self.warnings] + [str(w) for w in self.checked]


def table_preview(
    *,
    data: bytes,
    name: str,
    mapping: Mapping | None = None,
    facts: PlanFacts | None = None,
    sheet: str | None = None,
    plan_code: str | None = None,
    use_kept: bool = True,
    suggesting: bool = False,
) -> TablePreview:
    """Read a table into a plan and check it; ``plan_code`` names the stored plan it updates, whose
    kept mapping reads it unless ``mapping`` is given (or ``use_kept`` is false: detected afresh)."""
    stored: domain.Plan | None = None
    mapping_from = "given" if mapping is not None else "detected"
    facts = facts or PlanFacts()
    if plan_code is not None:
        row = models.Plan.objects.filter(code=plan_code).first()
        if row is None:
            raise MachiplanError(f"no plan with code {plan_code!r}: import the table without --plan first")
        stored = plan_data(plan_code)
        if mapping is None and use_kept and row.import_mapping:
            mapping = mapping_from_document(row.import_mapping, f"plan {plan_code}'s mapping")
            mapping_from = "kept"
        # the stored plan says what the table cannot: its period reads a target with no year
        facts = PlanFacts(
            code=plan_code,
            title=stored.title,
            municipality=stored.municipality.name,
            municipality_code=stored.municipality.code,
            start_fy=stored.start_fy,
            end_fy=stored.end_fy,
        ).overridden(replace(facts, code=None))
    result = read_table(data, name, mapping=mapping, facts=facts, sheet=sheet, suggesting=suggesting)
    plan, kept = result.plan, result.mapping
    warnings = list(result.warnings)
    changes = None
    if stored is not None:
        plan, changes, merged = merge(stored, plan)
        warnings += merged
        codes = dict(changes.codes)
        kept = replace(
            kept,
            indicators=tuple(replace(f, code=codes.get(f.code or "", f.code)) for f in kept.indicators),
        )
    checked = check_plan(plan)  # located errors: each figure's source is its cell
    # Everything that can fail is done before anything is written: the plan evaluated and its JSON
    # built (every figure and year formatted, as a report formats them).
    document = plan_json(plan, evaluate_plan(plan))
    document["source"] = {
        "file": result.layout.mapping.file,
        "sheet": result.layout.mapping.sheet,
        "encoding": result.encoding,
    }
    document["warnings"] = [  # both wordings kept: the preview is shown later in either language
        {"where": w.where, "message": w.message, "message_ja": w.message_ja} for w in (*warnings, *checked)
    ]
    document["guesses"] = [
        {
            "indicator": code,
            "field": g.field,
            "value": g.value,
            "reason_ja": g.reason_ja,
            "reason_en": g.reason_en,
        }
        for code, g in result.guesses
    ]
    document["mapping_guesses"] = [
        {
            "where": g.where,
            "header": g.header,
            "value": g.value,
            "reason_ja": g.reason_ja,
            "reason_en": g.reason_en,
        }
        for g in result.mapping_guesses
    ]
    document["mapping"] = mapping_document(kept)
    if changes is not None:
        document["changes"] = {
            "plan": stored.code if stored else None,
            "added": changes.added,
            "changed": changes.changed,
            "unchanged": changes.unchanged,
            "new_indicators": list(changes.new_indicators),
            "indicators_not_in_table": list(changes.untouched_indicators),
        }
    return TablePreview(
        result=result,
        plan=plan,
        mapping=kept,
        checked=checked,
        warnings=tuple(warnings),
        document=document,
        updates=plan_code,
        changes=changes,
        mapping_from=mapping_from,
    )


def table_save(
    preview: TablePreview, *, replace: bool = False, source: str = "", actor: str = "", via: str = ""
) -> models.Plan:
    """Store the previewed plan and keep its mapping with it, in one transaction. A new plan whose
    code is taken is refused unless ``replace``; a plan the preview updates is replaced by its
    updated self. ``actor`` and ``via`` name who saved it in the trail (default: the command line)."""
    with transaction.atomic():
        row = plan_load(
            plan=preview.plan,
            replace=replace or preview.updates is not None,
            source=source,
            actor=actor,
            via=via,
        )
        row.import_mapping = mapping_document(preview.mapping)
        row.save(update_fields=["import_mapping"])
    return row


def mapping_comments(preview: TablePreview) -> dict[str, str]:
    """The mapping file's comments: why each column, level and indicator was read so (the command
    line's --suggest-mapping and the staff app's download write the same file)."""
    comments: dict[str, list[str]] = {}
    for guess in preview.result.mapping_guesses:
        key = guess.where.split(".")[0] if guess.where.startswith(("nodes.", "departments.")) else guess.where
        comments.setdefault(key, []).append(guess.reason_en)
    for key in ("nodes", "departments"):
        if key in comments:
            comments[key] = ["made up where the table gives no name or code: correct them"]
    names = {i.code: i.name for i in preview.plan.indicators}
    for code, guess in preview.result.guesses:
        comments.setdefault(f"indicator {names.get(code, code)}", []).append(
            f"{guess.field}: {guess.reason_en}"
        )
    return {key: "; ".join(dict.fromkeys(values)) for key, values in comments.items()}


def kept_mapping(code: str) -> Mapping | None:
    """The mapping a plan keeps, or None."""
    row = models.Plan.objects.filter(code=code).first()
    if row is None or not row.import_mapping:
        return None
    return mapping_from_document(row.import_mapping, f"plan {code}'s mapping")


__all__ = ["TablePreview", "kept_mapping", "mapping_comments", "table_preview", "table_save"]
