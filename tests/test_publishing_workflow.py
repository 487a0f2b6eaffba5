"""Curators prepare claims and send them to review; only Editors publish and unpublish them."""

import pytest
from django.urls import reverse
from reversion.models import Version

from claims.models import Claim, Status

from .conftest import form_data, messages_of, run_action


@pytest.fixture
def draft_claim(zone_claim) -> Claim:
    zone_claim.status = Status.DRAFT
    zone_claim.published_at = None
    zone_claim.save()
    return zone_claim


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def test_a_curator_is_not_offered_the_publish_action(curator_client, draft_claim):
    response = curator_client.get(reverse("admin:claims_claim_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "send_to_review" in actions
    assert "publish" not in actions
    assert "unpublish" not in actions


def test_a_curator_posting_the_publish_action_leaves_the_claim_unpublished(
    curator_client, draft_claim
):
    response = run_action(curator_client, Claim, "publish", [draft_claim])
    assert response.status_code == 200
    draft_claim.refresh_from_db()
    assert draft_claim.status == Status.DRAFT
    assert draft_claim.published_at is None


def test_a_curator_sends_drafts_to_review_and_is_told_which(curator_client, draft_claim):
    response = run_action(curator_client, Claim, "send_to_review", [draft_claim])
    draft_claim.refresh_from_db()
    assert draft_claim.status == Status.IN_REVIEW
    assert any("1 claim now in review" in message for message in messages_of(response))


def test_sending_a_published_claim_to_review_leaves_it_published(curator_client, zone_claim):
    response = run_action(curator_client, Claim, "send_to_review", [zone_claim])
    zone_claim.refresh_from_db()
    assert zone_claim.status == Status.PUBLISHED
    assert any("left as they were" in message for message in messages_of(response))


def test_a_curator_cannot_publish_through_the_form(curator_client, draft_claim):
    data = form_data(curator_client.get(change_url(draft_claim)))
    data["status"] = Status.PUBLISHED
    response = curator_client.post(change_url(draft_claim), data)
    assert response.status_code == 200
    assert "only an Editor can publish or unpublish" in str(
        response.context["adminform"].form.errors["status"]
    )
    draft_claim.refresh_from_db()
    assert draft_claim.status == Status.DRAFT


def test_a_curator_cannot_unpublish_through_the_form(curator_client, zone_claim):
    data = form_data(curator_client.get(change_url(zone_claim)))
    assert "status" not in data
    data["status"] = Status.DRAFT
    data["text"] = "Azerbaijani troops entered the peacekeepers’ zone."
    response = curator_client.post(change_url(zone_claim), data)
    assert response.status_code == 302
    zone_claim.refresh_from_db()
    assert zone_claim.status == Status.PUBLISHED
    assert zone_claim.text == "Azerbaijani troops entered the peacekeepers’ zone."


def test_an_editor_publishes_with_the_action_and_each_claim_gets_a_revision(
    editor_client, editor, draft_claim, incident_topic
):
    other = Claim.objects.create(slug="other", text="Another claim.", topic=incident_topic)
    response = run_action(editor_client, Claim, "publish", [draft_claim, other])
    assert any("2 claims now published" in message for message in messages_of(response))
    for claim in (draft_claim, other):
        claim.refresh_from_db()
        assert claim.status == Status.PUBLISHED
        assert claim.published_at is not None
        revision = Version.objects.get_for_object(claim).get().revision
        assert revision.user == editor
        assert revision.version_set.count() == 1


def test_an_editor_unpublishes_a_claim_back_to_draft(editor_client, zone_claim):
    run_action(editor_client, Claim, "unpublish", [zone_claim])
    zone_claim.refresh_from_db()
    assert zone_claim.status == Status.DRAFT


def test_an_editor_publishes_through_the_form(editor_client, draft_claim):
    data = form_data(editor_client.get(change_url(draft_claim)))
    data["status"] = Status.PUBLISHED
    assert editor_client.post(change_url(draft_claim), data).status_code == 302
    draft_claim.refresh_from_db()
    assert draft_claim.status == Status.PUBLISHED


def test_the_claim_screen_links_a_draft_and_a_published_claim_to_their_public_address(
    curator_client, draft_claim, incident_topic
):
    assert (
        draft_claim.get_absolute_url()
        in curator_client.get(change_url(draft_claim)).content.decode()
    )
    published = Claim.objects.create(
        slug="published", text="Published.", topic=incident_topic, status=Status.PUBLISHED
    )
    assert "/claims/published/" in curator_client.get(change_url(published)).content.decode()


def test_the_preview_shows_a_draft_with_its_statements(curator_client, disputed_zone_claim):
    disputed_zone_claim.status = Status.DRAFT
    disputed_zone_claim.save()
    response = curator_client.get(disputed_zone_claim.get_absolute_url())
    page = response.content.decode()
    assert "Readers cannot see this claim while it is draft" in page
    assert "Azerbaijan&#x27;s Defence Ministry refuted Moscow&#x27;s version of events" in page
