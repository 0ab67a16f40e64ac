"""The plan as the database keeps it: the single source of truth.

Tables mirror the domain dataclasses (``machiplan.domain.plan``); the
services translate between the two. Values are Decimals so that no figure a
city enters is changed by floating point.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from machiplan.domain import figures, limits
from machiplan.domain import plan as domain

FISCAL_YEAR_HELP = "Western year the fiscal year starts in (H29年度 = 2017)"
MAX_DIGITS, DECIMAL_PLACES = figures.MAX_DIGITS, figures.DECIMAL_PLACES


class Department(models.Model):
    """A section of the city that owns indicators and enters their figures."""

    code = models.SlugField(max_length=limits.CODE, unique=True)
    name = models.CharField(max_length=limits.DEPARTMENT["name"])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    code = models.SlugField(max_length=limits.CODE, unique=True)
    title = models.CharField(max_length=limits.PLAN["title"])
    title_en = models.CharField(max_length=limits.PLAN["title_en"], blank=True)
    municipality_name = models.CharField(max_length=limits.PLAN["municipality_name"])
    municipality_code = models.CharField(
        max_length=6, validators=[RegexValidator(r"^\d{6}$", "six digits (全国地方公共団体コード)")]
    )
    start_fy = models.PositiveSmallIntegerField(help_text=FISCAL_YEAR_HELP)
    end_fy = models.PositiveSmallIntegerField(help_text=FISCAL_YEAR_HELP)
    evaluation_fy = models.PositiveSmallIntegerField(null=True, blank=True, help_text=FISCAL_YEAR_HELP)
    method_name = models.CharField(max_length=64, default="progress_vs_pace")
    method_params = models.JSONField(default=dict, blank=True)
    method_description = models.TextField(blank=True, help_text="the city's own words on its method")
    method_overrides = models.JSONField(
        default=list, blank=True, help_text='[{"indicators": […], "name": "trend_only", "params": {…}}]'
    )
    description = models.TextField(blank=True, help_text="what the plan is: 将来像, parts, status")
    sources = models.JSONField(default=list, blank=True, help_text="the documents its data come from")
    levels = models.JSONField(
        default=list,
        blank=True,
        help_text='the names of the levels, top first: [{"name": "基本目標", "name_en": …}]',
    )
    rating_scales = models.JSONField(default=list, blank=True, help_text="the city's own rating scales")
    parent_plan = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="child_plans",
        help_text="the plan above this one (its 総合計画)",
    )  # fmt: skip
    predecessor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors",
        help_text="the plan this one succeeds (第1期 → 第2期)",
    )  # fmt: skip
    source = models.CharField(
        max_length=limits.PLAN["source"], blank=True, help_text="where the plan was loaded from"
    )
    import_mapping = models.JSONField(
        default=dict,
        blank=True,
        help_text="how its table is read (machiplan/table-mapping@1, docs/import.md): next year's sheet "
        "imports with it in one step; empty when it did not come from a table",
    )
    departments = models.ManyToManyField(Department, blank=True, related_name="plans")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_plans",
        help_text="the department that owns the plan and issues its report (所管課): one of its departments",
    )  # fmt: skip
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
    horizon = models.SlugField(max_length=limits.CODE)
    label = models.CharField(max_length=limits.HIGHER_PLAN["label"])
    title = models.CharField(max_length=limits.HIGHER_PLAN["title"])
    start_fy = models.PositiveSmallIntegerField(null=True, blank=True)
    end_fy = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "horizon"], name="higher_plan_unique_horizon")]

    def __str__(self) -> str:
        return self.label


class Revision(models.Model):
    """A dated change of the plan within its life (中間見直し)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    code = models.SlugField(max_length=limits.CODE)
    fy = models.PositiveSmallIntegerField(help_text="the fiscal year it applies from")
    title = models.CharField(max_length=limits.REVISION["title"])
    date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="revision_unique_code")]

    def __str__(self) -> str:
        return f"{self.title} ({self.fy})"


class Node(models.Model):
    """One element of a plan's hierarchy at any depth: 基本目標, 基本施策, 個別施策, 章, 節 …"""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(max_length=limits.CODE, help_text="unique in the plan: 1, 1-1, Ⅰ-2-(3), 11102")
    number = models.CharField(
        max_length=limits.NODE["number"], blank=True, help_text="as the plan numbers it: Ⅰ, (1), ①"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveIntegerField(default=0, help_text="position in the plan, parents before children")
    name = models.CharField(max_length=limits.NODE["name"])
    name_en = models.CharField(max_length=limits.NODE["name_en"], blank=True)
    statement = models.TextField(blank=True)
    priority = models.BooleanField(default=False, help_text="◎ 重点施策")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="lead_nodes"
    )
    related_departments = models.JSONField(default=list, blank=True, help_text="department codes")
    related_plans = models.JSONField(default=list, blank=True)
    footnotes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="node_unique_code")]

    def __str__(self) -> str:
        return f"{self.number or self.code} {self.name}"


class Initiative(models.Model):
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="initiatives")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    facts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["node", "order"]

    def __str__(self) -> str:
        return self.text


class Narrative(models.Model):
    """A narrative block of a node: ● items with their text and ・ bullets, kept as structure."""

    KIND_CHOICES = [
        ("results", "取組結果"),
        ("plan", "取組計画"),
        ("future", "今後に向けて"),
        ("issues", "課題"),
        ("effects", "効果発現要因"),
        ("direction", "施策の方向性"),
    ]
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="narratives")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    fy = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    items = models.JSONField(default=list, help_text='[{"heading": …, "text": …, "bullets": […]}]')

    class Meta:
        ordering = ["node", "order"]

    def __str__(self) -> str:
        return f"{self.node} {self.get_kind_display()} {self.fy or ''}".strip()


class Cost(models.Model):
    """Money a node (or, with no node, the whole plan) planned or spent: 事業費, 一般財源, 事業数,
    in the unit the city wrote."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="costs")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, null=True, blank=True, related_name="costs")
    start_fy = models.PositiveSmallIntegerField()
    end_fy = models.PositiveSmallIntegerField()
    basis = models.CharField(max_length=16, choices=[(b, b) for b in domain.COST_BASES])
    amount = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True)
    general_revenue = models.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    projects = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=8, choices=[(u, u) for u in domain.COST_UNITS], default="円")
    account = models.CharField(max_length=limits.COST["account"], blank=True)
    label = models.CharField(max_length=limits.COST["label"], blank=True)
    source_text = models.CharField(max_length=limits.COST["source_text"], blank=True)
    source = models.CharField(max_length=limits.COST["source"], blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return (
            f"{self.node or self.plan} {self.basis} {self.start_fy}-{self.end_fy}: {self.amount} {self.unit}"
        )


class Indicator(models.Model):
    DIRECTION_CHOICES = [(domain.INCREASE, "増加が望ましい"), (domain.DECREASE, "減少が望ましい")]
    MEASURE_CHOICES = [
        (domain.LEVEL, "年度末の水準"),
        (domain.FLOW, "年度内の量"),
        (domain.CUMULATIVE, "累計"),
    ]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    nodes = models.ManyToManyField(Node, through="IndicatorNode", related_name="indicators")
    code = models.SlugField(max_length=limits.CODE)
    order = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=limits.INDICATOR["category"], blank=True)
    name = models.CharField(max_length=limits.INDICATOR["name"])
    name_en = models.CharField(max_length=limits.INDICATOR["name_en"], blank=True)
    type = models.CharField(max_length=16, blank=True, choices=[(t, t) for t in domain.INDICATOR_TYPES])
    unit = models.CharField(max_length=limits.INDICATOR["unit"], blank=True)
    per = models.CharField(max_length=8, blank=True, choices=[(p, p) for p in domain.PER])
    direction = models.CharField(max_length=16, choices=DIRECTION_CHOICES, default=domain.INCREASE)
    measure = models.CharField(max_length=16, choices=MEASURE_CHOICES, default=domain.LEVEL)
    value_type = models.CharField(
        max_length=8, choices=[(v, v) for v in domain.VALUE_TYPES], default=domain.NUMBER
    )
    survey = models.BooleanField(default=False, help_text="a share from a questionnaire")
    reference = models.BooleanField(default=False, help_text="参考: shown, not judged")
    note = models.TextField(blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    related_departments = models.JSONField(default=list, blank=True, help_text="department codes")
    definition = models.TextField(blank=True, help_text="what is measured")
    calculation = models.TextField(blank=True, help_text="how it is calculated")
    data_source = models.TextField(blank=True, help_text="出典")
    confirmed_when = models.CharField(
        max_length=limits.INDICATOR["confirmed_when"], blank=True, help_text="数値確定の時期"
    )
    target_rationale = models.TextField(blank=True, help_text="目標設定の考え方")
    selection_rationale = models.TextField(blank=True, help_text="成果指標設定の考え方")
    added_in = models.CharField(max_length=limits.CODE, blank=True, help_text="the revision that added it")
    dropped_in = models.CharField(
        max_length=limits.CODE, blank=True, help_text="the revision that dropped it"
    )
    carried_from = models.CharField(
        max_length=limits.INDICATOR["carried_from"], blank=True, help_text="plan-code/indicator-code"
    )
    series = models.JSONField(default=list, blank=True, help_text="the named series, in order")

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return self.name


class IndicatorNode(models.Model):
    """An indicator hung on a node; the one with ``order`` 0 is its home."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="node_links")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="indicator_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "node"], name="indicator_node_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} @ {self.node_id}"


# A figure exactly when the kind has one: 実績, 状況 and 見込 carry a value (or, for an indicator
# whose values are states, a state); 今後調査 and — carry none.
VALUE_MATCHES_KIND = models.Q(
    models.Q(value__isnull=False) | ~models.Q(text=""), kind__in=list(domain.VALUE_KINDS)
) | models.Q(kind__in=[domain.PENDING, domain.NONE], value__isnull=True)

KIND_LABELS = {
    domain.ACTUAL: "実績",
    domain.INTERIM: "状況（途中値）",
    domain.FORECAST: "見込",
    domain.PENDING: "今後調査",
    domain.NONE: "—",
}


def model_field(spec: figures.Field, **options) -> models.Field:
    """The database column of a figure field, as ``machiplan.domain.figures`` defines it."""
    help_text = " / ".join(h for h in (spec.help_ja, spec.help_en) if h)
    common = {"help_text": help_text, "verbose_name": spec.en.lower(), **options}
    if spec.type == "int":
        column = (
            models.PositiveIntegerField if (spec.maximum or 0) > 32767 else models.PositiveSmallIntegerField
        )
        return column(null=not spec.required, blank=not spec.required, **common)
    if spec.type == "decimal":
        return models.DecimalField(
            max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True, **common
        )
    if spec.type == "date":
        return models.DateField(null=True, blank=True, **common)
    if spec.type == "bool":
        return models.BooleanField(default=False, **common)
    if spec.type == "breakdown":
        return models.JSONField(default=list, blank=True, **common)
    if spec.type == "choice":
        choices = [(c, KIND_LABELS.get(c, c) if spec is figures.KIND else c) for c in spec.choices]
        default = {} if spec.required else {"default": spec.default() or "", "blank": True}
        return models.CharField(max_length=16, choices=choices, **default, **common)
    if spec.max_length is None:
        return models.TextField(blank=True, **common)
    return models.CharField(max_length=spec.max_length, blank=True, default="", **common)


class YearFigure(models.Model):
    """One year's figure of an indicator: what a published observation and a staff entry both hold.
    Its columns are ``figures.FIGURE_FIELDS``."""

    fy = model_field(figures.FY)
    kind = model_field(figures.KIND)
    value = model_field(figures.VALUE)
    as_of = model_field(figures.AS_OF)
    approximate = model_field(figures.APPROXIMATE)
    breakdown = model_field(figures.BREAKDOWN)
    note = model_field(figures.NOTE)
    series = model_field(figures.SERIES)
    period = model_field(figures.PERIOD)
    text = model_field(figures.TEXT)
    sample_size = model_field(figures.SAMPLE_SIZE)
    margin = model_field(figures.MARGIN)
    design_effect = model_field(figures.DESIGN_EFFECT)

    class Meta:
        abstract = True


class Observation(YearFigure):
    """A published figure: approved, or loaded with the plan. Everything public reads these."""

    # no index of its own: the unique (indicator, series, fy) index begins with it and serves every
    # look-up by indicator; a second one cost a twelfth of storing a plan's million figures
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    source_text = model_field(figures.SOURCE_TEXT)
    source = models.CharField(max_length=limits.SOURCE, blank=True, help_text="provenance: file and line")

    class Meta:
        ordering = ["indicator", "series", "fy"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "series", "fy"], name="observation_unique_year"),
            models.CheckConstraint(condition=VALUE_MATCHES_KIND, name="observation_value_matches_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fy}: {self.source_text or self.value}"


def _target_field(name: str) -> models.Field:
    return model_field(figures.field_named(figures.TARGET_FIELDS, name))


class Target(models.Model):
    """A target of an indicator: its columns are ``figures.TARGET_FIELDS``."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    series = _target_field("series")
    horizon = models.SlugField(max_length=limits.CODE)
    kind = _target_field("kind")
    fy = _target_field("fy")
    value = _target_field("value")
    operator = _target_field("operator")
    text = _target_field("text")
    period_start_fy = _target_field("period_start_fy")
    approximate = _target_field("approximate")
    year_stated = models.BooleanField(default=True, help_text="whether the document states the year")
    revision = _target_field("revision")
    source_text = _target_field("source_text")
    note = _target_field("note")
    source = models.CharField(max_length=limits.SOURCE, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "series", "horizon", "kind", "fy", "revision"], name="target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.horizon} FY{self.fy}: {self.source_text or self.value}"


def _baseline_field(name: str) -> models.Field:
    return model_field(figures.field_named(figures.BASELINE_FIELDS, name))


class Baseline(models.Model):
    """An indicator's own baseline (初期値, 基準値…): its columns are ``figures.BASELINE_FIELDS``."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="baselines")
    series = _baseline_field("series")
    label = _baseline_field("label")
    fy = _baseline_field("fy")
    period = _baseline_field("period")
    value = _baseline_field("value")
    text = _baseline_field("text")
    as_of = _baseline_field("as_of")
    approximate = _baseline_field("approximate")
    revision = _baseline_field("revision")
    sample_size = _baseline_field("sample_size")
    margin = _baseline_field("margin")
    design_effect = _baseline_field("design_effect")
    source_text = _baseline_field("source_text")
    note = _baseline_field("note")
    source = models.CharField(max_length=limits.SOURCE, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "order"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.label or 'baseline'} {self.fy}: {self.source_text or self.value}"


class Rating(models.Model):
    """The city's own rating of an indicator, a node, or (neither) the whole plan for a year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    node = models.ForeignKey(Node, on_delete=models.CASCADE, null=True, blank=True, related_name="ratings")
    fy = models.PositiveSmallIntegerField()
    scale = models.CharField(max_length=limits.RATING["scale"])
    grade = models.CharField(max_length=limits.RATING["grade"])
    note = models.TextField(blank=True)
    source = models.CharField(max_length=limits.RATING["source"], blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__isnull=True) | models.Q(node__isnull=True),
                name="rating_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator or self.node} FY{self.fy} {self.scale}: {self.grade}"


class Comment(models.Model):
    """What a body (internal review, committee, council) said of an indicator, a node or the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    node = models.ForeignKey(Node, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    fy = models.PositiveSmallIntegerField()
    body = models.CharField(max_length=16, choices=[(b, b) for b in domain.COMMENT_BODIES])
    body_name = models.CharField(max_length=limits.COMMENT["body_name"], blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField()
    source = models.CharField(max_length=limits.COMMENT["source"], blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__isnull=True) | models.Q(node__isnull=True),
                name="comment_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator or self.node} FY{self.fy} {self.body}"


class Tally(models.Model):
    """A count the city published of its indicators in one grade of a scale (of a node, or the plan)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tallies")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, null=True, blank=True, related_name="tallies")
    fy = models.PositiveSmallIntegerField()
    scale = models.CharField(max_length=limits.TALLY["scale"])
    grade = models.CharField(max_length=limits.TALLY["grade"])
    count = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    source = models.CharField(max_length=limits.TALLY["source"], blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.node or self.plan} FY{self.fy} {self.scale} {self.grade}: {self.count}"
