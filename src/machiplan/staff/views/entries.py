"""Entering, submitting, approving and returning yearly figures; the review queue; the history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from machiplan.domain import workflow

from .. import policy, selectors
from ..errors import Conflict, Refused
from ..forms import FigureForm, ReturnForm, StepForm
from ..models import Action
from ..services import entries
from ..text import TEXT
from .common import act, page, staff_page

PAGE_SIZE = 200  # indicators per page of a plan's list


@staff_page
def home(request: HttpRequest) -> HttpResponse:
    """The plans this person has a role in (and those they may read), with their role in each and,
    where they enter figures, how many of the year being collected are still to enter."""
    plans = policy.plans(request.staff)
    if len(plans) == 1:
        return redirect("staff:plan", code=plans[0][0].code)
    today = timezone.localdate()
    rows = [(p, r, selectors.due_figures(r, p, today)) for p, r in plans]
    return page(request, "staff/home.html", plans=rows)


@staff_page
def plan_home(request: HttpRequest, code: str) -> HttpResponse:
    plan, found = policy.plan_for(request.staff, code)
    rows = Paginator(selectors.visible_indicators(found, plan), PAGE_SIZE).get_page(request.GET.get("page"))
    latest = selectors.latest_published(rows.object_list)
    return page(
        request, "staff/plan.html", plan=plan, reach=found, rows=[(r, latest.get(r.pk)) for r in rows],
        pager=rows, returned=selectors.returned_to(found, plan),
        working=found.reads_all or found.department_only is not None,
        waiting=selectors.review_queue(plan).count() if found.can_review else None,
        due=selectors.due_figures(found, plan, timezone.localdate()),
    )  # fmt: skip


@staff_page
def indicator(request: HttpRequest, code: str, ind: str) -> HttpResponse:
    row, found = policy.indicator_for(request.staff, code, ind)
    department = policy.department_of(row)
    series = selectors.indicator_years(row)
    working = found.can_see_working(department)
    return page(
        request, "staff/indicator.html", plan=row.plan, reach=found, row=row, series=series, working=working,
        outlook=selectors.outlook(row, series, working=working), can_enter=found.can_enter(department),
        can_review=found.can_review,
    )  # fmt: skip


def _series(request: HttpRequest) -> str:
    return request.GET.get("series", "")


@staff_page
def edit(request: HttpRequest, code: str, ind: str, fy: int) -> HttpResponse:
    row, found = policy.indicator_for(request.staff, code, ind)
    policy.require(
        found.can_enter(policy.department_of(row)),
        f"{request.staff.username} may not enter figures of indicator {row.code}",
    )
    series = _series(request)
    year = selectors.year_of(row, fy, series)
    lang = request.staff_lang
    form = FigureForm(
        request.POST or None, lang=lang, indicator=row,
        initial=FigureForm.initial_from(year.entry or year.approved, year.revision),
    )  # fmt: skip
    warnings, conflict = [], False
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("then") == "submit"  # 保存して提出: both in one transaction, or neither
        try:
            saved = entries.entry_save(
                user=request.user, plan_code=code, indicator_code=ind, series=series, fy=fy, figure=form.figure(),
                revision=form.cleaned_data["revision"], reason=form.cleaned_data["reason"], submit=submit,
            )  # fmt: skip
        except Refused as exc:
            for problem in exc.findings.errors:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message(lang))
            warnings = [p.message(lang) for p in exc.findings.warnings]  # shown with the reason field
        except Conflict:
            conflict = True
        else:
            said = page_text(request, "saved_submitted" if submit else "saved")
            if saved.warnings:
                said += " " + page_text(request, "saved_confirmed").format(n=len(saved.warnings))
            messages.success(request, said)
            return redirect("staff:indicator", code=code, ind=ind)
    usual = selectors.usual_for(row, fy, series)
    return page(request, "staff/edit.html", plan=row.plan, reach=found, row=row, year=year, fy=fy, form=form,
                series=series, warnings=warnings, conflict=conflict, usual=usual)  # fmt: skip


def page_text(request: HttpRequest, key: str) -> str:
    return TEXT[request.staff_lang][key]


STEPS = {
    workflow.SUBMIT: (entries.entry_submit, "submitted_msg"),
    workflow.APPROVE: (entries.entry_approve, "approved_msg"),
    workflow.RETURN: (entries.entry_return, "returned_msg"),
}


@require_POST
@staff_page
def step(request: HttpRequest, code: str, ind: str, fy: int, action: str) -> HttpResponse:
    row, _ = policy.indicator_for(request.staff, code, ind)
    service, done = STEPS[action]
    form = (
        ReturnForm(request.POST, lang=request.staff_lang)
        if action == workflow.RETURN
        else StepForm(request.POST)
    )
    back = request.POST.get("next") or ""
    if not back.startswith("/staff/"):
        back = f"/staff/plans/{code}/indicators/{row.code}/"
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    extra = {"comment": form.cleaned_data["comment"]} if action == workflow.RETURN else {}
    where = {
        "user": request.user,
        "plan_code": code,
        "indicator_code": ind,
        "fy": fy,
        "series": _series(request),
    }
    act(
        request,
        lambda: service(revision=form.cleaned_data["revision"], **extra, **where),
        lambda _: page_text(request, done),
    )
    return redirect(back)


@staff_page
def review(request: HttpRequest, code: str) -> HttpResponse:
    plan, found = policy.plan_for(request.staff, code)
    # a viewer reads the queue; only those who approve may act on it
    policy.require(
        found.can_read_queue, f"{request.staff.username} may not read the figures awaiting approval"
    )
    if request.method == "POST":
        policy.require(found.can_review, f"{request.staff.username} may not approve figures")
        return _approve_many(request, plan, found)
    queue = list(selectors.review_queue(plan))
    return page(
        request, "staff/review.html", plan=plan, reach=found, items=selectors.review_context(plan, queue),
        can_review=found.can_review,
    )  # fmt: skip


def _chosen(request: HttpRequest) -> list[tuple[str, str, int, int]]:
    """The figures ticked (or, with scope=all, every one listed): (indicator, series, fy, revision)."""
    chosen = request.POST.getlist("all" if request.POST.get("scope") == "all" else "item")
    items = []
    for item in chosen:  # indicator|fy|revision|series (the series last: it may hold any character)
        ind, fy, revision, series = (item.split("|", 3) + [""] * 4)[:4]
        if fy.isdigit() and revision.isdigit():
            items.append((ind, series, int(fy), int(revision)))
    return items


def _approve_many(request: HttpRequest, plan, found) -> HttpResponse:
    """Approving many asks first: a page lists what will be approved (each figure as it stands, with
    its context); its button approves them in one transaction. Works without JavaScript."""
    code = plan.code
    items = _chosen(request)
    if not items:
        messages.error(request, page_text(request, "nothing_chosen"))
        return redirect("staff:review", code=code)
    if request.POST.get("confirm") != "1":
        queue = {(e.indicator.code, e.series, e.fy, e.revision): e for e in selectors.review_queue(plan)}
        listed = [queue.get(item) for item in items]
        if None in listed:  # changed since the queue was shown: nothing to confirm, nothing approved
            messages.error(request, page_text(request, "conflict"))
            return redirect("staff:review", code=code)
        return page(
            request, "staff/review_confirm.html", plan=plan, reach=found, chosen=items,
            items=selectors.review_context(plan, listed),
        )  # fmt: skip
    act(
        request,
        lambda: entries.entries_approve(user=request.user, plan_code=code, items=items),
        lambda count: page_text(request, "approved_many").format(n=count),
    )
    return redirect("staff:review", code=code)


@staff_page
def plan_history(request: HttpRequest, code: str) -> HttpResponse:
    """Every change to the plan, filterable by person and step; CSV for the committee or an auditor."""
    plan, found = policy.plan_for(request.staff, code)
    actor, action = request.GET.get("actor", ""), request.GET.get("action", "")
    events = selectors.plan_history(found, plan, actor=actor, action=action)
    if request.GET.get("format") == "csv":
        return _trail_csv(plan, events)
    return page(
        request, "staff/plan_history.html", plan=plan, reach=found, actor=actor, action=action,
        events=Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")), actions=Action.values,
    )  # fmt: skip


def _trail_csv(plan, events) -> HttpResponse:
    import csv
    import io
    import json

    from django.utils import timezone

    from machiplan.interchange.spreadsheet_safety import csv_row

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "日時",
            "実施者",
            "操作",
            "状態",
            "経路",
            "指標",
            "年度",
            "系列",
            "対象",
            "変更前",
            "変更後",
            "理由",
            "コメント",
            "操作ID",
        ]
    )
    for e in events.iterator(chunk_size=2000):
        writer.writerow(csv_row([  # a name, reason or comment beginning '=' or '+' must not run in Excel
            timezone.localtime(e.at).isoformat(timespec="seconds"), e.actor, e.action, e.state, e.via,
            e.indicator_code, e.fy or "", e.series, e.subject,
            json.dumps(e.old, ensure_ascii=False) if e.old else "", json.dumps(e.new, ensure_ascii=False) if e.new else "",
            e.reason, e.comment, e.group or "",
        ]))  # fmt: skip
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-history.csv"'
    return response


@staff_page
def history(request: HttpRequest, code: str, ind: str) -> HttpResponse:
    row, found = policy.indicator_for(request.staff, code, ind)
    policy.require(found.can_see_working(policy.department_of(row)),
                   f"{request.staff.username} may not read the history of indicator {row.code}")  # fmt: skip
    return page(request, "staff/history.html", plan=row.plan, reach=found, row=row,
                events=selectors.history(row)[:500])  # fmt: skip
