"""A claim page's statement rows say who said what, how and where; a list built again
re-renders only the rows whose content changed."""

from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.test.signals import template_rendered

from claims.models import Claim, Stance
from publishing.fragments import CLAIM_ROW_TEMPLATE
from publishing.templatetags.publishing import statement_row, timeline

from .pages import page_of_html
from .test_cache_freshness import ZONE, body, set_and_save

PAGE = f"/claims/{ZONE}/"


@contextmanager
def rows_rendered(name: str = CLAIM_ROW_TEMPLATE):
    """The rows of `name` rendered inside the block, as a list that fills as they are."""
    rendered: list[dict] = []

    def note(sender, template, context, **kwargs) -> None:
        if template.name == name:
            rendered.append(context.flatten())

    template_rendered.connect(note)
    try:
        yield rendered
    finally:
        template_rendered.disconnect(note)


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


def test_a_list_built_again_renders_only_the_row_of_the_claim_that_changed(
    client, seeded, committed
):
    listed = Claim.objects.published().count()
    with rows_rendered(CLAIM_ROW_TEMPLATE) as first:
        client.get("/claims/")
    assert len(first) == listed > 1
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    with rows_rendered(CLAIM_ROW_TEMPLATE) as again:
        page = body(client.get("/claims/"))
    assert [context["row"]["url"] for context in again] == [PAGE]
    assert "Reworded claim" in page


def test_a_party_renamed_shows_on_the_badges_of_every_list(client, seeded, committed):
    client.get("/claims/")
    party = Stance.objects.filter(claim__slug=ZONE).first().statement.party
    committed(lambda: set_and_save(party, name="Renamed ministry"))
    with rows_rendered(CLAIM_ROW_TEMPLATE) as again:
        page = body(client.get("/claims/"))
    assert PAGE in [context["row"]["url"] for context in again]
    assert "Renamed ministry" in page


def test_the_timeline_shows_the_first_fourteen_words_of_what_was_said():
    said = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    items = [("supports", row(text=said + " fifteen")), ("refutes", row(text="Short  words"))]
    links = page_of_html(timeline(items)).links
    assert [text for href, text in links if href == "#statement-7"] == [
        f"“{said} …”",
        "“Short words”",
    ]
