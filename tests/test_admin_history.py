"""Nothing done in the admin is lost: every change is a version with its author, any two versions
can be compared, and an earlier version or a deleted claim is restored exactly."""

import pytest
import reversion
from django.db.models import Max
from django.urls import reverse
from reversion.models import Version

from claims.models import Claim, Stance, StanceValue, Topic

from .conftest import form_data
from .pages import page_of


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def snapshot(claim: Claim) -> dict:
    """Everything a reader or curator sees of a claim, its stances and its corrections."""
    claim.refresh_from_db()
    return {
        "claim": {
            field.attname: getattr(claim, field.attname)
            for field in Claim._meta.concrete_fields
            if field.name != "updated_at"
        },
        "places": sorted(claim.places.values_list("pk", flat=True)),
        "stances": sorted(claim.stances.values_list("pk", "statement_id", "value", "note")),
        "corrections": sorted(claim.corrections.values_list("pk", "published_on", "text")),
    }


def edit(client, claim: Claim, **changes) -> None:
    data = form_data(client.get(change_url(claim)))
    data.update(changes)
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def edited_claim(editor_client, disputed_zone_claim, azerbaijani_statement) -> Claim:
    """A claim saved once unchanged, then with a new text and one stance turned to disputes."""
    edit(editor_client, disputed_zone_claim)
    stance_form = next(
        prefix
        for prefix in ("stances-0", "stances-1")
        if form_data(editor_client.get(change_url(disputed_zone_claim)))[f"{prefix}-statement"]
        == str(azerbaijani_statement.pk)
    )
    edit(
        editor_client,
        disputed_zone_claim,
        text="Azerbaijani troops entered the zone of the Russian peacekeepers.",
        **{f"{stance_form}-value": StanceValue.DISPUTES, f"{stance_form}-note": "One-sided."},
    )
    return disputed_zone_claim


def test_a_change_is_recorded_with_its_author_and_what_changed(edited_claim, editor):
    latest = Version.objects.get_for_object(edited_claim).first()
    assert latest.revision.user == editor
    assert "Changed Text" in latest.revision.get_comment()
    assert "Changed Stance and Note for stance" in latest.revision.get_comment()


def test_the_history_page_lists_each_version_with_its_author(editor_client, edited_claim):
    response = editor_client.get(reverse("admin:claims_claim_history", args=[edited_claim.pk]))
    header, *versions = page_of(response).region("Versions of").rows
    user = [cell.text for cell in header].index("User")
    assert [version[user].text for version in versions] == ["editor", "editor"]


def test_two_versions_compare_field_by_field_and_stance_by_stance(editor_client, edited_claim):
    older, newer = Version.objects.get_for_object(edited_claim).order_by("pk")
    page = editor_client.get(
        reverse("admin:claims_claim_compare", args=[edited_claim.pk]),
        {"before": newer.pk, "after": older.pk},
    )
    assert page.context["before"] == older
    compared = page_of(page)
    [header, text] = compared.region("Claim").rows
    assert [cell.text for cell in header] == ["Field", "Before", "After"]
    field, before, after = text
    assert field.text == "Text"
    assert [words.text for words in before.find_all("del")] == ["responsibility of"]
    edited_claim.refresh_from_db()
    assert after.find_all("ins") == [] and after.text == edited_claim.text
    [header, stance] = compared.region("Related records").rows
    change, _, differences = stance
    assert change.text == "Changed"
    assert differences.text == "Stance: Refutes → Disputes Note: — → One-sided."


def test_comparing_needs_two_versions_of_the_same_claim(
    editor_client, edited_claim, incident_topic
):
    url = reverse("admin:claims_claim_compare", args=[edited_claim.pk])
    version = Version.objects.get_for_object(edited_claim).first()
    for query in [{}, {"before": version.pk, "after": version.pk}, {"before": "x", "after": "1"}]:
        response = editor_client.get(url, query, follow=True)
        assert "Choose two different versions" in response.content.decode()


def test_restoring_an_earlier_version_brings_back_exactly_what_was_there(
    editor_client, edited_claim, russian_statement
):
    older = Version.objects.get_for_object(edited_claim).order_by("pk").first()
    # Restore the version saved before the edit; the screen after the edit added one more stance.
    revert_url = reverse("admin:claims_claim_revision", args=[edited_claim.pk, older.pk])
    expected_text = older.field_dict["text"]
    edit(editor_client, edited_claim, **{"corrections-0-text": "A correction added later."})
    before_restore = snapshot(edited_claim)
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    assert snapshot(edited_claim) == before_restore  # looking at a version changes nothing
    assert editor_client.post(revert_url, form_data(page)).status_code == 302
    restored = snapshot(edited_claim)
    assert restored["claim"]["text"] == expected_text
    assert {value for _, _, value, _ in restored["stances"]} == {"supports", "refutes"}
    # Corrections are append-only: one added since the version stays.
    assert restored["corrections"] == before_restore["corrections"]
    assert (
        "Reverted to previous version"
        in Version.objects.get_for_object(edited_claim).first().revision.get_comment()
    )


def test_a_deleted_claim_is_restored_with_its_stances(editor_client, editor, disputed_zone_claim):
    Stance.objects.filter(value=StanceValue.SUPPORTS).update(note="Said on Saturday.")
    before = snapshot(disputed_zone_claim)
    delete_url = reverse("admin:claims_claim_delete", args=[disputed_zone_claim.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Claim.objects.exists() and not Stance.objects.exists()

    deleted = editor_client.get(reverse("admin:claims_claim_recoverlist"))
    [deletion] = deleted.context["deleted"]
    assert deletion.revision.user == editor
    assert deletion.revision.comment == "Deleted."
    recover_url = reverse("admin:claims_claim_recover", args=[deletion.pk])
    page = editor_client.get(recover_url)
    assert not Claim.objects.exists()  # the recover page only shows it
    assert editor_client.post(recover_url, form_data(page)).status_code == 302
    after = snapshot(Claim.objects.get())
    assert after == before


def test_a_curator_may_look_at_the_history(curator_client, edited_claim):
    url = reverse("admin:claims_claim_history", args=[edited_claim.pk])
    assert curator_client.get(url).status_code == 200


def version_of_a_topic(pk: int) -> Version:
    """A version of a record that is no claim: a topic, with the given id."""
    with reversion.create_revision():
        topic = Topic.objects.create(pk=pk, slug="other-topic", name="Other topic")
    return Version.objects.get_for_object(topic).get()


def unused_id() -> int:
    """An id that no claim and no topic has."""
    return 1 + max(model.objects.aggregate(last=Max("pk"))["last"] or 0 for model in (Claim, Topic))


def test_a_version_that_is_no_claims_is_not_found_not_an_error(editor_client, zone_claim):
    version = version_of_a_topic(unused_id())
    for url in (
        reverse("admin:claims_claim_revision", args=[zone_claim.pk, version.pk]),
        f"/admin/claims/claim/abc/history/{version.pk}/",
    ):
        assert editor_client.get(url).status_code == 404, url
    response = editor_client.get(reverse("admin:claims_claim_recover", args=[version.pk]))
    assert response.status_code == 404


def test_a_version_of_another_record_with_a_claims_id_is_not_found_either(
    editor_client, zone_claim
):
    shared_id = unused_id()
    version = version_of_a_topic(shared_id)
    Claim.objects.create(pk=shared_id, slug="same-id", text="Same id.", topic=zone_claim.topic)
    url = reverse("admin:claims_claim_revision", args=[shared_id, version.pk])
    Topic.objects.filter(pk=shared_id).update(name="Renamed since")
    assert editor_client.get(url).status_code == 404
    assert (
        editor_client.post(url, {"text": "Same id.", "topic": zone_claim.topic.pk}).status_code
        == 404
    )
    response = editor_client.get(reverse("admin:claims_claim_recover", args=[version.pk]))
    assert response.status_code == 404
    assert Topic.objects.get(pk=shared_id).name == "Renamed since"
