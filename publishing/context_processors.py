"""What every reader's page links to (templates/base.html), found once per URL configuration
and script prefix rather than reversed on every page: the site's header and footer took a
tenth of a claim page built afresh to write their dozen addresses."""

from functools import cache

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


@cache
def addresses(urlconf: str | None, script_prefix: str) -> dict[str, str]:
    pages = {
        "home": "publishing:home",
        "claims": "publishing:claim_list",
        "parties": "publishing:party_list",
        "articles": "publishing:article_list",
        "topics": "publishing:topic_list",
        "about": "publishing:about",
        "new_claims": "publishing:feed_claims",
        "api": "api:docs",
        "sign_in": "admin:index",
    }
    found = {name: reverse(view, urlconf=urlconf) for name, view in pages.items()}
    return found | {"stylesheet": static("css/claimtrack.css"), "icon": static("favicon.svg")}


def site(request: HttpRequest) -> dict:
    return {"site": addresses(get_urlconf(), get_script_prefix())}
