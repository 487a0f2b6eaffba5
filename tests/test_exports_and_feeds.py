"""CSV exports, Atom feeds, the sitemap and robots.txt."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from claims.models import Claim, Stance, StanceValue, Status
from claims.services import save_stance, set_stance

from .conftest import make_statement

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ZONE = "azerbaijani-troops-entered-peacekeeping-zone"


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_stance_export_has_one_row_per_public_stance(client, seeded):
    rows = read_csv(client.get("/claims/stances.csv"))
    assert len(rows) == 16 == Stance.objects.count()
    refuting = [r for r in rows if r["claim_slug"] == ZONE and r["stance"] == "refutes"]
    assert refuting == [
        {
            "claim_slug": ZONE,
            "claim": "Azerbaijani troops entered the zone of responsibility of the Russian "
            "peacekeepers in Nagorno-Karabakh.",
            "party_slug": "azerbaijani-defence-ministry",
            "party": "Azerbaijani Defence Ministry",
            "side": "Azerbaijan",
            "stance": "refutes",
            "stance_note": "",
            "statement": "Azerbaijan's Defence Ministry refuted Moscow's version of events",
            "mode": "paraphrase",
            "named_as": "Azerbaijan's Defence Ministry",
            "said_on": "",
            "article": "Nagorno-Karabakh: Russia says Azeri troops entered peacekeeping zone",
            "outlet": "Deutsche Welle",
            "wire_credits": "Agence France-Presse (AFP); Reuters",
            "article_published_on": "",
            "claim_url": f"http://127.0.0.1:8000/claims/{ZONE}/",
            "statement_url": refuting[0]["statement_url"],
            "source_url": "",
        }
    ]
    assert refuting[0]["statement_url"].startswith(
        "http://127.0.0.1:8000/articles/dw-russia-says-azeri-troops-entered-peacekeeping-zone/#statement-"
    )


def test_the_exports_take_the_list_filters(client, seeded):
    claims = read_csv(client.get("/claims/export.csv?party=azerbaijani-defence-ministry"))
    assert len(claims) == 3
    assert {c["refutes"] for c in claims} == {"1"}
    stances = read_csv(client.get("/claims/stances.csv?party=azerbaijani-defence-ministry"))
    assert {s["claim_slug"] for s in stances} == {c["claim_slug"] for c in claims}
    assert {s["party_slug"] for s in stances} == {"azerbaijani-defence-ministry"}


def test_an_invalid_export_filter_is_a_clear_400(client, seeded):
    response = client.get("/claims/stances.csv?since=notadate")
    assert response.status_code == 400
    assert "Said on or after: Enter a valid date." in response.content.decode()


def public_stance() -> Stance:
    return Stance.objects.public().order_by("pk").first()


def test_text_with_commas_quotes_and_newlines_round_trips(client, seeded):
    awkward = 'He said "no", then, after a pause:\nnever.'
    stance = public_stance()
    stance.note = awkward
    save_stance(stance=stance)
    rows = read_csv(client.get("/claims/stances.csv"))
    assert awkward in [row["stance_note"] for row in rows]


def test_cells_that_would_run_as_formulas_are_defused(client, seeded):
    stance = public_stance()
    stance.note = '=HYPERLINK("http://evil.example")'
    save_stance(stance=stance)
    rows = read_csv(client.get("/claims/stances.csv"))
    assert '\'=HYPERLINK("http://evil.example")' in [row["stance_note"] for row in rows]


def atom_entries(response) -> list[ET.Element]:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


def test_the_new_claims_feed_is_atom_with_published_claims(client, seeded):
    entries = atom_entries(client.get("/feeds/claims/"))
    assert len(entries) == 8
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert any(t.startswith("Azerbaijani troops entered the zone") for t in titles)


@pytest.mark.parametrize(
    ("url", "count"),
    [
        (f"/feeds/claims/{ZONE}/", 4),
        ("/feeds/parties/azerbaijani-defence-ministry/", 4),
        ("/feeds/topics/farukh-parukh-incident-2022/", 14),
        ("/feeds/topics/nagorno-karabakh-conflict/", 16),
    ],
)
def test_statement_feeds_follow_a_claim_a_party_or_a_topic(client, seeded, url, count):
    entries = atom_entries(client.get(url))
    assert len(entries) == count
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").startswith(f"{settings.SITE_URL}/claims/")
    assert first.findtext(f"{ATOM}author/{ATOM}name")


def test_pages_announce_their_feeds(client, seeded):
    page = client.get(f"/claims/{ZONE}/").content.decode()
    link = '<link rel="alternate" type="application/atom+xml" title="Statements on this claim"'
    assert f'{link} href="/feeds/claims/{ZONE}/">' in page
    assert (
        'href="/feeds/parties/russian-defence-ministry/"'
        in client.get("/parties/russian-defence-ministry/").content.decode()
    )


def test_sitemap_lists_public_pages_and_robots_keeps_crawlers_out_of_the_admin(client, seeded):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert f"{settings.SITE_URL}/sitemap-claims.xml" in sections
    claims = ET.fromstring(client.get("/sitemap-claims.xml").content)
    assert len(list(claims.iter(f"{SITEMAP}url"))) == 8
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in robots


@pytest.fixture(params=[Status.DRAFT, Status.IN_REVIEW])
def hidden_claim(request, seeded) -> Claim:
    """An unpublished claim with a statement attached to nothing else."""
    from sources.models import Article, Party

    claim = Claim.objects.create(
        slug="hidden-claim",
        text="Hidden claim text",
        topic=Claim.objects.first().topic,
        status=request.param,
    )
    article = Article.objects.get()
    statement = make_statement(
        article,
        Party.objects.get(slug="russian-government"),
        "The incidents mark the latest flare-up in the long-running dispute.",
    )
    set_stance(claim=claim, statement=statement, value=StanceValue.SUPPORTS)
    return claim


OPEN_DATA = [
    "/api/v1/claims/?page_size=100",
    "/api/v1/statements/?page_size=100",
    "/api/v1/parties/?page_size=100",
    "/api/v1/claims/?q=hidden",
    "/claims/export.csv",
    "/claims/stances.csv",
    "/feeds/claims/",
    "/feeds/parties/russian-government/",
    "/feeds/topics/nagorno-karabakh-conflict/",
    "/sitemap-claims.xml",
    "/sitemap-parties.xml",
]


@pytest.mark.parametrize("url", OPEN_DATA)
def test_unpublished_claims_and_their_statements_are_in_no_open_data(client, hidden_claim, url):
    response = client.get(url)
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    assert "hidden-claim" not in body and "Hidden claim text" not in body
    assert "latest flare-up" not in body


def test_unpublished_claims_have_no_api_page_or_feed(client, hidden_claim):
    assert client.get("/api/v1/claims/hidden-claim/").status_code == 404
    assert client.get("/feeds/claims/hidden-claim/").status_code == 404
    statement = hidden_claim.stances.get().statement
    assert client.get(f"/api/v1/statements/{statement.pk}/").status_code == 404
