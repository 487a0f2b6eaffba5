"""A statement is a verbatim span of its article's body, and stays one when the body is edited."""

import pytest
from django.core.exceptions import ValidationError

from claims.anchoring import AnchorError, anchor_text
from claims.models import AnchorStatus, Statement
from claims.services import save_article

from .conftest import BODY, make_statement


def test_a_pasted_span_is_found_with_its_offsets_and_context(article, russian_mod):
    text = "An appeal has been sent to the Azerbaijani side to withdraw its troops"
    statement = make_statement(article, russian_mod, text, mode="direct_quote")
    assert (statement.start, statement.end) == (BODY.index(text), BODY.index(text) + len(text))
    assert article.body[statement.start : statement.end] == text
    assert statement.prefix == BODY[statement.start - len(statement.prefix) : statement.start]
    assert statement.suffix.startswith(',"')
    assert statement.anchor_status == AnchorStatus.ANCHORED


def test_a_span_pasted_with_other_line_breaks_is_stored_as_the_article_prints_it(
    article, russian_mod
):
    statement = make_statement(
        article, russian_mod, "  An appeal has been\nsent to the\r\nAzerbaijani side "
    )
    assert statement.text == "An appeal has been sent to the Azerbaijani side"


def test_text_not_in_the_body_is_refused_with_a_message_quoting_it(article, russian_mod):
    statement = Statement(
        article=article,
        party=russian_mod,
        text="Azerbaijan withdrew its troops",
        mode="paraphrase",
        speaker_label="Moscow",
    )
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    message = error.value.message_dict["text"][0]
    assert "“Azerbaijan withdrew its troops” is not in the article’s body" in message
    assert not Statement.objects.exists()


def test_a_span_that_occurs_twice_asks_for_a_longer_one():
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor_text("Moscow said. Then Moscow said again.", "Moscow said")
    assert anchor_text("Moscow said. Then Moscow said again.", "Moscow said", near=20).start == 18


def test_editing_the_body_before_a_span_moves_its_offsets(article, russian_statement):
    article.body = "A new opening paragraph.\n\n" + article.body
    save_article(article=article)
    russian_statement.refresh_from_db()
    assert russian_statement.anchor_status == AnchorStatus.ANCHORED
    assert article.body[russian_statement.start : russian_statement.end] == russian_statement.text


def test_a_span_whose_words_were_corrected_is_found_by_its_context(article, azerbaijani_statement):
    article.body = article.body.replace("refuted Moscow's version", "rejected Moscow's version")
    save_article(article=article)
    azerbaijani_statement.refresh_from_db()
    assert azerbaijani_statement.anchor_status == AnchorStatus.RELOCATED
    assert (
        azerbaijani_statement.text
        == "Azerbaijan's Defence Ministry rejected Moscow's version of events"
    )
    assert (
        article.body[azerbaijani_statement.start : azerbaijani_statement.end]
        == azerbaijani_statement.text
    )


def test_a_span_removed_from_the_body_is_flagged_and_kept(article, russian_statement):
    original_text = russian_statement.text
    article.body = "The article was rewritten entirely."
    save_article(article=article)
    russian_statement.refresh_from_db()
    assert russian_statement.anchor_status == AnchorStatus.LOST
    assert russian_statement.text == original_text
    assert list(Statement.objects.needing_attention()) == [russian_statement]


def test_a_lost_span_is_anchored_again_when_the_curator_fixes_its_text(article, russian_statement):
    article.body = "Russia said on Saturday that soldiers from Azerbaijan had entered a zone."
    save_article(article=article)
    russian_statement.refresh_from_db()
    assert russian_statement.anchor_status == AnchorStatus.LOST
    russian_statement.text = "soldiers from Azerbaijan had entered a zone"
    russian_statement.full_clean()
    russian_statement.save()
    russian_statement.refresh_from_db()
    assert russian_statement.anchor_status == AnchorStatus.ANCHORED
    assert russian_statement.start == article.body.index("soldiers")
