"""Hostile input anywhere in a request gets a 4xx, never a 5xx or a traceback; and only web
addresses (http, https) are ever shown as links or given out as addresses."""

import json
import re

import pytest
from django.test import Client

from publishing.templatetags.publishing import http_address
from sources.models import Article, Outlet

ARTICLE = "dw-russia-says-azeri-troops-entered-peacekeeping-zone"
ENDPOINTS = [
    "/claims/",
    "/api/v1/claims/",
    "/api/v1/statements/",
    "/claims/stances.csv",
    "/claims/export.csv.gz",
    "/feeds/claims/",
    "/sitemap-claims.xml",
    "/articles/",
]
HOSTILE_VALUES = [
    "%00",
    "a%00b",
    "%FF",
    "%C0%AF",
    "%ED%A0%80",
    "%EF%BF%BF",
    "%01%02%1B",
    "%27%20OR%201%3D1--",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "9" * 40,
    "-1",
    "x" * 5000,
]
PARAMETERS = ["q", "party", "stance", "topic", "since", "page", "page_size", "ordering", "p"]


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)


@pytest.mark.parametrize(
    "path", ["/api/v1/claims/%00/", "/api/v1/parties/a%00b/", "/claims/%00/", "/claims/%00.csv"]
)
def test_a_nul_byte_in_a_path_is_a_400(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("path", ["/articles/%FF/", "/feeds/parties/%C0%AF/", "/claims/%ED%A0%80/"])
def test_broken_utf8_in_a_path_is_a_400(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()


@pytest.mark.parametrize("value", ["%00", "a%00b", "%FF", "%C3%28"])
def test_a_nul_byte_or_broken_utf8_in_a_parameter_is_a_400(client, seeded, value):
    for endpoint in ["/claims/", "/api/v1/claims/", "/claims/stances.csv"]:
        assert client.get(f"{endpoint}?q={value}").status_code == 400, endpoint
        assert client.get(f"{endpoint}?{value}=1").status_code == 400, endpoint


def test_a_nul_byte_in_a_cookie_is_a_400(client, seeded):
    assert client.get("/claims/", HTTP_COOKIE="sessionid=abcdefgh\x00ijkl").status_code == 400


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_hostile_parameter_gets_a_server_error(client, seeded, endpoint):
    for parameter in PARAMETERS:
        for value in HOSTILE_VALUES:
            response = client.get(f"{endpoint}?{parameter}={value}")
            assert response.status_code < 500, (endpoint, parameter, value)
            b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("https://www.dw.com/en/a-61275381", True),
        ("HTTP://example.org/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org/", False),
        ("//evil.example/", False),
        ("https://", False),
        ("http://[::1", False),
        ("", False),
        (None, False),
    ],
)
def test_only_web_addresses_pass_the_http_only_filter(address, shown):
    assert http_address(address) == (address if shown else "")


@pytest.fixture
def javascript_addresses(seeded):
    """Addresses stored without a form, as import_data or a raw update would store them."""
    Article.objects.filter(slug=ARTICLE).update(url="javascript:alert(document.domain)")
    Outlet.objects.update(url="data:text/html,<script>alert(1)</script>")


def test_a_javascript_address_is_given_out_by_no_page_api_or_export(client, javascript_addresses):
    article_page = client.get(f"/articles/{ARTICLE}/").content.decode()
    assert not re.search(r"(href|cite)=\"(javascript|data):", article_page)
    claim_page = client.get(
        "/claims/azerbaijani-troops-entered-peacekeeping-zone/"
    ).content.decode()
    assert "javascript:" not in claim_page
    article = json.loads(client.get(f"/api/v1/articles/{ARTICLE}/").content)
    assert article["source_url"] is None and article["outlet"]["url"] is None
    export = b"".join(client.get("/claims/stances.csv").streaming_content).decode()
    assert "javascript:" not in export
