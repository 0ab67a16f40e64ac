"""The Django admin, for administrators: the plan is shown here, never changed.

Figures and structure change on the staff pages (docs/staff.md), through the services that check
them, write the audit trail and refresh the public pages; a plan package is loaded with
``machiplan load``. An edit here would skip all three, so plan data is read-only in the admin.
"""

from django.contrib import admin

from . import models


class ReadOnly:
    """A ModelAdmin or inline that shows its rows and offers no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ObservationInline(ReadOnly, admin.TabularInline):
    model = models.Observation
    extra = 0


class TargetInline(ReadOnly, admin.TabularInline):
    model = models.Target
    extra = 0


class BaselineInline(ReadOnly, admin.TabularInline):
    model = models.Baseline
    extra = 0


class PlanDataAdmin(ReadOnly, admin.ModelAdmin):
    pass


@admin.register(models.Plan)
class PlanAdmin(PlanDataAdmin):
    list_display = ["code", "title", "municipality_name", "start_fy", "end_fy"]
    search_fields = ["code", "title"]


@admin.register(models.Indicator)
class IndicatorAdmin(PlanDataAdmin):
    list_display = ["code", "name", "plan", "unit", "department"]
    list_filter = ["plan", "department"]
    search_fields = ["code", "name"]
    inlines = [ObservationInline, TargetInline, BaselineInline]


admin.site.register(
    [
        models.Department,
        models.Node,
        models.IndicatorNode,
        models.Initiative,
        models.Narrative,
        models.HigherPlan,
        models.Revision,
        models.Cost,
        models.Rating,
        models.Comment,
        models.Tally,
    ],
    PlanDataAdmin,
)
