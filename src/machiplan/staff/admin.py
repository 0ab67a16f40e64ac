"""The Django admin for administrators: people and roles, tokens, and the trail (read-only)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from machiplan.plans.admin import ReadOnly

from . import models
from .forms import AdminLoginForm

# The admin's door has the staff sign-in's brake on password guessing.
admin.site.login_form = AdminLoginForm


class ProfileInline(admin.StackedInline):
    """The person's installation-wide role, if any (administrator, planner)."""

    model = models.Profile
    can_delete = False


class PlanRoleInline(admin.TabularInline):
    """The person's role in each plan (owner, a department's editor, viewer)."""

    model = models.PlanRole
    extra = 0


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffUserAdmin(UserAdmin):
    inlines = [ProfileInline, PlanRoleInline]
    list_display = ["username", "is_active", "is_superuser", "last_login"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin):
    """The trail can be read and searched here; nobody can add, change or delete it."""

    list_display = [
        "at",
        "actor",
        "plan_code",
        "indicator_code",
        "series",
        "fy",
        "action",
        "state",
        "via",
        "group",
    ]
    list_filter = ["action", "via", "plan_code"]
    search_fields = ["actor", "indicator_code", "subject", "reason", "comment", "group"]


@admin.register(models.Entry)
class EntryAdmin(admin.ModelAdmin):
    """Figures go through the staff pages (checks, workflow, trail); here they are only read."""

    list_display = ["indicator", "fy", "status", "revision", "entered_by", "updated_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `machiplan token`; an administrator can see and revoke them."""

    list_display = ["user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
