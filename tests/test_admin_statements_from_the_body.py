"""The article screen puts the body beside its statements; pasted words are checked before saving
(found and where, or the nearest passage and how it differs, in the words the save would use);
a statement made from a selection keeps the place it was selected at; and a claim's stances
show their statements in full, found by party, alias, words, article or outlet."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Statement
from claims.services import set_stance
from sources.models import Article

from .conftest import BODY, form_data, make_statement
from .pages import page_of

FIND = reverse("admin:sources_article_find_words")
APPEAL = "An appeal has been sent to the Azerbaijani side to withdraw its troops"
TYPED_APPEAL = "An appeal has been sent to the Azerbaijani side – to withdraw its troops"


def change_url(article: Article) -> str:
    return reverse("admin:sources_article_change", args=[article.pk])


def save_with_words(client, article: Article, party, words: str, **row) -> object:
    data = form_data(client.get(change_url(article)))
    data.update(
        {
            "statements-0-party": str(party.pk),
            "statements-0-speaker_label": "Moscow",
            "statements-0-text": words,
            "statements-0-mode": "paraphrase",
            **{f"statements-0-{name}": value for name, value in row.items()},
        }
    )
    return client.post(change_url(article), data)


def test_words_found_in_the_body_are_answered_with_where(curator_client, article):
    pasted = "An appeal has been sent\r\nto the  Azerbaijani side to withdraw its troops"
    answer = curator_client.post(FIND, {"article": article.pk, "words": pasted}).json()
    assert answer["found"] and answer["shown"]
    assert (answer["start"], answer["end"]) == (
        BODY.index(APPEAL),
        BODY.index(APPEAL) + len(APPEAL),
    )
    assert answer["text"] == APPEAL
    assert answer["message"] == f"Found in the body: “{APPEAL}”."


def test_words_not_found_get_the_message_the_save_gives_and_the_nearest_passage(
    curator_client, article, russian_mod
):
    answer = curator_client.post(FIND, {"article": article.pk, "words": TYPED_APPEAL}).json()
    assert not answer["found"]
    nearest = BODY[answer["nearest"]["start"] : answer["nearest"]["end"]]
    assert "An appeal has been sent" in nearest and "withdraw its troops" in nearest
    saved = save_with_words(curator_client, article, russian_mod, TYPED_APPEAL)
    errors = saved.context["inline_admin_formsets"][0].formset.forms[0].errors["text"]
    assert errors == [answer["message"]]
    assert "the body does not have “–”" in answer["message"]
    assert not Statement.objects.exists()


def test_words_are_checked_against_the_body_as_typed_on_the_screen(curator_client, article):
    body = BODY + "\n\nMoscow later denied it."
    answer = curator_client.post(
        FIND, {"article": article.pk, "body": body, "words": "later denied it"}
    ).json()
    assert answer["found"] and not answer["shown"]
    assert answer["start"] == body.index("later denied it")


def test_words_that_occur_twice_are_found_where_they_were_selected(curator_client, article):
    second = BODY.index("Moscow's", BODY.index("Moscow's") + 1)
    unsure = curator_client.get(FIND, {"article": article.pk, "words": "Moscow's"}).json()
    assert not unsure["found"] and "occurs 2 times" in unsure["message"]
    assert unsure["nearest"] is None
    sure = curator_client.get(FIND, {"article": article.pk, "words": "Moscow's", "near": second})
    assert sure.json()["start"] == second


def test_the_check_is_for_curators_only(client, article):
    response = client.post(FIND, {"article": article.pk, "words": APPEAL})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_statement_saved_from_a_selection_keeps_the_place_selected(
    curator_client, article, russian_mod
):
    second = BODY.index("Moscow's", BODY.index("Moscow's") + 1)
    refused = save_with_words(curator_client, article, russian_mod, "Moscow's")
    assert refused.status_code == 200 and "occurs 2 times" in refused.content.decode()
    saved = save_with_words(curator_client, article, russian_mod, "Moscow's", selected_at=second)
    assert saved.status_code == 302
    assert Statement.objects.get().start == second


def test_a_statement_pasted_without_a_selection_is_saved_as_before(
    curator_client, article, russian_mod
):
    assert save_with_words(curator_client, article, russian_mod, APPEAL).status_code == 302
    statement = Statement.objects.get()
    assert (statement.start, statement.text, statement.speaker_label) == (
        BODY.index(APPEAL),
        APPEAL,
        "Moscow",
    )


def test_the_body_and_its_statements_stand_together(curator_client, article, russian_statement):
    page = page_of(curator_client.get(change_url(article)))
    [desk] = [d for d in page.find_all("div") if d.attributes.get("class") == "statement-desk"]
    body = desk.region("The body with its statements")
    assert body.find_all("mark")[0].text == russian_statement.text
    starts = [
        int(p.attributes["data-start"]) for p in body.find_all("p") if "data-start" in p.attributes
    ]
    assert starts == [0, BODY.index('"An appeal'), BODY.index("Azerbaijan's Defence")]
    statements = [d for d in desk.find_all("div") if d.attributes.get("id") == "statements-group"]
    assert len(statements) == 1
    assert "Make a statement from the selected words" in desk.text


def test_each_stance_shows_its_statement_in_full(curator_client, disputed_zone_claim, article):
    second = make_statement(
        article,
        disputed_zone_claim.stances.first().statement.party,
        "one-sided",
        said_on="2022-03-26",
    )
    set_stance(statement=second, claim=disputed_zone_claim, value="disputes")
    screen = page_of(
        curator_client.get(reverse("admin:claims_claim_change", args=[disputed_zone_claim.pk]))
    )
    stances = screen.region("Stances: who said what about this claim")
    headings = [h.text.removesuffix(" Delete") for h in stances.find_all("h3")]
    assert headings[:3] == [
        "Stance: Azerbaijani Defence Ministry disputes",
        "Stance: Azerbaijani Defence Ministry refutes",
        "Stance: Russian Defence Ministry supports",
    ]
    assert disputed_zone_claim.text not in stances.text
    assert (
        "Russia on Saturday claimed that soldiers from Azerbaijan have entered a zone "
        "Russian Defence Ministry, named “Russia” in Russia says Azeri troops entered "
        "peacekeeping zone, Deutsche Welle"
    ) in stances.text
    dated = "one-sided Azerbaijani Defence Ministry, named “Azerbaijani Defence Ministry”, 26 March"
    assert dated in stances.text


SEARCH = reverse("admin:claims_statement_search")


def search(client, term: str) -> list[str]:
    query = {"app_label": "claims", "model_name": "stance", "field_name": "statement", "term": term}
    return [result["text"] for result in client.get(SEARCH, query).json()["results"]]


@pytest.mark.parametrize(
    "term", ["Moscow", "Russian Defence", "soldiers from Azerbaijan", "Azeri troops", "Deutsche"]
)
def test_the_statement_search_finds_by_party_alias_words_article_or_outlet(
    curator_client, russian_statement, term
):
    assert search(curator_client, term) == [
        "Russian Defence Ministry (“Russia”): “Russia on Saturday claimed that soldiers from "
        "Azerbaijan have entered a zone” — Russia says Azeri troops entered peacekeeping zone, "
        "Deutsche Welle"
    ]


def test_the_statement_search_costs_the_same_for_one_result_as_for_many(
    curator_client, article, russian_mod, django_assert_max_num_queries
):
    make_statement(article, russian_mod, "An appeal has been sent")
    with CaptureQueriesContext(connection) as one:
        assert len(search(curator_client, "Russian")) == 1
    for_one = len(one.captured_queries)
    for words in ["the Azerbaijani side", "withdraw its troops", "one-sided", "Moscow's version"]:
        make_statement(article, russian_mod, words)
    with django_assert_max_num_queries(for_one):
        assert len(search(curator_client, "Russian")) == 5
