"""People, the figures they enter before approval, and the append-only audit trail.

The public reads only ``plans.Observation``: a figure gets there when the plan's
owner approves an ``Entry`` (or when a whole plan is loaded or imported).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from machiplan.domain import roles, workflow
from machiplan.plans.models import VALUE_MATCHES_KIND, Department, Indicator, Plan, YearFigure


class Profile(models.Model):
    """A person's role in machiplan and, for a department editor, their department."""

    ROLE_CHOICES = [
        (roles.ADMIN, "管理者 (admin)"),
        (roles.OWNER, "計画所管 (plan owner)"),
        (roles.EDITOR, "担当部署 (department editor)"),
        (roles.VIEWER, "閲覧 (viewer)"),
    ]
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=roles.VIEWER)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=roles.EDITOR) | models.Q(department__isnull=False),
                name="profile_editor_has_department",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"

    def staff(self) -> roles.Staff:
        return roles.Staff(
            username=self.user.get_username(),
            role=self.role,
            department=self.department.code if self.department else None,
        )


class Entry(YearFigure):
    """The working copy of one indicator's figure for one fiscal year.

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
    data_source = models.CharField(max_length=300, blank=True, help_text="出典: where the figure comes from")
    reason = models.TextField(blank=True, help_text="why an unusual change is right, when asked")
    comment = models.TextField(blank=True, help_text="the reviewer's comment when returned")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "fy"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "fy"], name="entry_unique_year"),
            models.CheckConstraint(condition=VALUE_MATCHES_KIND, name="entry_value_matches_kind"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} FY{self.fy} {self.status} r{self.revision}"


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
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=150, help_text="user name, or the command that made the change")
    plan_code = models.SlugField(max_length=64)
    indicator_code = models.SlugField(max_length=64, blank=True)
    fy = models.PositiveSmallIntegerField(null=True, blank=True)
    action = models.CharField(max_length=16)  # save, submit, approve, return, load, structure
    state = models.CharField(max_length=16, blank=True)  # the figure's workflow state afterwards
    via = models.CharField(max_length=16, default="web")  # web, api, bulk, cli
    subject = models.CharField(max_length=200, blank=True, help_text="what changed, for structure edits")
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    comment = models.TextField(blank=True)

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
