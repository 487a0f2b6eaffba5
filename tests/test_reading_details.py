"""What readers and reusers meet in passing: statements' selectors, the article's legend, an icon
where browsers look for one, docs without JavaScript, pages out of range, the source line, a
notice on claims with one side on record."""

import re

import pytest
from django.utils.html import strip_tags

from claims.models import Claim, StanceValue, Statement, Status
from claims.services import save_article, set_stance

from .pages import page_of
from .sites import Site


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_a_statements_selectors_resolve_to_its_words(client, disputed_zone_claim, article):
    for statement in Statement.objects.all():
        data = client.get(f"/api/v1/statements/{statement.pk}/").json()
        target = data["target"]
        body = client.get(target["source"]).json()["body"]
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert body[position["start"] : position["end"]] == data["text"] == quote["exact"]
        assert body[: position["start"]].endswith(quote["prefix"])
        assert body[position["end"] :].startswith(quote["suffix"])


def test_selectors_of_words_no_longer_in_the_text_point_to_their_capture(
    client, disputed_zone_claim, article, russian_statement
):
    taken_from = russian_statement.capture
    article.body = article.body.replace("Russia on Saturday claimed", "Russia said")
    save_article(article=article)
    target = client.get(f"/api/v1/statements/{russian_statement.pk}/").json()["target"]
    assert target["source"].endswith(f"/captures/{taken_from.sha256}/")
    quote, position = target["selector"]
    assert taken_from.text[position["start"] : position["end"]] == quote["exact"]


def test_the_article_marks_each_passage_by_its_stance_with_a_legend(
    client, disputed_zone_claim, article
):
    page = client.get(article.get_absolute_url()).content.decode()
    for label in ("✓ supports", "✗ refutes", "? disputes", "– neutral"):
        assert label in text(client.get(article.get_absolute_url()))
    assert re.search(r'<mark id="statement-\d+" class="span span--supports', page)
    assert re.search(r'<mark id="statement-\d+" class="span span--refutes', page)
    assert "(statement 1, by Russian Defence Ministry, supports)" in text(
        client.get(article.get_absolute_url())
    )


def test_the_source_line_names_the_byline_and_has_no_stray_space(client, disputed_zone_claim):
    page = text(client.get(disputed_zone_claim.get_absolute_url()))
    assert "byline mm/wd)" in page
    assert " )" not in page


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"])["Content-Type"] == "image/svg+xml"


def test_the_api_docs_link_the_schema_for_readers_without_javascript(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    noscript = page.split("<noscript>")[1].split("</noscript>")[0]
    assert 'href="/api/v1/schema/?format=json"' in noscript


@pytest.mark.parametrize("page", ["99", "0", "-1", "abc"])
def test_a_page_number_out_of_range_says_how_many_pages_there_are(
    client, disputed_zone_claim, page
):
    response = client.get(f"/claims/?contested=true&page={page}")
    assert response.status_code == 404
    assert "This list fits on one page." in text(response)
    assert '<a href="?contested=true">The first page</a>' in response.content.decode()


def test_a_claim_with_one_side_on_record_says_what_is_missing(client, site: Site):
    one_sided = site.one_sided_claim
    assert set(one_sided.stances.values_list("value", flat=True)) == {StanceValue.SUPPORTS}
    page = page_of(client.get(one_sided.get_absolute_url())).text
    assert "One side on record. Every statement recorded here supports this claim" in page
    contested = page_of(client.get(site.contested_claim.get_absolute_url())).text
    assert "One side on record" not in contested
    set_stance(claim=one_sided, statement=site.rejection, value=StanceValue.REFUTES)
    assert "One side on record" not in page_of(client.get(one_sided.get_absolute_url())).text


def test_a_claim_only_denied_says_no_party_asserts_it(client, site: Site):
    claim = Claim.objects.create(
        slug="only-denied", text="Only denied.", topic=site.topic, status=Status.PUBLISHED
    )
    set_stance(claim=claim, statement=site.rejection, value=StanceValue.DISPUTES)
    page = page_of(client.get(claim.get_absolute_url())).text
    assert "Every statement recorded here refutes or disputes this claim" in page
