"""Public pages, feeds and API answers from the cache, never stale.

Every response is cached under the current ContentVersion number, which any write to sources or
claims increases (signals below). A request reads that number (one indexed row), and answers
from the cache built for it, or with 304 when the client already holds that version's page.
"""

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .models import ContentVersion

# Kept with the page: what the view said about its content. Everything else (security headers,
# CORS, the CSP with its fresh nonce) is added by the middleware around this one on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Allow", "Vary", "Content-Disposition")
NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/healthz", "/ping")


def bump_content_version(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        ContentVersion.bump()


def connect_content_signals() -> None:
    """Any save, delete or many-to-many change of a model readers see makes a new version."""
    for app_label in ("sources", "claims"):
        for model in apps.get_app_config(app_label).get_models():
            if model is ContentVersion:
                continue
            uid = f"content-version-{model._meta.label}"
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_content_version,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}-{field.name}",
                )


def is_cacheable(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(NOT_CACHED_PREFIXES)


def cache_key(request: HttpRequest, version: int) -> str:
    # The API answers by Accept (JSON, or the schema as YAML or JSON): part of the key.
    identity = f"{request.get_full_path()}\n{request.headers.get('Accept', '')}"
    digest = hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
    return f"page:{version}:{digest}"


def etag_for(key: str) -> str:
    return f'"{key.removeprefix("page:").replace(":", "-")}"'


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable(request):
            return self.get_response(request)
        key = cache_key(request, ContentVersion.current())
        etag = etag_for(key)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return self.finish(HttpResponseNotModified(), etag)
        cached = self.cache.get(key)
        if cached is not None:
            status, content, headers = cached
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            return self.finish(response, etag)
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            self.cache.set(key, (response.status_code, response.content, headers))
            response["X-Cache"] = "miss"
            self.finish(response, etag)
        return response

    @staticmethod
    def finish(response: HttpResponse, etag: str) -> HttpResponse:
        response["ETag"] = etag
        # Browsers and proxies may keep the page but must ask again each time: a 304 is cheap.
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Accept"])
        return response
