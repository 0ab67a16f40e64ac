"""The general plan model: a hierarchy of nodes of any depth in place of goals and policies,
indicators on any nodes, per-indicator baselines, series, richer targets, the city's own
ratings and comments, costs and revisions.

Existing plans are carried forward: each goal becomes a top node (code = its number), each
policy a node under it, each indicator is hung on its goal's node, and the plan's levels
are named 基本目標 / 基本施策 as the goals and policies were.
"""

import django.db.models.deletion
from django.db import migrations, models


def goals_to_nodes(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Goal = apps.get_model("plans", "Goal")
    Policy = apps.get_model("plans", "Policy")
    Node = apps.get_model("plans", "Node")
    Initiative = apps.get_model("plans", "Initiative")
    Narrative = apps.get_model("plans", "Narrative")
    Indicator = apps.get_model("plans", "Indicator")
    IndicatorNode = apps.get_model("plans", "IndicatorNode")
    for plan in Plan.objects.all():
        plan.levels = [
            {"name": "基本目標", "name_en": "Basic goal"},
            {"name": "基本施策", "name_en": "Basic policy"},
        ]
        plan.save(update_fields=["levels"])
        order = 0
        goal_nodes = {}
        used = set()
        for goal in Goal.objects.filter(plan=plan).order_by("number"):
            code = str(goal.number)
            node = Node.objects.create(
                plan=plan, code=code, number=code, depth=0, order=order, name=goal.name,
                statement=goal.statement, footnotes=goal.footnotes,
            )  # fmt: skip
            used.add(code)
            order += 1
            goal_nodes[goal.pk] = node
            Narrative.objects.filter(goal=goal).update(node=node)
            for policy in Policy.objects.filter(goal=goal).order_by("order"):
                code = policy.code if policy.code not in used else f"{goal.number}.{policy.code}"
                used.add(code)
                child = Node.objects.create(
                    plan=plan, parent=node, code=code, number=policy.code, depth=1, order=order,
                    name=policy.title, priority=policy.priority,
                )  # fmt: skip
                order += 1
                Initiative.objects.filter(policy=policy).update(node=child)
        IndicatorNode.objects.bulk_create(
            IndicatorNode(indicator_id=pk, node=goal_nodes[goal_id], order=0)
            for pk, goal_id in Indicator.objects.filter(plan=plan).values_list("pk", "goal_id")
        )


def nodes_to_goals(apps, schema_editor):
    raise RuntimeError("the general plan model cannot be taken back to goals and policies: restore a backup")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        # --- new tables ------------------------------------------------------------------
        migrations.CreateModel(
            name="Node",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(help_text="unique in the plan: 1, 1-1, Ⅰ-2-(3), 11102", max_length=64),
                ),
                (
                    "number",
                    models.CharField(
                        blank=True, help_text="as the plan numbers it: Ⅰ, (1), ①", max_length=32
                    ),
                ),
                ("depth", models.PositiveSmallIntegerField(default=0)),
                (
                    "order",
                    models.PositiveIntegerField(
                        default=0, help_text="position in the plan, parents before children"
                    ),
                ),
                ("name", models.CharField(max_length=300)),
                ("name_en", models.CharField(blank=True, max_length=300)),
                ("statement", models.TextField(blank=True)),
                ("priority", models.BooleanField(default=False, help_text="◎ 重点施策")),
                (
                    "related_departments",
                    models.JSONField(blank=True, default=list, help_text="department codes"),
                ),
                ("related_plans", models.JSONField(blank=True, default=list)),
                ("footnotes", models.JSONField(blank=True, default=list)),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lead_nodes",
                        to="plans.department",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="children",
                        to="plans.node",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="nodes", to="plans.plan"
                    ),
                ),
            ],
            options={"ordering": ["plan", "order"]},
        ),
        migrations.AddConstraint(
            model_name="node",
            constraint=models.UniqueConstraint(fields=("plan", "code"), name="node_unique_code"),
        ),
        migrations.CreateModel(
            name="IndicatorNode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="node_links",
                        to="plans.indicator",
                    ),
                ),
                (
                    "node",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicator_links",
                        to="plans.node",
                    ),
                ),
            ],
            options={
                "ordering": ["indicator", "order"],
                "constraints": [
                    models.UniqueConstraint(fields=("indicator", "node"), name="indicator_node_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="indicator",
            name="nodes",
            field=models.ManyToManyField(
                related_name="indicators", through="plans.IndicatorNode", to="plans.node"
            ),
        ),
        migrations.CreateModel(
            name="Revision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=64)),
                ("fy", models.PositiveSmallIntegerField(help_text="the fiscal year it applies from")),
                ("title", models.CharField(max_length=200)),
                ("date", models.DateField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                ("changes", models.JSONField(blank=True, default=list)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="revisions", to="plans.plan"
                    ),
                ),
            ],
            options={
                "ordering": ["plan", "order"],
                "constraints": [
                    models.UniqueConstraint(fields=("plan", "code"), name="revision_unique_code")
                ],
            },
        ),
        migrations.CreateModel(
            name="Cost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start_fy", models.PositiveSmallIntegerField()),
                ("end_fy", models.PositiveSmallIntegerField()),
                (
                    "basis",
                    models.CharField(choices=[("planned", "planned"), ("actual", "actual")], max_length=16),
                ),
                ("amount", models.DecimalField(blank=True, decimal_places=6, max_digits=24, null=True)),
                (
                    "general_revenue",
                    models.DecimalField(blank=True, decimal_places=6, max_digits=24, null=True),
                ),
                ("projects", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "unit",
                    models.CharField(
                        choices=[("円", "円"), ("千円", "千円"), ("百万円", "百万円"), ("億円", "億円")],
                        default="円",
                        max_length=8,
                    ),
                ),
                ("account", models.CharField(blank=True, max_length=50)),
                ("label", models.CharField(blank=True, max_length=100)),
                ("source_text", models.CharField(blank=True, max_length=300)),
                ("source", models.CharField(blank=True, max_length=500)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="costs", to="plans.plan"
                    ),
                ),
                (
                    "node",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="costs",
                        to="plans.node",
                    ),
                ),
            ],
            options={"ordering": ["plan", "order"]},
        ),
        # --- plans: levels, scales, links to other plans ----------------------------------------
        migrations.AddField(
            model_name="plan",
            name="levels",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='the names of the levels, top first: [{"name": "基本目標", "name_en": …}]',
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="rating_scales",
            field=models.JSONField(blank=True, default=list, help_text="the city's own rating scales"),
        ),
        migrations.AddField(
            model_name="plan",
            name="parent_plan",
            field=models.ForeignKey(
                blank=True,
                help_text="the plan above this one (its 総合計画)",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="child_plans",
                to="plans.plan",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="predecessor",
            field=models.ForeignKey(
                blank=True,
                help_text="the plan this one succeeds (第1期 → 第2期)",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="successors",
                to="plans.plan",
            ),
        ),
        # --- initiatives and narratives move to nodes; goals and policies become nodes -------
        migrations.AddField(
            model_name="initiative",
            name="node",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="initiatives",
                to="plans.node",
            ),
        ),
        migrations.AddField(
            model_name="narrative",
            name="node",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="narratives",
                to="plans.node",
            ),
        ),
        migrations.RunPython(goals_to_nodes, nodes_to_goals),
        migrations.AlterModelOptions(name="initiative", options={"ordering": ["node", "order"]}),
        migrations.AlterModelOptions(name="narrative", options={"ordering": ["node", "order"]}),
        migrations.RemoveField(model_name="initiative", name="policy"),
        migrations.RemoveField(model_name="narrative", name="goal"),
        migrations.AlterField(
            model_name="initiative",
            name="node",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="initiatives", to="plans.node"
            ),
        ),
        migrations.AlterField(
            model_name="narrative",
            name="node",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="narratives", to="plans.node"
            ),
        ),
        migrations.AlterField(
            model_name="narrative",
            name="kind",
            field=models.CharField(
                choices=[
                    ("results", "取組結果"),
                    ("plan", "取組計画"),
                    ("future", "今後に向けて"),
                    ("issues", "課題"),
                    ("effects", "効果発現要因"),
                ],
                max_length=16,
            ),
        ),
        migrations.RemoveField(model_name="indicator", name="goal"),
        migrations.DeleteModel(name="Policy"),
        migrations.DeleteModel(name="Goal"),
        # --- indicators: type, definition, life across revisions and plans, series -----------
        migrations.AddField(
            model_name="indicator",
            name="type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("kgi", "kgi"),
                    ("kpi", "kpi"),
                    ("outcome", "outcome"),
                    ("activity", "activity"),
                    ("context", "context"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="per",
            field=models.CharField(
                blank=True, choices=[("year", "year"), ("month", "month"), ("day", "day")], max_length=8
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="value_type",
            field=models.CharField(
                choices=[("number", "number"), ("state", "state")], default="number", max_length=8
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="related_departments",
            field=models.JSONField(blank=True, default=list, help_text="department codes"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="definition",
            field=models.TextField(blank=True, help_text="what is measured"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="calculation",
            field=models.TextField(blank=True, help_text="how it is calculated"),
        ),
        migrations.AddField(
            model_name="indicator", name="data_source", field=models.TextField(blank=True, help_text="出典")
        ),
        migrations.AddField(
            model_name="indicator",
            name="confirmed_when",
            field=models.CharField(blank=True, help_text="数値確定の時期", max_length=200),
        ),
        migrations.AddField(
            model_name="indicator",
            name="target_rationale",
            field=models.TextField(blank=True, help_text="目標設定の考え方"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="added_in",
            field=models.CharField(blank=True, help_text="the revision that added it", max_length=64),
        ),
        migrations.AddField(
            model_name="indicator",
            name="dropped_in",
            field=models.CharField(blank=True, help_text="the revision that dropped it", max_length=64),
        ),
        migrations.AddField(
            model_name="indicator",
            name="carried_from",
            field=models.CharField(blank=True, help_text="plan-code/indicator-code", max_length=200),
        ),
        migrations.AddField(
            model_name="indicator",
            name="series",
            field=models.JSONField(blank=True, default=list, help_text="the named series, in order"),
        ),
        # --- observations: series, period, state; forecasts --------------------------------------
        migrations.RemoveConstraint(model_name="observation", name="observation_unique_year"),
        migrations.RemoveConstraint(model_name="observation", name="observation_value_matches_kind"),
        migrations.AddField(
            model_name="observation",
            name="series",
            field=models.CharField(
                blank=True,
                default="",
                help_text="学年別・男女別などの系列名。空欄は指標そのものの値。 / The series (by grade, by sex…); empty for the indicator's own figure",
                max_length=100,
                verbose_name="series",
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="period",
            field=models.CharField(
                blank=True,
                choices=[("fy", "fy"), ("cy", "cy")],
                default="fy",
                help_text="fy = 年度（4月〜翌3月）、cy = 暦年（1月〜12月） / fy = fiscal year (April–March), cy = calendar year",
                max_length=16,
                verbose_name="period",
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="text",
            field=models.CharField(
                blank=True,
                default="",
                help_text="数値でない指標の状態（なし、設置、策定済） / The state of an indicator that is not a figure (none, established…)",
                max_length=300,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="fy",
            field=models.PositiveSmallIntegerField(
                help_text="年度が始まる西暦年（平成29年度 = 2017）。期間が暦年のときはその年。 / The Western year the fiscal year starts in (H29年度 = 2017); the calendar year when the period is 'cy'.",
                verbose_name="year",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("actual", "実績"),
                    ("interim", "状況（途中値）"),
                    ("forecast", "見込"),
                    ("pending", "今後調査"),
                    ("none", "—"),
                ],
                help_text="実績 (actual)、状況 (interim: 年度途中の値、時点つき)、見込 (forecast)、今後調査 (pending)、— (none) / actual, interim (a value so far, with its as-of date), forecast (見込), pending (今後調査), none (—)",
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="value",
            field=models.DecimalField(
                blank=True,
                decimal_places=6,
                help_text="指標の単位での数値（円は円、%はポイント） / A number in the indicator's unit (yen as yen, % as points)",
                max_digits=24,
                null=True,
                verbose_name="value",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="as_of",
            field=models.DateField(
                blank=True,
                help_text="値が示す日（H29.8.31時点、3月末現在）。その年度（暦年）の中の日付。 / The day the figure stands at (a date inside its year)",
                null=True,
                verbose_name="as of",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="approximate",
            field=models.BooleanField(
                default=False,
                help_text="約・推計の値 / About (約) or estimated (推計)",
                verbose_name="approximate",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="breakdown",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="合計が値になる内訳（認定9、仮認定5） / Parts that add up to the value",
                verbose_name="breakdown",
            ),
        ),
        migrations.AlterField(
            model_name="observation", name="note", field=models.TextField(blank=True, verbose_name="note")
        ),
        migrations.AlterField(
            model_name="observation",
            name="source_text",
            field=models.CharField(
                blank=True,
                default="",
                help_text="資料に書かれたとおりの値 / The value as the document writes it",
                max_length=300,
                verbose_name="as written",
            ),
        ),
        migrations.AlterModelOptions(name="observation", options={"ordering": ["indicator", "series", "fy"]}),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.UniqueConstraint(
                fields=("indicator", "series", "fy"), name="observation_unique_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        models.Q(
                            ("value__isnull", False), models.Q(("text", ""), _negated=True), _connector="OR"
                        ),
                        ("kind__in", ["actual", "interim", "forecast"]),
                    ),
                    models.Q(("kind__in", ["pending", "none"]), ("value__isnull", True)),
                    _connector="OR",
                ),
                name="observation_value_matches_kind",
            ),
        ),
        # --- targets: series, kinds, operators, words, revisions --------------------------------
        migrations.RemoveConstraint(model_name="target", name="target_unique_horizon"),
        migrations.AddField(
            model_name="target",
            name="series",
            field=models.CharField(
                blank=True,
                default="",
                help_text="学年別・男女別などの系列名。空欄は指標そのものの値。 / The series (by grade, by sex…); empty for the indicator's own figure",
                max_length=100,
                verbose_name="series",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="kind",
            field=models.CharField(
                blank=True,
                choices=[("final", "final"), ("midterm", "midterm"), ("annual", "annual")],
                default="final",
                help_text="final = 目標値、midterm = 中間目標、annual = 年度別目標 / final, midterm (中間目標) or annual (年度別目標)",
                max_length=16,
                verbose_name="target kind",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="operator",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", ""),
                    ("at_least", "at_least"),
                    ("at_most", "at_most"),
                    ("maintain", "maintain"),
                ],
                default="",
                help_text="at_least = 以上、at_most = 以下、maintain = 維持。空欄は指標の方向による。 / at_least, at_most, maintain; empty: as the indicator's direction says",
                max_length=16,
                verbose_name="operator",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="text",
            field=models.CharField(
                blank=True,
                default="",
                help_text="設置、全員取得など / A target state or a target in words",
                max_length=300,
                verbose_name="target in words",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="year_stated",
            field=models.BooleanField(default=True, help_text="whether the document states the year"),
        ),
        migrations.AddField(
            model_name="target",
            name="revision",
            field=models.CharField(
                blank=True,
                default="",
                help_text="この目標を定めた見直し / The revision that set it",
                max_length=64,
                verbose_name="revision",
            ),
        ),
        migrations.AddField(
            model_name="target", name="note", field=models.TextField(blank=True, verbose_name="note")
        ),
        migrations.AddField(model_name="target", name="order", field=models.PositiveIntegerField(default=0)),
        migrations.AlterField(
            model_name="target", name="fy", field=models.PositiveSmallIntegerField(verbose_name="target year")
        ),
        migrations.AlterField(
            model_name="target",
            name="value",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=24, null=True, verbose_name="target value"
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="period_start_fy",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="期間合計の目標（H26-30 計 → 2014） / For a target summed over a period",
                null=True,
                verbose_name="sum from",
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="approximate",
            field=models.BooleanField(
                default=False,
                help_text="約・推計の値 / About (約) or estimated (推計)",
                verbose_name="approximate",
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="source_text",
            field=models.CharField(
                blank=True,
                default="",
                help_text="資料に書かれたとおりの値 / The value as the document writes it",
                max_length=300,
                verbose_name="as written",
            ),
        ),
        migrations.AlterModelOptions(name="target", options={"ordering": ["indicator", "order"]}),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                fields=("indicator", "series", "horizon", "kind", "fy", "revision"), name="target_unique"
            ),
        ),
        # --- baselines, ratings, comments ---------------------------------------------------------
        migrations.CreateModel(
            name="Baseline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "series",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="学年別・男女別などの系列名。空欄は指標そのものの値。 / The series (by grade, by sex…); empty for the indicator's own figure",
                        max_length=100,
                        verbose_name="series",
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="初期値・基準値・現状値・従前値 / 初期値, 基準値, 現状値, 従前値",
                        max_length=50,
                        verbose_name="called",
                    ),
                ),
                ("fy", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="baseline year")),
                (
                    "period",
                    models.CharField(
                        blank=True,
                        choices=[("fy", "fy"), ("cy", "cy")],
                        default="fy",
                        help_text="fy = 年度（4月〜翌3月）、cy = 暦年（1月〜12月） / fy = fiscal year (April–March), cy = calendar year",
                        max_length=16,
                        verbose_name="period",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="空欄で年度も空欄なら「なし（−）」 / Empty with no year: the document says there is none",
                        max_digits=24,
                        null=True,
                        verbose_name="baseline value",
                    ),
                ),
                (
                    "text",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="数値でない指標の状態（なし、設置、策定済） / The state of an indicator that is not a figure (none, established…)",
                        max_length=300,
                        verbose_name="state",
                    ),
                ),
                (
                    "as_of",
                    models.DateField(
                        blank=True,
                        help_text="値が示す日（H29.8.31時点、3月末現在）。その年度（暦年）の中の日付。 / The day the figure stands at (a date inside its year)",
                        null=True,
                        verbose_name="as of",
                    ),
                ),
                (
                    "approximate",
                    models.BooleanField(
                        default=False,
                        help_text="約・推計の値 / About (約) or estimated (推計)",
                        verbose_name="approximate",
                    ),
                ),
                (
                    "revision",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="この基準値を訂正した見直し / A revision that corrected it",
                        max_length=64,
                        verbose_name="revision",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="資料に書かれたとおりの値 / The value as the document writes it",
                        max_length=300,
                        verbose_name="as written",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("source", models.CharField(blank=True, max_length=500)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="baselines",
                        to="plans.indicator",
                    ),
                ),
            ],
            options={"ordering": ["indicator", "order"]},
        ),
        migrations.CreateModel(
            name="Rating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fy", models.PositiveSmallIntegerField()),
                ("scale", models.CharField(max_length=64)),
                ("grade", models.CharField(max_length=64)),
                ("note", models.TextField(blank=True)),
                ("source", models.CharField(blank=True, max_length=500)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="plans.indicator",
                    ),
                ),
                (
                    "node",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="plans.node",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="ratings", to="plans.plan"
                    ),
                ),
            ],
            options={
                "ordering": ["plan", "order"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("indicator__isnull", True), ("node__isnull", True), _connector="OR"
                        ),
                        name="rating_one_subject",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Comment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fy", models.PositiveSmallIntegerField()),
                (
                    "body",
                    models.CharField(
                        choices=[
                            ("internal", "internal"),
                            ("committee", "committee"),
                            ("council", "council"),
                            ("public", "public"),
                        ],
                        max_length=16,
                    ),
                ),
                ("body_name", models.CharField(blank=True, max_length=200)),
                ("date", models.DateField(blank=True, null=True)),
                ("text", models.TextField()),
                ("source", models.CharField(blank=True, max_length=500)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="plans.indicator",
                    ),
                ),
                (
                    "node",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="plans.node",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="comments", to="plans.plan"
                    ),
                ),
            ],
            options={
                "ordering": ["plan", "order"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("indicator__isnull", True), ("node__isnull", True), _connector="OR"
                        ),
                        name="comment_one_subject",
                    )
                ],
            },
        ),
        # --- plan-level texts, sources and counts; indicators' selection rationale --------
        migrations.AddField(
            model_name="indicator",
            name="selection_rationale",
            field=models.TextField(blank=True, help_text="成果指標設定の考え方"),
        ),
        migrations.AddField(
            model_name="plan",
            name="description",
            field=models.TextField(blank=True, help_text="what the plan is: 将来像, parts, status"),
        ),
        migrations.AddField(
            model_name="plan",
            name="method_description",
            field=models.TextField(blank=True, help_text="the city's own words on its method"),
        ),
        migrations.AddField(
            model_name="plan",
            name="sources",
            field=models.JSONField(blank=True, default=list, help_text="the documents its data come from"),
        ),
        migrations.AlterField(
            model_name="narrative",
            name="kind",
            field=models.CharField(
                choices=[
                    ("results", "取組結果"),
                    ("plan", "取組計画"),
                    ("future", "今後に向けて"),
                    ("issues", "課題"),
                    ("effects", "効果発現要因"),
                    ("direction", "施策の方向性"),
                ],
                max_length=16,
            ),
        ),
        migrations.CreateModel(
            name="Tally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fy", models.PositiveSmallIntegerField()),
                ("scale", models.CharField(max_length=64)),
                ("grade", models.CharField(max_length=64)),
                ("count", models.PositiveIntegerField()),
                ("note", models.TextField(blank=True)),
                ("source", models.CharField(blank=True, max_length=500)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "node",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="plans.node",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="tallies", to="plans.plan"
                    ),
                ),
            ],
            options={
                "ordering": ["plan", "order"],
            },
        ),
        migrations.AddField(
            model_name="plan",
            name="method_overrides",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='[{"indicators": […], "name": "trend_only", "params": {…}}]',
            ),
        ),
    ]
