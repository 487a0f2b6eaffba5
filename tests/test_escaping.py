"""Text curators enter is shown as text on every page, never run as markup or script."""

import json

import pytest

from claims.models import Claim, StanceValue, Status, Topic
from claims.services import create_statement, save_article, set_stance
from sources.models import Article, Party

from .pages import Element, page_of
from .sites import Site

STATEMENT = 'Said <script>alert(1)</script> and </script><img src=x onerror=alert(2)> & "quoted"'
TITLE = "Title </script><script>alert(3)</script>"
PARTY = "Party <script>alert(4)</script>"
CLAIM = "Claim </script><script>alert(5)</script>"
TOPIC = "Topic <script>alert(6)</script>"
SIDE = "<i>Side</i>"
STANDFIRST = "<b>bold?</b>"
SPEAKER_LABEL = "</script>"
NOTE = "Note </script>"
ASSESSMENT = "Assessment </script><!-- <script>"
VERDICT = "<b>False</b>"


@pytest.fixture
def hostile_claim(site: Site) -> Claim:
    """A published claim whose every text a curator typed is markup or script."""
    article = Article(
        slug="hostile-article",
        title=TITLE,
        outlet=site.outlet,
        body=f"Before. {STATEMENT} After.",
        standfirst=STANDFIRST,
    )
    save_article(article=article)
    party = Party.objects.create(slug="hostile-party", name=PARTY, side=SIDE, kind="person")
    statement = create_statement(
        article=article, party=party, text=STATEMENT, mode="paraphrase", speaker_label=SPEAKER_LABEL
    )
    topic = Topic.objects.create(slug="hostile-topic", name=TOPIC, parent=site.parent_topic)
    claim = Claim.objects.create(
        slug="hostile-claim",
        text=CLAIM,
        topic=topic,
        status=Status.PUBLISHED,
        assessment=ASSESSMENT,
        assessment_verdict=VERDICT,
    )
    set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS, note=NOTE)
    return claim


# Each page, with the texts it shows.
PAGES = {
    "/": [CLAIM, TOPIC],
    "/claims/": [CLAIM, TOPIC],
    "/claims/?party=hostile-party": [CLAIM, PARTY],
    "/claims/?q=alert": [CLAIM],
    "/claims/hostile-claim/": [
        CLAIM,
        TOPIC,
        STATEMENT,
        PARTY,
        SPEAKER_LABEL,
        NOTE,
        TITLE,
        ASSESSMENT,
        VERDICT,
    ],
    "/parties/": [PARTY, SIDE],
    "/parties/hostile-party/": [PARTY, SIDE, CLAIM, STATEMENT],
    "/articles/": [TITLE],
    "/articles/hostile-article/": [TITLE, STANDFIRST, STATEMENT, PARTY, SPEAKER_LABEL],
    "/topics/": [TOPIC],
    "/topics/hostile-topic/": [TOPIC, CLAIM, PARTY, SIDE],
}


def markup_made_of_text(page: Element) -> list[str]:
    """Elements and attributes that only the hostile text could have made."""
    made = [
        f"<{element.tag}>"
        for element in page.find_all("script", "b", "i")
        if element.attributes.get("type") != "application/ld+json"
        # The site's own scripts come from its static files.
        and not element.attributes.get("src", "").startswith("/static/")
    ]
    made += [
        f"{name}= on <{element.tag}>"
        for element in page.descendants()
        for name in element.attributes
        if name.startswith("on")
    ]
    return made


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_shown_as_text_on_every_page(client, hostile_claim, url):
    response = client.get(url)
    assert response.status_code == 200
    page = page_of(response)
    assert markup_made_of_text(page) == []
    assert [text for text in PAGES[url] if text not in page.text] == []


def test_a_party_filter_error_shows_the_parties_it_suggests_as_text(client, hostile_claim):
    response = client.get("/claims/?party=Party+%3Cscript%3E")
    assert response.status_code == 400
    page = page_of(response)
    assert markup_made_of_text(page) == []
    assert f"Did you mean {PARTY} (hostile-party)?" in page.text


def test_json_ld_cannot_be_closed_by_the_text_it_carries(client, hostile_claim):
    page = page_of(client.get("/claims/hostile-claim/"))
    [block] = [
        "".join(script.children)
        for script in page.find_all("script")
        if script.attributes.get("type") == "application/ld+json"
    ]
    assert "<" not in block and ">" not in block
    graph = json.loads(block)["@graph"]
    assert graph[0]["text"] == CLAIM
    assert graph[0]["author"]["name"] == PARTY
    assert graph[1]["reviewBody"] == ASSESSMENT
