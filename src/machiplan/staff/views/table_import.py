"""Importing a plan's table (XLSX / CSV) on the structure pages: upload, preview with the mapping and
every guess to correct, accept. The reading, checks and save are ``services.table_import``'s (the
command line's ``import-table``); these views only show them and pass the corrections on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.guesses import guess_indicator
from machiplan.domain.validation import PlanWarning
from machiplan.plans.services.table_import import mapping_comments
from machiplan.tables import mapping_from_document, mapping_yaml
from machiplan.tables.mapping import ROLES

from ..errors import Conflict
from ..services import table_import
from ..services.structure import require_structure
from ..text import CHOICES, STRUCTURE_LABELS, TABLE_ROLES, TEXT
from .common import page, staff_page

INDICATORS_SHOWN = 250  # three controls each: the page's form stays within Django's 1,000 fields
WARNINGS_SHOWN = 500


def _too_large(upload, limit: int) -> str:
    return f"{upload.name}: too large: {upload.size:,} bytes (at most {limit // (1024 * 1024)} MB)"


@staff_page
def table_home(request: HttpRequest, code: str) -> HttpResponse:
    """The upload form: the table, and optionally a mapping file (``--mapping``)."""
    _, plan, found = require_structure(request.user, code)
    t = TEXT[request.staff_lang]
    error = ""
    if request.method == "POST":
        upload, mapping = request.FILES.get("file"), request.FILES.get("mapping")
        if upload is None:
            error = t["file"] + ": ?"
        elif upload.size > table_import.MAX_FILE_BYTES:
            error = _too_large(upload, table_import.MAX_FILE_BYTES)
        elif mapping is not None and mapping.size > table_import.MAX_MAPPING_BYTES:
            error = _too_large(mapping, table_import.MAX_MAPPING_BYTES)
        else:
            try:
                stored = table_import.upload_store(
                    user=request.user, plan_code=code, filename=upload.name, content=upload.read(),
                    mapping=mapping.read() if mapping is not None else None,
                    mapping_name=mapping.name if mapping is not None else "",
                    detect=request.POST.get("detect") == "1",
                )  # fmt: skip
            except MachiplanError as exc:
                error = str(exc)
            else:
                return redirect("staff:table-preview", code=code, upload=stored.pk)
    return page(request, "staff/table_import.html", plan=plan, reach=found, error=error,
                kept=bool(plan.import_mapping), status=400 if error else 200)  # fmt: skip


@staff_page
def table_preview(request: HttpRequest, code: str, upload) -> HttpResponse:
    """The preview (GET); a correction, a mapping file or the acceptance (POST)."""
    _, plan, found = require_structure(request.user, code)
    stored = table_import.upload_for(user=request.user, plan_code=code, pk=upload)
    lang = request.staff_lang
    t = TEXT[lang]
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = -1
        try:
            if action == "accept":
                done = table_import.accept(user=request.user, upload=stored, revision=revision)
                messages.success(request, t["table_imported"].format(changes=_changes(done, t)))
                return redirect("staff:structure", code=code)
            if action == "detect":
                table_import.detect_afresh(user=request.user, upload=stored, revision=revision)
                return redirect("staff:table-preview", code=code, upload=stored.pk)
            if action == "mapping":
                file = request.FILES.get("mapping")
                if file is None:
                    raise MachiplanError("choose a mapping file (.yaml)")
                if file.size > table_import.MAX_MAPPING_BYTES:
                    raise MachiplanError(_too_large(file, table_import.MAX_MAPPING_BYTES))
                table_import.use_mapping_file(
                    user=request.user, upload=stored, revision=revision, content=file.read(), name=file.name
                )
            else:
                base = _document(
                    table_import.preview(user=request.user, upload=stored, suggesting=True), stored
                )
                if base is None:
                    raise MachiplanError("nothing to correct: upload the table again")
                document, facts = table_import.corrected(base, request.POST)
                table_import.correct(
                    user=request.user, upload=stored, revision=revision, document=document, facts=facts
                )
            return redirect("staff:table-preview", code=code, upload=stored.pk)
        except Conflict:
            error = t["table_stale"]
        except MachiplanError as exc:
            error = " ".join(str(exc).split())
        stored.refresh_from_db()
    shown = table_import.preview(user=request.user, upload=stored, suggesting=True)
    context = _context(shown, stored, lang)
    return page(request, "staff/table_preview.html", plan=plan, reach=found, upload=stored, error=error,
                status=400 if error else 200, **context)  # fmt: skip


@staff_page
def table_mapping(request: HttpRequest, code: str, upload) -> HttpResponse:
    """The mapping as previewed, as the YAML file ``--suggest-mapping`` writes (to correct and upload)."""
    require_structure(request.user, code)
    stored = table_import.upload_for(user=request.user, plan_code=code, pk=upload)
    shown = table_import.preview(user=request.user, upload=stored, suggesting=True)
    if shown.preview is not None:
        text = mapping_yaml(shown.preview.mapping, mapping_comments(shown.preview))
    elif stored.mapping is not None:  # a mapping that does not read this table: as it is, to correct
        text = mapping_yaml(mapping_from_document(stored.mapping, "mapping"))
    else:
        text = ""
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{code}-mapping.yaml")
    return response


# --- what the preview page shows ------------------------------------------------------------------


def _document(shown: table_import.Shown, stored) -> dict | None:
    """The mapping the page corrects: the one previewed, else the one kept with the upload."""
    if shown.preview is not None:
        return shown.preview.document["mapping"]
    return stored.mapping


def _changes(preview, t: dict[str, str]) -> str:
    c = preview.changes
    if c is None:
        return ""
    parts = [f"{t['table_added']} {c.added}", f"{t['table_changed']} {c.changed}",
             f"{t['table_unchanged']} {c.unchanged}"]  # fmt: skip
    if c.new_indicators:
        parts.append(f"{t['table_new_indicators']} {len(c.new_indicators)}")
    return "、".join(parts) if t is TEXT["ja"] else ", ".join(parts)


def _warning_text(warning: dict, lang: str) -> str:
    """A preview document's warning in the page's language; English when it has no Japanese (a
    document made before the warnings had both)."""
    return PlanWarning(warning["where"], warning["message"], warning.get("message_ja", "")).text(lang)


def _context(shown: table_import.Shown, stored, lang: str) -> dict:
    t = TEXT[lang]
    document = _document(shown, stored)
    context: dict = {
        "shown_error": shown.error,
        "document": document,
        "roles": [(r, TABLE_ROLES[lang][r]) for r in ROLES],
        "measures": [(v, CHOICES[lang]["measure"].get(v, v)) for v in domain.MEASURES],
        "directions": [(v, CHOICES[lang]["direction"].get(v, v)) for v in domain.DIRECTIONS],
        "labels": STRUCTURE_LABELS[lang],
    }
    p = shown.preview
    guesses = {}
    if p is not None:
        result = p.result
        guesses = {g.where: g for g in result.mapping_guesses}
        plan = p.plan
        context.update(
            preview=p,
            read_from={
                "detected": t["table_from_detected"],
                "kept": t["table_from_kept"],
                "given": t["table_from_given"],
            }[p.mapping_from],
            encoding=result.encoding or "xlsx",
            layout=result.layout.mapping,
            counts=[
                (t["node"], len(plan.nodes)),
                (t["indicators"], len(plan.indicators)),
                (t["published"], sum(len(i.observations) for i in plan.indicators)),
                (t["targets"], sum(len(i.targets) for i in plan.indicators)),
                (t["baselines"], sum(len(i.baselines) for i in plan.indicators)),
            ],
            changes=_changes(p, t),
            warnings=[
                {"where": w["where"], "message": _warning_text(w, lang)}
                for w in p.document["warnings"][:WARNINGS_SHOWN]
            ],
            more_warnings=_more(t["table_more_warnings"], len(p.document["warnings"]) - WARNINGS_SHOWN),
            other_guesses=[
                (g.where, g.header, g.value, g.reason_ja if lang == "ja" else g.reason_en)
                for g in result.mapping_guesses
                if not g.where.startswith("column ")
            ],
        )
    if document is not None:
        context["columns"] = [
            (n, c, guesses.get(f"column {c['column']}")) for n, c in enumerate(document["columns"])
        ]
        context["indicators"] = _indicators(document, p, lang)
        new = (
            p.changes.new_indicators
            if p is not None and p.changes is not None
            else document.get("indicators", [])
        )
        context["more_indicators"] = _more(t["table_guesses_more"], len(new) - INDICATORS_SHOWN)
        context["start_fy"] = stored.facts.get("start_fy") or (p.plan.start_fy if p else "")
        context["end_fy"] = stored.facts.get("end_fy") or (p.plan.end_fy if p else "")
    return context


def _more(text: str, n: int) -> str:
    return text.format(n=n) if n > 0 else ""


def _indicators(document: dict, preview, lang: str) -> list[dict]:
    """Each indicator of the mapping with its measure, survey and direction as the mapping says them,
    and what its name suggests, with why (domain/guesses.py, as the reader guessed them)."""
    units = {i.code: i.unit for i in preview.plan.indicators} if preview is not None else {}
    # An indicator the plan has keeps its own measure, survey and direction (tables/merge.py: they are
    # corrected on the structure pages); what the names suggest applies to the indicators it adds.
    new = set(preview.changes.new_indicators) if preview is not None and preview.changes is not None else None
    rows = []
    for n, fix in enumerate(document.get("indicators", [])):
        if new is not None and fix.get("code") not in new:
            continue
        if len(rows) == INDICATORS_SHOWN:
            break
        said = {
            g.field: g for g in guess_indicator(fix["name"], fix.get("unit") or units.get(fix.get("code")))
        }
        fields = []
        for key in ("measure", "survey", "direction"):
            guess = said.get(key)
            value = fix.get(key)
            fields.append({
                "key": key, "value": "" if value is None else str(value).lower(),
                "guessed": "" if guess is None else str(guess.value).lower(),
                "reason": guess.reason(lang) if guess is not None else "",
                "corrected": guess is not None and value is not None and value != guess.value,
            })  # fmt: skip
        rows.append({"n": n, "code": fix.get("code") or "", "name": fix["name"], "fields": fields})
    return rows
