"""Forms of the staff pages. They read what people type; the services and domain decide."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation

from machiplan.domain import figures, limits
from machiplan.domain import plan as domain
from machiplan.domain.entry_checks import MESSAGES
from machiplan.domain.errors import MachiplanError
from machiplan.domain.labels import OBSERVATION_KIND_LABELS
from machiplan.domain.quantities import (
    MAX_CELL_CHARS,
    MAX_NUMBER_CHARS,
    format_breakdown,
    format_number,
    parse_breakdown,
    parse_number,
    parse_value,
    parse_whole_number,
)

from .models import Entry
from .services.audit import stored_breakdown
from .services.entries import ENTERED, Figure
from .services.people import client_address, login_blocked, login_failed, login_succeeded
from .text import TEXT

CHOICE_LABELS = {
    "kind": OBSERVATION_KIND_LABELS,
    "period": {"ja": {"fy": "年度（4月〜翌3月）", "cy": "暦年（1月〜12月）"},
               "en": {"fy": "Fiscal year (April–March)", "cy": "Calendar year"}},
}  # fmt: skip
# Fields an indicator of each value type has no use for: a state indicator's figure is its state in words.
NOT_FOR = {
    domain.NUMBER: ("text",),
    domain.STATE: ("value", "breakdown", *(f.name for f in figures.SAMPLE_FIELDS)),
}
# A survey's own error is asked of a survey indicator only (the evaluation uses it for those alone).
SURVEY_ONLY = tuple(f.name for f in figures.SAMPLE_FIELDS)


# entry_checks' text_too_long, as Django's MaxLengthValidator fills it in: a text over its column's
# size is refused in the same words by a form as by the API, a bulk upload and a plan's load
TOO_LONG = {
    lang: MESSAGES[lang]["text_too_long"].format(limit="%(limit_value)d", length="%(show_value)d")
    for lang in MESSAGES
}


def in_the_plans_words(form: forms.Form, lang: str) -> None:
    """A text too long for its field is refused with ``TOO_LONG`` in the page's language, not with
    Django's own message (in the installation's language)."""
    for field in form.fields.values():
        if getattr(field, "max_length", None) is not None:
            field.error_messages["max_length"] = TOO_LONG[lang]


def _typed(limit: int, **attrs: str) -> forms.TextInput:
    """A box for a number or a breakdown, as long as its reader takes (``quantities``): what is longer
    is refused by the reader, in the words every other way in gives."""
    return forms.TextInput(attrs={"maxlength": str(limit), **attrs})


def figure_field(spec: figures.Field, lang: str) -> forms.Field:
    """The form field of a figure field, labelled and explained as ``domain/figures.py`` says."""
    options = {
        "required": False,
        "label": spec.ja if lang == "ja" else spec.en,
        "help_text": spec.help_ja if lang == "ja" else spec.help_en,
    }
    if spec.type == "choice":
        labels = CHOICE_LABELS.get(spec.name, {}).get(lang, {})
        return forms.ChoiceField(choices=[(c, labels.get(c, c)) for c in spec.choices if c], **options)
    if spec.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if spec.type == "bool":
        return forms.BooleanField(**options)
    if spec.type == "int" and spec.maximum is None:  # a year
        return forms.IntegerField(**options)
    if spec.type == "int":  # a count, written as people write it (1,200)
        return forms.CharField(widget=_typed(MAX_NUMBER_CHARS, inputmode="numeric"), **options)
    if spec.type in ("decimal", "breakdown"):
        limit = MAX_CELL_CHARS if spec.type == "breakdown" else MAX_NUMBER_CHARS
        return forms.CharField(widget=_typed(limit), **options)
    if spec.max_length is None:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **options)
    return forms.CharField(max_length=spec.max_length, **options)


class FigureForm(forms.Form):
    """One indicator's figure for one year of one series: the fields of ``domain/figures.py`` that a
    person enters (the year and the series are the page's), with their labels and help, then where
    the figure comes from and, when asked, why an unusual change is right."""

    data_source = forms.CharField(required=False, max_length=limits.ENTRY["data_source"])
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, lang: str = "ja", indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.indicator = indicator
        t = TEXT[lang]
        value_type = indicator.value_type if indicator is not None else domain.NUMBER
        unit = indicator.unit if indicator is not None else None
        unused = set(NOT_FOR.get(value_type, ()))
        if indicator is not None and not indicator.survey:
            unused.update(SURVEY_ONLY)
        own = {f.name: figure_field(f, lang) for f in ENTERED if f.name not in unused}
        own["kind"].required = True
        self.fields = {**own, **self.fields}
        in_the_plans_words(self, lang)
        self.fields["data_source"].label, self.fields["reason"].label = t["data_source"], t["reason"]
        if unit and "value" in self.fields:
            label = self.fields["value"].label
            self.fields["value"].label = f"{label}（{unit}）" if lang == "ja" else f"{label} ({unit})"
        if "value" in self.fields:
            self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self):
        """Every number field (値, 誤差, デザイン効果) read as people write numbers: 2,684 or 32.4."""
        data = super().clean()
        unit = self.indicator.unit if self.indicator is not None else None
        for spec in ENTERED:
            if spec.type in ("decimal", "int") and isinstance(data.get(spec.name), str):
                text = data[spec.name].strip()
                read = parse_number if spec.type == "decimal" else parse_whole_number
                if spec.name == "value":  # followed by the indicator's unit, as a cell shows it: 70.1%
                    read = partial(parse_value, unit=unit)
                try:
                    data[spec.name] = read(text) if text else None
                except MachiplanError:
                    self.add_error(
                        spec.name, self._t("not_a_number" if spec.type == "decimal" else "not_whole")
                    )
        return data

    def clean_breakdown(self):
        text = self.cleaned_data["breakdown"].strip()
        try:
            return parse_breakdown(text) if text else ()
        except MachiplanError:
            raise forms.ValidationError(self._t("bad_breakdown")) from None

    def clean_period(self):
        return self.cleaned_data["period"] or figures.PERIOD.default()

    def _t(self, key: str) -> str:
        return FORM_TEXT[self.lang][key]

    def figure(self) -> Figure:
        d = self.cleaned_data
        values = {f.name: d[f.name] for f in ENTERED if f.name in self.fields}
        for name in ("note", "text"):
            if name in values:
                values[name] = values[name].strip()
        return Figure(**values, data_source=d["data_source"].strip())

    @staticmethod
    def initial_from(obj, revision: int) -> dict:
        """Initial data from an Entry or an approved Observation (or nothing yet)."""
        if obj is None:
            return {"kind": domain.ACTUAL, "period": figures.PERIOD.default(), "revision": revision}
        # A year still 今後調査 or — is opened to enter its figure: offer 実績 first.
        has_figure = obj.value is not None or bool(obj.text)
        kind = obj.kind if has_figure or isinstance(obj, Entry) else domain.ACTUAL
        return {
            "kind": kind,
            "period": obj.period,
            "value": "" if obj.value is None else format_number(obj.value.normalize()),
            "text": obj.text,
            "as_of": obj.as_of,
            "approximate": obj.approximate,
            "breakdown": format_breakdown(stored_breakdown(obj.breakdown)),
            **{f.name: _initial(f, getattr(obj, f.name)) for f in figures.SAMPLE_FIELDS},
            "note": obj.note,
            "data_source": getattr(obj, "data_source", ""),
            "revision": revision,
        }


def _initial(spec: figures.Field, value) -> object:
    if value is None:
        return ""
    return format_number(value.normalize()) if spec.type == "decimal" else value


FORM_TEXT = {
    "ja": {
        "not_a_number": "数値を入力してください（例: 2,684 や 32.4）。",
        "not_whole": "整数を入力してください（例: 1,200）。",
        "bad_breakdown": "内訳は「名前 数値」を「、」で区切って入力してください。",
        "due_required": "期限日を入力してください（取り消す場合は「取り消す」を押してください）。",
    },
    "en": {
        "not_a_number": "Enter a number (e.g. 2,684 or 32.4).",
        "not_whole": "Enter a whole number (e.g. 1,200).",
        "bad_breakdown": "Write the breakdown as 'label number' parts separated by 、.",
        "due_required": "Enter the due date (or press Clear to remove it).",
    },
}


def plan_years(plan, lang: str, *, after: bool = False) -> list[tuple[int, str]]:
    """The plan's fiscal years, the latest first (``after``: and the year after it, whose figures
    come in when the plan's last year has ended)."""
    from machiplan.domain.labels import fy_label

    last = plan.end_fy + (1 if after else 0)
    return [(fy, fy_label(fy, lang, western=True)) for fy in range(last, plan.start_fy - 1, -1)]


class ReportForm(forms.Form):
    """Which fiscal year the report evaluates: one of the plan's own (its evaluation year first)."""

    fy = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args, plan, lang: str = "ja", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fy"].choices = plan_years(plan, lang)
        self.fields["fy"].label = TEXT[lang]["report_year"]
        self.fields["fy"].initial = plan.evaluation_fy or plan.end_fy


class DeadlineForm(forms.Form):
    """The day a fiscal year's figures are due; empty with 取り消す to clear it."""

    fy = forms.TypedChoiceField(coerce=int)
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, plan, lang: str = "ja", **kwargs):
        super().__init__(*args, **kwargs)
        t = TEXT[lang]
        self.lang = lang
        self.fields["fy"].choices = plan_years(plan, lang, after=True)
        self.fields["fy"].label, self.fields["due"].label = t["year"], t["due_date"]

    def clean(self):
        data = super().clean()
        if "clear" in self.data:
            data["due"] = None
        elif not data.get("due") and "due" not in self.errors:
            self.add_error("due", FORM_TEXT[self.lang]["due_required"])
        return data


class ReturnForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.ENTRY["comment"])

    def __init__(self, *args, lang: str = "ja", **kwargs):
        super().__init__(*args, **kwargs)
        in_the_plans_words(self, lang)


class StepForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SignInBrake:
    """The brake on password guessing, for Django's sign-in forms: the staff's and the admin's.

    Refuses for a while after repeated failures (services/people.py counts them), and says
    only "wrong user name or password" otherwise, whatever Django found wrong.
    """

    def clean(self):
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request.META) if self.request else None
        lang = "en" if (translation.get_language() or "").startswith("en") else "ja"
        if login_blocked(username, address):
            raise forms.ValidationError(TEXT[lang]["too_many"], code="too_many")
        try:
            result = super().clean()
        except forms.ValidationError:
            login_failed(username, address)
            raise forms.ValidationError(TEXT[lang]["bad_login"], code="invalid_login") from None
        login_succeeded(username, address)
        return result


class RateLimitedLoginForm(SignInBrake, AuthenticationForm):
    """The staff sign-in form."""


class AdminLoginForm(SignInBrake, AdminAuthenticationForm):
    """The Django admin's sign-in form (staff accounts only), with the same brake."""
