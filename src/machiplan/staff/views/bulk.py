"""Bulk entry pages: download a template, upload it, preview every change and error, apply."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import parse_fiscal_year
from machiplan.interchange import entry_sheet
from machiplan.plans.models import Department

from .. import policy
from ..errors import NotFound
from ..models import BulkUpload
from ..services import bulk
from ..text import TEXT
from .common import page, staff_page

MAX_UPLOAD_BYTES = entry_sheet.MAX_FILE_BYTES


def _plan(request: HttpRequest, code: str):
    plan, found = policy.plan_for(request.staff, code)
    policy.require(found.can_enter_any, f"{request.staff.username} may not enter figures of plan {code!r}")
    return plan, found


@staff_page
def bulk_home(request: HttpRequest, code: str) -> HttpResponse:
    plan, found = _plan(request, code)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = TEXT[request.staff_lang]["file"] + ": ?"
        elif upload.size > MAX_UPLOAD_BYTES:
            error = f"{upload.name}: > 5 MB"
        else:
            stored = bulk.upload_store(
                user=request.user, plan_code=code, filename=upload.name, content=upload.read()
            )
            return redirect("staff:bulk-preview", code=code, upload=stored.pk)
    departments = Department.objects.filter(plans=plan)
    if found.department_only:
        departments = departments.filter(code=found.department_only)
    years = range(plan.end_fy + 1, plan.start_fy - 2, -1)
    return page(request, "staff/bulk.html", plan=plan, reach=found, departments=departments, years=years,
                error=error, default_fy=plan.evaluation_fy or plan.end_fy)  # fmt: skip


@staff_page
def template(request: HttpRequest, code: str) -> HttpResponse:
    plan, found = _plan(request, code)
    try:
        fy = parse_fiscal_year(request.GET.get("fy", ""))
    except MachiplanError:
        raise NotFound("choose a fiscal year") from None
    department = request.GET.get("department") or None
    if department is not None and not Department.objects.filter(plans=plan, code=department).exists():
        raise NotFound(f"no department {department!r} in plan {plan.code!r}")
    department = found.department_only or department  # an editor gets their own department's template
    rows = bulk.template_rows(user=request.user, plan_code=code, fy=fy, department=department)
    fmt = request.GET.get("format", "xlsx")
    if fmt == "csv":
        response = HttpResponse(entry_sheet.write_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        fmt = "xlsx"
        response = HttpResponse(
            entry_sheet.write_xlsx(rows, title=f"FY{fy}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    # RFC 6266: quoted and escaped, or filename*=utf-8''… for a name that is not ASCII
    name = f"{plan.code}-{department or 'all'}-FY{fy}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@staff_page
def preview(request: HttpRequest, code: str, upload) -> HttpResponse:
    plan, found = _plan(request, code)
    stored = BulkUpload.objects.filter(pk=upload, user=request.user, plan=plan).first()
    if stored is None:
        raise NotFound("no such upload (uploads are kept for a day)")
    lang = request.staff_lang
    if request.method == "POST":
        try:
            count = bulk.apply(
                user=request.user, upload=stored, submit=request.POST.get("submit") == "1", lang=lang
            )
        except bulk.BulkRefused as exc:
            return page(request, "staff/bulk_preview.html", plan=plan, reach=found, upload=stored,
                        preview=exc.preview, status=400)  # fmt: skip
        except MachiplanError as exc:
            messages.error(request, exc.message)
            return redirect("staff:bulk", code=code)
        submitted = request.POST.get("submit") == "1"
        said = TEXT[lang]["bulk_applied_submitted" if submitted else "bulk_applied"].format(n=count)
        messages.success(request, said if count else TEXT[lang]["bulk_nothing"])
        return redirect("staff:plan", code=code)
    result = bulk.preview(user=request.user, upload=stored, lang=lang)
    return page(request, "staff/bulk_preview.html", plan=plan, reach=found, upload=stored, preview=result)
