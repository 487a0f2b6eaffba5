"""The curator's desk in real Chromium: a Curator whose account `create_account` made records an
article by selecting statements in its body (and sees a mistyped paste checked before saving),
links one to a claim and sends it to review; an Editor finds it in the queue on the admin home,
previews it at its public address and publishes it. Screenshots of each admin screen at 1280
and 390 pixels land in test-artifacts/screenshots/."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from claims.models import Claim, StanceValue, Statement, Status
from claims.services import set_stance
from sources.models import Party
from tests.conftest import BODY, PASSWORD, make_staff, make_statement

from .conftest import SCREENSHOTS, screenshot

QUOTE = "An appeal has been sent to the Azerbaijani side to withdraw its troops"
REFUTATION = "Azerbaijan's Defence Ministry refuted Moscow's version of events"
CLAIM = "Russia asked Azerbaijan to withdraw its troops from the peacekeeping zone."
PHONE = {"width": 390, "height": 844}

DESKTOP = {"width": 1280, "height": 900}


def both_widths(page: Page, name: str) -> None:
    """A screenshot at 1280 pixels and one at 390, the page left at 1280."""
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Who said what, against each claim")).to_be_visible()


def choose(page: Page, select_id: str, search: str, option: str) -> None:
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def select_in_body(page: Page, words: str) -> None:
    """Select words in the highlighted body, as a curator's mouse does."""
    assert page.evaluate(
        """(words) => {
            const body = document.querySelector("[data-article-body]");
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    getSelection().removeAllRanges();
                    getSelection().addRange(range);
                    return true;
                }
            }
            return false;
        }""",
        words,
    )


@pytest.fixture
def newsroom(as_migrated, deutsche_welle, russian_mod, azerbaijani_mod, incident_topic) -> str:
    """A Curator's account as `create_account` makes it; its password, as it printed it."""
    make_staff("editor", "Editor")
    out = StringIO()
    call_command("create_account", "nadia", role="curator", stdout=out)
    return re.search(r"with the password (\S+)", out.getvalue())[1]


def test_a_new_curator_curates_from_selections_and_an_editor_publishes_from_the_queue(
    page: Page, live_server, newsroom
):
    url = live_server.url
    log_in(page, url, "nadia", newsroom)
    page.goto(f"{url}/admin/sources/article/add/")
    page.get_by_label("Title:").fill("Russia says Azeri troops entered peacekeeping zone")
    choose(page, "id_outlet", "Deutsche", "Deutsche Welle")
    page.get_by_label("Body:").fill(BODY)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    # A statement from words selected in the body.
    make = page.get_by_role("button", name="Make a statement from the selected words")
    expect(make).to_be_disabled()
    select_in_body(page, QUOTE)
    expect(make).to_be_enabled()
    make.click()
    page.locator(".select2-container--open .select2-search__field").fill("Moscow")
    page.locator(".select2-results__option", has_text="Russian Defence Ministry").first.click()
    page.locator("#id_statements-0-speaker_label").fill("the Russian Defense Ministry")
    expect(page.locator("#id_statements-0-text")).to_have_value(QUOTE)
    expect(page.locator("#id_statements-0-mode")).to_have_value("direct_quote")
    where = page.locator("input[name='statements-0-selected_at']")
    expect(where).to_have_value(str(BODY.index(QUOTE)))
    expect(page.locator("#statements-0 .words-check")).to_have_text(
        f"Found in the body: “{QUOTE}”."
    )

    # Another pasted with a wrong word: checked before saving, then corrected.
    page.get_by_role("button", name="Add another statement").click()
    choose(page, "id_statements-1-party", "Azerbaijani", "Azerbaijani Defence Ministry")
    page.locator("#id_statements-1-speaker_label").fill("Azerbaijan's Defence Ministry")
    page.locator("#id_statements-1-mode").select_option("paraphrase")
    page.locator("#id_statements-1-text").fill(REFUTATION.replace("refuted", "rejected"))
    expect(page.locator("#statements-1 .words-check")).to_contain_text(
        "the body has “refuted” where you pasted “rejected”"
    )
    both_widths(page, "desk-article-checking-a-paste")
    # As the curator sees it at that moment: the body's panel beside the rows being written.
    page.locator("#statements-1").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "desk-article-checking-a-paste-viewport-1280.png"))
    page.locator("#id_statements-1-text").fill(REFUTATION)
    expect(page.locator("#statements-1 .words-check")).to_contain_text("Found in the body")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".highlighted-body mark")).to_have_text([QUOTE, REFUTATION])
    both_widths(page, "desk-article")
    appeal = Statement.objects.get(party__slug="russian-defence-ministry")
    assert (appeal.start, appeal.mode) == (BODY.index(QUOTE), "direct_quote")
    assert Statement.objects.get(party__slug="azerbaijani-defence-ministry").text == REFUTATION

    # A claim the statement supports, found by its outlet, then sent to review.
    page.goto(f"{url}/admin/claims/claim/add/")
    page.get_by_label("Text:").fill(CLAIM)
    choose(page, "id_topic", "Farukh", "Farukh/Parukh incident")
    choose(page, "id_stances-0-statement", "Deutsche", "An appeal has been sent")
    expect(page.locator("#stances-0 .select2-selection__rendered")).to_contain_text(
        "Russian Defence Ministry (“the Russian Defense Ministry”)"
    )
    page.locator("#id_stances-0-value").select_option("supports")
    page.locator("#id_status").select_option("in_review")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("#stances-0")).to_contain_text("Stance: Russian Defence Ministry supports")
    expect(page.locator("#stances-0 .stance-source")).to_contain_text("Deutsche Welle")
    both_widths(page, "desk-claim")
    page.get_by_role("button", name="Log out").click()

    # The editor reviews it from the queue, previews it, and publishes it.
    log_in(page, url, "editor", PASSWORD)
    queue = page.locator("table", has=page.locator("caption", has_text="Claims in review"))
    expect(queue).to_contain_text("sent by nadia")
    both_widths(page, "desk-home-editor")
    queue.get_by_role("link", name=CLAIM).click()
    page.get_by_role("link", name="See it as readers will").click()
    expect(page.get_by_label("Preview")).to_contain_text("A preview for curators")
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    both_widths(page, "desk-preview")
    page.get_by_role("link", name="Back to the claim in the admin").click()
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    claim = Claim.objects.get()
    assert claim.status == Status.PUBLISHED
    assert page.console_errors == []

    page.get_by_role("button", name="Log out").click()
    assert page.goto(f"{url}/claims/{claim.slug}/").status == 200
    expect(page.get_by_role("main")).to_contain_text(QUOTE)
    expect(page.get_by_label("Preview")).to_have_count(0)


@pytest.fixture
def duplicates(db, article, russian_mod, azerbaijani_mod, zone_claim) -> None:
    twin = Party.objects.create(
        slug="russias-defence-ministry", name="Russia's Defence Ministry", side="Rusia",
        kind="ministry",
    )  # fmt: skip
    statement = make_statement(article, twin, QUOTE, speaker_label="the Russian Defense Ministry")
    set_stance(statement=statement, claim=zone_claim, value=StanceValue.SUPPORTS)


SCREENS = {
    "desk-party-list": "/admin/sources/party/",
    "desk-party": "/admin/sources/party/{russian}/change/",
    "desk-sides": "/admin/sources/party/sides/",
    "desk-accounts": "/admin/auth/user/",
    "desk-account-add": "/admin/auth/user/add/",
    "desk-account": "/admin/auth/user/{carla}/change/",
    "desk-proposals": "/admin/sources/article/{article}/proposals/",
}


def merge_page(page: Page, url: str, model: str, rows: list[str]) -> None:
    page.goto(f"{url}/admin/{model}/")
    for row in rows:
        page.locator("#result_list tr", has_text=row).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("merge")
    page.get_by_role("button", name="Run").click()


def test_each_new_admin_screen_at_both_widths(
    page: Page, live_server, as_migrated, duplicates, zone_claim, article
):
    make_staff("editor", "Editor")
    carla = make_staff("carla", "Curator")
    russian = Party.objects.get(slug="russian-defence-ministry")
    Claim.objects.create(slug="zone", text="Azeri troops entered the zone.", topic=zone_claim.topic)
    log_in(page, live_server.url, "editor", PASSWORD)
    for name, path in SCREENS.items():
        assert (
            page.goto(
                live_server.url
                + path.format(russian=russian.pk, carla=carla.pk, article=article.pk)
            ).status
            == 200
        )
        both_widths(page, name)

    merge_page(page, live_server.url, "claims/claim", [zone_claim.text, "Azeri troops entered"])
    expect(page.get_by_role("heading", name="Merge two claims")).to_be_visible()
    both_widths(page, "desk-merge-claims")

    merge_page(
        page, live_server.url, "sources/party", ["Russian Defence Ministry", "Russia's Defence"]
    )
    expect(page.get_by_role("heading", name="Merge two parties")).to_be_visible()
    both_widths(page, "desk-merge-parties")
    page.get_by_role("radio", name="Keep “Russian Defence Ministry”").check()
    page.get_by_role("button", name="Merge into the one kept").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Merged “Russia's Defence")
    assert Party.objects.filter(slug="russias-defence-ministry").count() == 0
    page.goto(f"{live_server.url}/admin/claims/merge/")
    expect(page.locator("#result_list")).to_contain_text("Party “Russia's Defence Ministry” into")
    both_widths(page, "desk-merges")

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "carla", PASSWORD)
    assert page.goto(f"{live_server.url}/admin/auth/user/").status == 403
    expect(page.get_by_role("heading", name="Your role does not allow this")).to_be_visible()
    both_widths(page, "desk-refused")
    assert [e for e in page.console_errors if "403" not in e] == []
