"""/api/plans/<code>/ of a large plan through HTTP: pages with their counts and links, and the whole
document as a prebuilt, compressed file with its ETag (304 while the plan is unchanged)."""

import gzip
import json
import os
import stat

import pytest
from bench.generate import generate
from django.core.cache import cache

from machiplan.api import documents
from machiplan.interchange.package import read_package
from machiplan.plans.services.plan_load import plan_load

pytestmark = pytest.mark.django_db
CODE = "generated-250"
URL = f"/api/plans/{CODE}/"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return read_package(generate(tmp_path_factory.mktemp("big"), indicators=250, years=5))


@pytest.fixture(autouse=True)
def loaded(big):
    cache.clear()
    plan_load(plan=big)


def test_pages_hold_every_indicator_once_in_order_with_counts_and_links(client, big):
    codes = []
    url = URL + "?page=1&page_size=60"
    numbers = []
    while url:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        doc = response.json()
        page = doc["page"]
        numbers.append(page["number"])
        assert (page["size"], page["count"], page["pages"]) == (60, 250, 5)
        assert page["first"] == "http://testserver" + URL + "?page=1&page_size=60"
        assert page["last"] == "http://testserver" + URL + "?page=5&page_size=60"
        assert page["document"] == "http://testserver" + URL
        assert doc["schema"] == "machiplan/plan@2" and len(doc["nodes"]) == len(big.nodes)
        hung = {n["code"]: n["indicators"] for n in doc["nodes"]}  # the codes on each node, every page
        assert hung == {n.code: [i.code for i in big.indicators_at(n.code)] for n in big.nodes}
        assert any(hung.values())
        assert sum(doc["status_counts"].values()) == 250  # the whole plan's, on every page
        codes += [i["code"] for i in doc["indicators"]]
        if page["previous"]:
            assert page["previous"].endswith(f"?page={page['number'] - 1}&page_size=60")
            assert f'<{page["previous"]}>; rel="prev"' in response["Link"]
        url = page["next"] and page["next"].removeprefix("http://testserver")
    assert numbers == [1, 2, 3, 4, 5]
    assert codes == [i.code for i in big.indicators]
    last = client.get(URL + "?page=5&page_size=60").json()
    assert len(last["indicators"]) == 10 and last["page"]["next"] is None


def test_a_page_is_the_whole_document_s_slice(client):
    whole = client.get(URL).json()
    page = client.get(URL + "?page=2").json()  # the default size: 100
    assert page["page"]["size"] == 100 and page["page"]["previous"].endswith(URL + "?page=1")
    assert page["indicators"] == whole["indicators"][100:200]
    assert {k: v for k, v in page.items() if k not in ("indicators", "page")} == {
        k: v for k, v in whole.items() if k != "indicators"
    }


@pytest.mark.parametrize(
    "query", ["page=0", "page=x", "page=-1", "page_size=0", "page_size=1001", "page=1.5"]
)
def test_a_page_out_of_range_is_a_400(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400 and "page" in response.json()["error"]


def test_a_page_after_the_last_is_a_404(client):
    response = client.get(URL + "?page=4")
    assert response.status_code == 404 and response.json()["pages"] == 3


def test_the_whole_document_is_a_prebuilt_gzip_file_with_an_etag(client, settings):
    plain = client.get(URL)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert plain["Cache-Control"] == "public, no-cache" and "Accept-Encoding" in plain["Vary"]
    etag = plain["ETag"]
    assert etag.startswith('W/"') and int(plain["Content-Length"]) == len(plain.content)
    compressed = client.get(URL, headers={"Accept-Encoding": "gzip, deflate"})
    assert compressed["Content-Encoding"] == "gzip" and compressed["ETag"] == etag
    body = b"".join(compressed.streaming_content)
    assert gzip.decompress(body) == plain.content and len(body) < len(plain.content) / 4
    assert json.loads(plain.content)["indicators"][0]["code"] == "i1"
    folder = documents.plan_folder(CODE)
    (built,) = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert etag == f'W/"{built.name}"'
    for path in [built, *built.iterdir()]:  # private, as the rest of the data folder
        assert stat.S_IMODE(os.stat(path).st_mode) == (0o700 if path.is_dir() else 0o600)
    no_gzip = client.get(URL, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in no_gzip and no_gzip.content == plain.content


def test_if_none_match_answers_304_until_the_plan_changes(client, big):
    etag = client.get(URL)["ETag"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(URL, headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    assert client.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200
    page_etag = client.get(URL + "?page=2")["ETag"]
    assert page_etag != etag
    assert client.get(URL + "?page=2", headers={"If-None-Match": page_etag}).status_code == 304
    # served from the short public cache too: still a 304
    assert client.get(URL + "?page=2", headers={"If-None-Match": page_etag}).status_code == 304
    cache.clear()
    import dataclasses

    plan_load(plan=dataclasses.replace(big, title="改訂版"), replace=True)  # a new version
    fresh = client.get(URL, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh["ETag"] != etag and fresh.json()["plan"]["title"] == "改訂版"
    assert client.get(URL + "?page=2", headers={"If-None-Match": page_etag}).status_code == 200
    folder = documents.plan_folder(CODE)
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 1  # the old version's files are gone


def test_unknown_plan_is_a_404(client):
    assert client.get("/api/plans/nope/?page=1").status_code == 404
