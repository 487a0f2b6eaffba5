"""Every public page shows readers the dispute: who said what about each claim, and where."""

import json
from datetime import date

from django.conf import settings

from .pages import Element, Link, claims_listed, page_of
from .sites import Site


def structured_data(page: Element) -> dict:
    [block] = [
        script
        for script in page.find_all("script")
        if script.attributes.get("type") == "application/ld+json"
    ]
    return json.loads("".join(block.children))


def source_line(site: Site) -> str:
    """How pages credit the site's article: its outlet, its date and its wire agencies."""
    agencies = " and ".join(agency.name for agency in site.wire_agencies)
    return f"{site.outlet.name}, undated · with {agencies}"


def as_written(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_home_explains_the_site_and_lists_latest_and_contested_claims(client, site: Site):
    page = page_of(client.get("/"))
    assert "Who said what, against each disputed claim" in page.text
    assert claims_listed(page.region("Most contested")) == [
        site.contested_claim.slug,
        site.post_claim.slug,
    ]
    newest_first = sorted(site.published_claims, key=lambda claim: claim.published_at)[::-1]
    assert claims_listed(page.region("Latest claims")) == [claim.slug for claim in newest_first]
    topics = page.region("Topics").links
    assert (site.parent_topic.get_absolute_url(), site.parent_topic.name) in topics


def test_claim_list_shows_each_claim_with_topic_and_party_badges(client, site: Site):
    response = client.get("/claims/")
    page = page_of(response)
    assert response.status_code == 200
    assert f"{len(site.published_claims)} claims" in page.text
    row = page.item_linking_to(site.contested_claim.get_absolute_url()).text
    assert site.topic.name in row
    assert f"{len(site.stances_on(site.contested_claim))} statements" in row
    assert f"{site.accuser.name}: supports" in row
    assert f"{site.denier.name}: refutes" in row
    assert f"{site.denier.name}: disputes" in row
    one_sided = page.item_linking_to(site.one_sided_claim.get_absolute_url()).text
    assert f"{site.accuser.name}: supports" in one_sided and site.denier.name not in one_sided


def test_claim_page_groups_who_said_what_by_stance(client, site: Site):
    response = client.get(site.contested_claim.get_absolute_url())
    page = page_of(response)
    assert response.status_code == 200
    supports = page.region("Supports")
    assert "2 statements" in supports.text
    assert site.accusation.text in supports.text and site.demand.text in supports.text
    assert site.denier.name not in supports.text
    assert "Paraphrase" in supports.text
    assert f"named in the article as “{site.accusation.speaker_label}”" in supports.text
    assert f"Said on {as_written(site.accusation.said_on)}" in supports.text
    refutes = page.region("Refutes")
    assert site.rejection.text in refutes.text and site.accuser.name not in refutes.text
    disputes = page.region("Disputes")
    assert [quote.text for quote in disputes.find_all("blockquote")] == [site.fabrication.text]
    assert "Date not given" in disputes.text
    assert source_line(site) in page.text
    article = site.article.get_absolute_url()
    assert Link(f"{article}#{site.rejection.html_id}", site.article.title) in refutes.links
    other_name = site.place_name
    assert (
        page.facts["Place"]
        == f"{site.place} (also {other_name.name}, used by {other_name.used_by})"
    )
    assert page.facts["Date of the alleged event"] == as_written(site.contested_claim.event_date)
    timeline = [link.href for link in page.region("Timeline").links if link.href.startswith("#")]
    earliest_first = [site.accusation, site.demand, site.rejection, site.fabrication]
    assert timeline == [f"#{statement.html_id}" for statement in earliest_first]
    assert "Curators’ assessment" not in page.text


def test_claim_page_has_canonical_open_graph_and_structured_data(client, site: Site):
    url = site.contested_claim.get_absolute_url()
    page = page_of(client.get(url))
    [canonical] = [link for link in page.find_all("link") if link.attributes["rel"] == "canonical"]
    assert canonical.attributes["href"] == f"{settings.SITE_URL}{url}"
    open_graph = {
        tag.attributes["property"]: tag.attributes["content"]
        for tag in page.find_all("meta")
        if "property" in tag.attributes
    }
    assert open_graph["og:title"] == site.contested_claim.text
    graph = structured_data(page)["@graph"]
    claims = [node for node in graph if node["@type"] == "Claim"]
    assert {claim["author"]["name"] for claim in claims} == {site.accuser.name, site.denier.name}
    assert {claim["appearance"][0]["publisher"]["name"] for claim in claims} == {site.outlet.name}
    assert not [node for node in graph if node["@type"] == "ClaimReview"]


def test_an_assessment_is_labelled_as_the_curators_and_gives_a_claim_review(client, site: Site):
    claim = site.contested_claim
    claim.assessment = "Neither account could be verified independently."
    claim.assessment_verdict = "Unverified"
    claim.save()
    page = page_of(client.get(claim.get_absolute_url()))
    assessment = page.region("Curators’ assessment").text
    assert "Verdict: Unverified" in assessment
    assert claim.assessment in assessment
    assert "the curators’ own reading of the evidence" in assessment
    graph = structured_data(page)["@graph"]
    review = next(node for node in graph if node["@type"] == "ClaimReview")
    assert review["reviewRating"]["alternateName"] == "Unverified"


def test_party_pages_show_sides_aliases_and_statements_by_claim(client, site: Site):
    parties = page_of(client.get("/parties/"))
    valdoria, korvenia = parties.region("Valdoria"), parties.region("Korvenia")
    # No statement of its own, but the body the accuser is part of.
    assert site.government.get_absolute_url() in [link.href for link in valdoria.links]
    kind = site.accuser.get_kind_display()
    assert f"{site.accuser.name} {kind}, part of {site.government.name}" in valdoria.text
    assert site.denier.name in korvenia.text and site.foreign_ministry.name in korvenia.text
    page = page_of(client.get(site.accuser.get_absolute_url()))
    assert page.facts["Side"] == site.accuser.side
    assert page.facts["Part of"] == site.government.name
    assert site.government.get_absolute_url() in [link.href for link in page.links]
    assert page.facts["Also named"] == "“Valdor”, “Valdoria's Defense Ministry”"
    newest_first = sorted(site.claims_of(site.accuser), key=lambda claim: claim.published_at)
    assert claims_listed(page.region("Statements by claim")) == [
        claim.slug for claim in reversed(newest_first)
    ]
    assert f"“{site.demand.text}”" in page.text  # a direct quote, in quotation marks


def test_a_parent_party_page_lists_its_children(client, site: Site):
    page = page_of(client.get(site.government.get_absolute_url()))
    assert page.facts["Includes"] == site.accuser.name
    assert site.accuser.get_absolute_url() in [link.href for link in page.links]


def test_article_page_marks_every_statement_span(client, site: Site):
    page = page_of(client.get(site.article.get_absolute_url()))
    assert source_line(site) in page.text and site.article.byline in page.text
    marked = {
        mark.attributes["id"]: mark.text
        for mark in page.find_all("mark")
        if "id" in mark.attributes
    }
    assert marked == {statement.html_id: statement.text for statement in site.public_statements}
    quoted = sorted({statement.party for statement in site.public_statements}, key=str)
    assert "Parties quoted " + " ".join(f"{p.name} {p.side}" for p in quoted) in page.text
    to_claims = {
        link.href for link in page.links if link.href.startswith("/claims/") and "#" in link.href
    }
    assert to_claims == {
        f"{stance.claim.get_absolute_url()}#{stance.statement.html_id}"
        for stance in site.public_stances
    }


def test_article_list_shows_outlet_and_credits(client, site: Site):
    page = page_of(client.get("/articles/"))
    item = page.item_linking_to(site.article.get_absolute_url()).text
    assert site.article.title in item
    assert source_line(site) in item


def test_topic_list_about_and_health(client, site: Site):
    topics = page_of(client.get("/topics/"))
    in_topic = [claim for claim in site.published_claims if claim.topic == site.topic]
    item = topics.item_linking_to(site.topic.get_absolute_url()).text
    assert f"in {site.parent_topic.name} · {len(in_topic)} claims" in item
    assert "How claims are curated" in page_of(client.get("/about/")).text
    health = client.get("/healthz")
    assert health.status_code == 200 and health.content.startswith(b"ok\n")
    assert client.get("/ping").content == b"pong\n"


def test_unknown_pages_answer_404_in_the_site_style(client, db):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    page = page_of(response)
    assert "This page is not here" in page.text
    assert "Skip to content" in page.text


def test_every_page_links_a_stylesheet_and_a_favicon_that_are_served(client, db):
    links = {
        link.attributes["rel"]: link.attributes["href"]
        for link in page_of(client.get("/")).find_all("link")
    }
    assert client.get(links["stylesheet"])["Content-Type"].startswith("text/css")
    assert client.get(links["icon"])["Content-Type"].startswith("image/svg+xml")
