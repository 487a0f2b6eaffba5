"""An Editor merges a duplicate party or claim into the one kept: what it holds moves, its
address leads to the one kept, the merge is one revision in the history, and it can be undone
from the list of merges while nothing it moved has changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from reversion.models import Version

from claims.merges import merge_claims, merge_parties
from claims.models import Claim, Merge, Stance, StanceValue, Statement, Status
from claims.services import set_stance
from sources.models import FormerSlug, Party, PartyAlias

from .conftest import form_data, make_statement, messages_of, run_action
from .pages import page_of

APPEAL = "An appeal has been sent to the Azerbaijani side to withdraw its troops"


def choose(client, model, action: str, records: list, **data):
    """Select two records on a list and run the merge action; with `keep`, confirm it."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [r.pk for r in records], **data})


def confirm(client, model, records: list, keep):
    return choose(client, model, "merge", records, keep=str(keep.pk), post="yes")


@pytest.fixture
def duplicate(article, zone_claim) -> Party:
    """The Russian ministry entered twice: with a statement on the published claim, an alias,
    and a party under it."""
    party = Party.objects.create(
        slug="russias-defence-ministry",
        name="Russia's Defence Ministry",
        side="Russia",
        kind="ministry",
    )
    PartyAlias.objects.create(party=party, name="Russian MoD")
    PartyAlias.objects.create(party=party, name="moscow")  # the kept party has it already
    Party.objects.create(
        slug="press-office", name="Press office", side="Russia", kind="person", parent=party
    )
    appeal = make_statement(article, party, APPEAL, speaker_label="the Russian Defense Ministry")
    set_stance(statement=appeal, claim=zone_claim, value=StanceValue.SUPPORTS)
    return party


@pytest.fixture
def merged(editor_client, russian_mod, russian_statement, duplicate) -> Merge:
    response = confirm(editor_client, Party, [russian_mod, duplicate], russian_mod)
    assert response.status_code == 302
    assert response.url == reverse("admin:sources_party_change", args=[russian_mod.pk])
    return Merge.objects.get()


def test_the_merge_page_shows_both_parties_to_choose_the_one_kept(
    editor_client, russian_mod, russian_statement, duplicate
):
    page = page_of(choose(editor_client, Party, "merge", [russian_mod, duplicate]))
    kept = page.region("Keep “Russian Defence Ministry”")
    assert kept.facts["Also named"] == "Moscow" and kept.facts["Statements"] == "1"
    other = page.region("Keep “Russia's Defence Ministry”")
    assert set(other.facts["Also named"].split(", ")) == {"moscow", "Russian MoD"}
    assert other.facts["Parties under it"] == "1"
    unchosen = choose(editor_client, Party, "merge", [russian_mod, duplicate], post="yes")
    assert "Choose the party to keep." in page_of(unchosen).text
    assert Party.objects.filter(pk=duplicate.pk).exists() and not Merge.objects.exists()


def test_a_merged_party_hands_over_its_statements_aliases_children_and_address(
    client, editor_client, merged, russian_mod, duplicate
):
    assert not Party.objects.filter(pk=duplicate.pk).exists()
    appeal = Statement.objects.get(text=APPEAL)
    assert appeal.party == russian_mod
    assert Party.objects.get(slug="press-office").parent == russian_mod
    assert sorted(russian_mod.aliases.values_list("name", flat=True)) == [
        "Moscow",
        "Russia's Defence Ministry",
        "Russian MoD",
    ]
    response = client.get("/parties/russias-defence-ministry/")
    assert response.status_code == 301
    assert response["Location"] == russian_mod.get_absolute_url()
    landing = editor_client.get(reverse("admin:sources_party_change", args=[russian_mod.pk]))
    assert "Merged “Russia's Defence Ministry” into this party" in page_of(landing).text


def test_a_party_merge_is_one_revision_in_the_history_of_the_one_kept(merged, russian_mod, editor):
    latest = Version.objects.get_for_object(russian_mod).first().revision
    assert latest.user == editor
    assert latest.get_comment() == (
        "Merged “Russia's Defence Ministry” into this party: statements moved: 1; aliases: 2; "
        "parties under it: 1."
    )
    held = {(v.content_type.model, v.object_repr) for v in latest.version_set.all()}
    assert {("party", "Russian Defence Ministry"), ("party", "Press office")} <= held
    assert ("statement", f"Russian Defence Ministry: “{APPEAL}”") in held


def test_undoing_a_party_merge_puts_everything_back(
    client, editor_client, merged, russian_mod, duplicate
):
    response = run_action(editor_client, Merge, "undo", [merged])
    assert "1 merge undone" in " ".join(messages_of(response))
    party = Party.objects.get(pk=duplicate.pk)
    assert (party.slug, party.name) == ("russias-defence-ministry", "Russia's Defence Ministry")
    assert Statement.objects.get(text=APPEAL).party == party
    assert Party.objects.get(slug="press-office").parent == party
    assert sorted(party.aliases.values_list("name", flat=True)) == ["Russian MoD", "moscow"]
    assert list(russian_mod.aliases.values_list("name", flat=True)) == ["Moscow"]
    assert not FormerSlug.objects.filter(slug="russias-defence-ministry").exists()
    assert client.get("/parties/russias-defence-ministry/").status_code == 200
    merged.refresh_from_db()
    assert merged.undone_at is not None
    assert "Undid the merge" in Version.objects.get_for_object(party).first().revision.comment


def test_a_merge_whose_records_changed_since_is_not_undone(editor_client, editor, merged):
    appeal = Statement.objects.get(text=APPEAL)
    url = reverse("admin:claims_statement_change", args=[appeal.pk])
    page = editor_client.get(url)
    data = {k: v for k, v in page_of(page).form_values.items() if not k.startswith("_")}
    assert (
        editor_client.post(url, {**data, "speaker_label": "Moscow's ministry"}).status_code == 302
    )
    response = run_action(editor_client, Merge, "undo", [merged])
    assert "not undone. Changed since the merge" in " ".join(messages_of(response))
    merged.refresh_from_db()
    assert merged.undone_at is None
    assert not Party.objects.filter(slug="russias-defence-ministry").exists()


def test_an_undo_leaves_what_the_merge_did_not_change_as_it_is_now(
    editor_client, merged, zone_claim, duplicate
):
    """The stance of a moved statement was in the merge's revisions, unchanged: a later edit of
    it on its claim's screen does not stop the undo, and the undo does not take it back."""
    url = reverse("admin:claims_claim_change", args=[zone_claim.pk])
    data = form_data(editor_client.get(url))
    row = next(
        k
        for k, v in data.items()
        if k.endswith("-statement") and v == str(Statement.objects.get(text=APPEAL).pk)
    )
    data[row.replace("-statement", "-value")] = StanceValue.NEUTRAL
    assert editor_client.post(url, data).status_code == 302
    run_action(editor_client, Merge, "undo", [merged])
    appeal = Statement.objects.get(text=APPEAL)
    assert appeal.party.pk == duplicate.pk
    assert appeal.stances.get().value == StanceValue.NEUTRAL


def test_two_statements_on_the_same_words_are_resolved_before_a_party_merge(
    editor_client, article, russian_mod, russian_statement, duplicate
):
    make_statement(article, duplicate, russian_statement.text)
    page = page_of(choose(editor_client, Party, "merge", [russian_mod, duplicate]))
    assert "Both have a statement on the words “Russia on Saturday claimed" in page.text
    confirm(editor_client, Party, [russian_mod, duplicate], russian_mod)
    assert Party.objects.filter(pk=duplicate.pk).exists() and not Merge.objects.exists()


def test_a_party_is_not_merged_with_one_under_it(editor, duplicate):
    child = Party.objects.get(slug="press-office")
    with pytest.raises(ValidationError, match="“Press office” sits under “Russia's Defence"):
        merge_parties(keep=duplicate, other=child, user=editor)


@pytest.fixture
def duplicate_claim(zone_claim, incident_topic, article, russian_statement, azerbaijani_statement):
    """The zone claim worded twice: the Azerbaijani refutation on both, and a statement only on
    the duplicate."""
    claim = Claim.objects.create(
        slug="azeri-troops-in-the-zone",
        text="Azeri troops entered the peacekeepers' zone.",
        topic=incident_topic,
        status=Status.IN_REVIEW,
    )
    set_stance(statement=azerbaijani_statement, claim=zone_claim, value=StanceValue.REFUTES)
    set_stance(statement=azerbaijani_statement, claim=claim, value=StanceValue.REFUTES)
    one_sided = make_statement(article, azerbaijani_statement.party, "one-sided")
    set_stance(statement=one_sided, claim=claim, value=StanceValue.DISPUTES, note="One-sided.")
    return claim


def test_a_merged_claim_hands_over_its_stances_and_its_address(
    client, editor_client, zone_claim, duplicate_claim
):
    response = confirm(editor_client, Claim, [zone_claim, duplicate_claim], zone_claim)
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=duplicate_claim.pk).exists()
    values = sorted(zone_claim.stances.values_list("statement__text", "value", "note"))
    assert values == [
        ("Azerbaijan's Defence Ministry refuted Moscow's version of events", "refutes", ""),
        ("one-sided", "disputes", "One-sided."),
    ]
    zone_claim.refresh_from_db()
    assert (zone_claim.refutes_count, zone_claim.disputes_count) == (1, 1)
    moved = client.get("/claims/azeri-troops-in-the-zone/")
    assert moved.status_code == 301 and moved["Location"] == zone_claim.get_absolute_url()


def test_a_claim_merge_is_not_undone_once_the_claim_kept_changed(
    editor_client, zone_claim, duplicate_claim
):
    confirm(editor_client, Claim, [zone_claim, duplicate_claim], zone_claim)
    run_action(editor_client, Claim, "unpublish", [zone_claim])  # a new version of the one kept
    [merge] = Merge.objects.all()
    assert "not undone" in " ".join(messages_of(run_action(editor_client, Merge, "undo", [merge])))
    zone_claim.refresh_from_db()
    assert zone_claim.status == Status.DRAFT and zone_claim.disputes_count == 1
    assert not Claim.objects.filter(pk=duplicate_claim.pk).exists()


def test_undo_of_a_claim_merge_restores_the_duplicate(editor_client, zone_claim, duplicate_claim):
    confirm(editor_client, Claim, [zone_claim, duplicate_claim], zone_claim)
    run_action(editor_client, Merge, "undo", list(Merge.objects.all()))
    claim = Claim.objects.get(pk=duplicate_claim.pk)
    assert claim.status == Status.IN_REVIEW
    assert sorted(claim.stances.values_list("value", flat=True)) == ["disputes", "refutes"]
    assert (claim.refutes_count, claim.disputes_count) == (1, 1)
    zone_claim.refresh_from_db()
    assert (zone_claim.refutes_count, zone_claim.disputes_count) == (1, 0)
    assert not FormerSlug.objects.filter(slug="azeri-troops-in-the-zone").exists()


def test_a_statements_two_different_stances_are_resolved_before_a_claim_merge(
    editor_client, zone_claim, duplicate_claim, russian_statement
):
    set_stance(statement=russian_statement, claim=zone_claim, value=StanceValue.SUPPORTS)
    set_stance(statement=russian_statement, claim=duplicate_claim, value=StanceValue.NEUTRAL)
    page = page_of(choose(editor_client, Claim, "merge", [zone_claim, duplicate_claim]))
    assert (
        "Russian Defence Ministry: “Russia on Saturday claimed that soldiers from Azerbaijan have "
        "entered a zone” supports the claim kept and neutral the other"
    ) in page.text
    confirm(editor_client, Claim, [zone_claim, duplicate_claim], zone_claim)
    assert Claim.objects.filter(pk=duplicate_claim.pk).exists()
    assert Stance.objects.filter(claim=duplicate_claim).count() == 3


def test_a_published_claim_is_not_merged_into_a_draft(editor, zone_claim, duplicate_claim):
    with pytest.raises(ValidationError, match="is published and"):
        merge_claims(keep=duplicate_claim, other=zone_claim, user=editor)


def test_only_editors_merge(curator, curator_client, russian_mod, duplicate, zone_claim):
    for model in (Party, Claim):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        actions = page_of(curator_client.get(url)).find_all("option")
        assert "merge" not in [option.attributes.get("value") for option in actions]
    with pytest.raises(PermissionDenied):
        merge_parties(keep=russian_mod, other=duplicate, user=curator)
