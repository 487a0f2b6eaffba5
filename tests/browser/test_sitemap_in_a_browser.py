"""The sitemaps read in Chromium's own XML viewer: as a tree, one address a line, not one run of
text (the viewer's styles and script are its own, which a Content-Security-Policy refuses)."""

import re

import pytest

from .conftest import screenshot

# Two addresses with nothing between them: the text of the XML, unstyled.
RUN_OF_ADDRESSES = re.compile(r"https?://[^\s<]*https?://")


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-pages.xml"])
def test_a_sitemap_shows_as_a_tree(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    text = page.evaluate("() => document.body.innerText")
    assert text.startswith("This XML file does not appear to have any style information")
    assert not RUN_OF_ADDRESSES.search(text), text[:300]
    locations = [line for line in text.splitlines() if line.startswith("<loc>")]
    assert locations and all(line.endswith("</loc>") for line in locations)
    assert page.console_errors == []
    screenshot(page, f"sitemap{path.removeprefix('/sitemap').removesuffix('.xml')}")
