"""People, the figures they enter before approval, and the append-only audit trail.

The public reads only ``plans.Observation``: a figure gets there when the plan's
owner approves an ``Entry`` (or when a whole plan is loaded or imported).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from machiplan.domain import limits, roles, workflow
from machiplan.plans.models import VALUE_MATCHES_KIND, Department, Indicator, Plan, YearFigure


class Profile(models.Model):
    """A person's installation-wide role, if any: administrator, or the planning section's planner.
    Their roles in each plan are ``PlanRole`` rows."""

    ROLE_CHOICES = [
        ("", "計画ごとの役割のみ (roles per plan)"),
        (roles.ADMIN, "管理者 (admin)"),
        (roles.PLANNER, "企画・全計画の閲覧 (planner)"),
    ]
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default="", blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.role or 'per plan'})"


class PlanRole(models.Model):
    """A person's role in one plan: its owner, a department's editor, or a viewer.

    The plan is named by code, as the audit trail names it, so a role outlives the plan's
    replacement by ``load --replace`` (which makes its rows anew).
    """

    ROLE_CHOICES = [
        (roles.OWNER, "計画所管 (plan owner)"),
        (roles.EDITOR, "担当部署 (department editor)"),
        (roles.VIEWER, "閲覧 (viewer)"),
    ]
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_roles")
    plan_code = models.SlugField(max_length=64)
    role = models.CharField(max_length=16, choices=ROLE_CHOICES)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["user", "plan_code"]
        constraints = [
            models.UniqueConstraint(fields=["user", "plan_code"], name="plan_role_one_per_plan"),
            models.CheckConstraint(
                condition=models.Q(role=roles.EDITOR, department__isnull=False)
                | (~models.Q(role=roles.EDITOR) & models.Q(department__isnull=True)),
                name="plan_role_editor_has_department",
            ),
        ]

    def __str__(self) -> str:
        department = f" ({self.department})" if self.department_id else ""
        return f"{self.user} {self.role}{department} of {self.plan_code}"


class Entry(YearFigure):
    """The working copy of one indicator's figure for one year of one series (its columns are
    ``figures.FIGURE_FIELDS``, as ``plans.Observation``'s are).

    ``revision`` goes up with every change: a save names the revision it was
    based on, so two people editing the same figure cannot overwrite each other.
    """

    STATUS_CHOICES = [
        (workflow.DRAFT, "下書き"),
        (workflow.SUBMITTED, "承認待ち"),
        (workflow.APPROVED, "承認済み"),
        (workflow.RETURNED, "差戻し"),
    ]
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=workflow.DRAFT)
    revision = models.PositiveIntegerField(default=1)
    data_source = models.CharField(
        max_length=limits.ENTRY["data_source"], blank=True, help_text="出典: where the figure comes from"
    )
    reason = models.TextField(blank=True, help_text="why an unusual change is right, when asked")
    comment = models.TextField(blank=True, help_text="the reviewer's comment when returned")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="the warnings confirmed with the reason (domain/entry_checks.py), as the person saw them: "
        '[{"code", "field", "ja", "en"}]',
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "series", "fy"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "series", "fy"], name="entry_unique_year"),
            models.CheckConstraint(condition=VALUE_MATCHES_KIND, name="entry_value_matches_kind"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        series = f" [{self.series}]" if self.series else ""
        return f"{self.indicator.code}{series} FY{self.fy} {self.status} r{self.revision}"


class Action(models.TextChoices):
    """What an audit event records: the closed list every writer of the trail uses (services/audit.py)."""

    SAVE = workflow.SAVE, "保存 (save)"
    SUBMIT = workflow.SUBMIT, "提出 (submit)"
    APPROVE = workflow.APPROVE, "承認 (approve)"
    RETURN = workflow.RETURN, "差戻し (return)"
    STRUCTURE = workflow.STRUCTURE, "構成の変更 (structure)"
    LOAD = workflow.LOAD, "計画の登録 (load)"
    ROLE = "role", "役割の変更 (role)"
    DEADLINE = "deadline", "提出期限の設定 (deadline)"
    REPORT = "report", "報告書の作成 (report generated)"
    PUBLISH = "publish", "報告書の公開 (report published)"
    METHOD = "method", "評価方法の変更 (method)"


class Deadline(models.Model):
    """The day a plan's figures of one fiscal year are due (提出期限), set by the plan's owner.

    The plan is named by code, as roles and the trail name it, so a deadline outlives the plan's
    replacement by ``load --replace``.
    """

    plan_code = models.SlugField(max_length=64)
    fy = models.PositiveSmallIntegerField(help_text="the fiscal year whose figures are due")
    due = models.DateField(help_text="the last day to enter and submit them")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_code", "-fy"]
        constraints = [models.UniqueConstraint(fields=["plan_code", "fy"], name="deadline_one_per_year")]

    def __str__(self) -> str:
        return f"{self.plan_code} FY{self.fy}: {self.due:%Y-%m-%d}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit trail is append-only")

    def delete(self):
        raise PermissionError("the audit trail is append-only")


class AuditEvent(models.Model):
    """One change: who, when, old → new, why, and the workflow step. Never edited, never deleted.

    Plans and indicators are named by code rather than linked, so the trail
    outlives a plan that is replaced or an indicator that is removed. The
    database refuses updates (a trigger) and, on PostgreSQL, deletes too.
    The rows of one action (a bulk upload, an approve-many, a structure save)
    share its ``group``. Rows are written only through ``services.audit.record``.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=150, help_text="user name, or the command that made the change")
    plan_code = models.SlugField(max_length=64)
    indicator_code = models.SlugField(max_length=64, blank=True)
    series = models.CharField(max_length=100, blank=True, help_text="the figure's series ('' = headline)")
    fy = models.PositiveSmallIntegerField(null=True, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    state = models.CharField(max_length=16, blank=True)  # the figure's workflow state afterwards
    via = models.CharField(max_length=16, default="web")  # web, api, bulk, cli
    subject = models.CharField(max_length=200, blank=True, help_text="what changed, for structure edits")
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    group = models.UUIDField(
        null=True,
        blank=True,
        db_index=True,
        help_text="shared by every row of one action (empty on rows written before groups)",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["plan_code", "indicator_code", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.plan_code}/{self.indicator_code}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only")


class ApiToken(models.Model):
    """A key for scripts writing over the API. Only its SHA-256 digest is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="the first characters, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class LoginFailure(models.Model):
    """A failed sign-in, kept for a while to slow down password guessing."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M}"


class BulkUpload(models.Model):
    """An uploaded template between its preview and its application."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.user})"


class TableUpload(models.Model):
    """A plan's table (XLSX / CSV) uploaded to import, between its preview and its acceptance: the
    file, and the mapping as the person corrected it (None: the plan's kept mapping, or as detected).

    The plan is named by code: accepting the import replaces the plan's rows (``table_save``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan_code = models.SlugField(max_length=64)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    mapping = models.JSONField(null=True, blank=True)  # a table-mapping@1 document
    mapping_from = models.CharField(max_length=200, blank=True)  # the mapping file uploaded, by name
    detect = models.BooleanField(default=False)  # with no mapping: detect afresh, not the plan's kept one
    facts = models.JSONField(default=dict, blank=True)  # start_fy / end_fy given on the page
    revision = models.PositiveIntegerField(default=0)  # up with every correction: accept names the one seen
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.user}, {self.plan_code})"
