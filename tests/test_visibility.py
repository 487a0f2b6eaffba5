"""Claims that are drafts or in review, and statements only attached to them, are never public."""

from collections.abc import Callable

import pytest

from claims.models import Claim, Status, Topic
from claims.services import move_claims
from claims.visibility import a_public_statement_of
from sources.models import Party

from .pages import claims_listed, page_of
from .sites import Site

# Each unpublished claim of the site, with the statement that only it carries.
UNPUBLISHED = {
    "draft": ("draft_claim", "draft_only_statement"),
    "in review": ("claim_in_review", "in_review_only_statement"),
}
PUBLIC_PAGES: dict[str, Callable[[Site], str]] = {
    "home": lambda site: "/",
    "claim list": lambda site: "/claims/",
    "search for the draft's words": lambda site: "/claims/?q=engineers",
    "search for the words in review": lambda site: "/claims/?q=crossing",
    "claims of a party": lambda site: f"/claims/?party={site.accuser.slug}",
    "claims of a topic": lambda site: f"/claims/?topic={site.topic.slug}",
    "claim": lambda site: site.contested_claim.get_absolute_url(),
    "party list": lambda site: "/parties/",
    "party": lambda site: site.accuser.get_absolute_url(),
    "article list": lambda site: "/articles/",
    "article": lambda site: site.article.get_absolute_url(),
    "topic list": lambda site: "/topics/",
    "topic": lambda site: site.topic.get_absolute_url(),
    "parent topic": lambda site: site.parent_topic.get_absolute_url(),
}


@pytest.fixture(params=UNPUBLISHED.values(), ids=UNPUBLISHED.keys())
def unpublished(request, site: Site) -> tuple[Claim, str]:
    """An unpublished claim, and the words of the one statement only it carries."""
    claim, statement = request.param
    return getattr(site, claim), getattr(site, statement).text


@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_unpublished_claims_and_their_statements_appear_on_no_public_page(
    client, site: Site, unpublished, url
):
    claim, words = unpublished
    response = client.get(url(site))
    assert response.status_code == 200
    page = page_of(response)
    assert claim.text not in page.text
    assert claim.slug not in claims_listed(page)
    assert words not in [mark.text for mark in page.find_all("mark")]
    if url(site) != site.article.get_absolute_url():
        # The article's page shows its whole text, as published, with these words unmarked.
        assert words not in page.text


def test_an_unpublished_claim_page_is_not_found(client, unpublished):
    claim, _ = unpublished
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 404
    assert "This page is not here" in page_of(response).text


def test_the_article_marks_only_public_statements(client, site: Site):
    page = page_of(client.get(site.article.get_absolute_url()))
    marked = [mark.text for mark in page.find_all("mark") if "id" in mark.attributes]
    assert marked == [statement.text for statement in site.public_statements]
    assert site.draft_only_statement.text in page.text


def test_topic_counts_only_published_claims(client, site: Site):
    page = page_of(client.get("/topics/"))
    published = [claim for claim in site.published_claims if claim.topic == site.topic]
    unpublished = [claim for claim in site.unpublished_claims if claim.topic == site.topic]
    assert unpublished, "the topic holds unpublished claims, which the count leaves out"
    topic = page.item_linking_to(site.topic.get_absolute_url()).text
    assert f"{len(published)} claims" in topic


def test_an_article_or_party_with_only_unpublished_statements_is_not_listed(client, site: Site):
    party, article = site.unpublished_speaker, site.unpublished_article
    assert party.name not in page_of(client.get("/parties/")).text
    assert article.title not in page_of(client.get("/articles/")).text
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(party.get_absolute_url()).status_code == 404
    assert client.get(f"/feeds/parties/{party.slug}/").status_code == 404
    assert client.get(f"/api/v1/parties/{party.slug}/").status_code == 404
    # The party field's suggestions come from the API, and it refuses what readers cannot see.
    suggested = client.get("/api/v1/parties/", {"q": party.name}).json()["results"]
    assert party.slug not in [found["slug"] for found in suggested]
    suggested = client.get("/api/v1/parties/", {"q": site.accuser.name}).json()["results"]
    assert site.accuser.slug in [found["slug"] for found in suggested]
    refused = client.get("/claims/", {"party": party.slug})
    assert refused.status_code == 400 and "No party readers can see" in page_of(refused).text
    offered = page_of(client.get("/claims/")).region("Filter claims")
    choices = [option.attributes.get("value") for option in offered.find_all("option")]
    assert site.broadcaster.slug not in choices and site.outlet.slug in choices


def test_a_topic_holding_only_unpublished_claims_is_not_shown(client, site: Site):
    topic = Topic.objects.create(slug="tarsk-crossing", name="Tarsk crossing")
    site.claim_in_review.topic = topic
    site.claim_in_review.save()
    for url in ("/topics/", "/claims/", "/api/v1/topics/", "/sitemap-topics.xml"):
        assert topic.slug not in client.get(url).content.decode(), url
    for url in (topic.get_absolute_url(), f"/feeds/topics/{topic.slug}/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/claims/?topic={topic.slug}", f"/api/v1/claims/?topic={topic.slug}"):
        assert client.get(url).status_code == 400, url  # refused like a topic that is not there


def test_publishing_makes_the_claim_public(client, editor, unpublished):
    claim, words = unpublished
    move_claims(claims=[claim], to=Status.PUBLISHED, user=editor)
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert claim.slug in claims_listed(page_of(client.get("/claims/")))
    assert words in page_of(client.get(claim.get_absolute_url())).text


def test_the_bodies_above_a_speaking_party_are_public_and_no_others(client, site: Site):
    alliance = Party.objects.create(
        slug="lakeshore-alliance", name="Lakeshore Alliance", side="Valdoria", kind="other"
    )
    silent = Party.objects.create(
        slug="valdorian-coast-guard", name="Valdorian Coast Guard", side="Valdoria", kind="other"
    )
    site.government.parent = alliance
    site.government.save()
    silent.parent = site.government
    silent.save()
    for party in (site.government, alliance):
        assert client.get(party.get_absolute_url()).status_code == 200, party.slug
    assert client.get(silent.get_absolute_url()).status_code == 404


def test_whether_a_party_is_public_is_asked_of_any_one_statement_in_no_order():
    """One public statement is enough: asked in the statements' own order (their articles'
    dates), PostgreSQL walked the articles from the newest to the first the party spoke in."""
    sql = str(a_public_statement_of([1, 2]).query)
    assert "ORDER BY" not in sql and "LIMIT 1" in sql
