"""Readers' pages in real Chromium: the journey through a dispute, accessibility, valid HTML and
phone widths. Screenshots land in test-artifacts/screenshots/."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from claims.models import Claim

from .conftest import axe_violations, horizontal_overflow, html_errors, screenshot

# The pages are read from the seed `seeded_server` commits for the whole module.
pytestmark = pytest.mark.django_db

ZONE = "/claims/azerbaijani-troops-entered-peacekeeping-zone/"
ARTICLE = "/articles/dw-russia-says-azeri-troops-entered-peacekeeping-zone/"
# Each page type, with the status a reader gets.
PAGE_TYPES = {
    "home": ("/", 200),
    "claim-list": ("/claims/?party=russian-defence-ministry&ordering=contested", 200),
    "claim-list-errors": ("/claims/?since=notadate&party=../../x", 400),
    "claim": (ZONE, 200),
    "party-list": ("/parties/", 200),
    "party": ("/parties/azerbaijani-defence-ministry/", 200),
    "article-list": ("/articles/", 200),
    "article": (ARTICLE, 200),
    "topic-list": ("/topics/", 200),
    "topic": ("/topics/nagorno-karabakh-conflict/", 200),
    "about": ("/about/", 200),
    "not-found": ("/claims/no-such-claim/", 404),
}


def assert_the_target_is_in_view(page) -> None:
    """The element the address's #fragment names is the one :target matches, and it is seen."""
    target = page.locator(":target")
    assert target.get_attribute("id") == urlparse(page.url).fragment
    expect(target).to_be_in_viewport()


def test_a_reader_follows_a_dispute_from_home_to_the_marked_span(page, seeded_server):
    page.goto(seeded_server + "/")
    page.get_by_role("region", name="Most contested").get_by_role(
        "link", name="Azerbaijani troops entered the zone of responsibility"
    ).first.click()
    page.wait_for_url(f"**{ZONE}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Azerbaijani troops")
    refutes = page.get_by_role("region", name="Refutes")
    assert (
        "Azerbaijan's Defence Ministry refuted Moscow's version of events" in refutes.inner_text()
    )
    screenshot(page, "journey-1-claim")

    refutes.get_by_role("link", name="Azerbaijani Defence Ministry").first.click()
    page.wait_for_url("**/parties/azerbaijani-defence-ministry/")
    assert page.get_by_role("definition").first.inner_text() == "Azerbaijan"
    screenshot(page, "journey-2-party")

    page.get_by_role("link", name="“one-sided”").click()
    page.wait_for_url(f"**{ZONE}#statement-*")
    assert_the_target_is_in_view(page)
    assert "one-sided" in page.locator(":target").inner_text()
    page.locator(":target").get_by_role("link", name="Nagorno-Karabakh: Russia says").click()
    page.wait_for_url(f"**{ARTICLE}#statement-*")
    assert_the_target_is_in_view(page)
    target = page.locator(":target")
    assert target.inner_text() == "one-sided"
    screenshot(page, "journey-3-article")
    # Highlighted for being the target: it looks otherwise once the address names another.
    look = "mark => [getComputedStyle(mark).backgroundColor, getComputedStyle(mark).outline]"
    targeted = target.evaluate(look)
    marked = page.locator(f"#{urlparse(page.url).fragment}")
    page.evaluate("() => { location.hash = 'content' }")
    assert marked.evaluate(look) != targeted
    assert page.console_errors == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_type_passes_axe(checker_page, seeded_server, name):
    address, status = PAGE_TYPES[name]
    response = checker_page.goto(seeded_server + address)
    assert response.status == status
    assert axe_violations(checker_page) == []


def test_every_page_type_is_valid_html(page, seeded_server):
    pages = {}
    for name, (address, status) in PAGE_TYPES.items():
        response = page.request.get(seeded_server + address)
        assert response.status == status, name
        pages[name] = response.text()
    assert html_errors(pages) == {}


# The narrowest phones in common use.
PHONE = {"width": 360, "height": 780}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_page_scrolls_sideways_on_a_phone(browser, seeded_server, name):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    phone = context.new_page()
    phone.goto(seeded_server + PAGE_TYPES[name][0])
    screenshot(phone, f"phone-{name}")
    assert horizontal_overflow(phone) == 0
    context.close()


CHOSEN = "Claims of Azerbaijani Defence Ministry and the parties under it."


def test_pages_read_without_javascript(browser, seeded_server):
    refuted = (
        Claim.objects.published()
        .filter(
            stances__value="refutes",
            stances__statement__party__slug="azerbaijani-defence-ministry",
        )
        .distinct()
        .count()
    )
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(seeded_server + "/claims/?stance=refutes")
    # Without scripts there are no suggestions: the party's name, typed, is enough.
    tab.get_by_label("Party").fill("azerbaijani defence ministry")
    tab.get_by_role("button", name="Apply filters").click()
    assert "party=azerbaijani+defence+ministry" in tab.url
    results = tab.get_by_role("heading", level=2, name=re.compile(rf"^{refuted} claims?$"))
    expect(results).to_be_visible()
    expect(
        tab.get_by_text("Claims of Azerbaijani Defence Ministry and the parties")
    ).to_be_visible()
    context.close()


def test_the_party_field_suggests_parties_as_a_reader_types(page, seeded_server):
    page.goto(seeded_server + "/claims/")
    if not page.get_by_label("Party").is_visible():
        page.locator("summary", has_text="Filter claims").click()
    page.get_by_label("Party").press_sequentially("defence", delay=20)
    suggestions = page.locator("#party-suggestions option")
    expect(suggestions.first).to_be_attached()
    offered = suggestions.evaluate_all("options => options.map(o => [o.value, o.label])")
    assert ["azerbaijani-defence-ministry", "Azerbaijani Defence Ministry (Azerbaijan)"] in offered
    # Choosing one puts its address in the field, which the filter reads.
    page.get_by_label("Party").fill("azerbaijani-defence-ministry")
    page.get_by_role("button", name="Apply filters").click()
    expect(
        page.get_by_text("Claims of Azerbaijani Defence Ministry and the parties")
    ).to_be_visible()
    assert page.console_errors == []


def test_the_api_docs_work_under_the_content_security_policy(page, seeded_server):
    page.goto(seeded_server + "/api/v1/docs/")
    page.get_by_text("/api/v1/claims/{slug}/").wait_for()
    screenshot(page, "api-docs")
    assert page.console_errors == []


def test_on_a_phone_the_filters_fold_behind_one_control_open_when_one_is_set(
    browser, seeded_server
):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, bypass_csp=True)
    phone = context.new_page()
    phone.goto(seeded_server + "/claims/")
    expect(phone.get_by_label("Party")).to_be_hidden()
    phone.locator("summary", has_text="Filter claims").click()
    expect(phone.get_by_label("Party")).to_be_visible()
    screenshot(phone, "phone-claim-list-filters-open")
    assert axe_violations(phone) == []
    phone.goto(seeded_server + "/claims/?stance=refutes")
    expect(phone.get_by_label("Stance")).to_be_visible()
    expect(phone.locator("summary", has_text="Filter claims")).to_contain_text("(1 set)")
    context.close()


def test_on_a_phone_the_matrix_keeps_its_claims_in_view_as_the_parties_scroll(
    browser, seeded_server
):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, bypass_csp=True)
    phone = context.new_page()
    phone.goto(seeded_server + PAGE_TYPES["topic"][0])
    expect(phone.get_by_text("scroll the table sideways for all")).to_be_visible()
    table = phone.get_by_role("region", name=re.compile("who stands where", re.I)).first
    claim = phone.locator(".matrix tbody th").first
    left = claim.bounding_box()["x"]
    scrolled = table.evaluate("box => { box.scrollLeft = 400; return box.scrollLeft }")
    assert scrolled > 0
    assert abs(claim.bounding_box()["x"] - left) < 1
    screenshot(phone, "phone-topic-matrix-scrolled")
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) == 0
    context.close()
