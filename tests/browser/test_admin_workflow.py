"""The curators' whole path in real Chromium: a curator records an article, pastes a statement,
links it to a new claim and sends it to review; an editor publishes it; readers then see it."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim, Statement, Status
from tests.conftest import BODY, PASSWORD, make_staff

from .conftest import screenshot

QUOTE = "An appeal has been sent to the Azerbaijani side to withdraw its troops"
CLAIM = "Russia asked Azerbaijan to withdraw its troops from the peacekeeping zone."


def choose(page: Page, select_id: str, search: str, option: str) -> None:
    """Pick an option in one of the admin's autocomplete boxes, as a curator does."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Who said what, against each claim")).to_be_visible()


def run_action(page: Page, live_server, claim_text: str, action: str) -> None:
    page.goto(f"{live_server.url}/admin/claims/claim/")
    row = page.locator("#result_list tbody tr", has_text=claim_text)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Run").click()


@pytest.fixture
def people(as_migrated) -> None:
    make_staff("curator", "Curator")
    make_staff("editor", "Editor")


def test_a_claim_goes_from_a_pasted_quote_to_the_public_page(
    page: Page, live_server, people, deutsche_welle, russian_mod, incident_topic
):
    log_in(page, live_server, "curator")

    # The article, then its statement pasted from the body.
    page.goto(f"{live_server.url}/admin/sources/article/add/")
    page.get_by_label("Title:").fill("Russia says Azeri troops entered peacekeeping zone")
    choose(page, "id_outlet", "Deutsche", "Deutsche Welle")
    page.get_by_label("Body:").fill(BODY)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    choose(page, "id_statements-0-party", "Moscow", "Russian Defence Ministry")
    page.locator("#id_statements-0-speaker_label").fill("the Russian Defense Ministry")
    page.locator("#id_statements-0-text").fill("An appeal was sent to Baku")
    page.locator("#id_statements-0-mode").select_option("direct_quote")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errorlist").first).to_contain_text(
        "“An appeal was sent to Baku” is not in the article’s body"
    )
    page.locator("#id_statements-0-text").fill(QUOTE)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".highlighted-body mark")).to_have_text(QUOTE)
    screenshot(page, "admin-article-with-highlighted-statement")
    statement = Statement.objects.get()
    assert BODY[statement.start : statement.end] == QUOTE

    # A new claim that the statement supports, sent to review.
    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    page.get_by_label("Text:").fill(CLAIM)
    choose(page, "id_topic", "Farukh", "Farukh/Parukh incident")
    choose(page, "id_stances-0-statement", "appeal", "Russian Defence Ministry")
    page.locator("#id_stances-0-value").select_option("supports")
    page.locator("#id_stances-0-note").fill("Moscow says it asked Baku to pull back.")
    expect(page.locator("#id_status option")).to_have_text(["Draft", "In review"])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    screenshot(page, "admin-claim-screen")
    claim = Claim.objects.get()

    run_action(page, live_server, CLAIM, "send_to_review")
    expect(page.locator(".messagelist")).to_contain_text("1 claim now in review")
    expect(page.locator("select[name=action] option[value=publish]")).to_have_count(0)
    screenshot(page, "admin-claim-list-in-review")
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW

    page.goto(f"{live_server.url}/claims/{claim.slug}/")
    expect(page.get_by_role("main")).to_contain_text(QUOTE)
    screenshot(page, "admin-claim-preview")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="Log out").click()

    # The editor publishes it.
    log_in(page, live_server, "editor")
    run_action(page, live_server, CLAIM, "publish")
    expect(page.locator(".messagelist")).to_contain_text("1 claim now published")
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/history/")
    expect(page.locator("#change-history tbody tr")).to_have_count(3)
    screenshot(page, "admin-claim-history")
    page.get_by_role("button", name="Compare the two versions").click()
    expect(page.locator("table.compare").first).to_contain_text("Published")
    screenshot(page, "admin-claim-compare")
    assert page.console_errors == []

    # Readers see the statement on the public claim page.
    page.get_by_role("button", name="Log out").click()
    response = page.goto(f"{live_server.url}/claims/{claim.slug}/")
    assert response.status == 200
    expect(page.locator("body")).to_contain_text(QUOTE)
    screenshot(page, "public-claim-page")
