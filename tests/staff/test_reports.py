"""報告書の作成・公開: the owner generates the year's report in the background, follows it, previews its
files and publishes it as the year's next version; the public plan page lists it. Through HTTP, for
every role; the services; the background thread; the command line."""

from __future__ import annotations

import datetime as dt
import io
import logging
import stat
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from machiplan.reports import jobs, publication
from machiplan.reports.models import DONE, FAILED, QUEUED, RUNNING, PublishedReport, ReportRun
from machiplan.staff.errors import Busy, NotAllowed
from machiplan.staff.models import AuditEvent
from machiplan.staff.services import entries
from machiplan.staff.services import reports as report_service

from .conftest import PASSWORD, PLAN

P = f"/staff/plans/{PLAN}"
B = "second-plan"


@pytest.fixture(autouse=True)
def data_folder(settings, tmp_path):
    """Each test's own data folder: a version published by one test is not another's."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def inline(monkeypatch, django_capture_on_commit_callbacks):
    """The generation a request starts runs in the request's thread once committed, so that the test
    database (one transaction per test) sees it; tests/staff/test_reports.py's thread test and
    tests/web/test_serve.py run it in its own thread, as production does."""
    monkeypatch.setattr(jobs, "launch", jobs.execute)
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 3600)  # no second connection into the test's transaction

    def post(client: Client, path: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


@pytest.fixture
def others(people, sapporo):
    """A second plan with its own owner, and the planning section's planner (reads every plan)."""
    from machiplan.plans.services import plan_load
    from machiplan.staff.services.people import user_add

    plan_load(plan=replace(sapporo, code=B, title="第2の計画"), source="test")
    people["owner_b"] = user_add(username="owner_b", role="owner", plan=B, password=PASSWORD)
    people["planner"] = user_add(username="planner", role="planner", password=PASSWORD)
    return people


@pytest.fixture(scope="session")
def report_files(tmp_path_factory, sapporo) -> Path:
    """A real report of the embedded plan (FY2017), made once by the report's renderers, for the tests
    that need a finished generation without waiting for another PDF."""
    from machiplan.reports.model import build_report
    from machiplan.reports.writer import write_report

    folder = tmp_path_factory.mktemp("report")
    report = build_report(sapporo, evaluation_fy=2017, lang="ja")
    write_report(report, folder, ["html", "pdf", "xlsx"])
    publication._opendata_zip(report, folder / "opendata.zip")
    return folder


@pytest.fixture
def finished(people, report_files):
    """A finished generation of plan A's report of FY2017, as the background thread leaves one."""

    def make(plan_code: str = PLAN, fy: int = 2017) -> ReportRun:
        now = timezone.now()
        run = ReportRun.objects.create(
            plan_code=plan_code, fy=fy, state=DONE, requested_by=people["owner"], started_at=now,
            heartbeat_at=now, finished_at=now, figures_read_at=now, plan_version=now, title="計画",
            steps_done=len(publication.STEPS),
        )  # fmt: skip
        folder = publication._folder(publication.run_folder(run))
        for name in publication.FILES:
            (folder / name).write_bytes((report_files / name).read_bytes())
        run.files = publication._seal(folder, list(publication.FILES))
        run.save()
        return run

    return make


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the whole journey -------------------------------------------------------------------------


def test_the_owner_generates_previews_and_publishes_and_the_public_page_lists_it(as_, inline, client):
    owner = as_("owner")
    response = inline(owner, f"{P}/reports/", {"fy": "2017"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{P}/reports/{run.pk}/"
    assert run.state == DONE and run.steps_done == len(publication.STEPS) and run.error == ""
    assert run.figures_read_at is not None and run.plan_version is not None and run.title

    page = owner.get(f"{P}/reports/{run.pk}/").content.decode()
    assert "報告書の作成を始めました" in page and "完了" in page and "<progress" not in page
    for name in publication.FILES:
        assert f"{P}/reports/{run.pk}/files/{name}" in page
    html = owner.get(f"{P}/reports/{run.pk}/files/index.html")
    assert (
        html["Content-Type"] == "text/html; charset=utf-8" and "attachment" not in html["Content-Disposition"]
    )
    assert "市民まちづくり活動促進基本計画" in b"".join(html.streaming_content).decode()
    pdf = owner.get(f"{P}/reports/{run.pk}/files/report.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert f"{PLAN}-FY2017-draft-report.pdf" in pdf["Content-Disposition"]
    xlsx = b"".join(owner.get(f"{P}/reports/{run.pk}/files/report.xlsx").streaming_content)
    assert zipfile.ZipFile(io.BytesIO(xlsx)).namelist()  # a workbook is a zip
    opendata = zipfile.ZipFile(
        io.BytesIO(b"".join(owner.get(f"{P}/reports/{run.pk}/files/opendata.zip").streaming_content))
    )
    assert (
        f"{PLAN}/observations.csv" in opendata.namelist() and f"{PLAN}/evaluations.csv" in opendata.namelist()
    )
    assert owner.get(f"{P}/reports/{run.pk}/files/secret.txt").status_code == 404
    assert owner.get(f"{P}/reports/{run.pk}/status/").json()["state"] == "done"

    confirm = owner.get(f"{P}/reports/{run.pk}/publish/").content.decode()
    assert "第1版として、本日付けで公開します" in confirm
    assert not PublishedReport.objects.exists()  # asking is not publishing
    done = owner.post(f"{P}/reports/{run.pk}/publish/")
    assert done.status_code == 302 and done["Location"] == f"{P}/reports/"
    published = PublishedReport.objects.get()
    assert (published.version, published.fy, published.published_by.username) == (1, 2017, "owner")
    assert timezone.localdate(published.published_at) == timezone.localdate()
    folder = publication.version_folder(PLAN, 2017, 1)
    assert sorted(p.name for p in folder.iterdir()) == sorted(publication.FILES)
    assert all(_mode(p) == 0o600 for p in folder.iterdir())
    assert (
        _mode(folder) == 0o700
        and _mode(folder.parent) == 0o700
        and _mode(folder.parent.parent.parent) == 0o700
    )
    assert [f["sha256"] for f in published.files] == [f["sha256"] for f in run.files]
    assert "平成29年度 (2017)の報告書 第1版を公開しました" in owner.get(f"{P}/reports/").content.decode()

    trail = AuditEvent.objects.filter(action__in=["report", "publish"]).order_by("id")
    assert [(e.action, e.actor, e.fy, e.via, e.subject) for e in trail] == [
        ("report", "owner", 2017, "web", "report FY2017"),
        ("publish", "owner", 2017, "web", "report FY2017 v1"),
    ]
    assert trail[1].new["version"] == 1 and {f["name"] for f in trail[1].new["files"]} == set(
        publication.FILES
    )

    cache.clear()
    public = client.get(f"/plans/{PLAN}/").content.decode()
    assert "進捗報告書" in public and "平成29年度の報告書" in public and "第1版" in public
    link = f"/plans/{PLAN}/reports/2017/v1/report.pdf"
    assert link in public and f"/plans/{PLAN}/reports/2017/v1/opendata.zip" in public
    assert "新しい内容があります" not in public
    served = client.get(link)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    assert f"{PLAN}-FY2017-v1-report.pdf" in served["Content-Disposition"]
    assert client.get(f"/plans/{PLAN}/reports/2017/v1/index.html")["Content-Type"].startswith("text/html")
    assert client.get(f"/plans/{PLAN}/reports/2017/v2/report.pdf").status_code == 404
    assert client.get(f"/plans/{PLAN}/reports/2017/v1/../../secret_key").status_code == 404
    english = client.get(f"/plans/{PLAN}/?lang=en").content.decode()
    assert "Progress reports" in english and "version 1" in english


def test_a_second_publication_is_version_2_and_the_first_stays_listed(as_, finished, client):
    owner = as_("owner")
    first, second = finished(), finished()
    owner.post(f"{P}/reports/{first.pk}/publish/")
    owner.post(f"{P}/reports/{second.pk}/publish/")
    assert list(PublishedReport.objects.order_by("version").values_list("version", "run")) == [
        (1, first.pk),
        (2, second.pk),
    ]
    # each version is dated by the day it was published, in the city's time (20:00 UTC is the next day in Japan)
    PublishedReport.objects.filter(version=1).update(published_at=dt.datetime(2026, 4, 1, 20, tzinfo=dt.UTC))
    today = timezone.localdate().isoformat()
    cache.clear()
    public = client.get(f"/plans/{PLAN}/").content.decode()
    assert public.index("/reports/2017/v2/") < public.index("過去の版") < public.index("/reports/2017/v1/")
    assert f"第2版（{today}公開）" in public and "第1版（2026-04-02公開）" in public
    assert public.index(f"第2版（{today}公開）") < public.index("第1版（2026-04-02公開）")
    english = client.get(f"/plans/{PLAN}/?lang=en").content.decode()
    assert f"version 2 (published {today}):" in english and "version 1 (published 2026-04-02):" in english
    assert "Earlier versions" in english
    # publishing the same generation again is refused, and changes nothing
    again = owner.post(f"{P}/reports/{first.pk}/publish/", follow=True).content.decode()
    assert "published already, as version 1" in again and PublishedReport.objects.count() == 2


def test_figures_approved_after_a_report_was_made_are_announced_not_slipped_in(as_, finished, client, people):
    owner = as_("owner")
    run = finished()
    owner.post(f"{P}/reports/{run.pk}/publish/")
    cache.clear()
    assert "新しい内容があります" not in client.get(f"/plans/{PLAN}/").content.decode()
    where = {"plan_code": PLAN, "indicator_code": "1b"}
    for fy, value in ((2018, "72"), (2017, "70.9")):  # a later year's figure is not the report's
        entries.entry_save(user=people["editor"], fy=fy, figure=entries.Figure("actual", Decimal(value)), revision=0,
                           reason="調査方法の変更による", submit=True, **where)  # fmt: skip
        entries.entry_approve(user=people["owner"], fy=fy, revision=2, **where)
        cache.clear()
        public = client.get(f"/plans/{PLAN}/").content.decode()
        said = "この版の公開後に承認された数値が 1件あり" in public
        assert said == (fy == 2017), fy
    # the published files are those published: each as its checksum was recorded, served as it was
    published = PublishedReport.objects.get()
    folder = publication.version_folder(PLAN, 2017, 1)
    assert sorted(p.name for p in folder.iterdir()) == sorted(publication.FILES)
    assert {f["name"]: f["sha256"] for f in published.files} == {
        name: publication._sha256(folder / name) for name in publication.FILES
    }
    pdf = folder / "report.pdf"
    assert pdf.read_bytes() == (publication.run_folder(run) / "report.pdf").read_bytes()  # unchanged
    served = client.get(f"/plans/{PLAN}/reports/2017/v1/report.pdf")
    assert b"".join(served.streaming_content) == pdf.read_bytes()
    assert PublishedReport.objects.count() == 1  # an approval publishes no new version by itself
    assert "a newer draft exists" in client.get(f"/plans/{PLAN}/?lang=en").content.decode()
    assert (
        "この報告書の数値を読み込んだ後に承認された値が 1件"
        in owner.get(f"{P}/reports/{run.pk}/").content.decode()
    )


# --- progress, failures, one at a time -----------------------------------------------------------


def test_the_page_follows_a_generation_under_way_with_or_without_javascript(as_, people):
    now = timezone.now()
    run = ReportRun.objects.create(plan_code=PLAN, fy=2017, state=RUNNING, step="pdf", steps_done=2,
                                   requested_by=people["owner"], started_at=now, heartbeat_at=now)  # fmt: skip
    page = as_("viewer").get(f"{P}/reports/{run.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'src="/static/staff/report-progress.js"' in page
    assert '<progress id="run-bar" max="5" value="2"' in page and "作成中：PDFを作成しています" in page
    assert "公開する" not in page  # nothing to publish yet, and a viewer publishes nothing
    status = as_("owner").get(f"{P}/reports/{run.pk}/status/?lang=en").json()
    assert status == {"state": "running", "step": "pdf", "steps_done": 2, "steps": 5,
                      "label": "Running: Making the PDF", "finished": False}  # fmt: skip
    assert as_("owner").get(f"{P}/reports/{run.pk}/files/report.pdf").status_code == 404
    assert (
        "まだ終わっていない"
        in as_("owner").get(f"{P}/reports/{run.pk}/publish/", follow=True).content.decode()
    )


def test_a_stalled_generation_is_shown_and_generating_again_gives_it_up(as_, inline, people):
    long_ago = timezone.now() - dt.timedelta(seconds=jobs.STALE_SECONDS + 60)
    stuck = ReportRun.objects.create(plan_code=PLAN, fy=2017, state=RUNNING, step="pdf", steps_done=2,
                                     requested_by=people["owner"], started_at=long_ago, heartbeat_at=long_ago)  # fmt: skip
    owner = as_("owner")
    page = owner.get(f"{P}/reports/{stuck.pk}/").content.decode()
    assert "停止（応答なし）" in page and "応答がありません" in page and "<progress" not in page
    assert "もう一度作成" in page
    assert owner.get(f"{P}/reports/{stuck.pk}/status/").json()["finished"] is True
    inline(owner, f"{P}/reports/", {"fy": "2017"})
    stuck.refresh_from_db()
    assert stuck.state == FAILED and stuck.error.startswith("stopped: no sign of life since")
    assert ReportRun.objects.filter(state=DONE).count() == 1


def test_two_generations_of_a_plan_at_once_are_refused(as_, people):
    now = timezone.now()
    ReportRun.objects.create(
        plan_code=PLAN, fy=2016, state=QUEUED, requested_by=people["admin"], heartbeat_at=now
    )
    owner = as_("owner")
    response = owner.post(f"{P}/reports/", {"fy": "2017"}, follow=True)
    assert "ほかの作成が進んでいます" in response.content.decode()
    assert ReportRun.objects.count() == 1 and not AuditEvent.objects.filter(action="report").exists()
    with pytest.raises(Busy, match=r"being generated already \(FY2016, asked by admin"):
        report_service.report_generate(plan_code=PLAN, fy=2017, user=people["owner"])
    with pytest.raises(IntegrityError), transaction.atomic():  # the database itself refuses a second one
        ReportRun.objects.create(plan_code=PLAN, fy=2017, state=RUNNING)
    ReportRun.objects.create(plan_code=B, fy=2017, state=RUNNING)  # another plan's goes on


def test_a_failed_generation_shows_its_error_is_logged_and_can_be_retried(as_, inline, monkeypatch, caplog):
    from machiplan.domain.errors import MachiplanError
    from machiplan.reports.renderers import RENDERERS

    def broken(report, folder):
        raise MachiplanError("the PDF needs a Japanese font: install fonts-noto-cjk")

    monkeypatch.setitem(RENDERERS, "pdf", broken)
    owner = as_("owner")
    # machiplan logs to stderr only, not to the root logger caplog hears
    machiplan_log = logging.getLogger("machiplan")
    machiplan_log.addHandler(caplog.handler)
    try:
        inline(owner, f"{P}/reports/", {"fy": "2017"})
    finally:
        machiplan_log.removeHandler(caplog.handler)
    run = ReportRun.objects.get()
    assert run.state == FAILED and run.error == "the PDF needs a Japanese font: install fonts-noto-cjk"
    [record] = [r for r in caplog.records if r.name == "machiplan.reports" and r.levelname == "ERROR"]
    assert "failed" in record.getMessage() and "Japanese font" in caplog.text and "Traceback" in caplog.text
    assert not publication.run_folder(run).exists() or not any(publication.run_folder(run).iterdir())
    page = owner.get(f"{P}/reports/{run.pk}/").content.decode()
    assert (
        "エラー: the PDF needs a Japanese font" in page and "もう一度作成" in page and "公開する" not in page
    )
    assert owner.post(f"{P}/reports/{run.pk}/publish/", follow=True).status_code == 200
    assert not PublishedReport.objects.exists()
    monkeypatch.undo()
    monkeypatch.setattr(jobs, "launch", jobs.execute)
    inline(owner, f"{P}/reports/", {"fy": "2017"})  # the retry
    assert ReportRun.objects.filter(state=DONE).count() == 1


def test_a_generated_file_changed_before_publication_refuses_it(as_, finished):
    run = finished()
    (publication.run_folder(run) / "report.pdf").write_bytes(b"%PDF-1.7 something else")
    page = as_("owner").post(f"{P}/reports/{run.pk}/publish/", follow=True).content.decode()
    assert "report.pdf is missing or has changed" in page
    assert not PublishedReport.objects.exists() and not publication.version_folder(PLAN, 2017, 1).exists()
    assert not AuditEvent.objects.filter(action="publish").exists()


def test_a_year_outside_the_plan_is_refused(as_, people):
    assert as_("owner").post(f"{P}/reports/", {"fy": "2030"}).status_code == 200  # the form says which years
    assert not ReportRun.objects.exists()
    from machiplan.domain.errors import MachiplanError

    with pytest.raises(MachiplanError, match="not one of the plan's years"):
        report_service.report_generate(plan_code=PLAN, fy=2030, user=people["owner"])


# --- who may -------------------------------------------------------------------------------------

EVERYONE = ["admin", "owner", "editor", "other_editor", "viewer", "planner", "owner_b"]
READ = ["admin", "owner", "viewer", "planner"]  # reads_all in plan A
PUBLISH = ["admin", "owner"]


@pytest.mark.parametrize("role", EVERYONE)
def test_a_generation_s_pages_by_role(as_, others, finished, role):
    run = finished()
    person = as_(role)
    for path in ("", "status/", "files/index.html", "files/report.pdf"):
        response = person.get(f"{P}/reports/{run.pk}/{path}")
        assert response.status_code == (200 if role in READ else 403), (role, path)
    assert person.get(f"{P}/reports/").status_code == (200 if role in READ else 403)
    assert person.get(f"{P}/reports/{run.pk}/publish/").status_code == (200 if role in PUBLISH else 403)
    assert ("公開する" in person.get(f"{P}/reports/{run.pk}/").content.decode()) == (role in PUBLISH)
    publish = person.post(f"{P}/reports/{run.pk}/publish/")
    assert publish.status_code == (302 if role in PUBLISH else 403), role
    assert PublishedReport.objects.exists() == (role in PUBLISH)
    generate = person.post(f"{P}/reports/", {"fy": "2017"})
    assert generate.status_code == (302 if role in PUBLISH else 403), role
    assert ReportRun.objects.filter(state__in=[QUEUED, RUNNING]).exists() == (role in PUBLISH)


def test_the_owner_of_plan_b_publishes_b_only(as_, others, finished):
    run_a, run_b = finished(PLAN), finished(B)
    owner_b = as_("owner_b")
    assert owner_b.get(f"/staff/plans/{B}/reports/{run_b.pk}/").status_code == 200
    assert owner_b.get(f"/staff/plans/{B}/reports/{run_a.pk}/").status_code == 404  # A's run is not B's
    assert owner_b.post(f"/staff/plans/{B}/reports/{run_b.pk}/publish/").status_code == 302
    with pytest.raises(NotAllowed):
        report_service.report_publish(plan_code=PLAN, run_id=run_a.pk, user=others["owner_b"])
    assert list(PublishedReport.objects.values_list("plan_code", flat=True)) == [B]


@pytest.mark.parametrize("path", ["", "status/", "files/report.pdf", "publish/"])
def test_signed_out_people_are_sent_to_sign_in(client, finished, path):
    run = finished()
    response = client.get(f"{P}/reports/{run.pk}/{path}")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    assert client.post(f"{P}/reports/{run.pk}/publish/").status_code == 302
    assert not PublishedReport.objects.exists()


def test_published_files_are_public_and_only_those(client, as_, finished):
    run = finished()
    assert client.get(f"/plans/{PLAN}/reports/2017/v1/report.pdf").status_code == 404
    as_("owner").post(f"{P}/reports/{run.pk}/publish/")
    assert client.get(f"/plans/{PLAN}/reports/2017/v1/report.pdf").status_code == 200
    assert client.get(f"/plans/{PLAN}/reports/2016/v1/report.pdf").status_code == 404
    assert client.get(f"/plans/{B}/reports/2017/v1/report.pdf").status_code == 404
    assert client.post(f"/plans/{PLAN}/reports/2017/v1/report.pdf").status_code == 405
    assert client.get(f"/plans/{PLAN}/reports/2017/v1/plan.json").status_code == 404  # not a report file


# --- the background thread, for real ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_request_starts_the_generation_in_a_thread_and_returns_at_once():
    import time

    from machiplan.cli.bootstrap import ensure_default_plan
    from machiplan.staff.services.people import user_add

    cache.clear()
    ensure_default_plan()
    owner = Client()
    owner.force_login(user_add(username="owner", role="owner", password=PASSWORD))
    started = time.monotonic()
    response = owner.post(f"{P}/reports/", {"fy": "2017"})
    assert response.status_code == 302 and time.monotonic() - started < 5  # the PDF alone takes longer
    run = ReportRun.objects.get()
    while ReportRun.objects.get().state in (QUEUED, RUNNING):
        assert time.monotonic() - started < 300, "the generation did not finish"
        time.sleep(0.5)
    run.refresh_from_db()
    assert run.state == DONE, run.error
    assert owner.get(f"{P}/reports/{run.pk}/status/").json()["state"] == "done"


# --- the command line --------------------------------------------------------------------------------


def test_publish_report_on_the_command_line(cli, people):
    result = cli("publish-report", PLAN, "--year", "H29")
    assert result.code == 0, result.err
    assert f"published {PLAN} FY2017 version 1" in result.out and "report.pdf" in result.out
    again = cli("publish-report", PLAN, "--year", "2017")
    assert again.code == 0 and "version 2" in again.out
    assert list(PublishedReport.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    trail = AuditEvent.objects.filter(action__in=["report", "publish"]).order_by("id")
    assert {(e.actor, e.via) for e in trail} == {("machiplan publish-report", "cli")} and trail.count() == 4
    assert (publication.version_folder(PLAN, 2017, 2) / "report.pdf").is_file()
    outside = cli("publish-report", PLAN, "--year", "2030")
    assert outside.code == 1 and outside.err.startswith(
        "machiplan: error: FY2030 is not one of the plan's years"
    )
    unknown = cli("publish-report", "no-such-plan", "--year", "2017")
    assert unknown.code == 1 and "no plan 'no-such-plan'" in unknown.err
    assert cli("publish-report", PLAN).code == 2  # --year is required
