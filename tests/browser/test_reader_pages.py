"""Readers' pages in real Chromium: the journey through a dispute, accessibility, valid HTML and
phone widths. Screenshots land in test-artifacts/screenshots/."""

import pytest
from django.core.management import call_command

from .conftest import axe_violations, horizontal_overflow, html_errors, screenshot

ZONE = "/claims/azerbaijani-troops-entered-peacekeeping-zone/"
ARTICLE = "/articles/dw-russia-says-azeri-troops-entered-peacekeeping-zone/"
PAGE_TYPES = {
    "home": "/",
    "claim-list": "/claims/?party=russian-defence-ministry&ordering=contested",
    "claim-list-errors": "/claims/?since=notadate&party=../../x",
    "claim": ZONE,
    "party-list": "/parties/",
    "party": "/parties/azerbaijani-defence-ministry/",
    "article-list": "/articles/",
    "article": ARTICLE,
    "topic-list": "/topics/",
    "topic": "/topics/nagorno-karabakh-conflict/",
    "about": "/about/",
    "not-found": "/claims/no-such-claim/",
}


@pytest.fixture
def seeded_site(transactional_db, live_server) -> str:
    call_command("load_seeds", verbosity=0)
    return live_server.url


def test_a_reader_follows_a_dispute_from_home_to_the_marked_span(page, seeded_site):
    page.goto(seeded_site + "/")
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
    assert page.locator(".facts dd").first.inner_text() == "Azerbaijan"
    screenshot(page, "journey-2-party")

    page.get_by_role("link", name="“one-sided”").click()
    page.wait_for_url(f"**{ZONE}#statement-*")
    page.locator(".statement:target").get_by_role(
        "link", name="Nagorno-Karabakh: Russia says"
    ).click()
    page.wait_for_url(f"**{ARTICLE}#statement-*")
    target = page.locator("mark:target")
    assert target.inner_text() == "one-sided"
    assert target.is_visible()
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 216, 77)"
    screenshot(page, "journey-3-article")
    assert page.console_errors == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_type_passes_axe_and_the_html_checker(checker_page, seeded_site, name):
    response = checker_page.goto(seeded_site + PAGE_TYPES[name])
    assert response.status in (200, 400, 404)
    assert html_errors(response.text()) == []
    assert axe_violations(checker_page) == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_page_scrolls_sideways_on_a_phone(browser, seeded_site, name):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone = context.new_page()
    phone.goto(seeded_site + PAGE_TYPES[name])
    screenshot(phone, f"phone-{name}")
    assert horizontal_overflow(phone) == 0
    context.close()


def test_pages_read_without_javascript(browser, seeded_site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(seeded_site + "/claims/?stance=refutes")
    tab.get_by_label("Party").select_option("azerbaijani-defence-ministry")
    tab.get_by_role("button", name="Apply filters").click()
    assert "party=azerbaijani-defence-ministry" in tab.url
    assert "3 claims" in tab.get_by_role("heading", level=2, name="3 claims").inner_text()
    context.close()


def test_the_api_docs_work_under_the_content_security_policy(page, seeded_site):
    page.goto(seeded_site + "/api/v1/docs/")
    page.get_by_text("/api/v1/claims/{slug}/").wait_for()
    screenshot(page, "api-docs")
    assert page.console_errors == []
