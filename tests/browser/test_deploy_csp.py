"""The Content-Security-Policy of the production server blocks nothing its pages need."""

from collections.abc import Iterator

import pytest

from claims.models import Claim
from sources.models import Article, Party

# Collected before any page script runs: Chromium reports every refused load or inline code.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(`${event.violatedDirective}: ${event.blockedURI}`);
});
"""

# Committed data: the server in another process must see the seeds.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def production_tab(browser, production_server) -> Iterator:
    """A tab that reaches the server as the TLS proxy would pass it on, CSP enforced."""
    context = browser.new_context(
        base_url=production_server,
        extra_http_headers={"X-Forwarded-Proto": "https"},
        bypass_csp=False,
    )
    tab = context.new_page()
    tab.add_init_script(RECORD_VIOLATIONS)
    tab.console_errors = []
    tab.failed_responses = []
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    tab.on("response", lambda r: r.status >= 400 and tab.failed_responses.append(r.url))
    # A request the next navigation cancels (the icon, fetched after "load") is not a failure.
    tab.on(
        "requestfailed",
        lambda r: r.failure != "net::ERR_ABORTED" and tab.failed_responses.append(r.url),
    )
    yield tab
    context.close()


def public_paths() -> list[str]:
    claim = Claim.objects.published().first()
    return [
        "/",
        "/claims/",
        claim.get_absolute_url(),
        claim.topic.get_absolute_url(),
        Party.objects.first().get_absolute_url(),
        Article.objects.first().get_absolute_url(),
    ]


def test_production_pages_break_no_rule_of_their_content_security_policy(
    production_tab, committed_seeds
):
    for path in public_paths():
        response = production_tab.goto(path)

        assert response.status == 200, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert production_tab.evaluate("window.cspViolations") == [], path
        assert production_tab.evaluate("document.styleSheets.length") >= 1, path
    assert production_tab.console_errors == []
    assert production_tab.failed_responses == []
