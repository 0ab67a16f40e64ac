"""The year's report, made and published by the plan's owner (報告書の作成・公開).

``report_generate`` records a generation and starts it in the background (reports/jobs.py: a
thread of the server process, its state in the database); ``report_publish`` makes a finished
generation the plan's report of its year, as the next version (v1, v2 …), dated. Both check the
person's reach (the policy: the plan's owner, or an administrator) and write the trail. The
command line (``machiplan publish-report``) calls the same two, as the installation's operator,
and makes the report in its own process.

The report is made from the published figures only (``plans.Observation``); a figure approved
after a report was made is not in it, and the public page says so (selectors.published_reports).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from machiplan.domain.errors import MachiplanError
from machiplan.plans.models import Plan
from machiplan.plans.services.publish import touch
from machiplan.reports import jobs, publication
from machiplan.reports.models import ACTIVE, DONE, PublishedReport, ReportRun

from .. import policy
from ..errors import Busy, NotFound
from ..models import Action
from . import audit


@dataclass(frozen=True, slots=True)
class _Who:
    name: str  # the trail's actor
    user: object  # the person, or None for the command line


def _who(user, actor: str | None, plan: Plan, what: str) -> _Who:
    """The person asking, with their reach checked; or, from the command line, its operator."""
    if user is None:
        if not actor:
            raise ValueError("a person, or the command line's name for the operator")
        return _Who(actor, None)
    staff = policy.staff_of(user)
    policy.require(
        policy.reach(staff, plan).can_publish_report,
        f"{staff.username} may not {what} the report of plan {plan.code!r}",
    )
    return _Who(staff.username, user)


def _plan(code: str) -> Plan:
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise NotFound(f"no plan {code!r}")
    return plan


def report_generate(
    *, plan_code: str, fy: int, user=None, actor: str | None = None, via: str = "web", background: bool = True
) -> ReportRun:
    """Record a generation of the plan's report of ``fy`` and, with ``background``, start it once
    recorded (else the caller runs ``jobs.execute``). Refused while another is under way (``Busy``);
    one that stopped without a word (a server restarted) is marked failed first, so asking again
    is how a stuck generation is retried."""
    plan = _plan(plan_code)
    who = _who(user, actor, plan, "generate")
    if problem := publication.year_problem(plan.start_fy, plan.end_fy, fy):
        raise MachiplanError(problem)
    jobs.give_up_stalled(plan.code)
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(plan_code=plan.code, fy=fy, requested_by=who.user)
            audit.record(
                audit.Event(
                    Action.REPORT, actor=who.name, plan_code=plan.code, fy=fy, state=run.state, via=via,
                    subject=f"report FY{fy}", new={"run": str(run.pk)},
                )
            )  # fmt: skip
    except IntegrityError:  # the database's one generation per plan at a time
        raise _busy(plan.code) from None
    if background:
        transaction.on_commit(lambda: jobs.launch(run.pk))
    return run


def _busy(plan_code: str) -> Busy:
    running = (
        ReportRun.objects.filter(plan_code=plan_code, state__in=ACTIVE).select_related("requested_by").first()
    )
    if running is None:
        return Busy(f"the report of plan {plan_code!r} was being generated: try again")
    who = running.requested_by.get_username() if running.requested_by else "the command line"
    return Busy(
        f"the report of plan {plan_code!r} is being generated already (FY{running.fy}, asked by {who} at "
        f"{timezone.localtime(running.requested_at):%Y-%m-%d %H:%M}): wait for it to finish"
    )


def report_publish(
    *, plan_code: str, run_id, user=None, actor: str | None = None, via: str = "web"
) -> PublishedReport:
    """Publish a finished generation as the plan's report of its year: the next version of that year,
    dated today, its files copied (and checked) into the version's folder. The public plan page
    lists it from then on; an earlier version stays listed and downloadable."""
    plan = _plan(plan_code)
    who = _who(user, actor, plan, "publish")
    run = ReportRun.objects.filter(pk=run_id, plan_code=plan.code).first()
    if run is None:
        raise NotFound(f"no generation {run_id} of the report of plan {plan.code!r}")
    if run.state != DONE:
        raise MachiplanError(f"this generation is {run.state}: only a finished one can be published")
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one publisher of the plan at a time
        earlier = PublishedReport.objects.filter(run=run).first()
        if earlier is not None:
            raise MachiplanError(f"this generation is published already, as version {earlier.version}")
        versions = PublishedReport.objects.filter(plan_code=plan.code, fy=run.fy).values_list(
            "version", flat=True
        )
        version = max(versions, default=0) + 1
        try:
            files = publication.publish_files(run, version)
            published = PublishedReport.objects.create(
                plan_code=plan.code, fy=run.fy, version=version, run=run, title=run.title,
                published_by=who.user, plan_version=run.plan_version, figures_read_at=run.figures_read_at,
                files=files,
            )  # fmt: skip
            audit.record(
                audit.Event(
                    Action.PUBLISH, actor=who.name, plan_code=plan.code, fy=run.fy, state="published", via=via,
                    subject=f"report FY{run.fy} v{version}",
                    new={"version": version, "run": str(run.pk), "figures_read_at": audit.json_safe(run.figures_read_at),
                         "files": [{"name": f["name"], "sha256": f["sha256"]} for f in files]},
                )
            )  # fmt: skip
            touch([plan.pk])  # the public plan page lists it now
        except BaseException:
            publication.remove_version_files(plan.code, run.fy, version)
            raise
    return published
