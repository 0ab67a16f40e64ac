"""Plan owners edit the structure in the app; each save is recorded and shows on the public pages."""

from django.core.cache import cache
from django.forms import CheckboxInput

from machiplan.interchange.package import read_package
from machiplan.plans.models import Goal, Indicator, Narrative, Target
from machiplan.plans.services import plan_export
from machiplan.staff.models import AuditEvent

from .conftest import PLAN

S = f"/staff/plans/{PLAN}/structure"


def form_data(forms):
    """The POST data a browser sends for these forms as rendered."""
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else value
    return data


def post_page(client, url, changes):
    page = client.get(url)
    assert page.status_code == 200
    ctx = page.context
    forms = [ctx["main"]]
    data = {}
    for fs in ctx["formsets"]:
        forms.extend(fs.forms)
        for name in fs.management_form.fields:
            data[fs.management_form.add_prefix(name)] = fs.management_form[name].value()
    data.update(form_data(forms))
    data.update(changes)
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def test_an_owner_changes_an_indicator_and_its_targets(as_, client):
    owner = as_("owner")
    response = post_page(
        owner,
        f"{S}/indicators/1b/",
        {
            "indicator-name": "町内会・自治会加入率",
            "indicator-name_en": "Membership rate",
            "targets-0-value": "75",
        },
    )
    assert response.status_code == 302
    ind = Indicator.objects.get(code="1b")
    assert ind.name == "町内会・自治会加入率"
    assert Target.objects.filter(indicator=ind, value=75).exists()
    event = AuditEvent.objects.get(action="structure")
    assert event.actor == "owner" and event.indicator_code == "1b"
    assert any(k.endswith(".name") for k in event.new) and "町内会・自治会加入率" in event.new.values()
    cache.clear()
    assert "町内会・自治会加入率" in client.get(f"/plans/{PLAN}/indicators/1b/").content.decode()


def test_narratives_are_edited_as_the_sheet_writes_them(as_):
    owner = as_("owner")
    response = post_page(
        owner, f"{S}/goals/1/", {"narratives-0-text": "●新しい見出し\n本文です\n・一つ目\n・二つ目"}
    )
    assert response.status_code == 302
    narrative = Narrative.objects.filter(goal__number=1).order_by("order").first()
    assert narrative.items == [
        {"heading": "新しい見出し", "text": "本文です", "bullets": ["一つ目", "二つ目"]}
    ]


def test_a_new_goal_and_indicator(as_):
    owner = as_("owner")
    data = {"goal-number": "5", "goal-name": "発信", "goal-statement": "情報を発信する",
            "policies-TOTAL_FORMS": "0", "policies-INITIAL_FORMS": "0",
            "narratives-TOTAL_FORMS": "0", "narratives-INITIAL_FORMS": "0"}  # fmt: skip
    assert owner.post(f"{S}/goals/new/", data).status_code == 302
    assert Goal.objects.filter(number=5, name="発信").exists()
    duplicate = owner.post(f"{S}/goals/new/", data)
    assert duplicate.status_code == 400  # goal 5 exists: the form says so, nothing is saved


def test_invalid_input_is_refused_at_the_field(as_):
    response = post_page(as_("owner"), f"{S}/indicators/1b/", {"indicator-code": "1a"})
    assert response.status_code == 400
    assert "already used" in response.content.decode()
    assert (
        Indicator.objects.filter(code="1b").exists()
        and not AuditEvent.objects.filter(action="structure").exists()
    )


def test_the_structure_pages_speak_english(as_):
    page = as_("owner").get(f"{S}/indicators/3b/?lang=en").content.decode()
    assert '<option value="cumulative" selected>Running total</option>' in page and "English name" in page


def test_deleting_an_indicator_and_an_empty_goal(as_, client):
    owner = as_("owner")
    confirm = owner.get(f"{S}/indicators/4c/delete/").content.decode()
    assert "4c" in confirm and "5件" in confirm and 'method="post"' in confirm
    assert Indicator.objects.filter(code="4c").exists()  # asking deletes nothing
    assert owner.post(f"{S}/indicators/4c/delete/").status_code == 302
    assert not Indicator.objects.filter(code="4c").exists()
    event = AuditEvent.objects.get(action="structure", indicator_code="4c")
    assert (
        event.subject.startswith("delete indicator 4c")
        and len(event.old["observations"]) == 5
        and event.new is None
    )
    cache.clear()
    assert client.get(f"/plans/{PLAN}/indicators/4c/").status_code == 404
    # a goal with indicators is kept; an empty one goes
    owner.post(f"{S}/goals/4/delete/")
    assert Goal.objects.filter(number=4).exists()
    for code in ("4a", "4b"):
        owner.post(f"{S}/indicators/{code}/delete/")
    assert (
        owner.post(f"{S}/goals/4/delete/").status_code == 302 and not Goal.objects.filter(number=4).exists()
    )
    assert as_("editor").post(f"{S}/indicators/1b/delete/").status_code == 403


def test_an_indicator_with_figures_awaiting_approval_is_not_deleted(as_):
    as_("editor").post(
        f"/staff/plans/{PLAN}/indicators/3a/2017/edit/", {"kind": "actual", "value": "33", "revision": "0"}
    )
    response = as_("owner").post(f"{S}/indicators/3a/delete/", follow=True)
    assert "awaiting approval" in response.content.decode() and Indicator.objects.filter(code="3a").exists()


def test_a_policy_edit_is_filed_under_the_plan_not_an_indicator(as_):
    from machiplan.plans.models import Policy

    policy = Policy.objects.filter(goal__number=2).order_by("order").first()
    response = post_page(as_("owner"), f"{S}/policies/{policy.pk}/", {"policy-title": "拠点施設での支援"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="structure")
    assert event.indicator_code == "" and event.subject.startswith(policy.code)


def test_what_a_package_cannot_hold_is_refused_here_too(as_, tmp_path):
    """The structure pages keep the rules load keeps (#10): what they save, export writes and load reads."""
    owner = as_("owner")
    goal = post_page(owner, f"{S}/goals/1/", {"goal-number": "0"})
    assert (
        goal.status_code == 400 and "a goal number is a whole number from 1 to 999" in goal.content.decode()
    )
    for changes, message in [
        ({"targets-0-fy": "0"}, "FY0 is outside the years machiplan keeps (1927 to 2200)"),
        ({"targets-0-fy": "9999"}, "FY9999 is outside the years"),
        ({"targets-0-value": "120"}, "A percentage must be between 0 and 100"),
        ({"targets-0-value": "12345678901234567"}, "cannot be kept exactly"),
        ({"indicator-code": "-1b"}, "is not a valid code"),
    ]:
        response = post_page(owner, f"{S}/indicators/1b/", changes)
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    assert Goal.objects.filter(number=1).exists() and Indicator.objects.filter(code="1b").exists()
    assert not Target.objects.filter(value__gt=100, indicator__code="1b").exists()
    assert not AuditEvent.objects.filter(action="structure").exists()
    plan_export(code=PLAN, out=tmp_path / "out")
    read_package(tmp_path / "out")  # still loads
