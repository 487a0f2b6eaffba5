"""The read-only JSON API: nested published content, the HTML list's filters, limits."""

import math
import re

import pytest
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from claims.models import StanceValue

from .pages import Link, claims_listed, page_of
from .sites import Site


@pytest.fixture
def api(client, site: Site):
    return client


def test_the_api_root_lists_every_collection(api):
    root = api.get("/api/v1/").json()
    assert set(root) == {"claims", "statements", "parties", "articles", "topics"}


def test_a_claim_nests_its_stances_statements_parties_and_articles(api, site: Site):
    claim = api.get(f"/api/v1/claims/{site.contested_claim.slug}/").json()
    assert claim["slug"] == site.contested_claim.slug
    assert claim["topic"]["slug"] == site.topic.slug
    stances = [stance.value for stance in site.stances_on(site.contested_claim)]
    assert claim["stance_counts"] == {value: stances.count(value) for value in StanceValue.values}
    assert claim["assessment"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", claim["published_at"])
    assert claim["event_date"] == site.contested_claim.event_date.isoformat()
    [refuting] = [stance for stance in claim["stances"] if stance["stance"] == "refutes"]
    statement = refuting["statement"]
    assert statement["party"]["slug"] == site.denier.slug
    assert statement["party"]["side"] == site.denier.side
    assert statement["text"] == site.rejection.text
    assert statement["article"]["outlet"]["name"] == site.outlet.name
    credits = [outlet["slug"] for outlet in statement["article"]["wire_credits"]]
    assert credits == [outlet.slug for outlet in site.wire_agencies]
    assert statement["html_url"].endswith(f"#statement-{statement['id']}")
    assert claim["html_url"] == f"{settings.SITE_URL}{site.contested_claim.get_absolute_url()}"
    [place] = claim["places"]
    assert (place["slug"], place["name"]) == (site.place.slug, site.place.name)
    other_name = site.place_name
    assert place["alternative_names"] == [{"name": other_name.name, "used_by": other_name.used_by}]


def test_lists_are_paginated(api, site: Site):
    size = len(site.published_claims) - 1
    first = api.get(f"/api/v1/claims/?page_size={size}").json()
    assert first["count"] == len(site.published_claims) and len(first["results"]) == size
    assert "page=2" in first["next"]
    pages = math.ceil(len(site.published_claims) / size)
    assert api.get(f"/api/v1/claims/?page_size={size}&page={pages}").json()["next"] is None


def test_statements_parties_articles_and_topics(api, site: Site):
    statements = api.get("/api/v1/statements/?page_size=100").json()
    assert statements["count"] == len(site.public_statements)
    assert {s["text"] for s in statements["results"]} == {s.text for s in site.public_statements}
    one = api.get(f"/api/v1/statements/{site.rejection.pk}/").json()
    assert {stance["claim"] for stance in one["stances"]} == {
        stance.claim.slug for stance in site.public_stances if stance.statement == site.rejection
    }
    parties = api.get("/api/v1/parties/").json()
    assert {p["slug"] for p in parties["results"]} == {p.slug for p in site.public_parties}
    party = api.get(f"/api/v1/parties/{site.accuser.slug}/").json()
    assert party["parent"] == site.government.slug and "Valdor" in party["aliases"]
    article = api.get(f"/api/v1/articles/{site.article.slug}/").json()
    assert article["body"] == site.article.body and article["byline"] == site.article.byline
    topics = api.get("/api/v1/topics/").json()
    assert {t["slug"] for t in topics["results"]} == {site.parent_topic.slug, site.topic.slug}


# Filters as templates over the site: "{denier.slug}" is the denier's slug.
FILTERS = [
    "",
    "party={denier.slug}",
    "party={accuser.slug}&stance=supports",
    "stance=disputes",
    "topic={parent_topic.slug}",
    "topic={topic.slug}&contested=true",
    "contested=false&ordering=statements",
    "outlet={outlet.slug}&ordering=contested",
    "since={demand.said_on}&until={demand.said_on}",
    "q=observation",
    "q=buffer&ordering=newest",
]


@pytest.mark.parametrize("query", FILTERS)
def test_the_api_and_the_page_list_the_same_claims_for_the_same_filters(api, site: Site, query):
    query = query.format_map(vars(site))
    from_page = claims_listed(page_of(api.get(f"/claims/?{query}")))
    from_api = [c["slug"] for c in api.get(f"/api/v1/claims/?{query}").json()["results"]]
    assert from_api == from_page
    assert from_page, "each filter selects some claims, so that the order is compared too"


@pytest.mark.parametrize(
    ("query", "field"),
    [("since=notadate", "since"), ("party=../../x", "party"), ("ordering=random", "ordering")],
)
def test_an_invalid_filter_is_a_400_naming_the_field(api, query, field):
    response = api.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_and_unpublished_objects_are_404(api, site: Site):
    assert api.get("/api/v1/claims/no-such-claim/").status_code == 404
    assert api.get(f"/api/v1/claims/{site.draft_claim.slug}/").status_code == 404
    assert api.get(f"/api/v1/statements/{site.draft_only_statement.pk}/").status_code == 404
    assert api.get("/api/v1/claims/?page=99").status_code == 404


def test_any_origin_may_read_the_api(api):
    response = api.get("/api/v1/claims/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in api.get("/claims/", HTTP_ORIGIN="https://x.example")


def test_the_api_refuses_writes(api, site: Site):
    assert api.post("/api/v1/claims/", {"slug": "x"}).status_code == 405
    assert api.delete(f"/api/v1/claims/{site.contested_claim.slug}/").status_code == 405


def test_anonymous_clients_are_throttled(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(api.get("/api/v1/topics/")["Retry-After"]) > 0


def test_a_client_cannot_escape_the_limit_by_claiming_another_address(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [
        api.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").status_code
        for number in range(3)
    ]
    assert statuses == [200, 200, 429]


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
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    docs = page_of(response)
    assert [s for s in docs.find_all("script") if "swagger-ui" in s.attributes.get("src", "")]
    assert Link("/api/v1/schema/?format=json", "JSON") in docs.links  # without JavaScript
