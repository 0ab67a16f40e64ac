"""The forms of the evaluation-method page, generated from the method's parameter definitions
(``domain/methods.py``: each method's parameter dataclass; ``domain/evaluation.py``: the parameters
every method shares), labelled in words (``domain/method_text.py``).

The forms only read what was typed: a number as a number, a list as rows. Whether a value is right
is decided by the functions a plan package's load uses (``plans.services.method.method_check``), so
the page says what a load would say, at the field it names.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django import forms

from machiplan.domain import methods
from machiplan.domain import plan as domain
from machiplan.domain.errors import MachiplanError
from machiplan.domain.evaluation import METHOD_NAME, PACE_PARAMS, Params
from machiplan.domain.labels import horizon_label
from machiplan.domain.method_text import choice_label, method_title, param_label
from machiplan.domain.plan import PLAN_HORIZON
from machiplan.interchange.package.document import load_yaml_bytes

from .structure_forms import StructureForm, kept

# the parameters of Params that every method shares (progress_vs_pace's own three are its own)
SHARED = tuple(f.name for f in fields(Params) if f.name not in ("method", "method_params", *PACE_PARAMS))
LISTS = {"bands", "rollup"}  # parameters that are tables: one row each
CHOICE_PARAMS = {"rate": ("progress", "ratio"), "compare": ("baseline", "previous")}


@dataclass(frozen=True, slots=True)
class ParamSpec:
    name: str
    kind: str  # bool, int, float, str, list
    default: Any
    optional: bool  # empty means None


def _spec(f) -> ParamSpec:
    text = str(f.type)
    default = f.default if f.default is not MISSING else None
    kind = next(k for k in ("bool", "tuple", "int", "float", "str") if text.startswith(k))
    return ParamSpec(f.name, "list" if kind == "tuple" else kind, default, "None" in text)


def param_specs(name: str) -> tuple[list[ParamSpec], list[ParamSpec]]:
    """(the method's own parameters, the shared ones), in their definitions' order."""
    definition = methods.method_named(name, "method.name")
    shared = [_spec(f) for f in fields(Params) if f.name in SHARED]
    if name == METHOD_NAME:
        own = [_spec(f) for f in fields(Params) if f.name in PACE_PARAMS]
    else:
        own = [_spec(f) for f in fields(definition.params_class) if f.name not in SHARED]
    return own, shared


def method_choices(lang: str) -> list[tuple[str, str]]:
    return [(name, method_title(name, lang)) for name in methods.METHODS]


def in_force(method: domain.Method) -> dict[str, Any]:
    """Every parameter of ``method`` with the value in force (its own, or the default)."""
    params = Params.from_mapping(method.params, method=method.name)
    values = params.as_dict()
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def number_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def read_number(text: str, kind: str) -> Any:
    """A typed number as a number (int or float as the parameter is); anything else as typed, for the
    method's check to refuse at its field."""
    text = text.strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    if kind == "int":
        return int(number) if number == number.to_integral_value() else text
    return float(number)


class MethodForm(StructureForm):
    """The method's name (chosen above the form), its own parameters, the shared ones, the description."""

    name = forms.CharField(widget=forms.HiddenInput)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, method: str, horizons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        self.own, self.shared = param_specs(method)
        self.fields["description"].label = (
            "市の評価方法の説明（原文のまま）"
            if self.lang != "en"
            else "The city's own description of its method"
        )
        for spec in (*self.own, *self.shared):
            if spec.kind == "list":
                continue
            self.fields[spec.name] = self._field(spec, horizons)
        self.fields["name"].initial = method

    def _field(self, spec: ParamSpec, horizons) -> forms.Field:
        label = param_label(spec.name, self.lang)
        if spec.kind == "bool":
            return forms.BooleanField(required=False, label=label)
        if spec.name == "horizon":
            return forms.ChoiceField(choices=horizons, label=label)
        if spec.name in CHOICE_PARAMS:
            options = [(v, choice_label(spec.name, v, self.lang)) for v in CHOICE_PARAMS[spec.name]]
            return forms.ChoiceField(choices=options, label=label)
        required = not spec.optional and spec.kind != "str"
        attrs = {"inputmode": "decimal"} if spec.kind in ("int", "float") else {}
        return forms.CharField(required=required, label=label, widget=forms.TextInput(attrs=attrs))

    @staticmethod
    def initial_of(method: str, values: dict[str, Any], description: str) -> dict[str, Any]:
        own, shared = param_specs(method)
        initial: dict[str, Any] = {"name": method, "description": description}
        for spec in (*own, *shared):
            value = values.get(spec.name, spec.default)
            if spec.kind in ("int", "float"):
                value = number_text(value)
            elif spec.kind == "str" and value is None:
                value = ""
            initial[spec.name] = value
        return initial

    def params(self) -> dict[str, Any]:
        """The parameters typed, without those at their default (as a package writes them)."""
        found: dict[str, Any] = {}
        for spec in (*self.own, *self.shared):
            if spec.kind == "list":
                continue
            raw = self.cleaned_data.get(spec.name)
            if spec.kind in ("int", "float"):
                value = None if raw in (None, "") else read_number(raw, spec.kind)
            elif spec.kind == "str" and spec.optional:
                value = raw or None
            else:
                value = raw
            if type(value) is not type(spec.default) or value != spec.default:
                found[spec.name] = value
        return found


# --- the tables: bands and roll-up rules -------------------------------------------------------


class RowForm(StructureForm):
    """One row of a parameter that is a table; ``position`` orders the rows (empty: where it is)."""

    texts: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = param_label(name, self.lang) if name != "position" else (
                "順番（1 = 先頭）" if self.lang != "en" else "Order (1 = first)"
            )  # fmt: skip

    def value(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        row: dict[str, Any] = {}
        for name in self.texts:
            if d.get(name):
                row[name] = d[name]
        for name in self.numbers:
            if d.get(name) not in (None, ""):
                row[name] = read_number(d[name], "float")
        return row or None


class BandForm(RowForm):
    texts = ("code", "label", "label_en", "tone", "means", "means_en", "easy_ja")
    numbers = ("min",)
    position = forms.IntegerField(required=False, min_value=1)
    code = forms.CharField(max_length=16)
    label = forms.CharField(max_length=100, required=False)
    label_en = forms.CharField(max_length=100, required=False)
    min = forms.CharField(required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    tone = forms.ChoiceField(required=False)
    means = forms.CharField(max_length=200, required=False)
    means_en = forms.CharField(max_length=200, required=False)
    easy_ja = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tone"].choices = [("", "—")] + [
            (t, choice_label("tone", t, self.lang)) for t in methods.TONES
        ]


class RollupForm(RowForm):
    texts = ("code",)
    numbers = ("min_share",)
    position = forms.IntegerField(required=False, min_value=1)
    code = forms.CharField(max_length=16)
    statuses = forms.CharField(required=False)
    min_share = forms.CharField(required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def value(self) -> dict[str, Any] | None:
        row = super().value()
        words = self.cleaned_data.get("statuses", "").replace(",", " ").split()
        if row is not None and words:
            row["statuses"] = words
        return row

    @staticmethod
    def initial_of(rule: dict) -> dict:
        return {
            **rule,
            "statuses": " ".join(rule.get("statuses", ())),
            "min_share": number_text(rule.get("min_share")),
        }


ROW_FORMS = {"bands": BandForm, "rollup": RollupForm}


def row_initial(name: str, row: dict) -> dict:
    if name == "rollup":
        return RollupForm.initial_of(row)
    return {**row, "min": number_text(row.get("min"))}


def table(fs) -> list[dict]:
    """A table's rows in their order: ``position`` first where given, else as listed; blank and
    deleted rows left out."""
    found = []
    for n, form, value in kept(fs):
        position = form.cleaned_data.get("position")
        found.append(((position - 1 if position else n), n, value))
    return [value for _, _, value in sorted(found, key=lambda x: (x[0], x[1]))]


# --- overrides -----------------------------------------------------------------------------------


class OverrideForm(StructureForm):
    """Some indicators judged by another method: their codes, the method, its parameters (``name:
    value`` a line, as in plan.yaml; empty: the method's defaults)."""

    indicators = forms.CharField()
    method = forms.ChoiceField()
    params = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ja = self.lang != "en"
        self.fields["indicators"].label = (
            "指標（番号を空白区切りで: 2d 4a）" if ja else "Indicators (codes, space-separated: 2d 4a)"
        )
        self.fields["method"].label = "評価の方法" if ja else "Method"
        self.fields["method"].choices = method_choices(self.lang)
        self.fields["method"].initial = METHOD_NAME  # as a browser sends an untouched select: no change
        self.fields["params"].label = "この方法の設定（1行に1つ「名前: 値」。空欄: 標準）" if ja else "Its settings (one 'name: value' a line; empty: the defaults)"  # fmt: skip

    def clean_params(self):
        text = self.cleaned_data["params"].strip()
        if not text:
            return {}
        try:  # as plan.yaml is read: no alias, no deep nesting, no key twice
            found = load_yaml_bytes(text.encode(), "params")
        except MachiplanError:
            found = None
        if not isinstance(found, dict):
            raise forms.ValidationError(
                "「名前: 値」を1行に1つ書いてください。"
                if self.lang != "en"
                else "Write one 'name: value' a line."
            )
        return found

    def value(self) -> domain.MethodOverride:
        d = self.cleaned_data
        codes = tuple(c for c in re.split(r"[\s,、]+", d["indicators"]) if c)
        return domain.MethodOverride(indicators=codes, name=d["method"], params=d["params"])

    @staticmethod
    def initial_of(override: domain.MethodOverride) -> dict:
        params = yaml.safe_dump(
            dict(override.params), allow_unicode=True, default_flow_style=False, sort_keys=False
        )
        return {"indicators": " ".join(override.indicators), "method": override.name,
                "params": "" if not override.params else params.strip()}  # fmt: skip


def horizon_choices(plan, lang: str) -> list[tuple[str, str]]:
    found = [(PLAN_HORIZON, horizon_label(PLAN_HORIZON, lang))]
    for horizon, label in plan.higher_plans.order_by("order").values_list("horizon", "label"):
        found.append((horizon, horizon_label(horizon, lang, fallback=label)))
    return found
