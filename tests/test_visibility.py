"""Claims that are drafts or in review, and statements only attached to them, are never public."""

import re

import pytest

from claims.models import Claim, StanceValue, Status
from claims.services import set_stance

from .conftest import make_statement

SECRET_CLAIM = "A secret claim still being prepared"
SECRET_STATEMENT = "An appeal has been sent to the Azerbaijani side to withdraw its troops"


@pytest.fixture(params=[Status.DRAFT, Status.IN_REVIEW])
def unpublished(request, disputed_zone_claim, article, russian_mod, incident_topic) -> Claim:
    """An unpublished claim carrying one statement that no published claim carries."""
    claim = Claim.objects.create(
        slug="secret-claim", text=SECRET_CLAIM, topic=incident_topic, status=request.param
    )
    statement = make_statement(article, russian_mod, SECRET_STATEMENT, mode="direct_quote")
    set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS)
    return claim


PUBLIC_PAGES = [
    "/",
    "/claims/",
    "/claims/?q=secret",
    "/claims/?q=appeal",
    "/claims/?party=russian-defence-ministry",
    "/claims/azerbaijani-troops-entered-peacekeeping-zone/",
    "/parties/",
    "/parties/russian-defence-ministry/",
    "/articles/",
    "/articles/dw-peacekeeping-zone/",
    "/topics/",
    "/topics/farukh-parukh-incident-2022/",
    "/topics/nagorno-karabakh-conflict/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_unpublished_claims_and_their_statements_appear_on_no_public_page(client, unpublished, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET_CLAIM not in page
    assert "secret-claim" not in page
    if url == "/articles/dw-peacekeeping-zone/":
        # The words are in the article's body, as published; they must just not be marked.
        assert not re.search(r"<mark[^>]*>An appeal has been sent", page)
    else:
        assert "An appeal has been sent" not in page


def test_an_unpublished_claim_page_is_not_found(client, unpublished):
    assert client.get("/claims/secret-claim/").status_code == 404


def test_the_article_marks_only_public_statements(client, unpublished):
    page = client.get("/articles/dw-peacekeeping-zone/").content.decode()
    assert page.count("<mark id=") == 2


def test_topic_counts_only_published_claims(client, unpublished):
    page = client.get("/topics/").content.decode()
    assert "1 claim<" in page


def test_an_article_or_party_with_only_unpublished_statements_is_not_listed(
    client, article, russian_mod, incident_topic
):
    claim = Claim.objects.create(slug="secret-claim", text=SECRET_CLAIM, topic=incident_topic)
    statement = make_statement(article, russian_mod, SECRET_STATEMENT)
    set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS)
    assert "Russian Defence Ministry" not in client.get("/parties/").content.decode()
    assert article.title not in client.get("/articles/").content.decode()
    assert client.get(f"/articles/{article.slug}/").status_code == 404
    assert client.get(f"/parties/{russian_mod.slug}/").status_code == 404
    assert client.get(f"/feeds/parties/{russian_mod.slug}/").status_code == 404
    assert client.get(f"/api/v1/parties/{russian_mod.slug}/").status_code == 404
    form = client.get("/claims/").content.decode()
    assert russian_mod.slug not in form and "deutsche-welle" not in form


def test_a_topic_holding_only_unpublished_claims_is_not_shown(client, incident_topic):
    Claim.objects.create(slug="secret-claim", text=SECRET_CLAIM, topic=incident_topic)
    for url in ("/topics/", "/claims/", "/api/v1/topics/", "/sitemap-topics.xml"):
        assert incident_topic.slug not in client.get(url).content.decode(), url
    for url in (f"/topics/{incident_topic.slug}/", f"/feeds/topics/{incident_topic.slug}/"):
        assert client.get(url).status_code == 404, url


def test_publishing_makes_the_claim_public(client, unpublished):
    unpublished.status = Status.PUBLISHED
    unpublished.save()
    assert client.get("/claims/secret-claim/").status_code == 200
    assert SECRET_CLAIM in client.get("/claims/").content.decode()


def test_the_bodies_above_a_speaking_party_are_public_and_no_others(client, disputed_zone_claim):
    from sources.models import Party

    speaker = disputed_zone_claim.stances.get(value="supports").statement.party
    ministry = Party.objects.create(
        slug="ministry", name="Ministry", side="Russia", kind="ministry"
    )
    government = Party.objects.create(
        slug="government", name="Government", side="Russia", kind="government"
    )
    silent = Party.objects.create(slug="silent", name="Silent", side="Russia", kind="person")
    speaker.parent, ministry.parent, silent.parent = ministry, government, government
    for party in (speaker, ministry, silent):
        party.save()
    for slug in ("ministry", "government"):
        assert client.get(f"/parties/{slug}/").status_code == 200, slug
    assert client.get("/parties/silent/").status_code == 404
