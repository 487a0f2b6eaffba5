"""The site's own endpoints, outside what readers browse: health checks and robots.txt."""

import secrets
import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from publishing.addresses import absolute
from publishing.cache import CACHE_FAILURES, DATABASE_FAILURES, page_cache

# What the 503 page asks clients to wait: about as long as a database restart takes.
RETRY_AFTER_SECONDS = 5


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute(reverse('publishing:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """Answers without touching the database: the process is up (healthz also checks the DB)."""
    return HttpResponse("pong\n", content_type="text/plain")


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_FAILURES as error:
        return f"unavailable ({type(error).__name__})"
    return "ok"


def cache_state() -> str:
    """Asks the cache itself, not through the pause that spares readers a failing cache."""
    cache = page_cache()
    probe = secrets.token_hex(8)
    try:
        cache.set("healthz", probe, timeout=10)
        answered = cache.get("healthz") == probe
    except CACHE_FAILURES as error:
        return f"unavailable ({type(error).__name__}): pages are built without it"
    return "ok" if answered else "unavailable (no answer): pages are built without it"


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The state of each dependency, first line `ok`, `degraded` or `unavailable`.

    200 while the database answers, even without the cache (`degraded`: pages are built
    uncached), so a load balancer keeps sending traffic; 503 while the database does not.
    """
    database, cache = database_state(), cache_state()
    if database != "ok":
        overall, status = "unavailable", 503
    else:
        overall, status = ("ok" if cache == "ok" else "degraded"), 200
    return HttpResponse(
        f"{overall}\ndatabase: {database}\ncache: {cache}\n",
        status=status,
        content_type="text/plain; charset=utf-8",
    )


def database_unreachable() -> bool:
    """Whether the error being handled is the database failing to answer."""
    return isinstance(sys.exc_info()[1], DATABASE_FAILURES)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; or, when the database could not be reached (a restart, a failover), the
    503 page with Retry-After, which DatabaseRestartMiddleware may replace with a retry."""
    if not database_unreachable():
        return HttpResponseServerError(loader.render_to_string("500.html"))
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.database_unavailable = True
    return response
