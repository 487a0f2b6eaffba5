"""The read-only JSON API: nested published content, the HTML list's filters, limits."""

import re

import pytest
from rest_framework.throttling import AnonRateThrottle

ZONE = "azerbaijani-troops-entered-peacekeeping-zone"


@pytest.fixture
def api(client, seeded):
    return client


def test_the_api_root_lists_every_collection(api):
    root = api.get("/api/v1/").json()
    assert set(root) == {"claims", "statements", "parties", "articles", "topics"}


def test_a_claim_nests_its_stances_statements_parties_and_articles(api):
    claim = api.get(f"/api/v1/claims/{ZONE}/").json()
    assert claim["slug"] == ZONE
    assert claim["topic"]["slug"] == "farukh-parukh-incident-2022"
    assert claim["stance_counts"] == {"supports": 2, "refutes": 1, "disputes": 1, "neutral": 0}
    assert claim["assessment"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", claim["published_at"])
    assert claim["event_date"] == "2022-03-26"
    refuting = [s for s in claim["stances"] if s["stance"] == "refutes"]
    statement = refuting[0]["statement"]
    assert statement["party"]["slug"] == "azerbaijani-defence-ministry"
    assert statement["party"]["side"] == "Azerbaijan"
    assert statement["text"] == "Azerbaijan's Defence Ministry refuted Moscow's version of events"
    assert statement["article"]["outlet"]["name"] == "Deutsche Welle"
    assert [o["slug"] for o in statement["article"]["wire_credits"]] == ["afp", "reuters"]
    assert statement["html_url"].endswith(f"#statement-{statement['id']}")
    assert claim["html_url"] == f"http://127.0.0.1/claims/{ZONE}/"
    assert claim["places"][0]["alternative_names"]


def test_lists_are_paginated(api):
    page = api.get("/api/v1/claims/?page_size=3").json()
    assert page["count"] == 8 and len(page["results"]) == 3
    assert "page=2" in page["next"]
    assert api.get("/api/v1/claims/?page_size=3&page=3").json()["next"] is None


def test_statements_parties_articles_and_topics(api):
    statements = api.get("/api/v1/statements/?page_size=100").json()
    assert statements["count"] == 11
    one = api.get(f"/api/v1/statements/{statements['results'][0]['id']}/").json()
    assert one["stances"][0]["claim"]
    parties = api.get("/api/v1/parties/").json()
    assert {p["slug"] for p in parties["results"]} >= {
        "russian-defence-ministry",
        "armenian-government",
    }
    party = api.get("/api/v1/parties/russian-defence-ministry/").json()
    assert party["parent"] == "russian-government" and "Moscow" in party["aliases"]
    article = api.get(
        "/api/v1/articles/dw-russia-says-azeri-troops-entered-peacekeeping-zone/"
    ).json()
    assert article["body"].startswith("Russian peacekeepers") and article["byline"] == "mm/wd"
    topics = api.get("/api/v1/topics/").json()
    assert {t["slug"] for t in topics["results"]} == {
        "nagorno-karabakh-conflict",
        "farukh-parukh-incident-2022",
    }


FILTERS = [
    "",
    "party=azerbaijani-defence-ministry",
    "party=russian-defence-ministry&stance=supports",
    "stance=disputes",
    "topic=nagorno-karabakh-conflict",
    "topic=farukh-parukh-incident-2022&contested=true",
    "contested=false&ordering=statements",
    "outlet=deutsche-welle&ordering=contested",
    "since=2022-03-26&until=2022-03-26",
    "q=drone",
    "q=peacekeepers&ordering=newest",
]


@pytest.mark.parametrize("query", FILTERS)
def test_the_api_and_the_page_list_the_same_claims_for_the_same_filters(api, query):
    page = api.get(f"/claims/?{query}").content.decode()
    from_page = re.findall(r'<h3 class="claim-row__text"><a href="/claims/([^/]+)/">', page)
    from_api = [c["slug"] for c in api.get(f"/api/v1/claims/?{query}").json()["results"]]
    assert from_api == from_page


@pytest.mark.parametrize(
    ("query", "field"),
    [("since=notadate", "since"), ("party=../../x", "party"), ("ordering=random", "ordering")],
)
def test_an_invalid_filter_is_a_400_naming_the_field(api, query, field):
    response = api.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_and_unpublished_objects_are_404(api):
    assert api.get("/api/v1/claims/no-such-claim/").status_code == 404
    assert api.get("/api/v1/claims/?page=99").status_code == 404


def test_any_origin_may_read_the_api(api):
    response = api.get("/api/v1/claims/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in api.get("/claims/", HTTP_ORIGIN="https://x.example")


def test_the_api_refuses_writes(api):
    assert api.post("/api/v1/claims/", {"slug": "x"}).status_code == 405
    assert api.delete(f"/api/v1/claims/{ZONE}/").status_code == 405


def test_anonymous_clients_are_throttled(api, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(api.get("/api/v1/topics/")["Retry-After"]) > 0
    cache.clear()


def test_a_client_cannot_escape_the_limit_by_claiming_another_address(api, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [
        api.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").status_code
        for number in range(3)
    ]
    assert statuses == [200, 200, 429]
    cache.clear()


def test_the_schema_and_the_docs_are_served(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/claims/{slug}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert parameters >= {
        "q",
        "party",
        "stance",
        "topic",
        "outlet",
        "contested",
        "since",
        "until",
        "ordering",
        "page",
    }
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
