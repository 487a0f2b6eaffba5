"""On the article screen a curator pastes a statement's words; the admin finds them in the body,
refuses words the body does not hold, highlights every span and lists those to fix."""

import pytest
from django.urls import reverse

from claims.models import AnchorStatus, Statement
from sources.models import Article

from .conftest import BODY, form_data, messages_of

APPEAL = "An appeal has been sent to the Azerbaijani side to withdraw its troops"


def change_url(article: Article) -> str:
    return reverse("admin:sources_article_change", args=[article.pk])


def with_statement(data: dict, party, text: str, form: int = 0) -> dict:
    prefix = f"statements-{form}"
    return {
        **data,
        f"{prefix}-party": str(party.pk),
        f"{prefix}-speaker_label": "the Russian Defense Ministry",
        f"{prefix}-text": text,
        f"{prefix}-mode": "direct_quote",
    }


def test_a_pasted_span_is_saved_with_its_offsets(curator_client, article, russian_mod):
    data = with_statement(form_data(curator_client.get(change_url(article))), russian_mod, APPEAL)
    assert curator_client.post(change_url(article), data).status_code == 302
    statement = Statement.objects.get()
    assert (statement.start, statement.end) == (
        BODY.index(APPEAL),
        BODY.index(APPEAL) + len(APPEAL),
    )
    assert statement.anchor_status == AnchorStatus.ANCHORED


def test_a_span_pasted_across_a_line_break_is_stored_as_the_body_prints_it(
    curator_client, article, russian_mod
):
    pasted = "An appeal has been sent\r\nto the  Azerbaijani side"
    data = with_statement(form_data(curator_client.get(change_url(article))), russian_mod, pasted)
    assert curator_client.post(change_url(article), data).status_code == 302
    assert Statement.objects.get().text == "An appeal has been sent to the Azerbaijani side"


def test_words_not_in_the_body_are_refused_with_a_message_quoting_them(
    curator_client, article, russian_mod
):
    data = with_statement(
        form_data(curator_client.get(change_url(article))),
        russian_mod,
        "An appeal was sent to Baku",
    )
    data["title"] = "A new title that must not be saved either"
    response = curator_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "“An appeal was sent to Baku” is not in the article’s body" in response.content.decode()
    assert not Statement.objects.exists()
    article.refresh_from_db()
    assert article.title != data["title"]


def test_an_article_and_its_statements_are_added_in_one_save(
    curator_client, deutsche_welle, russian_mod
):
    add_url = reverse("admin:sources_article_add")
    data = form_data(curator_client.get(add_url))
    data.update(
        title="Russia says Azeri troops entered peacekeeping zone",
        slug="dw-new",
        outlet=str(deutsche_welle.pk),
        body=BODY,
    )
    response = curator_client.post(add_url, with_statement(data, russian_mod, APPEAL))
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.article.slug == "dw-new"
    assert statement.start == BODY.index(APPEAL)


def test_the_same_party_cannot_hold_the_same_span_twice(
    curator_client, article, russian_mod, russian_statement
):
    data = form_data(curator_client.get(change_url(article)))
    response = curator_client.post(
        change_url(article), with_statement(data, russian_mod, russian_statement.text, form=1)
    )
    assert response.status_code == 200
    assert "This party already has a statement on this span." in response.content.decode()
    assert Statement.objects.count() == 1


def test_the_body_panel_highlights_every_statement(curator_client, article, disputed_zone_claim):
    page = curator_client.get(change_url(article)).content.decode()
    assert (
        '<mark title="1. Russian Defence Ministry">Russia on Saturday claimed that soldiers '
        "from Azerbaijan have entered a zone</mark>"
    ) in page
    assert '<mark title="2. Azerbaijani Defence Ministry">' in page


def test_statements_the_edited_body_no_longer_holds_are_listed_to_fix(
    curator_client, article, russian_statement, azerbaijani_statement
):
    data = form_data(curator_client.get(change_url(article)))
    data["body"] = BODY.replace("Russia on Saturday claimed", "Moscow said")
    response = curator_client.post(change_url(article), data, follow=True)
    russian_statement.refresh_from_db()
    assert russian_statement.anchor_status == AnchorStatus.LOST
    [warning] = [m for m in messages_of(response) if "no longer has the words of" in m]
    assert "Russian Defence Ministry: “Russia on Saturday claimed" in warning
    page = curator_client.get(change_url(article)).content.decode()
    assert "Not in the current text: its words are kept as captured" in page
    list_page = curator_client.get(reverse("admin:sources_article_changelist"), {"to_fix": "yes"})
    assert list(list_page.context["cl"].result_list) == [article]


@pytest.mark.parametrize("pasted", ["", "   "])
def test_an_empty_statement_is_refused(curator_client, article, russian_mod, pasted):
    data = with_statement(form_data(curator_client.get(change_url(article))), russian_mod, pasted)
    assert curator_client.post(change_url(article), data).status_code == 200
    assert not Statement.objects.exists()
