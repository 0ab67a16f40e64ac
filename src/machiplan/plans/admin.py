"""The Django admin, for administrators. Staff and the public use the app's own pages."""

from django.contrib import admin

from . import models


class ObservationInline(admin.TabularInline):
    model = models.Observation
    extra = 0


class TargetInline(admin.TabularInline):
    model = models.Target
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "municipality_name", "start_fy", "end_fy"]
    search_fields = ["code", "title"]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plan", "unit", "department"]
    list_filter = ["plan", "department"]
    search_fields = ["code", "name"]
    inlines = [ObservationInline, TargetInline]


admin.site.register([models.Department, models.Node, models.Initiative, models.Narrative, models.HigherPlan])
