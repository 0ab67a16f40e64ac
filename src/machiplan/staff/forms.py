"""Forms of the staff pages. They read what people type; the services and domain decide."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation

from machiplan.domain.errors import MachiplanError
from machiplan.domain.labels import OBSERVATION_KIND_LABELS
from machiplan.domain.plan import OBSERVATION_KINDS
from machiplan.domain.quantities import format_breakdown, format_number, parse_breakdown, parse_number

from .models import Entry
from .services.audit import stored_breakdown
from .services.entries import Figure
from .services.people import client_address, login_blocked, login_failed, login_succeeded
from .text import TEXT


class FigureForm(forms.Form):
    """One indicator's figure for one year."""

    kind = forms.ChoiceField()
    value = forms.CharField(required=False, max_length=40)
    as_of = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    approximate = forms.BooleanField(required=False)
    breakdown = forms.CharField(required=False, max_length=500)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    data_source = forms.CharField(required=False, max_length=300)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, lang: str = "ja", unit: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang = lang
        t = TEXT[lang]
        self.fields["kind"].choices = [(k, OBSERVATION_KIND_LABELS[lang][k]) for k in OBSERVATION_KINDS]
        for name, field in self.fields.items():
            if name in t:
                field.label = t[name]
        if unit:
            self.fields["value"].label = (
                f"{t['value']}（{unit}）" if lang == "ja" else f"{t['value']} ({unit})"
            )
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean_value(self):
        text = self.cleaned_data["value"].strip()
        if not text:
            return None
        try:
            return parse_number(text)
        except MachiplanError:
            raise forms.ValidationError(self._t("not_a_number")) from None

    def clean_breakdown(self):
        text = self.cleaned_data["breakdown"].strip()
        try:
            return parse_breakdown(text) if text else ()
        except MachiplanError:
            raise forms.ValidationError(self._t("bad_breakdown")) from None

    def _t(self, key: str) -> str:
        return FORM_TEXT[self.lang][key]

    def figure(self) -> Figure:
        d = self.cleaned_data
        return Figure(
            kind=d["kind"], value=d["value"], as_of=d["as_of"], approximate=d["approximate"],
            breakdown=d["breakdown"], note=d["note"].strip(), data_source=d["data_source"].strip(),
        )  # fmt: skip

    @staticmethod
    def initial_from(obj, revision: int) -> dict:
        """Initial data from an Entry or an approved Observation (or nothing yet)."""
        if obj is None:
            return {"kind": "actual", "revision": revision}
        # A year still 今後調査 or — is opened to enter its figure: offer 実績 first.
        kind = obj.kind if obj.value is not None or isinstance(obj, Entry) else "actual"
        return {
            "kind": kind,
            "value": "" if obj.value is None else format_number(obj.value.normalize()),
            "as_of": obj.as_of,
            "approximate": obj.approximate,
            "breakdown": format_breakdown(stored_breakdown(obj.breakdown)),
            "note": obj.note,
            "data_source": getattr(obj, "data_source", ""),
            "revision": revision,
        }


FORM_TEXT = {
    "ja": {
        "not_a_number": "数値を入力してください（例: 2,684 や 32.4）。",
        "bad_breakdown": "内訳は「名前 数値」を「、」で区切って入力してください。",
    },
    "en": {
        "not_a_number": "Enter a number (e.g. 2,684 or 32.4).",
        "bad_breakdown": "Write the breakdown as 'label number' parts separated by 、.",
    },
}


class ReturnForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


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
