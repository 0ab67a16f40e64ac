"""The structure editor on nodes: a plan's owner adds, edits, moves, renumbers and deletes nodes at any
depth, edits indicators and hangs them on several nodes or none; every save keeps the plan's rules
(refusals at the field), writes one group of rows in the trail and shows on the public pages."""

import re

import pytest
from django.core.cache import cache
from django.forms import CheckboxInput, CheckboxSelectMultiple, ChoiceField

from machiplan.interchange.package import read_package
from machiplan.plans.models import Indicator, IndicatorNode, Narrative, Node, Plan, Target
from machiplan.plans.selectors import plan_data
from machiplan.plans.services import plan_export
from machiplan.plans.services import structure as plan_structure
from machiplan.plans.services.structure import StructureError
from machiplan.reports.model import build_report
from machiplan.staff.models import AuditEvent

from .conftest import PLAN

S = f"/staff/plans/{PLAN}/structure"


def form_data(form) -> dict:
    """The POST data a browser sends for this form as rendered."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(field.widget, CheckboxSelectMultiple):
            data[key] = list(value or [])
        elif isinstance(field, ChoiceField) and value in (None, "") and field.choices:
            data[key] = field.choices[0][0]  # a select sends its first option
        else:
            value = field.prepare_value(value) if hasattr(field, "prepare_value") else value
            data[key] = "" if value is None else value
    return data


def post_page(client, url, changes, *, status=200):
    """Open ``url``, change some of its fields, and send it as a browser would."""
    page = client.get(url)
    assert page.status_code == status
    ctx = page.context
    data = form_data(ctx["main"])
    for _, fs in ctx["sections"]:
        for name in fs.management_form.fields:
            data[fs.management_form.add_prefix(name)] = fs.management_form[name].value()
        for form in fs.forms:
            data.update(form_data(form))
    data.update(changes)
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def structure_events():
    return list(AuditEvent.objects.filter(action="structure").order_by("id"))


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
    events = structure_events()
    assert [e.subject for e in events] == ["indicator 1b", "indicator 1b targets"]
    assert {e.actor for e in events} == {"owner"} and {e.indicator_code for e in events} == {"1b"}
    assert len({e.group for e in events}) == 1 and events[0].group is not None  # one save, one group
    assert events[0].new["name"] == "町内会・自治会加入率" and events[0].old["name"] == "町内会加入率"
    cache.clear()
    assert "町内会・自治会加入率" in client.get(f"/plans/{PLAN}/indicators/1b/").content.decode()


def test_narratives_are_edited_as_the_sheet_writes_them(as_):
    response = post_page(
        as_("owner"), f"{S}/nodes/1/", {"narratives-0-text": "●新しい見出し\n本文です\n・一つ目\n・二つ目"}
    )
    assert response.status_code == 302
    narrative = Narrative.objects.filter(node__code="1").order_by("order").first()
    assert narrative.items == [
        {"heading": "新しい見出し", "text": "本文です", "bullets": ["一つ目", "二つ目"]}
    ]


def _node_data(**values):
    data = {"node-code": "", "node-name": "", "node-parent": "", "node-position": ""}
    data.update({f"node-{k}": v for k, v in values.items()})
    for prefix in ("initiatives", "narratives", "costs", "ratings", "comments"):
        data[f"{prefix}-TOTAL_FORMS"], data[f"{prefix}-INITIAL_FORMS"] = "0", "0"
    return data


def test_a_node_is_added_at_the_top_and_under_any_node(as_, client):
    owner = as_("owner")
    assert owner.post(f"{S}/add-node/", _node_data(code="5", number="5", name="発信")).status_code == 302
    assert owner.post(f"{S}/add-node/?parent=2-1", _node_data(code="2-1-(1)", number="(1)", name="拠点の運営", parent="2-1")).status_code == 302  # fmt: skip
    plan = plan_data(PLAN)
    assert plan.node("5").parent is None and plan.top_nodes[-1].code == "5"  # a new top node goes last
    assert (
        plan.node("2-1-(1)").parent == "2-1" and plan.depth("2-1-(1)") == 2
    )  # a third level, for Sapporo too
    assert [n.code for n in plan.nodes].index("2-1-(1)") == [n.code for n in plan.nodes].index("2-1") + 1
    assert Node.objects.get(code="2-1-(1)").depth == 2
    added = structure_events()
    assert [e.subject for e in added] == ["add node 5", "add node 2-1-(1)"] and added[1].new[
        "parent"
    ] == "2-1"
    cache.clear()
    assert "拠点の運営" in client.get(f"/plans/{PLAN}/nodes/2-1-(1)/").content.decode()
    duplicate = owner.post(f"{S}/add-node/", _node_data(code="5", name="二つ目"))
    assert duplicate.status_code == 400 and 'id="id_node-code_error"' in duplicate.content.decode()
    assert "node code 5 is already used" in duplicate.content.decode()


def test_a_node_moves_under_another_and_never_under_itself(as_):
    owner = as_("owner")
    response = post_page(owner, f"{S}/nodes/1-3/", {"node-parent": "2", "node-position": "1"})
    assert response.status_code == 302
    plan = plan_data(PLAN)
    assert plan.node("1-3").parent == "2" and [n.code for n in plan.children("2")][:2] == ["1-3", "2-1"]
    (event,) = structure_events()
    assert event.subject == "move node 1-3" and event.old == {"parent": "1", "position": 2}
    assert event.new == {"parent": "2", "position": 0}
    # under its own child: the choice is not offered, and a forged one is refused at the field
    post_page(owner, f"{S}/add-node/?parent=1-1", {**_node_data(code="1-1-a", name="子", parent="1-1")})
    assert "1-1-a" not in dict(owner.get(f"{S}/nodes/1-1/").context["main"].fields["parent"].choices)
    for parent in ("1-1-a", "1-1"):
        refused = post_page(owner, f"{S}/nodes/1-1/", {"node-parent": parent})
        assert refused.status_code == 400 and 'id="id_node-parent_error"' in refused.content.decode()
    assert Node.objects.get(code="1-1").parent.code == "1"


def test_renumbering_a_node_takes_its_indicators_and_children_along(as_, client):
    owner = as_("owner")
    response = post_page(owner, f"{S}/nodes/3/", {"node-code": "Ⅲ", "node-number": "Ⅲ"})
    assert response.status_code == 302
    plan = plan_data(PLAN)
    assert plan.node("3") is None and [i.code for i in plan.indicators_at("Ⅲ")] == ["3a", "3b", "3c"]
    assert [n.code for n in plan.children("Ⅲ")] == ["3-1", "3-2", "3-3"]
    renumber = structure_events()[0]
    assert renumber.subject == "renumber node 3 → Ⅲ" and renumber.new["indicators"] == ["3a", "3b", "3c"]
    cache.clear()
    assert client.get(f"/plans/{PLAN}/nodes/Ⅲ/").status_code == 200


def test_deleting_a_node_is_refused_while_it_has_children_or_indicators(as_):
    owner = as_("owner")
    owner.post(f"{S}/nodes/4/delete/")
    assert Node.objects.filter(code="4").exists()  # children and indicators
    owner.post(f"{S}/nodes/4-1/delete/")  # a leaf without indicators goes
    assert not Node.objects.filter(code="4-1").exists()
    (event,) = structure_events()
    assert event.subject.startswith("delete node 4-1") and event.old["initiatives"] and event.new is None
    page = owner.post(f"{S}/nodes/4/delete/", follow=True).content.decode()
    assert "still has nodes under it (4-2, 4-3)" in page
    assert as_("editor").post(f"{S}/nodes/4-2/delete/").status_code == 403
    assert len(structure_events()) == 1


def test_an_indicator_hangs_on_several_nodes_in_order_or_on_none(as_, client):
    owner = as_("owner")
    response = post_page(owner, f"{S}/indicators/2e/", {"nodes-0-node": "2-1", "nodes-1-node": "3"})
    assert response.status_code == 302
    links = IndicatorNode.objects.filter(indicator__code="2e").order_by("order")
    assert [link.node.code for link in links] == ["2-1", "3"]  # the first is its home
    plan = plan_data(PLAN)
    assert "2e" in [i.code for i in plan.indicators_under("3")] and "2e" in [
        i.code for i in plan.indicators_under("2")
    ]
    (event,) = structure_events()
    assert (
        event.subject == "indicator 2e nodes"
        and event.old == {"nodes": ["2"]}
        and event.new == {"nodes": ["2-1", "3"]}
    )
    detached = post_page(owner, f"{S}/indicators/2e/", {"nodes-0-DELETE": "on", "nodes-1-DELETE": "on"})
    assert detached.status_code == 302
    assert not IndicatorNode.objects.filter(indicator__code="2e").exists()  # the plan's own indicator
    assert "2e" in owner.get(f"{S}/").content.decode().split("<h2>")[-1]
    cache.clear()
    assert client.get(f"/plans/{PLAN}/indicators/2e/").status_code == 200


def test_a_new_indicator_on_a_node(as_):
    owner = as_("owner")
    url = f"{S}/add-indicator/?node=4-2"
    page = owner.get(url)
    assert page.status_code == 200 and page.context["sections"][0][1].forms[0]["node"].value() == "4-2"
    response = post_page(owner, url, {
        "indicator-code": "4d", "indicator-name": "協定を結んだ企業の数", "indicator-unit": "社",
        "indicator-department": "shimin-jichi", "indicator-type": "kpi",
        "targets-0-fy": "2019", "targets-0-value": "30", "baselines-0-label": "基準値", "baselines-0-fy": "2016",
        "baselines-0-value": "21",
    })  # fmt: skip
    assert response.status_code == 302, [
        e for e in re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    ]
    ind = plan_data(PLAN).indicators[-1]
    assert (ind.code, ind.nodes, ind.type, ind.department) == ("4d", ("4-2",), "kpi", "shimin-jichi")
    assert ind.target("plan").value == 30 and ind.baseline().value == 21 and ind.baseline().label == "基準値"
    assert structure_events()[0].subject == "add indicator 4d"


def test_refusals_are_shown_at_their_field_and_nothing_is_saved(as_, tmp_path):
    """The structure pages keep the rules load keeps (#10): what they save, export writes and load reads."""
    owner = as_("owner")
    version = Plan.objects.get(code=PLAN).updated_at
    for url, changes, field, message in [
        (f"{S}/indicators/1b/", {"indicator-code": "1a"}, "indicator-code", "this code is already used"),
        (f"{S}/indicators/1b/", {"indicator-code": "-1b"}, "indicator-code", "is not a valid code"),
        (f"{S}/indicators/1b/", {"targets-0-fy": "0"}, "targets-0-fy", "FY0 is outside the years machiplan keeps (1927 to 2200)"),
        (f"{S}/indicators/1b/", {"targets-0-fy": "9999"}, "targets-0-fy", "FY9999 is outside the years"),
        (f"{S}/indicators/1b/", {"targets-0-value": "120"}, "targets-0-value", "％の値は0〜100の範囲で入力してください"),
        (f"{S}/indicators/1b/", {"targets-0-value": "12345678901234567"}, "targets-0-value", "そのままでは保存できません"),
        (f"{S}/indicators/1b/", {"indicator-name": "a\x01b"}, "indicator-name", "制御文字"),
        (f"{S}/nodes/1/", {"node-code": "a b"}, "node-code", "is not a valid node code"),
        (f"{S}/nodes/1/", {"node-code": ".."}, "node-code", "is not a valid node code"),
        (f"{S}/nodes/1/", {"node-code": "1\u200b"}, "node-code", "is not a valid node code"),  # invisible
        (f"{S}/nodes/1/", {"node-code": "1\x1b[2J"}, "node-code", "is not a valid node code"),  # an escape
        (f"{S}/nodes/1/", {"node-name": ""}, "node-name", ""),
        (f"{S}/nodes/1/", {"narratives-0-fy": "1800"}, "narratives-0-fy", "FY1800 is outside"),
        # a text too long for its column: the message the figure form and check_plan give
        (f"{S}/indicators/1b/", {"indicator-name": "名" * 301}, "indicator-name", "300文字以内で入力してください（301文字あります）。"),
        (f"{S}/nodes/1/", {"node-number": "Ⅰ" * 33}, "node-number", "32文字以内で入力してください（33文字あります）。"),
    ]:  # fmt: skip
        response = post_page(owner, url, changes)
        page = response.content.decode()
        assert response.status_code == 400, changes
        assert (
            f'id="id_{field}_error"' in page and message in page.split(f'id="id_{field}_error"')[1][:400]
        ), changes
    # a rule only the whole plan can check (a target in a series the indicator does not have) is named too
    response = post_page(owner, f"{S}/indicators/1b/", {"targets-0-series": "男性"})
    assert (
        response.status_code == 400
        and "is not one of the indicator&#x27;s series" in response.content.decode()
    )
    assert Plan.objects.get(code=PLAN).updated_at == version and not structure_events()
    assert (
        Indicator.objects.filter(code="1b").exists()
        and not Target.objects.filter(indicator__code="1b", value__gt=100).exists()
    )
    plan_export(code=PLAN, out=tmp_path / "out")
    read_package(tmp_path / "out")  # still loads


def test_a_node_code_another_has_in_other_characters_is_refused(as_):
    """が and か + ゛ (NFC and NFD) are one code to a reader: the second is refused at its field."""
    owner = as_("owner")
    assert post_page(owner, f"{S}/nodes/2/", {"node-code": "が"}).status_code == 302
    response = post_page(owner, f"{S}/nodes/3/", {"node-code": "か\u3099"})
    assert response.status_code == 400 and "appears twice" in response.content.decode()
    assert Node.objects.filter(plan__code=PLAN, code="3").exists()


def test_the_levels_revisions_and_rating_scales_of_the_plan(as_):
    owner = as_("owner")
    response = post_page(owner, f"{S}/plan/", {
        "levels-2-name": "個別施策", "levels-2-name_en": "Measure",
        "revisions-0-code": "r2019", "revisions-0-fy": "2019", "revisions-0-title": "中間見直し",
        "rating_scales-0-key": "progress", "rating_scales-0-name": "進捗状況",
        "rating_scales-0-grades": "A | 順調 | achieved on_track\nB | 遅れ | behind",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = plan_data(PLAN)
    assert [lv.name for lv in plan.levels] == ["基本目標", "基本施策", "個別施策"]
    assert plan.revision("r2019").title == "中間見直し"
    assert [g.code for g in plan.rating_scale("progress").grades] == ["A", "B"]
    assert plan.rating_scale("progress").grades[0].statuses == ("achieved", "on_track")
    events = structure_events()
    assert {e.subject for e in events} == {"levels", "revisions", "rating scales"} and len(
        {e.group for e in events}
    ) == 1


def test_the_owner_names_the_department_that_issues_the_report(as_, client, tmp_path):
    """The plan settings' 所管課: a select of the plan's departments; the report's cover and the public
    footer name it; export writes it; empty again, Sapporo's report names none of its two."""
    owner = as_("owner")
    page = owner.get(f"{S}/plan/").content.decode()
    assert "所管課（報告書の発行）" in page and "報告書の表紙に" in page
    assert '<option value="chiiki-katsudo">市民文化局 地域活動推進課</option>' in page
    english = owner.get(f"{S}/plan/?lang=en").content.decode()
    assert "Owning department (issues the report)" in english and "Owning department, levels" in english
    response = post_page(owner, f"{S}/plan/", {"plan-department": "chiiki-katsudo"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = plan_data(PLAN)
    assert plan.department == "chiiki-katsudo"
    assert build_report(plan).issuer == "札幌市 市民文化局 地域活動推進課"
    (event,) = structure_events()
    assert (event.subject, event.old, event.new) == (
        "department",
        {"department": None},
        {"department": "chiiki-katsudo"},
    )
    assert '<option value="chiiki-katsudo" selected>' in owner.get(f"{S}/plan/").content.decode()
    cache.clear()
    assert (
        "札幌市 市民文化局 地域活動推進課</span>（011002）" in client.get(f"/plans/{PLAN}/").content.decode()
    )
    plan_export(code=PLAN, out=tmp_path / "out")
    assert read_package(tmp_path / "out") == plan
    assert post_page(owner, f"{S}/plan/", {"plan-department": ""}).status_code == 302
    assert plan_data(PLAN).department is None and build_report(plan_data(PLAN)).issuer == "札幌市"


def test_only_the_owner_names_the_plans_department_and_only_one_of_its_own(as_):
    for who in ("editor", "viewer"):
        someone = as_(who)
        assert someone.get(f"{S}/plan/").status_code == 403
        assert someone.post(f"{S}/plan/", {"plan-department": "shimin-jichi"}).status_code == 403
    owner = as_("owner")
    response = post_page(owner, f"{S}/plan/", {"plan-department": "kikaku"})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="id_plan-department_error"' in page
    assert "kikaku は候補にありません" in page.split('id="id_plan-department_error"')[1][:200]
    assert plan_data(PLAN).department is None and not structure_events()
    with pytest.raises(StructureError, match="department 'kikaku' is not one of the plan's"):
        plan_structure.plan_save(Plan.objects.get(code=PLAN), department="kikaku")
    assert plan_data(PLAN).department is None


def test_an_indicator_with_figures_awaiting_approval_is_not_deleted(as_, client):
    owner = as_("owner")
    confirm = owner.get(f"{S}/indicators/4c/delete/").content.decode()
    assert "4c" in confirm and "5件" in confirm and 'method="post"' in confirm
    assert owner.post(f"{S}/indicators/4c/delete/").status_code == 302
    assert not Indicator.objects.filter(code="4c").exists()
    (event,) = structure_events()
    assert event.subject.startswith("delete indicator 4c") and len(event.old["observations"]) == 5
    cache.clear()
    assert client.get(f"/plans/{PLAN}/indicators/4c/").status_code == 404
    as_("editor").post(
        f"/staff/plans/{PLAN}/indicators/3a/2017/edit/", {"kind": "actual", "value": "33", "revision": "0"}
    )
    response = owner.post(f"{S}/indicators/3a/delete/", follow=True)
    assert "awaiting approval" in response.content.decode() and Indicator.objects.filter(code="3a").exists()


def test_the_structure_pages_speak_english(as_):
    page = as_("owner").get(f"{S}/indicators/3b/?lang=en").content.decode()
    assert '<option value="cumulative" selected>Running total</option>' in page and "English name" in page
    assert "Target year" in page  # the targets' labels are domain/figures.py's
    tree = as_("owner").get(f"{S}/?lang=en").content.decode()
    assert "Basic goal" in tree and "Add a node under it" in tree
