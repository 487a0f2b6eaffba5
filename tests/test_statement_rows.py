"""A claim page's statement rows say who said what, how and where; a list's claim rows say
what each claim is, where it is filed and who stands where; both show every change at once."""

from datetime import UTC, date, datetime

import pytest
from django.utils.safestring import mark_safe

from claims.models import Claim, Stance, positions_of
from publishing.fragments import Speaker
from publishing.templatetags.publishing import (
    badges,
    claim_row,
    said_badges,
    statement_row,
    timeline,
)

from .pages import page_of, page_of_html
from .test_cache_freshness import ZONE, body, set_and_save

PAGE = f"/claims/{ZONE}/"
ROW = {"url": "/claims/x/", "text": "X", "topic": "T", "topic_url": "/topics/t/"}
NO_MORE = {"statements": 1, "matched": (), "badges": ""}


def row(**changes) -> dict:
    """What a statement row shows, as publishing.claim_page gives it."""
    return {
        "id": "statement-7",
        "party": "Ministry <of> Defence",
        "party_url": "/parties/mod/",
        "speaker_label": "a ministry spokesman",
        "direct_quote": True,
        "text": "Troops <b>entered</b> the zone.",
        "note": "",
        "said_on": date(2020, 10, 3),
        "captured_at": None,
        "captured_url": "",
        "title": "Report & analysis",
        "article_url": "/articles/report/",
        "cite": "https://example.org/report?a=1&b=2",
        "line": {"outlet": "Wire", "published_on": date(2020, 10, 4), "credits": (), "byline": ""},
    } | changes


def test_a_quoted_statement_shows_who_said_it_how_they_were_named_and_where():
    page = page_of_html(statement_row(row()))
    assert page.find_all("article")[0].attributes["id"] == "statement-7"
    assert page.find_all("blockquote")[0].attributes["cite"] == "https://example.org/report?a=1&b=2"
    assert page.links == [
        ("/parties/mod/", "Ministry <of> Defence"),
        ("/articles/report/#statement-7", "Report & analysis"),
    ]
    assert page.text == (
        "Ministry <of> Defence named in the article as “a ministry spokesman” "
        "Troops <b>entered</b> the zone. "
        "Said on 3 October 2020 · reported in Report & analysis (Wire, 4 October 2020)"
    )
    assert '<time datetime="2020-10-03">' in statement_row(row())


def test_quotes_in_a_rows_addresses_stay_inside_their_attributes():
    tricky = "https://e.org/?q=\"x' onmouseover='y"
    page = page_of_html(statement_row(row(cite=tricky, party_url=tricky, article_url=tricky)))
    assert page.find_all("blockquote")[0].attributes == {"cite": tricky}
    assert [link.href for link in page.links] == [tricky, f"{tricky}#statement-7"]
    claim = page_of_html(claim_row({**ROW, "url": tricky, "topic_url": tricky, **NO_MORE}))
    assert [link.href for link in claim.links] == [tricky, tricky]
    assert all(set(a.attributes) <= {"href"} for a in claim.find_all("a"))


def test_a_paraphrase_says_so_and_a_quote_without_a_web_address_cites_nothing():
    paraphrase = page_of_html(statement_row(row(direct_quote=False)))
    assert paraphrase.find_all("blockquote") == []
    assert paraphrase.text.startswith(
        "Ministry <of> Defence named in the article as “a ministry spokesman” Paraphrase Troops"
    )
    quote = page_of_html(statement_row(row(cite="")))
    assert "cite" not in quote.find_all("blockquote")[0].attributes


def test_a_note_an_unknown_day_and_words_kept_only_in_a_capture_are_each_said(settings):
    settings.TIME_ZONE = "Asia/Baku"
    captured = datetime(2020, 10, 5, 22, 30, tzinfo=UTC)  # 6 October in Baku
    html = statement_row(
        row(
            note="Disputed <by> both",
            said_on=None,
            captured_at=captured,
            captured_url="/articles/report/captures/abc/",
            article_url="/articles/report/captures/abc/",
        )
    )
    text = page_of_html(html).text
    assert "Curators’ note: Disputed <by> both" in text
    assert "Date not given · reported in" in text
    assert (
        "These words are from the article as captured on 6 October 2020; the current text no "
        "longer has them. See them in the text as captured." in text
    )
    assert '<time datetime="2020-10-06T02:30:00+04:00">' in html
    assert ("/articles/report/captures/abc/#statement-7", "See them in the text as captured") in (
        page_of_html(html).links
    )


def test_a_changed_note_shows_on_the_next_page(client, seeded, committed):
    client.get(PAGE)
    stance = Stance.objects.filter(claim__slug=ZONE).order_by("pk").first()
    committed(lambda: set_and_save(stance, note="A note added later"))
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss" and "A note added later" in body(response)


def test_a_renamed_party_shows_on_its_claims_pages(client, seeded, committed):
    client.get(PAGE)
    party = Stance.objects.filter(claim__slug=ZONE).order_by("pk").first().statement.party
    committed(lambda: set_and_save(party, name="Renamed ministry"))
    assert "Renamed ministry" in body(client.get(PAGE))


def test_a_reworded_claim_shows_in_the_list_at_once(client, seeded, committed):
    client.get("/claims/")
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    assert "Reworded claim" in body(client.get("/claims/"))


def test_a_party_renamed_shows_on_the_badges_of_every_list(client, seeded, committed):
    client.get("/claims/")
    party = Stance.objects.filter(claim__slug=ZONE).first().statement.party
    committed(lambda: set_and_save(party, name="Renamed ministry"))
    row = page_of(client.get("/claims/")).item_linking_to(PAGE)
    assert "Renamed ministry" in row.text


@pytest.mark.parametrize(("count", "said"), [(0, "0 statements"), (1, "1 statement")])
def test_a_claim_row_shows_its_words_topic_count_what_matched_and_badges(count, said):
    html = claim_row(
        {
            "url": "/claims/a-b/",
            "text": "Troops <entered> & held",
            "topic": "Front & rear",
            "topic_url": "/topics/front/",
            "statements": count,
            "matched": ("“Khankendi”, another name of <Stepanakert>", "the claim’s wording"),
            "badges": mark_safe("<li><span>Ministry: supports</span></li>"),
        }
    )
    row = page_of_html(html).find_all("li")[0]
    assert row.links == [
        ("/claims/a-b/", "Troops <entered> & held"),
        ("/topics/front/", "Front & rear"),
    ]
    assert row.text == (
        f"Troops <entered> & held Front & rear · {said} Found in “Khankendi”, another name of "
        "<Stepanakert>; the claim’s wording. Ministry: supports"
    )
    plain = page_of_html(claim_row({**ROW, "statements": count, "matched": (), "badges": ""}))
    assert plain.find_all("ul") == [] and "Found in" not in plain.text


def test_the_timeline_shows_the_first_fourteen_words_of_what_was_said():
    said = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    items = [("supports", row(text=said + " fifteen")), ("refutes", row(text="Short  words"))]
    links = page_of_html(timeline(items)).links
    assert [text for href, text in links if href == "#statement-7"] == [
        f"“{said} …”",
        "“Short words”",
    ]


def test_badges_from_plain_triples_are_the_badges_of_their_positions():
    """A list's badges are written from (party, name, stance) triples as the claim page writes
    them from positions: one for each party and stance, in stance order, then by name (and by
    id where two parties share one), every name escaped."""
    said = [
        (3, "Ministry <B>", "refutes"),
        (1, "Ministry & A", "supports"),
        (3, "Ministry <B>", "refutes"),  # a second statement, the same badge
        (2, "Ministry & A", "supports"),  # another party of the same name
        (3, "Ministry <B>", "supports"),
        (4, "Army", "neutral"),
        (5, "Zeta office", "disputes"),
        (6, "Alpha office", "disputes"),
    ]
    positions = positions_of((Speaker(party, name), stance, None) for party, name, stance in said)
    assert said_badges(said) == badges(positions)
    shown = [item.text for item in page_of_html(f"<ul>{said_badges(said)}</ul>").find_all("li")]
    assert shown == [
        "Ministry & A: supports",
        "Ministry & A: supports",
        "Ministry <B>: supports",
        "Ministry <B>: refutes",
        "Alpha office: disputes",
        "Zeta office: disputes",
        "Army: neutral",
    ]
    assert said_badges([]) == ""
