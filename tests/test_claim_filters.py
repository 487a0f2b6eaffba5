"""The claim list's filters, alone and combined, its ordering and pagination, and bad values."""

import re
from datetime import date

import pytest

from claims.models import Claim, StanceValue, Status
from claims.services import set_stance

from .conftest import make_statement


def slugs(response) -> list[str]:
    return re.findall(
        r'<h3 class="claim-row__text"><a href="/claims/([^/]+)/">', response.content.decode()
    )


@pytest.fixture
def three_claims(disputed_zone_claim, incident_topic, article, russian_mod, azerbaijani_mod):
    """The disputed zone claim; an uncontested withdrawal claim; a draft claim."""
    appeal = make_statement(
        article,
        russian_mod,
        "An appeal has been sent to the Azerbaijani side to withdraw its troops",
        mode="direct_quote",
        said_on=date(2022, 3, 27),
    )
    withdrawal = Claim.objects.create(
        slug="russia-asked-azerbaijan-to-withdraw",
        text="Russia asked Azerbaijan to withdraw its troops.",
        topic=incident_topic,
        status=Status.PUBLISHED,
    )
    set_stance(claim=withdrawal, statement=appeal, value=StanceValue.SUPPORTS)
    draft = Claim.objects.create(
        slug="draft-claim", text="A draft about the appeal.", topic=incident_topic
    )
    set_stance(claim=draft, statement=appeal, value=StanceValue.REFUTES)
    russian_statement = disputed_zone_claim.stances.get(value="supports").statement
    russian_statement.said_on = date(2022, 3, 26)
    russian_statement.save()
    return disputed_zone_claim, withdrawal


ZONE = "azerbaijani-troops-entered-peacekeeping-zone"
WITHDRAW = "russia-asked-azerbaijan-to-withdraw"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {ZONE, WITHDRAW}),
        ("party=azerbaijani-defence-ministry", {ZONE}),
        ("party=russian-defence-ministry", {ZONE, WITHDRAW}),
        ("stance=refutes", {ZONE}),
        ("party=russian-defence-ministry&stance=refutes", set()),
        ("party=azerbaijani-defence-ministry&stance=refutes", {ZONE}),
        ("contested=true", {ZONE}),
        ("contested=false", {WITHDRAW}),
        ("topic=farukh-parukh-incident-2022", {ZONE, WITHDRAW}),
        ("topic=nagorno-karabakh-conflict", {ZONE, WITHDRAW}),
        ("outlet=deutsche-welle", {ZONE, WITHDRAW}),
        ("outlet=afp", {ZONE, WITHDRAW}),  # credited as a wire agency
        ("since=2022-03-27", {WITHDRAW}),
        ("until=2022-03-26", {ZONE}),
        ("since=2022-03-26&until=2022-03-26&party=russian-defence-ministry", {ZONE}),
        ("q=appeal", {WITHDRAW}),
        ("q=refuted", {ZONE}),
        ("q=peacekeepers&contested=true", {ZONE}),
        ("q=nothing-matches-this", set()),
    ],
)
def test_filters_select_the_right_claims(client, three_claims, query, expected):
    response = client.get(f"/claims/?{query}")
    assert response.status_code == 200
    assert set(slugs(response)) == expected


def test_orderings(client, three_claims):
    assert slugs(client.get("/claims/?ordering=statements")) == [ZONE, WITHDRAW]
    assert slugs(client.get("/claims/?ordering=contested")) == [ZONE, WITHDRAW]
    assert slugs(client.get("/claims/?ordering=newest")) == [WITHDRAW, ZONE]


def test_the_form_keeps_the_chosen_values(client, three_claims):
    page = client.get(
        "/claims/?party=azerbaijani-defence-ministry&stance=refutes&q=zone"
    ).content.decode()
    assert '<option value="azerbaijani-defence-ministry" selected>' in page
    assert '<option value="refutes" selected>' in page
    assert 'name="q" value="zone"' in page


def test_pages_hold_twenty_claims_and_keep_the_filters(client, zone_claim, russian_statement):
    for number in range(25):
        claim = Claim.objects.create(
            slug=f"claim-{number:02}",
            text=f"Claim {number}",
            topic=zone_claim.topic,
            status=Status.PUBLISHED,
        )
        set_stance(claim=claim, statement=russian_statement, value=StanceValue.SUPPORTS)
    first = client.get("/claims/?party=russian-defence-ministry")
    second = client.get("/claims/?party=russian-defence-ministry&page=2")
    assert len(slugs(first)) == 20 and len(slugs(second)) == 5
    assert not set(slugs(first)) & set(slugs(second))
    assert 'href="?party=russian-defence-ministry&amp;page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=notadate", "Said on or after</a>: Enter a valid date."),
        ("until=2022-13-45", "Said on or before</a>: Enter a valid date."),
        ("party=../../x", "Party</a>: Select a valid choice."),
        ("stance=agrees", "Stance</a>: Select a valid choice."),
        ("topic=%00", "Topic</a>: Null characters are not allowed."),
        ("topic=no-such-topic", "Topic</a>: Select a valid choice."),
        ("ordering=random", "Order by</a>: Select a valid choice."),
        ("contested=perhaps", "Contested</a>: Select a valid choice."),
        ("q=" + "x" * 5000, "Search</a>: Ensure this value has at most 200 characters"),
    ],
)
def test_invalid_filter_values_get_a_clear_message_not_an_error(
    client, three_claims, query, message
):
    response = client.get(f"/claims/?{query}")
    assert response.status_code in (200, 400)
    if message:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Some filters could not be used" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "0", "999", "abc", "1.5"])
def test_out_of_range_pages_are_not_found_not_an_error(client, three_claims, page):
    response = client.get(f"/claims/?page={page}")
    assert response.status_code == 404
    assert "This page is not here" in response.content.decode()


def test_search_words_with_quotes_and_operators_do_not_break_it(client, three_claims):
    for query in [
        '"peacekeepers',
        "zone -refuted",
        "a & b | c",
        "!!!",
        "'; DROP TABLE x; --",
        "%_%",
    ]:
        assert client.get("/claims/", {"q": query}).status_code == 200
