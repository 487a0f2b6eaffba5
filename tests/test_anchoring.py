"""Finding a statement's words in a body, finding them again after an edit, and cutting a body
into highlighted segments: pure functions, tested without a database."""

import pytest

from claims.anchoring import (
    CONTEXT_LENGTH,
    AnchorError,
    anchor_text,
    find_again,
    highlight,
    nearest_passage,
)

BODY = (
    "Russia on Saturday claimed that soldiers from Azerbaijan have entered a zone.\n\n"
    "\u201cAn appeal has been sent to the Azerbaijani side,\u201d the ministry said \u2014 "
    "adding that Moscow\u2019s peacekeepers\u00a0stayed\u2026\n\n"
    "The Defense Ministry of Nagorno-Karabakh said the drones had killed three people."
)


@pytest.mark.parametrize(
    ("pasted", "found"),
    [
        pytest.param(
            "soldiers from Azerbaijan", "soldiers from Azerbaijan", id="the same characters"
        ),
        pytest.param(
            "  soldiers   from\nAzerbaijan ", "soldiers from Azerbaijan", id="other spacing"
        ),
        pytest.param(
            '"An appeal has been sent to the Azerbaijani side,"',
            "\u201cAn appeal has been sent to the Azerbaijani side,\u201d",
            id="straight quotes for curly ones",
        ),
        pytest.param(
            "Moscow's peacekeepers",
            "Moscow\u2019s peacekeepers",
            id="straight apostrophe for a curly one",
        ),
        pytest.param(
            "the ministry said - adding",
            "the ministry said \u2014 adding",
            id="hyphen for an em dash",
        ),
        pytest.param(
            "peacekeepers stayed...",
            "peacekeepers\u00a0stayed\u2026",
            id="ordinary space and three dots for a no-break space and an ellipsis",
        ),
        pytest.param(
            "Nagorno\u2011Karabakh said",
            "Nagorno-Karabakh said",
            id="non-breaking hyphen in the paste",
        ),
    ],
)
def test_typographic_variants_are_found_and_stored_as_the_body_prints_them(pasted, found):
    anchor = anchor_text(BODY, pasted)
    assert anchor.text == found == BODY[anchor.start : anchor.end]


def test_unicode_normalisation_forms_are_equal():
    composed, decomposed = "Caf\u00e9 owners said", "Cafe\u0301 owners said"
    anchor = anchor_text(f"The {decomposed} so.", composed)
    assert anchor.text == decomposed


def test_the_context_on_both_sides_is_stored_with_the_offsets():
    anchor = anchor_text(BODY, "have entered a zone")
    assert anchor.prefix == BODY[anchor.start - CONTEXT_LENGTH : anchor.start]
    assert anchor.suffix == BODY[anchor.end : anchor.end + CONTEXT_LENGTH]


@pytest.mark.parametrize("pasted", ["", "   ", "\n"])
def test_empty_words_are_refused(pasted):
    with pytest.raises(AnchorError, match="empty"):
        anchor_text(BODY, pasted)


def test_words_that_occur_twice_ask_for_a_longer_span_unless_a_place_is_given():
    body = "Moscow said. Then Moscow said again."
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor_text(body, "Moscow said")
    assert anchor_text(body, "Moscow said", near=20).start == body.index("Moscow said again")


@pytest.mark.parametrize(
    ("pasted", "passage", "difference"),
    [
        pytest.param(
            "the drones had killed four people",
            "the drones had killed three people.",
            "the body has “three” where you pasted “four”",
            id="one word changed",
        ),
        pytest.param(
            "soldiers from Azerbaijan entered a zone",
            "soldiers from Azerbaijan have entered a zone.",
            "the body also has “have”",
            id="a word left out",
        ),
    ],
)
def test_a_near_miss_is_refused_with_the_nearest_passage_and_how_it_differs(
    pasted, passage, difference
):
    with pytest.raises(AnchorError) as error:
        anchor_text(BODY, pasted)
    message = str(error.value)
    assert message.startswith(f"“{pasted}” is not in the article’s body.")
    assert f"The nearest passage is “{passage}”" in message
    assert difference in message


def test_words_nothing_in_the_body_resembles_get_no_passage():
    with pytest.raises(AnchorError) as error:
        anchor_text(BODY, "Quarterly grain exports rose sharply")
    assert "nearest passage" not in str(error.value)
    assert nearest_passage(BODY, "Quarterly grain exports rose sharply") is None


def stored(body: str, words: str) -> dict:
    anchor = anchor_text(body, words)
    return {
        "text": anchor.text,
        "start": anchor.start,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
    }


@pytest.mark.parametrize(
    ("edit", "expected_start"),
    [
        pytest.param(lambda body: "A new opening.\n\n" + body, 16, id="text added before"),
        pytest.param(
            lambda body: body.replace("Russia on Saturday", "Russia on Sunday"),
            None,
            id="an edit inside the words",
        ),
        pytest.param(
            lambda body: body.replace("claimed that", "claimed \u2018that\u2019"),
            None,
            id="quotation marks added within",
        ),
        pytest.param(lambda body: body.replace(" ", "  "), 0, id="spacing changed"),
    ],
)
def test_an_edited_body_has_the_words_again_word_for_word_or_not_at_all(edit, expected_start):
    words = "Russia on Saturday claimed that soldiers"
    before = stored(BODY, words)
    body = edit(BODY)
    anchor = find_again(body, **before)
    if expected_start is None:
        assert anchor is None
    else:
        assert anchor.start == expected_start
        assert " ".join(anchor.text.split()) == words


def test_found_again_the_occurrence_whose_context_matches_is_chosen():
    body = "First, Moscow said no. Later: Moscow said no again."
    before = stored(body, "Later: Moscow said no")
    before["text"] = "Moscow said no"
    before["start"] = body.index("Later")  # the stored place is nearer the first occurrence
    before["prefix"], before["suffix"] = "Later: ", " again."
    moved = "Intro. " + body
    anchor = find_again(moved, **before)
    assert anchor.start == moved.index("Moscow said no again")


@pytest.mark.parametrize(
    ("spans", "marked"),
    [
        pytest.param([], [], id="nothing marked"),
        pytest.param([(0, 6, "a")], [("Russia", ["a"])], id="one span"),
        pytest.param(
            [(0, 18, "a"), (10, 26, "b")],
            [("Russia on ", ["a"]), ("Saturday", ["a", "b"]), (" claimed", ["b"])],
            id="overlapping spans",
        ),
    ],
)
def test_highlight_cuts_a_paragraph_into_segments_covered_by_the_same_spans(spans, marked):
    body = "Russia on Saturday claimed that.\n\nSecond paragraph."
    paragraphs = highlight(body, spans)
    assert len(paragraphs) == 2
    covered = [(s.text, s.covering) for s in paragraphs[0] if s.covering]
    assert covered == marked
    assert "".join(s.text for s in paragraphs[0]) == "Russia on Saturday claimed that."


def test_a_span_across_paragraphs_is_marked_in_each():
    body = "One two.\n\nThree four."
    paragraphs = highlight(body, [(4, 15, "x")])
    assert [s.text for p in paragraphs for s in p if s.covering] == ["two.", "Three"]
