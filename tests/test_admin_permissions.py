"""Curators change everything but publish nothing; Editors also delete and correct; readers see
only what is published."""

import pytest
from django.urls import reverse

from claims.models import Claim, Correction, Stance, Status

from .conftest import form_data, run_action
from .pages import page_of


@pytest.fixture
def draft_claim(incident_topic) -> Claim:
    return Claim.objects.create(slug="draft-claim", text="A draft claim.", topic=incident_topic)


def test_a_curator_cannot_delete_a_published_claim(curator_client, zone_claim):
    url = reverse("admin:claims_claim_delete", args=[zone_claim.pk])
    assert curator_client.get(url).status_code == 403
    assert curator_client.post(url, {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=zone_claim.pk).exists()


def test_a_curator_cannot_delete_a_published_claim_from_the_list(
    curator_client, zone_claim, draft_claim
):
    url = reverse("admin:claims_claim_changelist")
    selected = {"action": "delete_selected", "_selected_action": [zone_claim.pk, draft_claim.pk]}
    confirmation = curator_client.post(url, selected)
    assert "only an Editor may delete them" in confirmation.content.decode()
    assert curator_client.post(url, {**selected, "post": "yes"}).status_code == 403
    assert Claim.objects.count() == 2


def test_a_curator_deletes_a_draft_claim(curator_client, draft_claim):
    url = reverse("admin:claims_claim_delete", args=[draft_claim.pk])
    assert curator_client.post(url, {"post": "yes"}).status_code == 302
    assert not Claim.objects.filter(pk=draft_claim.pk).exists()


def test_an_editor_deletes_a_published_claim(editor_client, disputed_zone_claim):
    url = reverse("admin:claims_claim_delete", args=[disputed_zone_claim.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Claim.objects.exists()
    assert not Stance.objects.exists()


CORRECTION = "The Russian statement was dated 26 March, not 27 March."


def with_a_new_correction(screen) -> dict:
    """What the claim screen sends back with one more row of corrections filled in, as a
    browser adding a row would send it, whether or not the screen offered the row."""
    data = form_data(screen)
    row = int(data["corrections-TOTAL_FORMS"])
    data["corrections-TOTAL_FORMS"] = str(row + 1)
    data[f"corrections-{row}-published_on"] = "2022-03-28"
    data[f"corrections-{row}-text"] = CORRECTION
    return data


def test_an_editor_adds_a_dated_correction_that_readers_see(editor_client, client, zone_claim):
    url = reverse("admin:claims_claim_change", args=[zone_claim.pk])
    response = editor_client.post(url, with_a_new_correction(editor_client.get(url)))
    assert response.status_code == 302
    correction = Correction.objects.get(claim=zone_claim)
    assert (str(correction.published_on), correction.text) == ("2022-03-28", CORRECTION)
    public = page_of(client.get(zone_claim.get_absolute_url())).region("Corrections")
    assert f"28 March 2022: {CORRECTION}" in public.text


def test_a_curator_sees_corrections_but_cannot_add_one(curator_client, client, zone_claim):
    Correction.objects.create(claim=zone_claim, text="An earlier correction.")
    url = reverse("admin:claims_claim_change", args=[zone_claim.pk])
    screen = curator_client.get(url)
    page = page_of(screen)
    assert "An earlier correction." in page.text
    assert "Editors only" in page.text
    fields = page.form_values
    assert not [name for name in fields if name.startswith("corrections") and "-text" in name]
    # A crafted request with a new row is saved without it.
    assert curator_client.post(url, with_a_new_correction(screen)).status_code == 302
    assert list(Correction.objects.values_list("text", flat=True)) == ["An earlier correction."]
    assert CORRECTION not in page_of(client.get(zone_claim.get_absolute_url())).text


def test_a_curator_cannot_restore_a_version_that_would_republish_a_claim(
    curator_client, editor_client, draft_claim
):
    run_action(editor_client, Claim, "publish", [draft_claim])
    run_action(editor_client, Claim, "unpublish", [draft_claim])
    history = curator_client.get(reverse("admin:claims_claim_history", args=[draft_claim.pk]))
    published_version = next(
        version
        for version, _ in history.context["versions"]
        if version.field_dict["status"] == Status.PUBLISHED
    )
    url = reverse("admin:claims_claim_revision", args=[draft_claim.pk, published_version.pk])
    response = curator_client.post(url, {})
    assert response.status_code == 302
    draft_claim.refresh_from_db()
    assert draft_claim.status == Status.DRAFT


def test_anonymous_visitors_are_sent_to_the_login_page(client, draft_claim):
    for url in [
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[draft_claim.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_a_draft_claim_has_no_public_page(client, draft_claim):
    response = client.get(draft_claim.get_absolute_url())
    assert response.status_code == 404
    assert "This page is not here" in page_of(response).text
