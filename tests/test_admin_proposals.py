"""On the article screen, the assistant proposes statements; a curator accepts, edits or rejects
each, or accepts them all, and accepted ones are ordinary statements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from claims.models import ProposalSet, RejectedProposal, Stance, Statement
from claims.services import save_article
from sources.models import Article, Party, PartyAlias

BODY = (
    "The Northern Defence Ministry said on Monday that its patrol had not crossed the border.\n\n"
    '"Our soldiers stayed on our side of the line," ministry spokesman Ivo Rask said.\n\n'
    "The Southern Interior Ministry rejected the account."
)


@pytest.fixture
def report(deutsche_welle) -> Article:
    article = Article(slug="patrol-row", title="Patrol row", outlet=deutsche_welle, body=BODY)
    save_article(article=article)
    return article


@pytest.fixture
def northern_mod(db) -> Party:
    return Party.objects.create(
        slug="northern-defence-ministry",
        name="Northern Defence Ministry",
        side="North",
        kind="ministry",
    )


def proposals_url(article: Article) -> str:
    return reverse("admin:sources_article_proposals", args=[article.pk])


def open_proposals(response) -> list[dict]:
    return [proposal for _, _, proposal in response.context["proposals"]]


def form_fields(response) -> dict:
    """What a browser posts back from the proposals page, left as it is."""
    data = {}
    for _, form, _ in response.context["proposals"]:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = (
                "on" if value is True else str(value.pk if hasattr(value, "pk") else value)
            )
    return data


def test_the_article_screen_links_to_its_proposals(curator_client, report):
    page = curator_client.get(reverse("admin:sources_article_change", args=[report.pk]))
    assert proposals_url(report) in page.content.decode()


def test_proposals_name_known_parties_and_new_ones_with_the_articles_words(
    curator_client, report, northern_mod
):
    proposals = open_proposals(curator_client.get(proposals_url(report)))
    by_words = {proposal["text"]: proposal for proposal in proposals}
    patrol = by_words["its patrol had not crossed the border"]
    assert patrol["party_slug"] == northern_mod.slug
    southern = by_words["the account"]
    assert southern["party_slug"] is None and southern["party"] == "Southern Interior Ministry"
    assert all(BODY[p["start"] : p["end"]] == p["text"] for p in proposals)


def test_proposals_are_computed_once_per_capture(curator_client, report, northern_mod):
    curator_client.get(proposals_url(report))
    with CaptureQueriesContext(connection) as again:
        curator_client.get(proposals_url(report))
    assert ProposalSet.objects.count() == 1
    assert not any("DISTINCT" in query["sql"] for query in again)  # the parties' known names
    report.body = BODY + "\n\nThe Northern Defence Ministry added that talks would go on."
    save_article(article=report)
    curator_client.get(proposals_url(report))
    assert ProposalSet.objects.count() == 2


def test_accepting_a_proposal_records_an_ordinary_statement_with_its_stance(
    curator_client, curator, report, northern_mod, zone_claim
):
    page = curator_client.get(proposals_url(report))
    [(_, form, proposal)] = [
        row for row in page.context["proposals"] if row[2]["text"].startswith("its patrol")
    ]
    data = form_fields(page)
    data[form.add_prefix("link_0")] = "on" if form.claims else None
    data = {key: value for key, value in data.items() if value is not None}
    response = curator_client.post(
        proposals_url(report), {**data, "accept": proposal["index"]}, follow=True
    )
    assert response.status_code == 200
    statement = Statement.objects.get()
    assert (statement.party, statement.text) == (northern_mod, proposal["text"])
    assert statement.speaker_label == proposal["attributed_as"]
    assert statement.capture == report.capture
    [version] = Version.objects.get_for_object(statement)
    assert version.revision.user == curator
    assert "its patrol" not in " ".join(p["text"] for p in open_proposals(response))
    if form.claims:
        assert Stance.objects.get(statement=statement).claim == form.claims[0][0]


def test_an_edited_proposal_is_recorded_as_edited_and_a_new_party_created(curator_client, report):
    page = curator_client.get(proposals_url(report))
    [(_, form, proposal)] = [
        row for row in page.context["proposals"] if row[2]["text"] == "the account"
    ]
    data = {**form_fields(page), "accept": proposal["index"]}
    data[form.add_prefix("text")] = "rejected the account"
    data[form.add_prefix("new_party_side")] = "South"
    data[form.add_prefix("new_party_kind")] = "ministry"
    assert curator_client.post(proposals_url(report), data).status_code == 302
    statement = Statement.objects.get()
    assert statement.text == "rejected the account"
    assert statement.party.name == "Southern Interior Ministry"
    assert statement.party.side == "South"
    assert PartyAlias.objects.filter(
        party=statement.party, name=proposal["attributed_as"]
    ).exists() or (proposal["attributed_as"].lower() == "southern interior ministry")


def test_edited_words_the_body_does_not_hold_are_refused_and_nothing_is_recorded(
    curator_client, report, northern_mod
):
    page = curator_client.get(proposals_url(report))
    [(_, form, proposal)] = [
        row for row in page.context["proposals"] if row[2]["text"].startswith("its patrol")
    ]
    data = {**form_fields(page), "accept": proposal["index"]}
    data[form.add_prefix("text")] = "its patrol crossed the border"
    response = curator_client.post(proposals_url(report), data)
    assert response.status_code == 200
    assert "is not in the article’s body" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_rejected_proposal_is_not_proposed_again_even_for_a_new_capture(
    curator_client, report, northern_mod
):
    page = curator_client.get(proposals_url(report))
    proposal = next(p for p in open_proposals(page) if p["text"] == "the account")
    curator_client.post(proposals_url(report), {**form_fields(page), "reject": proposal["index"]})
    assert RejectedProposal.objects.filter(article=report, text="the account").exists()
    report.body = "Update: talks resumed.\n\n" + BODY
    save_article(article=report)
    texts = [p["text"] for p in open_proposals(curator_client.get(proposals_url(report)))]
    assert "the account" not in texts and texts


def test_accept_all_records_every_open_proposal_or_none(curator_client, report, northern_mod):
    page = curator_client.get(proposals_url(report))
    count = len(open_proposals(page))
    data = {**form_fields(page), "accept_all": "1"}
    new = [form for _, form, p in page.context["proposals"] if not p["party_slug"]]
    assert new
    for form in new:
        data[form.add_prefix("new_party_side")] = ""
    refused = curator_client.post(proposals_url(report), data)
    assert refused.status_code == 200 and not Statement.objects.exists()
    for form in new:
        data[form.add_prefix("new_party_side")] = "South"
        data[form.add_prefix("new_party_kind")] = "ministry"
    assert curator_client.post(proposals_url(report), data).status_code == 302
    assert Statement.objects.count() == count
    assert open_proposals(curator_client.get(proposals_url(report))) == []


def test_only_staff_who_may_change_articles_see_proposals(client, report):
    response = client.get(proposals_url(report))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
