"""An admin list costs the same number of queries for one row as for many."""

import pytest
import reversion
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Correction, StanceValue, Status, Topic
from claims.services import set_stance
from sources.models import Article, Outlet, Party, PartyAlias, Place, PlaceName

from .conftest import BODY, make_statement

LISTS = [
    "sources_outlet",
    "sources_article",
    "sources_party",
    "sources_place",
    "claims_topic",
    "claims_claim",
    "claims_statement",
    "claims_stance",
    "claims_correction",
]


def build(number: int) -> None:
    """`number` of everything: outlets, articles with statements, claims with their stances."""
    start = Outlet.objects.count()
    for n in range(start, start + number):
        outlet = Outlet.objects.create(slug=f"outlet-{n}", name=f"Outlet {n}")
        wire = Outlet.objects.create(slug=f"wire-{n}", name=f"Wire {n}", kind="wire_agency")
        parent = Party.objects.create(
            slug=f"gov-{n}", name=f"Government {n}", side="A", kind="government"
        )
        party = Party.objects.create(
            slug=f"party-{n}",
            name=f"Ministry {n}",
            side=f"Side {n}",
            kind="ministry",
            parent=parent,
        )
        PartyAlias.objects.create(party=party, name=f"Capital {n}")
        place = Place.objects.create(slug=f"place-{n}", name=f"Place {n}")
        PlaceName.objects.create(place=place, name=f"Other name {n}", used_by="Some")
        article = Article.objects.create(
            slug=f"article-{n}", title=f"Article {n}", outlet=outlet, body=BODY
        )
        article.wire_credits.add(wire)
        statement = make_statement(article, party, "Russia on Saturday claimed")
        parent_topic = Topic.objects.create(slug=f"conflict-{n}", name=f"Conflict {n}")
        topic = Topic.objects.create(slug=f"topic-{n}", name=f"Topic {n}", parent=parent_topic)
        claim = Claim.objects.create(
            slug=f"claim-{n}", text=f"Claim {n}.", topic=topic, status=Status.PUBLISHED
        )
        claim.places.add(place)
        set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS)
        Correction.objects.create(claim=claim, text=f"Correction {n}.")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("changelist", LISTS)
def test_an_admin_list_costs_the_same_queries_for_one_row_as_for_many(
    editor_client, django_assert_max_num_queries, changelist
):
    url = reverse(f"admin:{changelist}_changelist")
    build(1)
    for_one_row = count_queries(editor_client, url)
    build(12)
    with django_assert_max_num_queries(for_one_row):
        response = editor_client.get(url)
    assert response.context["cl"].result_count > 12


def test_the_statement_autocomplete_costs_the_same_for_one_result_as_for_many(
    editor_client, django_assert_max_num_queries
):
    url = reverse("admin:autocomplete") + (
        "?app_label=claims&model_name=stance&field_name=statement&term=Russia"
    )
    build(1)
    for_one = count_queries(editor_client, url)
    build(12)
    with django_assert_max_num_queries(for_one):
        response = editor_client.get(url)
    assert len(response.json()["results"]) == 13
    assert response.json()["results"][0]["text"].startswith("Ministry")


def change_form_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_change_forms_do_not_query_once_more_per_row_than_the_autocomplete_needs(
    editor_client, deutsche_welle, incident_topic, russian_mod
):
    """Rows are titled with their object (a stance names its claim and party): that costs no
    query per row. Django's autocomplete widget still looks up each row's chosen value."""
    body = "\n\n".join(f"Sentence number {k} was said." for k in range(21))
    article = Article.objects.create(slug="long", title="Long", outlet=deutsche_welle, body=body)
    claim = Claim.objects.create(slug="c", text="C", topic=incident_topic)

    def add_row(k: int) -> None:
        statement = make_statement(article, russian_mod, f"Sentence number {k} was said.")
        set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS)

    urls = {
        "claim": (reverse("admin:claims_claim_change", args=[claim.pk]), 1),
        "article": (reverse("admin:sources_article_change", args=[article.pk]), 1),
        "party": (reverse("admin:sources_party_change", args=[russian_mod.pk]), 0),
    }
    add_row(0)
    with_one = {name: change_form_queries(editor_client, url) for name, (url, _) in urls.items()}
    for k in range(1, 21):
        add_row(k)
    for name, (url, per_row) in urls.items():
        assert change_form_queries(editor_client, url) <= with_one[name] + 20 * per_row, name


def saved_in_a_revision(request, slug: str) -> int:
    """The queries of saving a claim as its admin screen loads it, with its history revision."""
    claims = admin.site.get_model_admin(Claim)
    with CaptureQueriesContext(connection) as queries, reversion.create_revision():
        claims.get_queryset(request).get(slug=slug).save()
    return len(queries)


def test_a_claims_revision_costs_as_many_queries_for_one_stance_as_for_many(rf, editor, dispute):
    request = rf.post("/admin/")
    request.user = editor
    dispute(0, 1)
    with_few = saved_in_a_revision(request, "main")
    dispute(1, 20)
    assert Claim.objects.get(slug="main").stances.count() == 40
    assert saved_in_a_revision(request, "main") <= with_few
