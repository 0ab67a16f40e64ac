"""Forms of the structure pages: the plan's levels, revisions and rating scales; a node with its
initiatives, narratives, costs, ratings and comments; an indicator with the nodes it hangs on, its
targets, baselines, ratings and comments.

Each field is checked here with the rule a plan keeps (domain/validation.py, domain/entry_checks.py),
so a mistake is shown at its field; the plan as changed is checked whole when it is saved
(``check_plan``). Targets' and baselines' fields, labels and help are ``domain/figures.py``'s.
Each form gives its data as plain values (``value()``) for ``plans.services.structure``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms

from machiplan.domain import figures, limits
from machiplan.domain import plan as domain
from machiplan.domain.entry_checks import number_problem, text_problem, value_problems
from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import STATUSES
from machiplan.domain.labels import NARRATIVE_KIND_LABELS
from machiplan.domain.plan import Narrative, NarrativeItem, narrative_items
from machiplan.domain.quantities import parse_number, parse_whole_number
from machiplan.domain.validation import code_error, fy_error, is_code, is_node_code, node_code_error

from .forms import figure_field, in_the_plans_words
from .text import CHOICES, STRUCTURE_LABELS, TEXT


class LinesField(forms.CharField):
    """A list of strings, one per line (footnotes, facts, related plans, series)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def has_changed(self, initial, data):
        before = list(initial) if isinstance(initial, list | tuple) else self.to_python(initial)
        return before != self.to_python(data)


class StructureForm(forms.Form):
    """Labels in the page's language; no control characters in any text; years machiplan keeps."""

    years: tuple[str, ...] = ()  # the fields that hold a fiscal year

    def __init__(self, *args, lang: str = "ja", **kwargs):
        self.lang = lang
        super().__init__(*args, **kwargs)
        labels = STRUCTURE_LABELS[lang]
        for name, field in self.fields.items():
            if name in labels and not getattr(field, "from_figures", False):
                field.label = labels[name]
            if isinstance(field, forms.ChoiceField) and name in CHOICES[lang]:
                field.choices = [(v, CHOICES[lang][name].get(v, text)) for v, text in field.choices]
        in_the_plans_words(self, lang)  # a text too long for its column: the plan's rule, in its words

    def problem(self, problem) -> str:
        return problem.message(self.lang)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and (problem := text_problem(text, name)):
                    self.add_error(name, self.problem(problem))
                    break
        for name in self.years:
            if data.get(name) is not None and (error := fy_error(data[name], name)):
                self.add_error(name, error.message)
        return data


def _choice(options, *, blank: bool = True, **kwargs) -> forms.ChoiceField:
    """A select; without a blank, it starts at its first option (as a browser sends it), so an extra
    row left alone is no change."""
    options = list(options)
    if not blank and options:
        kwargs.setdefault("initial", options[0][0])
    return forms.ChoiceField(choices=([("", "—")] if blank else []) + options, required=False, **kwargs)


def _departments(plan) -> list[tuple[str, str]]:
    return list(plan.departments.order_by("code").values_list("code", "name"))


class PlanForm(StructureForm):
    """The plan's own fields: the department that owns it and issues its report (所管課), one of its
    departments."""

    department = _choice([])

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.choices = [("", "—"), *_departments(plan)]
        field.label = STRUCTURE_LABELS[self.lang]["plan_department"]
        field.help_text = TEXT[self.lang]["plan_department_help"]

    def value(self) -> dict:
        return {"department": self.cleaned_data["department"] or None}


class LevelForm(StructureForm):
    name = forms.CharField(max_length=limits.LEVEL["name"])
    name_en = forms.CharField(max_length=limits.LEVEL["name_en"], required=False)

    def value(self) -> dict:
        return {"name": self.cleaned_data["name"], "name_en": self.cleaned_data["name_en"] or None}


class RevisionForm(StructureForm):
    years = ("fy",)
    code = forms.CharField(max_length=limits.CODE)
    fy = forms.IntegerField()
    title = forms.CharField(max_length=limits.REVISION["title"])
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    changes = LinesField(required=False)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not is_code(code):
            raise forms.ValidationError(code_error(code, "code").message)
        return code

    def value(self) -> dict:
        return dict(self.cleaned_data)


class RatingScaleForm(StructureForm):
    """A scale and its grades, best first: one grade a line, ``code | label | statuses``."""

    key = forms.CharField(max_length=limits.RATING_SCALE["key"])
    name = forms.CharField(max_length=limits.RATING_SCALE["name"])
    name_en = forms.CharField(max_length=limits.RATING_SCALE["name_en"], required=False)
    applies_to = _choice([("both", "both"), ("indicator", "indicator"), ("node", "node")], blank=False)
    grades = LinesField()

    def clean_key(self):
        key = self.cleaned_data["key"]
        if not is_code(key):
            raise forms.ValidationError(code_error(key, "key").message)
        return key

    def clean_grades(self):
        grades = []
        for line in self.cleaned_data["grades"]:
            code, _, rest = (part.strip() for part in line.partition("|"))
            label, _, statuses = (part.strip() for part in rest.partition("|"))
            unknown = [s for s in statuses.replace(",", " ").split() if s not in STATUSES]
            if not code or unknown:
                raise forms.ValidationError(f"{line}: code | label | statuses ({', '.join(STATUSES)})")
            grades.append({"code": code, "label": label, "label_en": None,
                           "statuses": statuses.replace(",", " ").split()})  # fmt: skip
        if len({g["code"] for g in grades}) != len(grades):
            raise forms.ValidationError("a grade's code appears twice")
        return grades

    def value(self) -> dict:
        d = self.cleaned_data
        return {"key": d["key"], "name": d["name"], "name_en": d["name_en"] or None, "applies_to": d["applies_to"] or "both",
                "grades": d["grades"]}  # fmt: skip

    @staticmethod
    def initial_of(scale: dict) -> dict:
        lines = [" | ".join([g["code"], g.get("label", ""), " ".join(g.get("statuses", ()))]).rstrip(" |")
                 for g in scale.get("grades", ())]  # fmt: skip
        return {**scale, "name_en": scale.get("name_en") or "", "grades": lines}


# --- nodes -------------------------------------------------------------------------------------


class NodeForm(StructureForm):
    code = forms.CharField(max_length=limits.CODE)
    number = forms.CharField(max_length=limits.NODE["number"], required=False)
    name = forms.CharField(max_length=limits.NODE["name"])
    name_en = forms.CharField(max_length=limits.NODE["name_en"], required=False)
    statement = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.BooleanField(required=False)
    department = _choice([])
    related_departments = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    related_plans = LinesField(required=False)
    footnotes = LinesField(required=False)
    parent = _choice([])
    position = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, plan, nodes, node=None, **kwargs):
        """``nodes``: the plan's nodes in order (code, label, depth); ``node``: the one edited (its code)."""
        super().__init__(*args, **kwargs)
        departments = _departments(plan)
        self.fields["department"].choices = [("", "—"), *departments]
        self.fields["related_departments"].choices = departments
        below = _subtree(nodes, node)
        self.fields["parent"].choices = [("", STRUCTURE_LABELS[self.lang]["top"])] + [
            (code, "　" * depth + label) for code, label, depth in nodes if code not in below
        ]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not is_node_code(code):
            raise forms.ValidationError(node_code_error(code, "code").message)
        return code

    def value(self) -> dict:
        d = self.cleaned_data
        return {
            "code": d["code"], "number": d["number"], "name": d["name"], "name_en": d["name_en"],
            "statement": d["statement"], "priority": d["priority"], "department": d["department"] or None,
            "related_departments": list(d["related_departments"]), "related_plans": d["related_plans"],
            "footnotes": d["footnotes"],
        }  # fmt: skip

    def parent_code(self) -> str | None:
        return self.cleaned_data["parent"] or None

    def sibling_position(self) -> int | None:
        position = self.cleaned_data.get("position")
        return None if position is None else position - 1


def _subtree(nodes, code: str | None) -> set[str]:
    """``code`` and the codes below it, in a list of (code, label, depth) in plan order."""
    if code is None:
        return set()
    found, depth = set(), None
    for c, _, d in nodes:
        if depth is not None and d <= depth:
            break
        if c == code:
            depth = d
        if depth is not None:
            found.add(c)
    return found


class InitiativeForm(StructureForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    facts = LinesField(required=False)

    def value(self) -> dict:
        return {"text": self.cleaned_data["text"], "facts": self.cleaned_data["facts"]}


class NarrativeForm(StructureForm):
    """A narrative as the sheet writes it: ● headings, lines of text, ・ bullets."""

    years = ("fy",)
    kind = _choice([(k, NARRATIVE_KIND_LABELS["ja"][k]) for k in domain.NARRATIVE_KINDS], blank=False)
    fy = forms.IntegerField(required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k, NARRATIVE_KIND_LABELS[self.lang][k]) for k in domain.NARRATIVE_KINDS
        ]

    def value(self) -> dict:
        items = narrative_items(self.cleaned_data["text"])
        return {"kind": self.cleaned_data["kind"], "fy": self.cleaned_data["fy"],
                "items": [{"heading": i.heading, "text": i.text, "bullets": list(i.bullets)} for i in items]}  # fmt: skip

    @staticmethod
    def initial_of(kind: str, fy: int | None, items: list[dict]) -> dict:
        narrative = Narrative(kind=kind, fy=fy, items=tuple(
            NarrativeItem(i.get("heading", ""), i.get("text", ""), tuple(i.get("bullets", ()))) for i in items))  # fmt: skip
        return {"kind": kind, "fy": fy, "text": narrative.text}


class CostForm(StructureForm):
    years = ("start_fy", "end_fy")
    start_fy = forms.IntegerField()
    end_fy = forms.IntegerField()
    basis = _choice([(b, b) for b in domain.COST_BASES], blank=False)
    amount = forms.DecimalField(required=False)
    general_revenue = forms.DecimalField(required=False)
    projects = forms.IntegerField(required=False, min_value=0)
    unit = _choice([(u, u) for u in domain.COST_UNITS], blank=False)
    account = forms.CharField(max_length=limits.COST["account"], required=False)
    label = forms.CharField(max_length=limits.COST["label"], required=False)
    source_text = forms.CharField(max_length=limits.COST["source_text"], required=False)

    def clean(self):
        data = super().clean()
        for name in ("amount", "general_revenue"):
            if data.get(name) is not None and (problem := number_problem(data[name], name)):
                self.add_error(name, self.problem(problem))
        if data.get("start_fy") and data.get("end_fy") and data["end_fy"] < data["start_fy"]:
            self.add_error("end_fy", STRUCTURE_LABELS[self.lang]["end_before_start"])
        return data

    def value(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("DELETE", None)
        d["unit"] = d["unit"] or "円"
        return d


class RatingForm(StructureForm):
    years = ("fy",)
    fy = forms.IntegerField()
    scale = _choice([], blank=False)
    grade = forms.CharField(max_length=limits.RATING["grade"])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scales=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scales = {s["key"]: s for s in scales}
        self.fields["scale"].choices = [(s["key"], s["name"]) for s in scales]
        self.fields["scale"].initial = scales[0]["key"] if scales else None

    def clean(self):
        data = super().clean()
        scale = self.scales.get(data.get("scale"))
        if (
            scale is not None
            and data.get("grade")
            and data["grade"] not in [g["code"] for g in scale["grades"]]
        ):
            codes = "、".join(g["code"] for g in scale["grades"])
            self.add_error(
                "grade", f"{data['grade']}: {STRUCTURE_LABELS[self.lang]['grade_unknown']} ({codes})"
            )
        return data

    def value(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("fy", "scale", "grade", "note")}


class CommentForm(StructureForm):
    years = ("fy",)
    fy = forms.IntegerField()
    body = _choice([(b, b) for b in domain.COMMENT_BODIES], blank=False)
    body_name = forms.CharField(max_length=limits.COMMENT["body_name"], required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def value(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("fy", "body", "body_name", "date", "text")}


# --- indicators --------------------------------------------------------------------------------


class IndicatorForm(StructureForm):
    code = forms.CharField(max_length=limits.CODE)
    name = forms.CharField(max_length=limits.INDICATOR["name"])
    name_en = forms.CharField(max_length=limits.INDICATOR["name_en"], required=False)
    category = forms.CharField(max_length=limits.INDICATOR["category"], required=False)
    type = _choice([(t, t) for t in domain.INDICATOR_TYPES])
    unit = forms.CharField(max_length=limits.INDICATOR["unit"], required=False)
    per = _choice([(p, p) for p in domain.PER])
    direction = _choice([(d, d) for d in domain.DIRECTIONS], blank=False)
    measure = _choice([(m, m) for m in domain.MEASURES], blank=False)
    value_type = _choice([(v, v) for v in domain.VALUE_TYPES], blank=False)
    survey = forms.BooleanField(required=False)
    reference = forms.BooleanField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    department = _choice([])
    related_departments = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    series = LinesField(required=False)
    definition = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    calculation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    data_source = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed_when = forms.CharField(max_length=limits.INDICATOR["confirmed_when"], required=False)
    target_rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    selection_rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    added_in = _choice([])
    dropped_in = _choice([])
    carried_from = forms.CharField(max_length=limits.INDICATOR["carried_from"], required=False)

    def __init__(self, *args, plan, revisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        departments = _departments(plan)
        self.fields["department"].choices = [("", "—"), *departments]
        self.fields["related_departments"].choices = departments
        for name in ("added_in", "dropped_in"):
            self.fields[name].choices = [("", "—"), *((r, r) for r in revisions)]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not is_code(code):
            raise forms.ValidationError(code_error(code, "code").message)
        return code

    def clean_series(self):
        series = self.cleaned_data["series"]
        if len(set(series)) != len(series):
            raise forms.ValidationError(STRUCTURE_LABELS[self.lang]["series_twice"])
        if any(len(s) > figures.SERIES.max_length for s in series):
            raise forms.ValidationError(f"≤ {figures.SERIES.max_length}")
        return series

    def value(self) -> dict:
        d = self.cleaned_data
        values = {name: d[name] for name in self.fields}
        values["related_departments"] = list(d["related_departments"])
        values["department"] = d["department"] or None
        return values


class NodeLinkForm(StructureForm):
    node = _choice([])

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [("", "—")] + [
            (code, "　" * depth + label) for code, label, depth in nodes
        ]

    def value(self) -> str | None:
        return self.cleaned_data.get("node") or None


def _figure_form(specs: tuple[figures.Field, ...], name: str) -> type[StructureForm]:
    """A form of a target's or a baseline's fields, as domain/figures.py defines them."""

    class FigureRowForm(StructureForm):
        def __init__(self, *args, unit=None, horizons=("plan",), revisions=(), **kwargs):
            self.unit = unit
            super().__init__(*args, **kwargs)
            fields = {}
            for spec in specs:
                field = figure_field(spec, self.lang)
                field.from_figures = True
                if spec.name == "horizon":
                    field = _choice([(h, h) for h in horizons], blank=False, label=field.label,
                                    help_text=field.help_text, initial=horizons[0])  # fmt: skip
                elif spec.name == "revision":
                    field = _choice([(r, r) for r in revisions], label=field.label, help_text=field.help_text)
                elif spec.type == "choice":
                    field.choices = [
                        (c, CHOICES[self.lang].get(spec.name, {}).get(c, c) or "—") for c in spec.choices
                    ]
                    field.initial = spec.default()
                elif spec.type == "bool" and spec.default():
                    field.initial = True
                field.from_figures = True
                fields[spec.name] = field
            fields["fy"].required = figures.field_named(specs, "fy").required
            self.fields = {**fields, **self.fields}
            self.years = ("fy", "period_start_fy") if "period_start_fy" in fields else ("fy",)

        def clean(self):
            """Every number field (目標値, 基準値, 誤差 …) read as people write numbers; the value
            held to the figure rules of its unit."""
            data = super().clean()
            for spec in specs:
                if spec.type not in ("decimal", "int") or not isinstance(data.get(spec.name), str):
                    continue
                text = data[spec.name].strip()
                read = parse_number if spec.type == "decimal" else parse_whole_number
                try:
                    data[spec.name] = read(text) if text else None
                except MachiplanError:
                    self.add_error(spec.name, STRUCTURE_LABELS[self.lang]["not_a_number"])
                    continue
                found = (
                    value_problems(data[spec.name], self.unit)
                    if spec.name == "value" and data[spec.name]
                    else []
                )
                if found:
                    self.add_error(spec.name, self.problem(found[0]))
            return data

        def value(self) -> dict:
            d = self.cleaned_data
            values = {}
            for spec in specs:
                raw = d.get(spec.name)
                if spec.name == "horizon":
                    raw = raw or "plan"
                elif spec.type == "choice" or spec.name == "revision":
                    raw = raw or spec.default()
                    if spec.nullable:
                        raw = raw or None
                    elif raw is None:
                        raw = ""
                if spec.type == "text" and raw is None:
                    raw = None if spec.nullable else ""
                values[spec.name] = raw
            if "revision" in values:  # stored as text, '' for none
                values["revision"] = values["revision"] or ""
            if "operator" in values:
                values["operator"] = values["operator"] or ""
            return values

    FigureRowForm.__name__ = name
    return FigureRowForm


TargetForm = _figure_form(figures.TARGET_FIELDS, "TargetForm")
BaselineForm = _figure_form(figures.BASELINE_FIELDS, "BaselineForm")


def formset(form: type[forms.Form], *, extra: int = 1):
    return forms.formset_factory(form, extra=extra, can_delete=True)


def kept(fs) -> Iterator[tuple[int, Any, Any]]:
    """A formset's forms that hold a value, with their place and value: blank extra forms and
    deleted ones left out."""
    for n, form in enumerate(fs.forms):
        if not form.has_changed() and not form.initial:
            continue
        if form.cleaned_data.get("DELETE") or not form.cleaned_data:
            continue
        value = form.value()
        if value is not None:
            yield n, form, value


def rows(fs) -> list:
    """The values of a formset's forms, in order: blank extra forms and deleted ones left out."""
    return [value for _, _, value in kept(fs)]
