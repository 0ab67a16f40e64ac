"""The city's own rating on the staff indicator page: a disagreement with machiplan's status names the
city's scale as the plan declares it (つくば市's 進捗状況), as the report and the plan JSON do."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from machiplan.interchange.package import read_package
from machiplan.plans.services import plan_load
from machiplan.staff.services.people import user_add

from .conftest import PASSWORD

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
TSUKUBA, KPI = "tsukuba-sousei-1", "I-1-1-KPI1"  # the city's 進捗状況 概ね順調, machiplan's 順調


@pytest.fixture
def owner(db):
    cache.clear()
    plan_load(plan=read_package(REAL / "tsukuba"), source="tests/data/real/tsukuba")
    user = user_add(username="kagaku", role="owner", password=PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def test_the_disagreement_names_the_citys_scale(owner):
    page = owner.get(f"/staff/plans/{TSUKUBA}/indicators/{KPI}/").content.decode()
    assert "平成27年度の市の評価（進捗状況「概ね順調」）とこの方法による判定が一致しない" in page
    assert "市の評価（progress" not in page
    english = owner.get(f"/staff/plans/{TSUKUBA}/indicators/{KPI}/?lang=en").content.decode()
    assert "The city&#x27;s own rating (進捗状況 “概ね順調”) for FY2015 disagrees" in english
