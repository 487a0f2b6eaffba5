"""The admin home shows each person what waits for them: Editors the claims in review, oldest
first with who sent each and when, and the statements an edit of the body took away; Curators
their own drafts and flagged statements. Each is one click from its screen."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Status

from .conftest import form_data, make_staff, run_action
from .pages import page_of

HOME = reverse("admin:index")


def add_claim(client: Client, topic, text: str) -> Claim:
    """A claim added on the admin's claim screen, as a curator adds one."""
    url = reverse("admin:claims_claim_add")
    data = form_data(client.get(url))
    data.update(text=text, slug=text.lower().replace(" ", "-").strip("."), topic=str(topic.pk))
    assert client.post(url, data).status_code == 302
    return Claim.objects.get(text=text)


@pytest.fixture
def other_curator(db) -> Client:
    client = Client()
    client.force_login(make_staff("olga", "Curator"))
    return client


@pytest.fixture
def sent(curator_client, other_curator, incident_topic) -> list[Claim]:
    """Two claims sent to review, the first by `curator`, then one `curator` wrote and `olga`
    sent; and a draft of each."""
    first = add_claim(curator_client, incident_topic, "Troops crossed the line.")
    second = add_claim(curator_client, incident_topic, "Drones struck a post.")
    run_action(curator_client, Claim, "send_to_review", [first])
    run_action(other_curator, Claim, "send_to_review", [second])
    add_claim(other_curator, incident_topic, "Gas was cut off.")
    add_claim(curator_client, incident_topic, "Power was cut off.")
    return [first, second]


def test_an_editor_sees_the_claims_in_review_oldest_first_with_who_sent_them(editor_client, sent):
    queue = page_of(editor_client.get(HOME)).region("Claims in review")
    rows = queue.rows
    assert [row[0].text for row in rows] == ["Troops crossed the line.", "Drones struck a post."]
    assert rows[0][1].text.startswith("sent by curator, ")
    assert rows[1][1].text.startswith("sent by olga, ")
    assert [link.href for link in queue.links] == [
        reverse("admin:claims_claim_change", args=[claim.pk]) for claim in sent
    ]
    assert "cut off." not in page_of(editor_client.get(HOME)).text


def test_a_claim_sent_back_to_draft_leaves_the_queue(editor_client, sent):
    run_action(editor_client, Claim, "publish", [sent[0]])
    queue = page_of(editor_client.get(HOME)).region("Claims in review")
    assert [row[0].text for row in queue.rows] == ["Drones struck a post."]


def test_a_curator_sees_their_own_drafts_not_the_review_queue(other_curator, sent):
    page = page_of(other_curator.get(HOME))
    drafts = page.region("Your drafts")
    assert [row[0].text for row in drafts.rows] == ["Gas was cut off."]
    with pytest.raises(LookupError):
        page.region("Claims in review")


@pytest.fixture
def flagged(curator_client, article, russian_statement, azerbaijani_statement):
    """The curator edits the body so that the Russian statement's words are gone."""
    url = reverse("admin:sources_article_change", args=[article.pk])
    data = form_data(curator_client.get(url))
    data["body"] = data["body"].replace("Russia on Saturday claimed", "Moscow said")
    assert curator_client.post(url, data).status_code == 302
    russian_statement.refresh_from_db()
    return russian_statement


def test_statements_flagged_after_a_body_edit_wait_for_editors_and_their_curator(
    editor_client, curator_client, other_curator, flagged
):
    for client, title in [
        (editor_client, "Statements to fix"),
        (curator_client, "Your statements to fix"),
    ]:
        queue = page_of(client.get(HOME)).region(title)
        assert [link.href for link in queue.links] == [
            reverse("admin:claims_statement_change", args=[flagged.pk])
        ]
        assert "Russian Defence Ministry: “Russia on Saturday claimed" in queue.text
    # Olga did not touch that article: her list is empty, and says so.
    assert (
        "No statement to fix"
        in page_of(other_curator.get(HOME)).region("Your statements to fix").text
    )


def test_the_queue_costs_the_same_queries_for_one_claim_as_for_many(
    editor_client, curator_client, incident_topic, django_assert_max_num_queries
):
    def send(k: int) -> None:
        claim = Claim.objects.create(slug=f"claim-{k}", text=f"Claim {k}.", topic=incident_topic)
        run_action(curator_client, Claim, "send_to_review", [claim])

    send(0)
    with CaptureQueriesContext(connection) as one:
        editor_client.get(HOME)
    for_one = len(one.captured_queries)
    for k in range(1, 8):
        send(k)
    with django_assert_max_num_queries(for_one):
        response = editor_client.get(HOME)
    assert len(page_of(response).region("Claims in review").rows) == 8
    assert Claim.objects.filter(status=Status.IN_REVIEW).count() == 8
