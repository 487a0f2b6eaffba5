"""The site's own endpoints, outside what readers browse: health checks and robots.txt."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('publishing:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """Answers without touching the database: the process is up (healthz also checks the DB)."""
    return HttpResponse("pong\n", content_type="text/plain")


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 once the database answers; load balancers and compose health checks poll it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy", whatever its class
        return HttpResponse(
            f"database unavailable: {type(error).__name__}\n",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse("ok\n", content_type="text/plain")
