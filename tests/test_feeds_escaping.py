"""Feeds carry curated text as text: a feed reader shows markup in a party's name or a quoted
statement as written and runs none of it; characters XML cannot carry never break a feed."""

import xml.etree.ElementTree as ET

import pytest

from claims.models import Claim, Stance
from sources.models import Party

ATOM = "{http://www.w3.org/2005/Atom}"
ZONE = "azerbaijani-troops-entered-peacekeeping-zone"
MARKUP = '<script>alert(1)</script> <img src=x onerror="alert(2)"> Fish & Chips < 3'
FEEDS = [
    "/feeds/claims/",
    f"/feeds/claims/{ZONE}/",
    "/feeds/parties/azerbaijani-defence-ministry/",
    "/feeds/topics/nagorno-karabakh-conflict/",
]


@pytest.fixture
def hostile_names(seeded):
    Party.objects.filter(slug="azerbaijani-defence-ministry").update(name=MARKUP)
    Claim.objects.filter(slug=ZONE).update(text=f"Claim with {MARKUP}")


def entries(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


@pytest.mark.parametrize("url", FEEDS)
def test_summaries_are_text_and_hold_curated_text_as_written(client, hostile_names, url):
    summaries = [entry.find(f"{ATOM}summary") for entry in entries(client, url)]
    assert summaries and all(summary.get("type") == "text" for summary in summaries)
    assert any(MARKUP in summary.text for summary in summaries)


@pytest.mark.parametrize("url", FEEDS)
def test_no_element_of_a_feed_is_html(client, hostile_names, url):
    response = client.get(url)
    assert b'type="html"' not in response.content
    assert b"<script>" not in response.content


def test_control_characters_in_curated_text_never_break_a_feed(client, seeded):
    Party.objects.filter(slug="azerbaijani-defence-ministry").update(
        name="Azerbaijani\x0b Defence\x1b Ministry\x1f"
    )
    Stance.objects.filter(claim__slug=ZONE).update(note="\x08")
    for url in FEEDS:
        titles = [entry.findtext(f"{ATOM}title") for entry in entries(client, url)]
        assert titles, url
    assert any(
        "Azerbaijani Defence Ministry" in (entry.findtext(f"{ATOM}author/{ATOM}name") or "")
        for entry in entries(client, f"/feeds/claims/{ZONE}/")
    )
