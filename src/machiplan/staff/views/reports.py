"""The year's report (報告書の作成・公開): generate it in the background and follow its progress,
preview its files, publish it as the year's next version; and the deadlines of each year's figures."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from machiplan.domain.errors import MachiplanError
from machiplan.domain.labels import fy_label
from machiplan.reports import jobs, publication
from machiplan.reports.models import ACTIVE, DONE, PublishedReport, ReportRun
from machiplan.reports.views import serve

from .. import policy, selectors
from ..errors import Busy, NotFound
from ..forms import DeadlineForm, ReportForm
from ..services import deadlines as deadline_service
from ..services import reports as report_service
from ..templatetags.staff_tags import run_progress
from ..text import TEXT
from .common import act, page, staff_page


def _reports_plan(request: HttpRequest, code: str):
    plan, found = policy.plan_for(request.staff, code)
    policy.require(
        found.can_read_reports, f"{request.staff.username} may not open the reports of plan {code!r}"
    )
    return plan, found


def _run(plan, run_id) -> ReportRun:
    run = ReportRun.objects.filter(pk=run_id, plan_code=plan.code).select_related("requested_by").first()
    if run is None:
        raise NotFound(f"no generation {run_id} of the report of plan {plan.code!r}")
    return run


def _fy(fy: int, lang: str) -> str:
    return fy_label(fy, lang, western=True)


@staff_page
def reports_home(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's reports: generate one (the owner), the latest generations, the published versions."""
    plan, found = _reports_plan(request, code)
    t = TEXT[request.staff_lang]
    form = ReportForm(request.POST or None, plan=plan, lang=request.staff_lang)
    if request.method == "POST":
        policy.require(
            found.can_publish_report, f"{request.staff.username} may not generate the report of {code!r}"
        )
        if form.is_valid():
            try:
                run = report_service.report_generate(
                    user=request.user, plan_code=code, fy=form.cleaned_data["fy"]
                )
            except Busy:
                messages.error(request, t["busy_msg"])
            except MachiplanError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, t["generated_msg"])
                return redirect("staff:report-run", code=code, run=run.pk)
            return redirect("staff:reports", code=code)
    runs = selectors.report_runs(plan)
    return page(
        request, "staff/reports.html", plan=plan, reach=found, form=form, runs=runs,
        stalled={r.pk for r in runs if jobs.is_stalled(r)}, published=selectors.published_reports(plan.code),
    )  # fmt: skip


@staff_page
def report_run(request: HttpRequest, code: str, run) -> HttpResponse:
    """One generation: its progress while it runs (the page follows it), its error if it failed, its
    files to open once made, and the way to publish it."""
    plan, found = _reports_plan(request, code)
    run = _run(plan, run)
    stalled = jobs.is_stalled(run)
    publication_row = PublishedReport.objects.filter(run=run).first()
    return page(
        request, "staff/report_run.html", plan=plan, reach=found, run=run, stalled=stalled,
        following=run.state in ACTIVE and not stalled, steps=len(publication.STEPS),
        published=publication_row, files=[f for f in run.files if f["name"] in publication.FILES],
        since=timezone.localtime(jobs.last_sign_of_life(run)),
        approved_after=selectors.approved_since(plan.code, run.fy, run.figures_read_at) if run.state == DONE else 0,
    )  # fmt: skip


@staff_page
def report_status(request: HttpRequest, code: str, run) -> HttpResponse:
    """The generation's state as JSON, for the page that follows it (static/staff/report-progress.js)."""
    plan, _ = _reports_plan(request, code)
    run = _run(plan, run)
    stalled = jobs.is_stalled(run)
    return JsonResponse(
        {
            "state": "stalled" if stalled else run.state,
            "step": run.step,
            "steps_done": run.steps_done,
            "steps": len(publication.STEPS),
            "label": run_progress(run, stalled, request.staff_lang),
            "finished": run.state not in ACTIVE or stalled,
        }
    )


@staff_page
def report_file(request: HttpRequest, code: str, run, name: str) -> HttpResponse:
    """A file of a finished generation, for the staff to check before publishing."""
    plan, _ = _reports_plan(request, code)
    run = _run(plan, run)
    if run.state != DONE:
        raise NotFound(f"generation {run.pk} has not finished")
    path = publication.file_path(publication.run_folder(run), run.files, name)
    if path is None:
        raise NotFound(f"no file {name!r} in generation {run.pk}")
    return serve(path, name, f"{plan.code}-FY{run.fy}-draft-{name}")


@staff_page
def report_publish(request: HttpRequest, code: str, run) -> HttpResponse:
    """The confirmation (GET) and the publication (POST) of a finished generation."""
    plan, found = _reports_plan(request, code)
    policy.require(
        found.can_publish_report, f"{request.staff.username} may not publish the report of {code!r}"
    )
    run = _run(plan, run)
    lang = request.staff_lang
    t = TEXT[lang]
    if run.state != DONE:
        messages.error(request, t["report_not_done"])
        return redirect("staff:report-run", code=code, run=run.pk)
    if request.method == "POST":
        done = act(
            request,
            lambda: report_service.report_publish(user=request.user, plan_code=code, run_id=run.pk),
            lambda p: t["published_msg"].format(fy=_fy(p.fy, lang), version=p.version),
        )
        return (
            redirect("staff:reports", code=code)
            if done
            else redirect("staff:report-run", code=code, run=run.pk)
        )
    versions = PublishedReport.objects.filter(plan_code=plan.code, fy=run.fy).values_list(
        "version", flat=True
    )
    return page(
        request, "staff/report_publish.html", plan=plan, reach=found, run=run,
        next_version=max(versions, default=0) + 1, published=PublishedReport.objects.filter(run=run).first(),
        approved_after=selectors.approved_since(plan.code, run.fy, run.figures_read_at),
    )  # fmt: skip


@staff_page
def deadlines(request: HttpRequest, code: str) -> HttpResponse:
    """The owner sets the day each year's figures are due."""
    plan, found = policy.plan_for(request.staff, code)
    policy.require(
        found.can_set_deadlines, f"{request.staff.username} may not set the deadlines of plan {code!r}"
    )
    lang = request.staff_lang
    t = TEXT[lang]
    form = DeadlineForm(request.POST or None, plan=plan, lang=lang)
    if request.method == "POST" and form.is_valid():
        fy, due = form.cleaned_data["fy"], form.cleaned_data["due"]

        def said(_) -> str:
            if due is None:
                return t["deadline_cleared"].format(fy=_fy(fy, lang))
            return t["deadline_saved"].format(fy=_fy(fy, lang), due=due.isoformat())

        if act(
            request,
            lambda: deadline_service.deadline_set(user=request.user, plan_code=code, fy=fy, due=due),
            said,
        ):
            return redirect("staff:deadlines", code=code)
    return page(
        request, "staff/deadlines.html", plan=plan, reach=found, form=form, rows=selectors.deadlines(plan)
    )
