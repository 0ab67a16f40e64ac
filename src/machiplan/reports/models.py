"""A year's report as the staff make and publish it: each generation (``ReportRun``, run in the
background, its state kept here so that progress survives a reload and any server process can
show it) and each published version (``PublishedReport``: v1, v2 … per plan and fiscal year).

Their files live in the data folder (``publication.py``: ``reports/<plan>/runs/<run>/`` and
``reports/<plan>/<fy>/v<n>/``), readable by machiplan's user only; rows name the plan by code, as
the audit trail does, so a published report outlives the plan's replacement.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)  # a generation under way: one per plan at a time


class ReportRun(models.Model):
    """One generation of a plan's report for a fiscal year, from its published figures."""

    STATE_CHOICES = [
        (QUEUED, "待機中 (queued)"),
        (RUNNING, "作成中 (running)"),
        (DONE, "完了 (done)"),
        (FAILED, "失敗 (failed)"),
    ]
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan_code = models.SlugField(max_length=64)
    fy = models.PositiveSmallIntegerField(help_text="the fiscal year the report evaluates")
    state = models.CharField(max_length=16, choices=STATE_CHOICES, default=QUEUED)
    step = models.CharField(max_length=16, blank=True, help_text="what it is making now (read, html, pdf …)")
    steps_done = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="the last sign of life of the worker making it"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True, help_text="the plan's title, as the report has it")
    plan_version = models.DateTimeField(
        null=True, blank=True, help_text="the plan's version its figures were read at"
    )
    figures_read_at = models.DateTimeField(
        null=True, blank=True, help_text="when its figures were read: a figure approved later is not in it"
    )
    files = models.JSONField(default=list, blank=True, help_text='[{"name", "size", "sha256"}]')
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # two generations of one plan at once are refused by the database itself
            models.UniqueConstraint(
                fields=["plan_code"],
                condition=models.Q(state__in=ACTIVE),
                name="report_run_one_active_per_plan",
            )
        ]
        indexes = [models.Index(fields=["plan_code", "fy"])]

    def __str__(self) -> str:
        return f"{self.plan_code} FY{self.fy} {self.state} ({self.requested_at:%Y-%m-%d %H:%M})"


class PublishedReport(models.Model):
    """A generation published as the plan's report of a fiscal year: version 1, 2 … of that year."""

    plan_code = models.SlugField(max_length=64)
    fy = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField()
    run = models.OneToOneField(ReportRun, on_delete=models.PROTECT, related_name="publication")
    title = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_version = models.DateTimeField(null=True, blank=True)
    figures_read_at = models.DateTimeField(null=True, blank=True)
    files = models.JSONField(default=list, blank=True, help_text='[{"name", "size", "sha256"}]')

    class Meta:
        ordering = ["plan_code", "-fy", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan_code", "fy", "version"], name="published_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.plan_code} FY{self.fy} v{self.version} ({self.published_at:%Y-%m-%d})"
