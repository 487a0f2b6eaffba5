"""Every public page shows the seeded dispute to readers."""

import json
import re

import pytest

ZONE = "/claims/azerbaijani-troops-entered-peacekeeping-zone/"
ARTICLE = "/articles/dw-russia-says-azeri-troops-entered-peacekeeping-zone/"

pytestmark = pytest.mark.usefixtures("seeded")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_home_explains_the_site_and_lists_latest_and_contested_claims(client):
    page = text_of(client.get("/"))
    assert "Who said what, against each disputed claim" in page
    assert "Most contested" in page and "Latest claims" in page
    contested = page.split("Most contested")[1].split("Latest claims")[0]
    assert "Azerbaijani troops entered the zone of responsibility" in contested
    assert "The drone strikes killed three people" not in contested
    assert "Farukh/Parukh incident, March 2022" in page


def test_claim_list_shows_each_claim_with_topic_and_party_badges(client):
    response = client.get("/claims/")
    page = text_of(response)
    assert response.status_code == 200
    assert "8 claims" in page
    badge = '<span class="visually-hidden">:</span> <span class="badge__stance">supports</span>'
    assert f"Russian Defence Ministry{badge}" in page
    assert "badge--refutes" in page


def test_claim_page_groups_who_said_what_by_stance(client):
    response = client.get(ZONE)
    page = text_of(response)
    assert response.status_code == 200
    supports = page.split('id="group-supports"')[1].split('id="group-refutes"')[0]
    refutes = page.split('id="group-refutes"')[1].split('id="group-disputes"')[0]
    assert "Russian Defence Ministry" in supports and "Azerbaijani Defence Ministry" not in supports
    assert "Azerbaijan&#x27;s Defence Ministry refuted Moscow&#x27;s version of events" in refutes
    assert "named in the article as “Moscow”" in supports
    assert "Paraphrase" in supports
    assert "<blockquote><p>one-sided</p></blockquote>" in page
    assert 'Said on <time datetime="2022-03-26">26 March 2022</time>' in page
    assert "with Agence France-Presse (AFP) and Reuters" in page
    assert f'href="{ARTICLE}#statement-' in page
    assert "Farukh (also Farrukh" in page and "Parukh, used by Armenian sources" in page
    assert "Timeline" in page
    assert "Curators’ assessment" not in page


def test_claim_page_has_canonical_open_graph_and_structured_data(client):
    page = client.get(ZONE).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{ZONE}">' in page
    assert '<meta property="og:title"' in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    claims = [node for node in data["@graph"] if node["@type"] == "Claim"]
    assert {c["author"]["name"] for c in claims} == {
        "Russian Defence Ministry",
        "Azerbaijani Defence Ministry",
    }
    assert all(c["appearance"][0]["publisher"]["name"] == "Deutsche Welle" for c in claims)
    assert not [node for node in data["@graph"] if node["@type"] == "ClaimReview"]


def test_an_assessment_is_labelled_as_the_curators_and_gives_a_claim_review(client):
    from claims.models import Claim

    Claim.objects.filter(slug="azerbaijani-troops-entered-peacekeeping-zone").update(
        assessment="Neither account could be verified independently.",
        assessment_verdict="Unverified",
    )
    page = client.get(ZONE).content.decode()
    assert "Curators’ assessment" in page
    assert "the curators’ own reading of the evidence" in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    review = next(node for node in data["@graph"] if node["@type"] == "ClaimReview")
    assert review["reviewRating"]["alternateName"] == "Unverified"


def test_party_pages_show_sides_aliases_and_statements_by_claim(client):
    parties = text_of(client.get("/parties/"))
    assert "Russia" in parties and "Nagorno-Karabakh de facto authorities" in parties
    # No statement of its own, but the body the Russian ministry is part of.
    assert 'href="/parties/russian-government/"' in parties
    page = text_of(client.get("/parties/russian-defence-ministry/"))
    assert "Side</dt><dd>Russia" in page
    assert 'Part of</dt><dd><a href="/parties/russian-government/">Russian government' in page
    assert "“Moscow”" in page
    assert page.count('class="party-claim"') == 4
    assert "Azerbaijani troops entered the zone" in page


def test_a_parent_party_page_lists_its_children(client):
    page = text_of(client.get("/parties/russian-government/"))
    assert 'Includes</dt><dd><a href="/parties/russian-defence-ministry/">' in page
    assert "No published claim carries a statement by Russian government yet." in page


def test_article_page_marks_every_statement_span(client):
    page = client.get(ARTICLE).content.decode()
    assert "Deutsche Welle, undated · with Agence France-Presse (AFP) and Reuters · mm/wd" in page
    marks = re.findall(r'<mark id="statement-(\d+)" class="span">(.*?)</mark>', page)
    assert len(marks) == 11
    assert any(text == "one-sided" for _, text in marks)
    assert "Parties quoted" in page
    assert page.count('href="/claims/azerbaijani-troops-entered-peacekeeping-zone/#statement-') == 4


def test_article_list_shows_outlet_and_credits(client):
    page = text_of(client.get("/articles/"))
    assert "Nagorno-Karabakh: Russia says Azeri troops entered peacekeeping zone" in page
    assert "Deutsche Welle, undated · with Agence France-Presse (AFP) and Reuters" in page


def test_topic_page_shows_the_stance_matrix(client):
    page = text_of(client.get("/topics/farukh-parukh-incident-2022/"))
    assert page.count('<th scope="row">') == 6
    assert page.count('<th scope="col">') == 1 + 4
    row = page.split(f'<th scope="row"><a href="{ZONE}">')[1].split("</tr>")[0]
    assert "cell--refutes" in row and "cell--supports" in row and "cell--disputes" in row
    assert '<span class="visually-hidden">No statement</span>' in row


def test_a_parent_topic_includes_its_subtopics_claims(client):
    page = text_of(client.get("/topics/nagorno-karabakh-conflict/"))
    assert page.count('<th scope="row">') == 8
    assert 'Includes: <a href="/topics/farukh-parukh-incident-2022/">' in page


def test_topic_list_about_and_health(client):
    assert "Farukh/Parukh incident, March 2022" in text_of(client.get("/topics/"))
    assert "How claims are curated" in text_of(client.get("/about/"))
    health = client.get("/healthz")
    assert health.status_code == 200 and health.content == b"ok\n"
    assert client.get("/ping").content == b"pong\n"


def test_unknown_pages_answer_404_in_the_site_style(client):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert "This page is not here" in response.content.decode()
    assert "Skip to content" in response.content.decode()


def test_every_page_links_a_stylesheet_and_a_favicon_that_are_served(client):
    page = client.get("/").content.decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', page)[1]
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)[1]
    assert client.get(stylesheet)["Content-Type"].startswith("text/css")
    assert client.get(icon)["Content-Type"].startswith("image/svg+xml")
