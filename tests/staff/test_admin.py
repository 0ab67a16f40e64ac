"""The Django admin shows plan data and changes none of it: figures and structure change through the staff
pages, with their checks, audit trail and plan-version bump."""

from decimal import Decimal

import pytest
from django.forms import inlineformset_factory, modelform_factory

from machiplan.plans import models
from machiplan.staff.models import AuditEvent

from .conftest import PLAN


def _post(*forms, **extra: str) -> dict:
    """What the admin's own page would post for these forms, as they stand."""
    data = dict(extra)
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(value)
    return data


def _formset(model, indicator) -> tuple:
    formset = inlineformset_factory(models.Indicator, model, fields="__all__", extra=0)(
        instance=indicator, prefix=model._meta.get_field("indicator").remote_field.related_name
    )
    return formset.management_form, *formset.forms


def _published(client, code: str, fy: int) -> str:
    plan = client.get(f"/api/plans/{PLAN}/").json()
    return next(
        o["value"]
        for i in plan["indicators"]
        if i["code"] == code
        for o in i["observations"]
        if o["fy"] == fy
    )


def test_a_published_figure_cannot_be_changed_in_the_admin(as_, client):
    admin = as_("admin")
    indicator = models.Indicator.objects.get(plan__code=PLAN, code="1b")
    url = f"/admin/plans/indicator/{indicator.pk}/change/"
    assert admin.get(url).status_code == 200  # shown
    observations = _formset(models.Observation, indicator)
    data = _post(modelform_factory(models.Indicator, fields="__all__")(instance=indicator), *observations,
                 *_formset(models.Target, indicator), _save="Save")  # fmt: skip
    form = next(f for f in observations[1:] if f.instance.fy == 2016)
    assert data[form["value"].html_name] == "71.100000"
    data[form["value"].html_name] = "99.9"
    version, trail = models.Plan.objects.get(code=PLAN).updated_at, AuditEvent.objects.count()

    assert admin.post(url, data).status_code == 403
    assert models.Observation.objects.get(indicator=indicator, fy=2016).value == Decimal("71.1")
    assert str(_published(client, "1b", 2016)) == "71.1"
    assert models.Plan.objects.get(code=PLAN).updated_at == version and AuditEvent.objects.count() == trail


CHANGES = {
    models.Plan: ("title", "書き換えた計画"),
    models.Department: ("name", "書き換えた課"),
    models.HigherPlan: ("title", "書き換えた上位計画"),
    models.Node: ("name", "書き換えた目標"),
    models.Initiative: ("text", "書き換えた取組"),
    models.Narrative: ("order", "99"),
    models.Indicator: ("name", "書き換えた指標"),
}


@pytest.mark.parametrize("model", CHANGES, ids=lambda m: m._meta.model_name)
def test_plan_data_is_read_only_in_the_admin(as_, model):
    admin = as_("admin")
    obj = model.objects.order_by("pk").first()
    base = f"/admin/plans/{model._meta.model_name}/"
    assert admin.get(f"{base}{obj.pk}/change/").status_code == 200
    field, value = CHANGES[model]
    data = _post(modelform_factory(model, fields="__all__")(instance=obj), _save="Save")
    data[field] = value
    before = models.Plan.objects.get(code=PLAN).updated_at, AuditEvent.objects.count(), model.objects.count()

    assert admin.post(f"{base}{obj.pk}/change/", data).status_code == 403
    assert admin.post(f"{base}add/", data).status_code == 403
    assert admin.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert str(getattr(model.objects.get(pk=obj.pk), field)) != value
    after = models.Plan.objects.get(code=PLAN).updated_at, AuditEvent.objects.count(), model.objects.count()
    assert after == before
