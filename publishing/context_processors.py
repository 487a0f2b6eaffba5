"""What every reader's page links to (templates/base.html), found once per URL configuration
rather than reversed on every page: the site's header and footer took a tenth of a claim page
built afresh to write their dozen addresses. Each request puts its own script prefix in front."""

from functools import cache

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

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


@cache
def addresses(urlconf: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The pages' paths without the script prefix, and the static files' addresses."""
    prefix = get_script_prefix()
    paths = {
        name: reverse(view, urlconf=urlconf).removeprefix(prefix) for name, view in PAGES.items()
    }
    return paths, {"stylesheet": static("css/claimtrack.css"), "icon": static("favicon.svg")}


def site(request: HttpRequest) -> dict:
    paths, files = addresses(get_urlconf())
    prefix = get_script_prefix()
    return {"site": {name: f"{prefix}{path}" for name, path in paths.items()} | files}
