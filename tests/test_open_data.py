"""Open data to the letter: Atom feeds with every element RFC 4287 requires, a ClaimReview only
where it can be a whole one, Wikidata items as sameAs, every absolute link on the site's public
address, and a stances export that lists the stances its filters ask for."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from claims.models import Claim, StanceValue, Statement
from claims.services import set_stance

from .pages import page_of
from .sites import Site, published_fields

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC_ADDRESS = "https://claims.example.org"

# One feed of each kind, as templates over the site: "{topic.slug}" is the topic's slug.
FEEDS = {
    "new claims": "/feeds/claims/",
    "a claim's statements": "/feeds/claims/{contested_claim.slug}/",
    "a party's statements": "/feeds/parties/{government.slug}/",
    "a topic's statements": "/feeds/topics/{parent_topic.slug}/",
}


def address(template: str, site: Site) -> str:
    return template.format_map(vars(site))


def atom_feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def timestamp(element: ET.Element, name: str) -> datetime:
    """An RFC 3339 date-time child, which must carry its offset."""
    value = datetime.fromisoformat(element.findtext(f"{ATOM}{name}"))
    assert value.tzinfo is not None
    return value


def missing_elements(feed: ET.Element) -> list[str]:
    """What RFC 4287 (4.1.1, 4.1.2) requires of a feed and its entries that this one lacks."""
    missing = []

    def once(element: ET.Element, name: str, where: str) -> None:
        if len(element.findall(f"{ATOM}{name}")) != 1:
            missing.append(f"{where}: exactly one {name}")

    for name in ["id", "title", "updated"]:
        once(feed, name, "feed")
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    for number, entry in enumerate(feed.findall(f"{ATOM}entry"), start=1):
        where = f"entry {number}"
        for name in ["id", "title", "updated"]:
            once(entry, name, where)
        alternates = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if not alternates and entry.find(f"{ATOM}content") is None:
            missing.append(f"{where}: a link rel=alternate or content")
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            missing.append(f"{where}: an author, the feed having none")
    return missing


@pytest.mark.parametrize("url", FEEDS.values(), ids=FEEDS.keys())
def test_every_feed_has_what_rfc_4287_requires(client, site: Site, url):
    feed = atom_feed(client, address(url, site))
    entries = feed.findall(f"{ATOM}entry")
    assert entries, "a feed with entries, so that their elements are checked"
    assert missing_elements(feed) == []
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Claimtrack"
    for entry in entries:
        assert timestamp(entry, "updated") >= timestamp(entry, "published")
    assert timestamp(feed, "updated") == max(timestamp(entry, "updated") for entry in entries)


def test_a_statement_entry_is_updated_when_its_statement_changes_never_before_it_is_public(
    client, site: Site
):
    edited = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    Statement.objects.filter(pk=site.rejection.pk).update(updated_at=edited)
    published_later = datetime(2031, 1, 1, tzinfo=UTC)
    Claim.objects.filter(pk=site.post_claim.pk).update(published_at=published_later)
    feed = atom_feed(client, f"/feeds/parties/{site.denier.slug}/")
    dates = {
        entry.findtext(f"{ATOM}title"): (
            timestamp(entry, "published"),
            timestamp(entry, "updated"),
        )
        for entry in feed.findall(f"{ATOM}entry")
    }
    refuting = f"{site.denier.name} refutes"
    assert dates[f"{refuting}: {site.contested_claim.text}"][1] == edited
    assert dates[f"{refuting}: {site.post_claim.text}"] == (published_later, published_later)


def test_an_empty_feed_is_dated_the_same_on_every_request(client, site: Site):
    claim = Claim.objects.create(
        slug="no-one-has-spoken-yet",
        text="Nobody has spoken on this claim yet.",
        topic=site.topic,
        **published_fields(30),
    )
    dates = []
    for _ in range(2):
        cache.clear()  # built afresh each time, as each export of the mirror builds it
        feed = atom_feed(client, f"/feeds/claims/{claim.slug}/")
        assert feed.findall(f"{ATOM}entry") == [] and missing_elements(feed) == []
        dates.append(feed.findtext(f"{ATOM}updated"))
    assert dates[0] == dates[1]
    assert datetime.fromisoformat(dates[0]) == claim.updated_at


def test_a_party_feed_holds_the_statements_of_the_parties_under_it(client, site: Site):
    feed = atom_feed(client, f"/feeds/parties/{site.government.slug}/")
    authors = [entry.findtext(f"{ATOM}author/{ATOM}name") for entry in feed.findall(f"{ATOM}entry")]
    spoken = [s for s in site.public_stances if s.statement.party == site.accuser]
    assert authors == [site.accuser.name] * len(spoken)


# Structured data -------------------------------------------------------------------------------


def structured_data(client, claim: Claim) -> list[dict]:
    page = page_of(client.get(claim.get_absolute_url()))
    [script] = [
        s for s in page.find_all("script") if s.attributes.get("type") == "application/ld+json"
    ]
    data = json.loads("".join(child for child in script.children if isinstance(child, str)))
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def of_type(graph: list[dict], kind: str) -> list[dict]:
    return [thing for thing in graph if thing["@type"] == kind]


def assess(claim: Claim, verdict: str) -> None:
    claim.assessment = "No independent source confirms that troops crossed."
    claim.assessment_verdict = verdict
    claim.save()


def test_a_claim_with_a_verdict_is_reviewed_as_the_claim_its_asserters_made(
    client, site: Site, settings
):
    settings.SITE_URL = PUBLIC_ADDRESS
    claim = site.contested_claim
    assess(claim, "Unverified")
    [review] = of_type(structured_data(client, claim), "ClaimReview")
    assert review["url"] == f"{PUBLIC_ADDRESS}{claim.get_absolute_url()}"
    assert review["claimReviewed"] == claim.text
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unverified"}
    assert review["author"] == {
        "@type": "Organization",
        "name": "Claimtrack",
        "url": f"{PUBLIC_ADDRESS}/",
    }
    assert review["datePublished"] == claim.published_at.date().isoformat()
    reviewed = review["itemReviewed"]
    assert reviewed["@type"] == "Claim" and reviewed["text"] == claim.text
    asserting = {s.statement.party for s in site.stances_on(claim) if s.value == "supports"}
    assert [author["name"] for author in reviewed["author"]] == [p.name for p in asserting]
    assert [appearance["headline"] for appearance in reviewed["appearance"]] == [
        site.article.title
    ] * sum(1 for s in site.stances_on(claim) if s.value == "supports")
    assert reviewed["contentLocation"][0]["name"] == site.place.name


def test_a_claim_no_one_asserts_is_reviewed_as_the_first_party_stated_it(client, site: Site):
    claim = Claim.objects.create(
        slug="valdoria-staged-the-incident",
        text="Valdoria staged the incident.",
        topic=site.topic,
        **published_fields(40),
    )
    set_stance(claim=claim, statement=site.rejection, value=StanceValue.REFUTES)
    assess(claim, "False")
    [review] = of_type(structured_data(client, claim), "ClaimReview")
    assert [author["name"] for author in review["itemReviewed"]["author"]] == [site.denier.name]


def test_an_assessment_without_a_verdict_is_shown_but_is_no_claim_review(client, site: Site):
    claim = site.contested_claim
    assess(claim, "")
    graph = structured_data(client, claim)
    assert of_type(graph, "ClaimReview") == []
    assert len(of_type(graph, "Claim")) == len(
        {(s.statement.party, s.value) for s in site.stances_on(claim)}
    )
    assert "No independent source confirms" in page_of(client.get(claim.get_absolute_url())).text


def test_wikidata_items_are_same_as_in_structured_data_and_the_api(client, site: Site):
    site.denier.wikidata_id = "Q1047412"
    site.denier.save()
    site.place.wikidata_id = "Q2914"
    site.place.save()
    claim = site.contested_claim
    assess(claim, "Unverified")
    graph = structured_data(client, claim)
    speakers = {c["author"]["name"]: c["author"] for c in of_type(graph, "Claim")}
    assert speakers[site.denier.name]["sameAs"] == "https://www.wikidata.org/wiki/Q1047412"
    assert "sameAs" not in speakers[site.accuser.name]
    places = [place for c in of_type(graph, "Claim") for place in c["contentLocation"]]
    assert {p["sameAs"] for p in places} == {"https://www.wikidata.org/wiki/Q2914"}
    assert places[0]["alternateName"] == [site.place_name.name]
    api_claim = client.get(f"/api/v1/claims/{claim.slug}/").json()
    assert api_claim["places"][0]["same_as"] == "https://www.wikidata.org/wiki/Q2914"
    party = client.get(f"/api/v1/parties/{site.denier.slug}/").json()
    assert (party["wikidata_id"], party["same_as"]) == (
        "Q1047412",
        "https://www.wikidata.org/wiki/Q1047412",
    )


# One address for every link ----------------------------------------------------------------------

# Everything that gives out absolute links, as templates over the site.
LINKING = [
    "/claims/{contested_claim.slug}/",
    "/api/v1/claims/{contested_claim.slug}/",
    "/api/v1/statements/{rejection.pk}/",
    "/api/v1/articles/{article.slug}/",
    "/api/v1/parties/{accuser.slug}/",
    "/claims/export.csv",
    "/claims/stances.csv",
    *FEEDS.values(),
    "/sitemap.xml",
    "/sitemap-claims.xml",
    "/sitemap-pages.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", LINKING)
def test_absolute_links_are_on_the_public_address_whatever_host_was_asked(
    client, site: Site, settings, url
):
    settings.SITE_URL = PUBLIC_ADDRESS
    settings.ALLOWED_HOSTS = ["127.0.0.1", "internal.example"]
    response = client.get(address(url, site), HTTP_HOST="internal.example", secure=False)
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    assert f"{PUBLIC_ADDRESS}/" in body
    assert "internal.example" not in body and "http://127.0.0.1" not in body


# The stances export --------------------------------------------------------------------------


def stance_rows(client, query: str) -> list[tuple[str, str, str]]:
    response = client.get(f"/claims/stances.csv?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return sorted(
        (row["claim_slug"], row["party_slug"], row["stance"])
        for row in csv.DictReader(io.StringIO(text))
    )


def expected_rows(stances) -> list[tuple[str, str, str]]:
    return sorted((s.claim.slug, s.statement.party.slug, s.value) for s in stances)


def test_the_stances_export_lists_the_stances_of_the_party_asked_for_and_those_under_it(
    client, site: Site
):
    rows = stance_rows(client, f"party={site.government.slug}")
    below = {site.government, site.accuser}
    assert rows == expected_rows(s for s in site.public_stances if s.statement.party in below)


def test_the_stances_export_lists_the_stances_of_the_value_asked_for(client, site: Site):
    rows = stance_rows(client, f"party={site.denier.slug}&stance=refutes")
    assert rows == expected_rows(
        s for s in site.public_stances if s.statement.party == site.denier and s.value == "refutes"
    )
    assert stance_rows(client, "stance=disputes") == expected_rows(
        s for s in site.public_stances if s.value == "disputes"
    )


def test_other_filters_select_claims_with_every_stance_on_them(client, site: Site):
    rows = stance_rows(client, f"topic={site.topic.slug}&contested=true")
    assert rows == expected_rows(
        site.stances_on(site.contested_claim) + site.stances_on(site.post_claim)
    )
