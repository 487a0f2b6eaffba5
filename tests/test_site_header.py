"""Every reader's page links to the site's sections and marks the one it is in, under the script
prefix the site is served under; the addresses are found once, whatever the prefix."""

import pytest
from django.core.cache import caches
from django.test.utils import override_script_prefix

from publishing.context_processors import addresses, footer, header

from .pages import page_of

SECTIONS = ["/claims/", "/parties/", "/articles/", "/topics/"]


def chrome_links(response) -> list[dict]:
    """The attributes of the links in the site's header and footer, and of its <link>s."""
    page = page_of(response)
    parts = page.find_all("header", "footer")
    return [link.attributes for part in parts for link in part.find_all("a")] + [
        link.attributes for link in page.find_all("link")
    ]


@pytest.mark.parametrize("path", ["/", *SECTIONS])
def test_the_header_marks_the_section_a_page_is_in_and_no_other(client, db, path):
    links = chrome_links(client.get(path))
    assert [link["href"] for link in links if link.get("aria-current") == "page"] == [path]


def test_the_header_and_footer_link_under_the_script_prefix_the_site_is_served_under(client, db):
    with override_script_prefix("/record/"):
        prefixed = chrome_links(client.get("/claims/", SCRIPT_NAME="/record"))
    pages = [link["href"] for link in prefixed if link.get("rel") != "stylesheet"]
    pages = [href for href in pages if href != "#content" and not href.startswith("/static/")]
    assert len(pages) >= 9
    assert all(href.startswith("/record/") for href in pages)
    assert [link["href"] for link in prefixed if link.get("aria-current")] == ["/record/claims/"]
    plain = chrome_links(client.get("/claims/"))
    assert [link["href"] for link in plain if link.get("aria-current")] == ["/claims/"]


def test_the_addresses_are_found_once_for_every_page_and_prefix(client, db):
    addresses.cache_clear()
    for path in ["/", *SECTIONS, "/about/"]:
        assert client.get(path).status_code == 200
    for prefix in ["/record/", "/mirror/"]:
        with override_script_prefix(prefix):
            assert client.get("/about/", SCRIPT_NAME=prefix.rstrip("/")).status_code == 200
    assert addresses.cache_info().misses == 1


def test_the_header_and_footer_are_written_once_per_section_search_and_prefix(client, db):
    header.cache_clear()
    footer.cache_clear()
    for _ in range(2):
        caches["default"].clear()  # each page built afresh, not served from the page cache
        for path in ["/", *SECTIONS, "/about/", "/claims/?q=zone"]:
            assert client.get(path).status_code == 200
    # Each section, the about page (in none) and one search; one footer for the prefix.
    assert header.cache_info().misses == 7 and header.cache_info().hits == 7
    assert footer.cache_info().misses == 1
    with override_script_prefix("/record/"):
        client.get("/about/", SCRIPT_NAME="/record")
    assert header.cache_info().misses == 8 and footer.cache_info().misses == 2


def test_the_header_shows_the_claim_lists_search_escaped_and_no_other_pages_query(client, db):
    searched = page_of(client.get('/claims/?q="zone" <b>'))
    [field] = [
        each for each in searched.find_all("input") if each.attributes.get("id") == "site-search-q"
    ]
    assert field.attributes["value"] == '"zone" <b>'
    elsewhere = page_of(client.get("/parties/?q=zone"))
    [field] = [
        each for each in elsewhere.find_all("input") if each.attributes.get("id") == "site-search-q"
    ]
    assert field.attributes["value"] == ""
