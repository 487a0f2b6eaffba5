"""Pages go gzipped to clients that accept it, except those that carry a secret (BREACH): the
admin's, pages with a CSRF token, pages that set a cookie. Revalidation still ends in 304."""

import gzip
import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.test.utils import override_script_prefix
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from publishing.cache import public

from .pages import page_of
from .sites import Site
from .test_cache_freshness import page_cache as page_cache_kind  # noqa: F401 (both stores)
from .test_page_dependencies import key_of

# A form the way a page of the site would carry one, long enough to be worth compressing.
FORM = Template(
    "<!doctype html><title>Subscribe</title><p>{{ padding }}</p>"
    '<form method="post">{% csrf_token %}<button>Subscribe</button></form>'
)


def form_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FORM.render(RequestContext(request, {"padding": "Words. " * 60})))


# The site's own addresses, and two pages with a form: one the page cache may keep.
urlpatterns = [
    path("form/", form_page),
    path("cached-form/", public(form_page)),
    *site_urlpatterns,
]

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_public_page_is_gzipped_for_a_client_that_accepts_it(client, site: Site):
    url = site.contested_claim.get_absolute_url()
    plain = client.get(url)
    compressed = client.get(url, **GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
    inflated = gzip.decompress(compressed.content)
    assert page_of(plain).text == page_of(HttpResponse(inflated)).text


def test_open_data_is_sent_as_it_is(client, site: Site):
    for url in ["/api/v1/claims/", "/feeds/claims/", "/sitemap-pages.xml", "/claims/export.csv"]:
        assert "Content-Encoding" not in client.get(url, **GZIP), url


def test_the_admin_login_page_is_never_gzipped(client, db):
    response = client.get("/admin/login/", **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


@pytest.mark.urls(__name__)
def test_a_page_with_a_csrf_token_is_never_gzipped(client, db):
    for _ in range(2):  # also when the client holds the CSRF cookie already
        response = client.get("/form/", **GZIP)
        assert b"csrfmiddlewaretoken" in response.content
        assert "Content-Encoding" not in response


def new_reader() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken"\] = "([^"]+)"', re.I)


@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_with_a_readers_csrf_token_is_never_kept_for_other_readers(db, monkeypatch):
    """Nor compressed, from the cache or otherwise: the token is one reader's secret."""
    made = counting_compressions(monkeypatch)
    tokens = set()
    for _ in range(3):
        response = new_reader().get("/cached-form/", **GZIP)
        assert "X-Cache" not in response and "Content-Encoding" not in response
        tokens.add(TOKEN.search(response.content.decode()).group(1))
    assert len(tokens) == 3 and not made


@pytest.mark.usefixtures("page_cache_kind")
def test_the_api_browsers_script_gives_each_reader_their_own_csrf_token(db):
    first, second = (new_reader().get("/api/v1/docs/?script") for _ in range(2))
    assert "X-Cache" not in second
    [token] = [group for group in TOKEN.search(first.content.decode()).groups() if group]
    assert token not in second.content.decode()


def test_a_page_that_sets_a_cookie_is_never_gzipped(client, site: Site):
    url = site.contested_claim.get_absolute_url()
    client.cookies["sessionid"] = "no-such-session"  # an expired session: the cookie is removed
    response = client.get(url, **GZIP)
    assert response.cookies and "Content-Encoding" not in response


def test_a_gzipped_page_is_revalidated_with_304(client, site: Site):
    url = site.contested_claim.get_absolute_url()
    first = client.get(url, **GZIP)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304 and again["ETag"] == etag
    from_another_client = client.get(url, HTTP_IF_NONE_MATCH=etag.removeprefix("W/"))
    assert from_another_client.status_code == 304


def test_no_page_of_the_admin_is_gzipped_even_without_a_token(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 1
    wrong = {"username": "curator", "password": "not the password"}
    client.post("/admin/login/", wrong)
    locked_out = client.post("/admin/login/", wrong, **GZIP)
    assert "Too many failed logins" in page_of(locked_out).text
    assert b"csrfmiddlewaretoken" not in locked_out.content and not locked_out.cookies
    assert "Content-Encoding" not in locked_out


def test_no_page_of_the_admin_is_gzipped_under_any_script_prefix(client, db, settings):
    """The admin's address is found once for each script prefix, not once for the first."""
    settings.AXES_FAILURE_LIMIT = 1
    wrong = {"username": "curator", "password": "not the password"}
    assert client.get("/about/", **GZIP)["Content-Encoding"] == "gzip"  # found without a prefix
    with override_script_prefix("/record/"):
        client.post("/admin/login/", wrong, SCRIPT_NAME="/record")
        locked_out = client.post("/admin/login/", wrong, SCRIPT_NAME="/record", **GZIP)
    assert "Too many failed logins" in page_of(locked_out).text
    assert "Content-Encoding" not in locked_out


def counting_compressions(monkeypatch) -> list[int]:
    """Every page compressed, by the page cache or by the site's compression."""
    from config import middleware
    from publishing import cache as page_cache

    made = []

    def counted(real):
        def compress(content, **kwargs):
            made.append(len(content))
            return real(content, **kwargs)

        return compress

    monkeypatch.setattr(page_cache, "compress_string", counted(page_cache.compress_string))
    monkeypatch.setattr(middleware, "compress_string", counted(middleware.compress_string))
    return made


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_built_for_a_reader_who_takes_gzip_is_compressed_once_for_all(
    client, site: Site, monkeypatch
):
    url = site.contested_claim.get_absolute_url()
    made = counting_compressions(monkeypatch)
    built = client.get(url, **GZIP)
    assert built["X-Cache"] == "miss" and built["Content-Encoding"] == "gzip"
    for _ in range(3):
        again = client.get(url, **GZIP)
        assert again["X-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
        assert again.content == built.content
        assert int(again["Content-Length"]) == len(again.content)
        assert again["ETag"].startswith('W/"') and "Accept-Encoding" in again["Vary"]
    assert len(made) == 1
    plain = client.get(url)
    assert plain["X-Cache"] == "hit" and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(built.content) == plain.content
    assert len(made) == 1


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_built_for_a_reader_without_gzip_is_compressed_for_those_who_take_it(
    client, site: Site, monkeypatch
):
    url = site.contested_claim.get_absolute_url()
    made = counting_compressions(monkeypatch)
    plain = client.get(url)
    assert plain["X-Cache"] == "miss" and not made
    compressed = client.get(url, **GZIP)
    assert compressed["X-Cache"] == "hit" and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_kept_before_pages_were_kept_compressed_is_still_served(client, site: Site):
    from publishing import cache as page_cache

    url = site.contested_claim.get_absolute_url()
    built = client.get(url, **GZIP)
    key = key_of(url)
    entry = page_cache.page_cache().get(key)
    page_cache.page_cache().set(key, entry[:4])  # as the release before kept it
    again = client.get(url, **GZIP)
    assert again["X-Cache"] == "hit" and again.content != built.content  # compressed anew
    assert gzip.decompress(again.content) == gzip.decompress(built.content)
