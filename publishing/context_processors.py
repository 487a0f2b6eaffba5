"""What every reader's page links to (templates/base.html), found once per URL configuration
rather than reversed on every page: the site's header and footer took a tenth of a claim page
built afresh to write their dozen addresses. Each request puts its own script prefix in front.

The header and footer themselves (templates/chrome/) are written once for each script prefix
and, for the header, each section a page is in and search it shows, then kept: every page built
afresh wrote the same twenty addresses and five conditions through Django's template engine."""

from functools import cache, lru_cache

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

PAGES = {
    "home": "publishing:home",
    "claims": "publishing:claim_list",
    "parties": "publishing:party_list",
    "articles": "publishing:article_list",
    "topics": "publishing:topic_list",
    "about": "publishing:about",
    "new_claims": "publishing:feed_claims",
    "api": "api:docs",
    "sign_in": "admin:index",
    # The claim list's own links: its downloads, with the list's filters.
    "claims_csv": "publishing:claims_csv",
    "stances_csv": "publishing:stances_csv",
    "api_claims": "api:claim-list",
}
# The header's sections: the one a page is at is marked as the current page.
SECTIONS = ("home", "claims", "parties", "articles", "topics")
# Searches shown in the header, kept for each prefix and section: the most asked are written
# once, and a flood of different ones takes no more memory than this.
HEADERS_KEPT = 512


@cache
def addresses(urlconf: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The pages' paths without the script prefix, and the static files' addresses."""
    prefix = get_script_prefix()
    paths = {
        name: reverse(view, urlconf=urlconf).removeprefix(prefix) for name, view in PAGES.items()
    }
    return paths, {"stylesheet": static("css/claimtrack.css"), "icon": static("favicon.svg")}


def addressed(urlconf: str | None, prefix: str) -> dict[str, str]:
    paths, files = addresses(urlconf)
    return {name: f"{prefix}{path}" for name, path in paths.items()} | files


@lru_cache(maxsize=HEADERS_KEPT)
def header(urlconf: str | None, prefix: str, current: str, searched: str) -> SafeString:
    """The site's header with `current` marked as the page readers are at, and `searched` in
    its search field."""
    context = {"site": addressed(urlconf, prefix), "current": current, "searched": searched}
    return mark_safe(render_to_string("chrome/header.html", context).removesuffix("\n"))


@lru_cache(maxsize=64)
def footer(urlconf: str | None, prefix: str) -> SafeString:
    context = {"site": addressed(urlconf, prefix)}
    return mark_safe(render_to_string("chrome/footer.html", context).removesuffix("\n"))


class Header:
    """The header of the page `request` asks for, written when a template shows it (the
    admin's pages, which do not, never ask)."""

    def __init__(self, request: HttpRequest, urlconf: str | None, site: dict[str, str]) -> None:
        self.request, self.urlconf, self.site = request, urlconf, site

    def __html__(self) -> SafeString:
        request = self.request
        current = next((name for name in SECTIONS if self.site[name] == request.path), "")
        match = request.resolver_match
        on_list = match is not None and match.url_name == "claim_list"
        searched = request.GET.get("q", "") if on_list else ""
        return header(self.urlconf, get_script_prefix(), current, searched)

    __str__ = __html__


class Footer:
    def __init__(self, urlconf: str | None) -> None:
        self.urlconf = urlconf

    def __html__(self) -> SafeString:
        return footer(self.urlconf, get_script_prefix())

    __str__ = __html__


def site(request: HttpRequest) -> dict:
    urlconf = get_urlconf()
    addresses_ = addressed(urlconf, get_script_prefix())
    return {
        "site": addresses_
        | {"header": Header(request, urlconf, addresses_), "footer": Footer(urlconf)}
    }
