"""Parties and topics form trees of any depth: what a body says through the parties under it
counts as its own, and a topic holds the claims of its sub-topics, on every page and in the
API."""

from datetime import date

import pytest
from django.utils.html import strip_tags

from claims.models import Claim, StanceValue, Status, Topic
from claims.services import create_statement, save_article, set_stance
from sources.models import Article, Party

LEVELS = ["alliance", "government", "ministry", "department", "unit", "spokesperson"]
BODY = (
    "The unit's spokesperson said on Monday that the convoy never left its base.\n\n"
    "The rival ministry insisted that the convoy crossed the river at dawn."
)


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.fixture
def chain(db, deutsche_welle) -> dict:
    """Six parties, each under the one before, the last of them speaking; a rival who says the
    opposite; a claim five topics deep."""
    parties, parent = [], None
    for level in LEVELS:
        parent = Party.objects.create(
            slug=f"north-{level}", name=f"North {level}", side="North", kind="other", parent=parent
        )
        parties.append(parent)
    rival = Party.objects.create(
        slug="south-ministry", name="South ministry", side="South", kind="ministry"
    )
    topics, parent_topic = [], None
    for depth in range(5):
        parent_topic = Topic.objects.create(
            slug=f"topic-{depth}", name=f"Topic level {depth}", parent=parent_topic
        )
        topics.append(parent_topic)
    claim = Claim.objects.create(
        slug="convoy-crossed",
        text="The convoy crossed the river.",
        topic=topics[-1],
        status=Status.PUBLISHED,
    )
    article = Article(slug="convoy", title="Convoy row", outlet=deutsche_welle, body=BODY)
    save_article(article=article)
    denial = create_statement(
        article=article,
        party=parties[-1],
        text="the convoy never left its base",
        mode="paraphrase",
        speaker_label="The unit's spokesperson",
        said_on=date(2024, 5, 6),
    )
    set_stance(statement=denial, claim=claim, value=StanceValue.REFUTES)
    assertion = create_statement(
        article=article,
        party=rival,
        text="the convoy crossed the river at dawn",
        mode="paraphrase",
        speaker_label="The rival ministry",
        said_on=date(2024, 5, 7),
    )
    set_stance(statement=assertion, claim=claim, value=StanceValue.SUPPORTS)
    return {"parties": parties, "rival": rival, "topics": topics, "claim": claim}


def test_every_body_above_a_speaker_has_a_page_at_any_depth(client, chain):
    for party in chain["parties"]:
        assert client.get(party.get_absolute_url()).status_code == 200, party.slug
    page = client.get(chain["parties"][-1].get_absolute_url()).content.decode()
    assert f'href="{chain["parties"][-2].get_absolute_url()}"' in page


def test_filtering_by_a_party_includes_what_its_sub_parties_said(client, chain):
    top = chain["parties"][0].slug
    assert "The convoy crossed the river." in text(client.get(f"/claims/?party={top}"))
    assert "The convoy crossed the river." in text(
        client.get(f"/claims/?party={top}&stance=refutes")
    )
    assert "No published claim matches" in text(client.get(f"/claims/?party={top}&stance=supports"))
    api = client.get(f"/api/v1/claims/?party={top}").json()
    assert [claim["slug"] for claim in api["results"]] == ["convoy-crossed"]


def test_a_bodys_page_rolls_up_what_the_parties_under_it_said(client, chain):
    top = chain["parties"][0]
    page = text(client.get(top.get_absolute_url()))
    assert "the convoy never left its base" in page
    assert "North spokesperson:" in page
    assert "North alliance and the 5 parties under it" in page
    assert "Denies or disputes 1 claim" in page
    assert "South ministry South · opposite stances on 1 claim" in page
    assert "from 6 May 2024 to 6 May 2024" in page


def test_the_api_gives_a_partys_profile_with_the_same_figures(client, chain):
    profile = client.get(f"/api/v1/parties/{chain['parties'][0].slug}/").json()["profile"]
    assert profile["parties"] == len(LEVELS)
    assert profile["statements"] == 1
    assert profile["stances"] == {"supports": 0, "refutes": 1, "disputes": 0, "neutral": 0}
    assert (profile["asserts"], profile["denies"]) == (0, 1)
    assert [c["slug"] for c in profile["latest_denied"]] == ["convoy-crossed"]
    [other] = profile["contradicts"]
    assert (other["party"]["slug"], other["party"]["side"], other["claims"]) == (
        "south-ministry",
        "South",
        1,
    )
    assert (profile["first_said"], profile["last_said"]) == ("2024-05-06", "2024-05-06")
    rival = client.get("/api/v1/parties/south-ministry/").json()["profile"]
    assert rival["contradicts"][0]["party"]["slug"] == "north-spokesperson"


def test_a_topic_holds_the_claims_of_its_sub_topics_at_any_depth(client, chain):
    top = chain["topics"][0]
    listing = text(client.get("/topics/"))
    assert f"{top.name} 1 claim, sub-topics included" in listing
    assert f"{top.name} 1 claim, sub-topics included" in text(client.get("/"))
    assert "The convoy crossed the river." in text(client.get(top.get_absolute_url()))
    assert "The convoy crossed the river." in text(client.get(f"/claims/?topic={top.slug}"))
    for topic in chain["topics"]:
        assert client.get(topic.get_absolute_url()).status_code == 200, topic.slug


def test_a_topic_with_no_published_claim_below_it_is_not_shown(client, chain):
    Claim.objects.update(status=Status.DRAFT)
    for topic in chain["topics"]:
        assert client.get(topic.get_absolute_url()).status_code == 404
    assert chain["topics"][0].name not in text(client.get("/topics/"))
