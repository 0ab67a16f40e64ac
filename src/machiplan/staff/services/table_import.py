"""A plan's table (XLSX / CSV) imported on the staff pages: upload, preview, correct, accept.

The reading, the checks and the save are the command line's (``plans.services.table_import``:
``table_preview``, ``table_save``; ``tables``: the mapping file format and its checks); this module
adds what the web needs around them: who may (the plan's structure: ``require_structure``), the
upload kept under a uuid between its preview and its acceptance (``TableUpload``, as the bulk
upload's ``BulkUpload``) with the mapping as the person corrected it, and the trail (the save is a
load of the plan, recorded by ``audit.record_load`` with the person's name and ``via='web'``).

Nothing is written to the plan before ``accept``, which previews the table again under lock and
saves what that preview shows, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import parse_fiscal_year
from machiplan.interchange import entry_sheet
from machiplan.interchange.files import display_path
from machiplan.plans.services.table_import import TablePreview, table_preview, table_save
from machiplan.tables import PlanFacts, mapping_document, mapping_from_bytes, mapping_from_document
from machiplan.tables import mapping as m

from ..errors import Conflict, NotFound
from ..models import TableUpload
from .structure import require_structure

MAX_FILE_BYTES = entry_sheet.MAX_FILE_BYTES  # the bulk upload's limit (5 MB), as the command line's
MAX_MAPPING_BYTES = 1024 * 1024
BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class Shown:
    """A preview, or the one line saying why there is none (file, sheet, cell: as the command line)."""

    preview: TablePreview | None
    error: str = ""


def _too_large(name: str, size: int, limit: int) -> MachiplanError:
    return MachiplanError(f"too large: {size:,} bytes (at most {limit // (1024 * 1024)} MB)", where=name)


def upload_store(
    *,
    user,
    plan_code: str,
    filename: str,
    content: bytes,
    mapping: bytes | None = None,
    mapping_name: str = "",
    detect: bool = False,
) -> TableUpload:
    """Keep an uploaded table (and the mapping file uploaded with it, checked now) for its preview."""
    require_structure(user, plan_code)
    name = display_path(filename)[:200]
    if len(content) > MAX_FILE_BYTES:  # the page says so before; any other caller is told here
        raise _too_large(name, len(content), MAX_FILE_BYTES)
    document = None
    if mapping is not None:
        document = _mapping_file(mapping, mapping_name)
    TableUpload.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=1)).delete()
    return TableUpload.objects.create(
        user=user, plan_code=plan_code, filename=name, content=content, mapping=document,
        mapping_from=display_path(mapping_name)[:200] if document is not None else "", detect=detect,
    )  # fmt: skip


def _mapping_file(content: bytes, name: str) -> dict[str, Any]:
    """A mapping file, checked as ``--mapping`` checks it: an error names its key."""
    name = display_path(name or "mapping.yaml")[:200]
    if len(content) > MAX_MAPPING_BYTES:
        raise _too_large(name, len(content), MAX_MAPPING_BYTES)
    return mapping_document(mapping_from_bytes(content, name))


def upload_for(*, user, plan_code: str, pk) -> TableUpload:
    """The person's own upload to this plan (NotFound otherwise), once they may import into it."""
    require_structure(user, plan_code)
    found = TableUpload.objects.filter(pk=pk, user=user, plan_code=plan_code).first()
    if found is None:
        raise NotFound("no such upload (uploads are kept for a day)")
    return found


def preview(*, user, upload: TableUpload, suggesting: bool = False) -> Shown:
    """The table read into the plan and checked whole, as ``import-table --plan CODE`` does; nothing
    is written. ``suggesting`` (the preview page, whose mapping a person corrects): what only the mapping
    can say (a grade column's year) is a warning there; accepting refuses it until it is given."""
    require_structure(user, upload.plan_code)
    facts = PlanFacts(start_fy=upload.facts.get("start_fy"), end_fy=upload.facts.get("end_fy"))
    try:
        mapping = mapping_from_document(upload.mapping, "mapping") if upload.mapping is not None else None
        shown = table_preview(
            data=bytes(upload.content), name=upload.filename, mapping=mapping, facts=facts,
            plan_code=upload.plan_code, use_kept=not upload.detect, suggesting=suggesting,
        )  # fmt: skip
    except MachiplanError as exc:
        return Shown(None, " ".join(str(exc).split()))
    return Shown(shown)


def correct(*, user, upload: TableUpload, revision: int, document: dict[str, Any], facts: dict) -> None:
    """Keep the mapping as corrected on the preview page (checked as a mapping file is) and the
    plan's period given there; the next preview reads the table with them."""
    require_structure(user, upload.plan_code)
    checked = mapping_document(mapping_from_document(document, "mapping"))
    _save(upload, revision, mapping=checked, facts=facts)


def use_mapping_file(*, user, upload: TableUpload, revision: int, content: bytes, name: str) -> None:
    """Read the table with an uploaded mapping file from now on (``--mapping``)."""
    require_structure(user, upload.plan_code)
    document = _mapping_file(content, name)
    _save(upload, revision, mapping=document, mapping_from=display_path(name)[:200])


def detect_afresh(*, user, upload: TableUpload, revision: int) -> None:
    """Read the table as detected, not with the plan's kept mapping (a sheet of another layout)."""
    require_structure(user, upload.plan_code)
    _save(upload, revision, mapping=None, mapping_from="", detect=True, facts={})


def _save(upload: TableUpload, revision: int, **fields) -> None:
    with transaction.atomic():
        row = TableUpload.objects.select_for_update().get(pk=upload.pk)
        _current(row, revision)
        for key, value in fields.items():
            setattr(row, key, value)
        row.revision += 1
        row.save()
    upload.refresh_from_db()


def _current(row: TableUpload, revision: int) -> None:
    if row.applied_at is not None:
        raise MachiplanError("this table was already imported")
    if row.revision != revision:
        raise Conflict(
            "the preview changed since this page was shown: check it again", current_revision=row.revision
        )


def accept(*, user, upload: TableUpload, revision: int) -> TablePreview:
    """Save the table into the plan as its preview shows it, and keep the mapping with the plan: one
    transaction, one load in the trail (by this person, via the web). With any error nothing is saved."""
    staff, _, _ = require_structure(user, upload.plan_code)
    with transaction.atomic():
        row = TableUpload.objects.select_for_update().get(pk=upload.pk)
        _current(row, revision)
        shown = preview(user=user, upload=row)
        if shown.preview is None:
            raise MachiplanError(shown.error)
        table_save(shown.preview, source=f"{row.filename} (staff)", actor=staff.username, via="web")
        row.applied_at = timezone.now()
        row.save(update_fields=["applied_at"])
    return shown.preview


# --- the preview page's corrections, on the mapping's document ---------------------------------


def corrected(document: dict[str, Any], form: MappingType[str, str]) -> tuple[dict[str, Any], dict]:
    """The mapping ``document`` (the one previewed) with the page's corrections, and the plan's period
    given there. Only the form's shape is read here; ``correct`` checks the mapping as a file's."""
    doc = {**document, "columns": [dict(c) for c in document["columns"]],
           "indicators": [dict(i) for i in document.get("indicators", [])]}  # fmt: skip
    first, last = _int(form, "header_first"), _int(form, "header_last")
    if first is not None and last is not None:
        doc["header_rows"] = [first, last]
    if "levels" in form:
        doc["levels"] = [line.strip() for line in form["levels"].splitlines() if line.strip()]
    for n, column in enumerate(doc["columns"]):
        role = form.get(f"col-{n}-role")
        if role is None:
            continue
        column["role"] = role
        for key in ("level", "fy"):
            if f"col-{n}-{key}" not in form:
                continue
            value = _int(form, f"col-{n}-{key}")
            if value is None:
                column.pop(key, None)
            else:
                column[key] = value
        if role != m.TARGET:
            column.pop("target", None)
        if role != m.COST:
            column.pop("basis", None)
    for n, fix in enumerate(doc["indicators"]):
        for key in ("measure", "direction", "survey"):
            value = form.get(f"ind-{n}-{key}")
            if value is None:
                continue
            if value == "":
                fix.pop(key, None)  # as the name suggests
            else:
                fix[key] = BOOLEANS.get(value, value) if key == "survey" else value
    facts = {key: _year(form, key) for key in ("start_fy", "end_fy")}
    if facts["start_fy"] and facts["end_fy"] and facts["end_fy"] < facts["start_fy"]:
        raise MachiplanError("end_fy is before start_fy", where="plan")
    return doc, {k: v for k, v in facts.items() if v is not None}


def _int(form: MappingType[str, str], key: str) -> int | None:
    text = (form.get(key) or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise MachiplanError(f"{text[:20]!r} is not a number", where=key) from None


def _year(form: MappingType[str, str], key: str) -> int | None:
    text = (form.get(key) or "").strip()
    if not text:
        return None
    try:
        return parse_fiscal_year(text)
    except MachiplanError as exc:
        raise MachiplanError(exc.message, where=key) from None
