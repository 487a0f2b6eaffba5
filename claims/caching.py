"""Public pages, feeds and API answers from the cache, never stale.

Every response is cached with the content version it was built for, a number that any write to
sources or claims increases (signals below). A request reads the current number and answers
from the cache only if the page there was built for it, or with 304 when the client already
holds that version's page.

Where the number lives depends on the cache. With Redis, every server shares it in Redis:
INCR is atomic, and a page served from the cache then costs no database query at all. With a
cache that is not shared (each process's memory) or not atomic (the database cache), it is the
one row of ContentVersion, which every server reads.
"""

import hashlib
import secrets
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .models import ContentVersion

# Kept with the page: what the view said about its content. Everything else (security headers,
# CORS, the CSP with its fresh nonce) is added by the middleware around this one on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Allow", "Vary", "Content-Disposition")
NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/healthz", "/ping")


VERSION_KEY = "content-version"


def version_in_cache() -> bool:
    return settings.CACHES[settings.PAGE_CACHE_ALIAS]["BACKEND"].endswith("RedisCache")


def fresh_number() -> int:
    # A key lost (Redis restarted, or the key evicted) starts again from a number no page
    # cached before can carry.
    return secrets.randbits(62)


def current_version() -> int:
    if not version_in_cache():
        return ContentVersion.current()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    number = cache.get(VERSION_KEY)
    if number is None:
        cache.add(VERSION_KEY, fresh_number(), timeout=None)
        number = cache.get(VERSION_KEY)
    return number


def bump() -> None:
    """A new version, seen by readers once the write that caused it is committed."""
    if not version_in_cache():
        ContentVersion.bump()
        return

    def increment() -> None:
        cache = caches[settings.PAGE_CACHE_ALIAS]
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, fresh_number(), timeout=None)

    transaction.on_commit(increment)


def start_afresh() -> None:
    """Make every cached page stale, after a restore may have put an old number back."""
    if version_in_cache():
        caches[settings.PAGE_CACHE_ALIAS].set(VERSION_KEY, fresh_number(), timeout=None)
    else:
        ContentVersion.start_afresh()


def bump_content_version(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        bump()


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


def cache_key(request: HttpRequest) -> str:
    """One entry per page; it holds the version it was built for, and is served only while
    that is still the current one (a newer build simply replaces it)."""
    # Links in API answers, feeds and sitemaps carry the scheme and host asked for, and the API
    # answers by Accept (JSON, or the schema as YAML or JSON): all of it is part of the key.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    identity = f"{address}\n{request.headers.get('Accept', '')}"
    return "page:" + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable(request):
            return self.get_response(request)
        key = cache_key(request)
        version, cached = self.lookup(key)
        etag = f'"{version}-{key.removeprefix("page:")}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return self.finish(HttpResponseNotModified(), etag)
        if cached is not None and cached[0] == version:
            _, status, content, headers = cached
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            return self.finish(response, etag)
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            self.cache.set(key, (version, response.status_code, response.content, headers))
            response["X-Cache"] = "miss"
            self.finish(response, etag)
        return response

    def lookup(self, key: str) -> tuple[int, tuple | None]:
        """The current version and what the cache holds for the key: one round trip to Redis."""
        if not version_in_cache():
            return ContentVersion.current(), self.cache.get(key)
        found = self.cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        return (current_version() if version is None else version), found.get(key)

    @staticmethod
    def finish(response: HttpResponse, etag: str) -> HttpResponse:
        response["ETag"] = etag
        # Browsers and proxies may keep the page but must ask again each time: a 304 is cheap.
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Accept"])
        return response
