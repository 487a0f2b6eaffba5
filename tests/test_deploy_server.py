"""The site served as in production: bin/serve runs gunicorn with production settings."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application

from claims.models import Claim

from .production import fetch

CLAIM_PATH = "/claims/azerbaijani-troops-entered-peacekeeping-zone/"
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Permissions-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
]
ONE_YEAR = 60 * 60 * 24 * 365

# Committed data: the server in another process must see the seeds.
pytestmark = pytest.mark.django_db(transaction=True)


class StylesheetLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.hrefs.append(attributes["href"] or "")


def stylesheet_path(base_url: str) -> str:
    """The site stylesheet, as the home page links it."""
    links = StylesheetLinks()
    links.feed(fetch(base_url, "/").text)
    assert links.hrefs, "The home page links no stylesheet."
    return links.hrefs[0]


@pytest.mark.parametrize("path", ["/", CLAIM_PATH, "/healthz"])
def test_pages_are_served_with_every_security_header(production_server, committed_seeds, path):
    response = fetch(production_server, path)

    assert response.status == 200, response.text
    missing = [header for header in SECURITY_HEADERS if header not in response.headers]
    assert not missing, f"{path} lacks {missing}"


def test_static_file_is_served_with_every_security_header(production_server, committed_seeds):
    response = fetch(production_server, stylesheet_path(production_server))

    assert response.status == 200
    missing = [header for header in SECURITY_HEADERS if header not in response.headers]
    assert not missing


def test_claim_page_shows_the_seeded_claim(production_server, committed_seeds):
    claim = Claim.objects.get(slug="azerbaijani-troops-entered-peacekeeping-zone")

    response = fetch(production_server, CLAIM_PATH)

    assert "Azerbaijani troops entered the zone of responsibility" in claim.text
    assert claim.text in response.text


def test_stylesheet_is_hashed_compressed_and_cached_for_a_year(production_server, committed_seeds):
    path = stylesheet_path(production_server)

    response = fetch(production_server, path, {"Accept-Encoding": "gzip"})

    assert re.search(r"\.[0-9a-f]{12}\.css$", path), path
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.body)
    cache_control = response.headers["Cache-Control"]
    assert f"max-age={ONE_YEAR}" in cache_control
    assert "immutable" in cache_control


def test_policy_allows_no_inline_code_and_no_framing(production_server, committed_seeds):
    response = fetch(production_server, "/")

    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Strict-Transport-Security"].startswith(f"max-age={ONE_YEAR}")


def test_plain_http_is_redirected_to_https(production_server, committed_seeds):
    response = fetch(production_server, CLAIM_PATH, {"X-Forwarded-Proto": "http"})

    assert response.status == 301
    host = urlsplit(production_server).netloc
    assert response.headers["Location"] == f"https://{host}{CLAIM_PATH}"


def call_wsgi(method: str, path: str) -> tuple[dict[str, str], bytes]:
    """The application as a WSGI server sees it, without the test client's own HEAD handling."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    started = {}
    body = get_wsgi_application()(environ, lambda status, headers: started.update(headers))
    return started, b"".join(body)


def test_head_gets_the_headers_of_get_and_no_body(committed_seeds):
    get_headers, get_body = call_wsgi("GET", CLAIM_PATH)

    head_headers, head_body = call_wsgi("HEAD", CLAIM_PATH)

    assert get_body
    assert head_body == b""
    assert head_headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))
