"""A claim readers cannot see yet is previewed at its public address: the real claim page, marked
as a preview, for signed-in curators and editors only, and never cached."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from claims.models import Status

from .conftest import PASSWORD
from .pages import page_of


@pytest.fixture
def draft(disputed_zone_claim):
    disputed_zone_claim.status = Status.DRAFT
    disputed_zone_claim.published_at = None
    disputed_zone_claim.save()
    return disputed_zone_claim


def test_staff_see_a_draft_at_its_public_address_marked_as_a_preview(curator_client, draft):
    response = curator_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    page = page_of(response)
    assert "A preview for curators. Readers cannot see this claim while it is draft" in page.text
    assert page.find_all("h1")[0].text == draft.text
    refutes = page.region("Refutes")
    assert "Azerbaijan's Defence Ministry refuted Moscow's version of events" in refutes.text
    assert page.facts["Published on Claimtrack"] == "Not yet"
    back = reverse("admin:claims_claim_change", args=[draft.pk])
    assert back in [link.href for link in page.links]


def test_a_preview_is_never_cached(curator_client, client, draft):
    response = curator_client.get(draft.get_absolute_url())
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "X-Cache" not in response
    # Not kept for anyone else: readers still find nothing there, first time or next.
    for _ in range(2):
        answer = client.get(draft.get_absolute_url())
        assert answer.status_code == 404 and answer.get("X-Cache") != "hit"


def test_the_404_readers_get_at_a_drafts_address_varies_by_cookie(client, draft):
    """A cache in front must not give a curator the 404 it kept for a reader."""
    assert "Cookie" in client.get(draft.get_absolute_url())["Vary"]
    assert "Cookie" in client.get("/claims/no-such-claim/")["Vary"]


def test_anonymous_readers_and_staff_without_a_role_get_404(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(User.objects.create_user("intern", password=PASSWORD, is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_published_claim_is_no_preview(curator_client, disputed_zone_claim):
    response = curator_client.get(disputed_zone_claim.get_absolute_url())
    assert "A preview" not in page_of(response).text
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_claim_screen_leads_to_the_public_address(curator_client, draft):
    screen = page_of(curator_client.get(reverse("admin:claims_claim_change", args=[draft.pk])))
    links = {link.text: link.href for link in screen.links}
    assert links["See it as readers will"] == draft.get_absolute_url()
    assert links["View on site"] == draft.get_absolute_url()
