"""Response rules for the whole site that Django leaves to the server or has no setting for."""

import functools
import logging
import math
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import parse_etags
from django.utils.text import compress_string
from rest_framework.throttling import AnonRateThrottle
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_fixed

from publishing.cache import (
    DATABASE_FAILURES,
    CacheUnavailable,
    holds_token,
    shared,
    signed_in,
)

log = logging.getLogger(__name__)

Handler = Callable[[HttpRequest], HttpResponse]


def media_type(response: HttpResponse) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


# XML the site sends: sitemaps and feeds.
XML_TYPES = {"application/xml", "text/xml", "application/atom+xml", "application/rss+xml"}


class NoPolicyForXmlMiddleware:
    """Sends XML documents without a Content-Security-Policy. They run no script of the site's,
    and the policy would refuse the inline styles and script of the browser's own XML viewer,
    which then shows a sitemap or feed as one run of text. Above Django's CSP middleware, so
    that it takes the header away after that has added it, to cached answers too."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if media_type(response) in XML_TYPES:
            del response[CSP.HEADER_ENFORCE]
            del response[CSP.HEADER_REPORT_ONLY]
        return response


# A weak entity tag's mark.
WEAK = re.compile(r'W/(?=")')


class CompressionMiddleware(MiddlewareMixin):
    """Pages gzipped for clients that accept it, as Django's GZipMiddleware gzips them, but
    never a page that carries a secret: one with a CSRF token in it, one that sets a cookie, or
    any of the admin's. An attacker who can put words into a compressed page beside a secret
    learns the secret from the sizes (BREACH).

    Only HTML pages, as built: the CSV exports are gzipped where they are built and have
    addresses of their own for it, and the API's clients (its schema tests among them) get its
    JSON as it is.

    Listed above the middlewares that set cookies (sessions, CSRF), so that it sees their
    cookies, and above the page cache, which keeps pages as built, with a copy compressed once
    when a page was built for a reader who takes gzip (served as it is); below WhiteNoise, which
    serves static files compressed ahead, and below HeadWithoutBodyMiddleware, so that HEAD
    gives the compressed length.
    """

    max_random_bytes = GZipMiddleware.max_random_bytes

    def process_request(self, request: HttpRequest) -> None:
        # A gzipped answer's ETag is made weak (W/"…"), and clients send it back so. If-None-Match
        # compares entity tags weakly (RFC 9110, 13.1.2): the views and the page cache below,
        # which compare them as given, are handed them without the mark.
        validators = request.META.get("HTTP_IF_NONE_MATCH")
        if validators:
            request.weak_validators = validators
            request.META["HTTP_IF_NONE_MATCH"] = WEAK.sub("", validators)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 304:
            return self.validated(request, response)
        if (
            media_type(response) != "text/html"
            or response.streaming
            or carries_secret(request, response)
        ):
            return response
        return self.compressed(request, response)

    def compressed(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The page gzipped as GZipMiddleware gzips it (the same headers, a weak ETag), from the
        copy the page cache kept compressed with it if there is one (publishing.cache.
        gzipped_for), else compressed here with Django's random bytes against BREACH."""
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        gzipped = getattr(response, "gzipped", None) or compress_string(
            response.content, max_random_bytes=self.max_random_bytes
        )
        if len(gzipped) >= len(response.content):
            return response
        response.content = gzipped
        response.headers["Content-Length"] = str(len(gzipped))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

    @staticmethod
    def validated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A 304 names the ETag as the client holds it: weak if it came with a gzipped page."""
        etag = response.get("ETag", "")
        if etag.startswith('"') and f"W/{etag}" in parse_etags(
            getattr(request, "weak_validators", "")
        ):
            response["ETag"] = f"W/{etag}"
        return response


def carries_secret(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.path.startswith(admin_address(get_urlconf(), get_script_prefix()))
        or bool(response.cookies)
        or holds_token(response.content)
    )


@functools.lru_cache(maxsize=64)
def admin_address(urlconf: str | None, prefix: str) -> str:
    """The admin's address, found once per URL configuration and script prefix: reversed for
    every page written as HTML, it cost a claim page built afresh as much as a round trip."""
    return reverse("admin:index", urlconf=urlconf)


class HeadWithoutBodyMiddleware:
    """Answers HEAD with the headers of GET and no body.

    Django renders the body and leaves dropping it to the server; gunicorn drops it but logs
    a warning each time, and uptime monitors send HEAD all day. Placed above CommonMiddleware,
    which has by then set the Content-Length of the full body, as HEAD must report.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response


def malformed(request: HttpRequest) -> str | None:
    """What is wrong with the request's path, query string or cookies, if anything: a NUL byte
    (which PostgreSQL cannot store or compare) or bytes that are not UTF-8."""
    parts = {
        # Django has put bytes that are not UTF-8 back as percent escapes; nothing else in a
        # path to any page is a percent sign.
        "path": unquote_to_bytes(request.path_info),
        "query string": unquote_to_bytes(
            request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
        ),
        "cookies": request.META.get("HTTP_COOKIE", "").encode("latin-1", "replace"),
    }
    for name, raw in parts.items():
        if b"\0" in raw:
            return f"The {name} holds a NUL character."
        try:
            raw.decode()
        except UnicodeDecodeError:
            return f"The {name} is not valid UTF-8."
    return None


class RejectMalformedInputMiddleware:
    """Answers 400 to a request whose path, parameters or cookies hold a NUL byte or bytes that
    are not UTF-8, before anything looks them up: they can only be an error or an attack."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = malformed(request)
        if problem:
            return HttpResponseBadRequest(
                f"Bad request: {problem}\n", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def database_back() -> bool:
    """Whether the database accepts connections again within DATABASE_RETRY_SECONDS."""
    connection = connections["default"]
    # The broken connection goes; the next query opens a new one.
    connection.close()
    retrying = Retrying(
        stop=stop_after_delay(settings.DATABASE_RETRY_SECONDS),
        wait=wait_fixed(0.25),
        retry=retry_if_exception_type(DATABASE_FAILURES),
        reraise=True,
    )
    try:
        retrying(connection.ensure_connection)
    except DATABASE_FAILURES:
        return False
    return True


class DatabaseRestartMiddleware:
    """A safe request (GET, HEAD) that failed because the database could not be reached is
    tried once more as soon as the database accepts connections again; if it does not within
    DATABASE_RETRY_SECONDS, the client gets the 503 page (config.views.server_error) with
    Retry-After. Writes are never repeated: they get the 503 page at once."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(response, "database_unavailable", False)
            and request.method in ("GET", "HEAD")
            and database_back()
        ):
            log.info("Retrying %s once the database is back.", request.path)
            response = self.get_response(request)
        return response


# Counts for the API's rate limit while the shared cache cannot be reached: each process then
# counts for itself, as it does with the per-process cache.
LOCAL_COUNTS = LocMemCache("api-throttle", {})


class ApiThrottle(AnonRateThrottle):
    """DRF's anonymous rate limit, counted in the page cache (shared by every worker with
    Redis), or in this process's memory while that cache cannot answer."""

    def allow_request(self, request: HttpRequest, view) -> bool:
        def count(cache) -> bool:
            self.cache = cache
            return super(ApiThrottle, self).allow_request(request, view)

        try:
            return shared(count)
        except CacheUnavailable:
            return count(LOCAL_COUNTS)


class ApiThrottleMiddleware:
    """Rate-limits anonymous API clients before the page cache answers, so that repeating a
    cached request counts too. DRF's own throttle would only see requests that miss the cache;
    this uses the same rate (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES["anon"])."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and not signed_in(request):
            throttle = ApiThrottle()
            if not throttle.allow_request(request, None):
                wait = math.ceil(throttle.wait() or 1)
                response = JsonResponse(
                    {"detail": f"Too many requests: try again in {wait} seconds."}, status=429
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
