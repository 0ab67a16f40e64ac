"""Forms for the plan's structure: goals with their policies and narratives, initiatives, indicators with targets."""

from __future__ import annotations

from django import forms

from machiplan.domain.entry_checks import number_problem
from machiplan.domain.plan import Narrative as DomainNarrative
from machiplan.domain.plan import narrative_items
from machiplan.domain.validation import fy_error, goal_number_error
from machiplan.plans.models import Department, Goal, Indicator, Initiative, Narrative, Policy, Target


class LinesField(forms.CharField):
    """A list of strings, one per line (footnotes, facts)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def has_changed(self, initial, data):
        # An extra (blank) form has no initial list: nothing typed is no change, or its other
        # required fields would be demanded and the whole page refused.
        before = initial if isinstance(initial, list) else self.to_python(initial)
        return before != self.to_python(data)


class GoalForm(forms.ModelForm):
    footnotes = LinesField(required=False, label="注記 / footnotes (※)")

    class Meta:
        model = Goal
        fields = ["number", "name", "statement", "footnotes"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def clean_number(self):
        number = self.cleaned_data["number"]
        if error := goal_number_error(number, "number"):
            raise forms.ValidationError(error.message)
        taken = (
            Goal.objects.filter(plan=self.instance.plan, number=number).exclude(pk=self.instance.pk).exists()
        )
        if taken:
            raise forms.ValidationError(f"{number}: この番号はすでに使われています / already used")
        return number


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["code", "title", "priority", "order"]


class InitiativeForm(forms.ModelForm):
    facts = LinesField(required=False, label="実績など / facts")

    class Meta:
        model = Initiative
        fields = ["text", "facts", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class NarrativeForm(forms.ModelForm):
    """A narrative as the sheet writes it: ● headings, lines of text, ・ bullets."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="本文（●見出し、・箇条書き）")

    class Meta:
        model = Narrative
        fields = ["kind", "fy", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            items = [  # the stored JSON back into the domain's items, to write it as text
                (i.get("heading", ""), i.get("text", ""), tuple(i.get("bullets", ())))
                for i in self.instance.items
            ]
            from machiplan.domain.plan import NarrativeItem

            self.initial["text"] = DomainNarrative(
                kind=self.instance.kind, fy=self.instance.fy, items=tuple(NarrativeItem(*i) for i in items)
            ).text

    def save(self, commit=True):
        self.instance.items = [
            {"heading": i.heading, "text": i.text, "bullets": list(i.bullets)}
            for i in narrative_items(self.cleaned_data["text"])
        ]
        return super().save(commit)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "goal", "order", "category", "name", "name_en", "unit", "direction", "measure",
                  "survey", "reference", "note", "department"]  # fmt: skip
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["goal"].queryset = Goal.objects.filter(plan=plan)
        self.fields["department"].queryset = Department.objects.filter(plans=plan)

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Indicator.objects.filter(plan=self.plan, code=code).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(f"{code}: この番号はすでに使われています / already used")
        return code


class TargetForm(forms.ModelForm):
    """A target; its value's rules in the indicator's unit are checked with the whole plan (check_plan)."""

    class Meta:
        model = Target
        fields = ["horizon", "fy", "value", "period_start_fy", "approximate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the model's 18 integer digits and 6 decimals, and more, are read; the shared rule decides
        self.fields["value"] = forms.DecimalField(required=False, label=self.fields["value"].label)

    def _year(self, name: str):
        fy = self.cleaned_data[name]
        if fy is not None and (error := fy_error(fy, name)):
            raise forms.ValidationError(error.message)
        return fy

    def clean_fy(self):
        return self._year("fy")

    def clean_period_start_fy(self):
        return self._year("period_start_fy")

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and (problem := number_problem(value)):
            raise forms.ValidationError(f"{problem.message('ja')} / {problem.message('en')}")
        return value


PolicyFormSet = forms.inlineformset_factory(Goal, Policy, form=PolicyForm, extra=1, can_delete=True)
NarrativeFormSet = forms.inlineformset_factory(Goal, Narrative, form=NarrativeForm, extra=1, can_delete=True)
InitiativeFormSet = forms.inlineformset_factory(
    Policy, Initiative, form=InitiativeForm, extra=1, can_delete=True
)
TargetFormSet = forms.inlineformset_factory(Indicator, Target, form=TargetForm, extra=1, can_delete=True)

LABELS = {
    "ja": {"number": "番号", "name": "名称", "statement": "目標の説明", "footnotes": "注記（※、1行に1つ）", "code": "番号",
           "title": "名称", "priority": "重点施策（◎）", "order": "並び順", "text": "本文", "facts": "実績など（1行に1つ）",
           "kind": "種別", "fy": "年度（西暦）", "goal": "基本目標", "category": "区分", "name_en": "英語名",
           "unit": "単位", "direction": "望ましい方向", "measure": "値の性質", "survey": "アンケート調査の値",
           "reference": "参考指標", "note": "注記", "department": "担当部署", "horizon": "目標の区分",
           "value": "目標値", "period_start_fy": "合計期間の開始年度", "approximate": "概数", "DELETE": "削除"},
    "en": {"number": "Number", "name": "Name", "statement": "Statement", "footnotes": "Footnotes (one per line)",
           "code": "Code", "title": "Title", "priority": "Priority (◎)", "order": "Order", "text": "Text",
           "facts": "Facts (one per line)", "kind": "Kind", "fy": "Fiscal year", "goal": "Goal", "category": "Category",
           "name_en": "English name", "unit": "Unit", "direction": "Direction", "measure": "Measure",
           "survey": "Survey share", "reference": "Reference only", "note": "Note", "department": "Department",
           "horizon": "Horizon", "value": "Target", "period_start_fy": "Summed from FY", "approximate": "Approximate",
           "DELETE": "Delete"},
}  # fmt: skip


# The models' choices are worded in Japanese; the English pages say them in English.
CHOICES_EN = {
    "direction": {"increase": "Higher is better", "decrease": "Lower is better"},
    "measure": {"level": "Level at year end", "flow": "Amount in the year", "cumulative": "Running total"},
    "kind": {"results": "Results", "plan": "Plans", "future": "Looking ahead"},
}


def label(form_or_formset, lang: str) -> None:
    """Put the page's language on every field label (and on the choices, in English)."""
    forms_ = getattr(form_or_formset, "forms", None)
    for form in [form_or_formset] if forms_ is None else [*forms_, form_or_formset.empty_form]:
        for name, field in form.fields.items():
            field.label = LABELS[lang].get(name, field.label)
            if lang == "en" and name in CHOICES_EN:
                field.choices = [(value, CHOICES_EN[name].get(value, text)) for value, text in field.choices]
