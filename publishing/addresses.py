"""The addresses the site gives out. Every absolute link, in pages, the API, CSV exports, feeds,
sitemaps and robots.txt, is on the site's public address (SITE_URL), whatever host a request
came in on: a site reached at another address (a proxy's internal name, an IP) still hands out
links that work for everyone, and the same record has the same address in every format."""

from collections.abc import Callable
from types import SimpleNamespace

from django.conf import settings

SITE_NAME = "Claimtrack"


def absolute(path: str) -> str:
    """The public address of a path of the site ("/claims/x/")."""
    return f"{settings.SITE_URL}{path}"


def wikidata_address(item: str) -> str | None:
    """A Wikidata item's page, the address schema.org calls `sameAs`; None for no item."""
    return f"https://www.wikidata.org/wiki/{item}" if item else None


def page_of(model: str, slug: str) -> str:
    """The page of the record of `model` ("sources.party") with this slug, the path its
    `get_absolute_url` gives, for a record read as plain values."""
    return settings.ABSOLUTE_URL_OVERRIDES[model](SimpleNamespace(slug=slug))


def pages_of(model: str) -> Callable[[str], str]:
    """page_of for many records of one model: the address found once, each slug put in its
    place. A claim page links to dozens of articles and parties."""
    mark = "\x00"
    before, after = page_of(model, mark).split(mark)
    return lambda slug: f"{before}{slug}{after}"
