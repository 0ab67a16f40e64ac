"""The plan as the database keeps it: the single source of truth.

Tables mirror the domain dataclasses (``machiplan.domain.plan``); the
services translate between the two. Values are Decimals so that no figure a
city enters is changed by floating point.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from machiplan.domain import plan as domain

FISCAL_YEAR_HELP = "Western year the fiscal year starts in (H29年度 = 2017)"


class Department(models.Model):
    """A section of the city that owns indicators and enters their figures."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    municipality_name = models.CharField(max_length=100)
    municipality_code = models.CharField(
        max_length=6, validators=[RegexValidator(r"^\d{6}$", "six digits (全国地方公共団体コード)")]
    )
    start_fy = models.PositiveSmallIntegerField(help_text=FISCAL_YEAR_HELP)
    end_fy = models.PositiveSmallIntegerField(help_text=FISCAL_YEAR_HELP)
    evaluation_fy = models.PositiveSmallIntegerField(null=True, blank=True, help_text=FISCAL_YEAR_HELP)
    method_name = models.CharField(max_length=64, default="progress_vs_pace")
    method_params = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="where the plan was loaded from")
    departments = models.ManyToManyField(Department, blank=True, related_name="plans")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_fy__gte=models.F("start_fy")), name="plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_name} {self.title}"


class HigherPlan(models.Model):
    """A plan above this one (アクションプラン, 戦略ビジョン) that sets targets of its own."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="higher_plans")
    horizon = models.SlugField(max_length=64)
    label = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    start_fy = models.PositiveSmallIntegerField(null=True, blank=True)
    end_fy = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "horizon"], name="higher_plan_unique_horizon")]

    def __str__(self) -> str:
        return self.label


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    statement = models.TextField()
    footnotes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="goal_unique_number")]

    def __str__(self) -> str:
        return f"基本目標{self.number} {self.name}"


class Policy(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="policies")
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=300)
    priority = models.BooleanField(default=False, help_text="◎ 重点施策")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["goal", "order"]
        verbose_name_plural = "policies"
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="policy_unique_code")]

    def __str__(self) -> str:
        return f"{'◎' if self.priority else ''}{self.code} {self.title}"


class Initiative(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="initiatives")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    facts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["policy", "order"]

    def __str__(self) -> str:
        return self.text


class Narrative(models.Model):
    """A narrative block of a goal: ● items with their text and ・ bullets, kept as structure."""

    KIND_CHOICES = [("results", "取組結果"), ("plan", "取組計画"), ("future", "今後に向けて")]
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="narratives")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    fy = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    items = models.JSONField(default=list, help_text='[{"heading": …, "text": …, "bullets": […]}]')

    class Meta:
        ordering = ["goal", "order"]

    def __str__(self) -> str:
        return f"{self.goal} {self.get_kind_display()} {self.fy or ''}".strip()


class Indicator(models.Model):
    DIRECTION_CHOICES = [(domain.INCREASE, "増加が望ましい"), (domain.DECREASE, "減少が望ましい")]
    MEASURE_CHOICES = [
        (domain.LEVEL, "年度末の水準"),
        (domain.FLOW, "年度内の量"),
        (domain.CUMULATIVE, "累計"),
    ]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=64)
    order = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    direction = models.CharField(max_length=16, choices=DIRECTION_CHOICES, default=domain.INCREASE)
    measure = models.CharField(max_length=16, choices=MEASURE_CHOICES, default=domain.LEVEL)
    survey = models.BooleanField(default=False, help_text="a share from a questionnaire")
    reference = models.BooleanField(default=False, help_text="参考: shown, not judged")
    note = models.TextField(blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return self.name


# A value exactly when the kind has one: 実績 and 状況 do, 今後調査 and — do not.
VALUE_MATCHES_KIND = models.Q(kind__in=[domain.ACTUAL, domain.INTERIM], value__isnull=False) | models.Q(
    kind__in=[domain.PENDING, domain.NONE], value__isnull=True
)


class YearFigure(models.Model):
    """One fiscal year's figure of an indicator: what a published observation and a staff entry both hold."""

    KIND_CHOICES = [
        (domain.ACTUAL, "実績"),
        (domain.INTERIM, "状況（途中値）"),
        (domain.PENDING, "今後調査"),
        (domain.NONE, "—"),
    ]
    fy = models.PositiveSmallIntegerField(help_text=FISCAL_YEAR_HELP)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    approximate = models.BooleanField(default=False)
    breakdown = models.JSONField(default=list, blank=True, help_text='[["認定", "9"], …]')
    note = models.TextField(blank=True)

    class Meta:
        abstract = True


class Observation(YearFigure):
    """A published figure: approved, or loaded with the plan. Everything public reads these."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    source_text = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="provenance: file and line")

    class Meta:
        ordering = ["indicator", "fy"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "fy"], name="observation_unique_year"),
            models.CheckConstraint(condition=VALUE_MATCHES_KIND, name="observation_value_matches_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fy}: {self.source_text or self.value}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    horizon = models.SlugField(max_length=64)
    fy = models.PositiveSmallIntegerField(help_text=FISCAL_YEAR_HELP)
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    period_start_fy = models.PositiveSmallIntegerField(null=True, blank=True)
    approximate = models.BooleanField(default=False)
    source_text = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["indicator", "horizon"]
        constraints = [models.UniqueConstraint(fields=["indicator", "horizon"], name="target_unique_horizon")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.horizon} FY{self.fy}: {self.source_text or self.value}"
