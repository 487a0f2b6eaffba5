"""The page cache: answers of the views that declare themselves public, never stale.

Caching is opt-in. A view is cached only when `public()` marks it, with the query parameters
it reads; nothing is stored for a signed-in user, nor any answer that sets a cookie, varies by
cookie or says `private` or `no-store`. Parameters the view does not read are left out of the
key, and an answer to a request that carried any is not stored, so random query strings
neither bypass nor fill the cache.

Every answer is stored with the content version it was built for, a number that every
committed write to sources or claims increases (once per transaction: note_content_change).
A request is answered from the cache only if the page there was built for the current number,
or with 304 when the client already holds that version's page.

Where the number lives depends on the cache. With Redis, every server shares it in Redis:
INCR is atomic, and a page served from the cache then costs no database query at all. With a
cache that is not shared (each process's memory) or not atomic (the database cache), it is the
one row of ContentVersion, which every server reads.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import has_vary_header, patch_vary_headers
from django.utils.http import parse_etags

from .models import ContentVersion

# Kept with the page: what the view said about its content. Everything else (security headers,
# CORS, the CSP with its fresh nonce) is added by the middleware around this one on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Allow", "Vary", "Content-Disposition")
VERSION_KEY = "content-version"
# The apps whose records readers see: any write to them makes a new content version.
CONTENT_APPS = ("sources", "claims")


@dataclass(frozen=True)
class CachePolicy:
    """What a public view's answer depends on besides the path: the query parameters it reads,
    and for content-negotiating views (the API) the Accept header."""

    parameters: frozenset[str]
    by_accept: bool = False


def public(view: Callable, *, parameters: Iterable[str] = (), by_accept: bool = False) -> Callable:
    """Declare a view's answers the same for every anonymous reader, so the page cache may keep
    them. `parameters` are the query parameters the view reads."""
    view.cache_policy = CachePolicy(frozenset(parameters), by_accept)
    return view


# The content version ------------------------------------------------------------------------


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
    """A new content version, now: every page cached so far is stale."""
    if not version_in_cache():
        ContentVersion.bump()
        return
    cache = caches[settings.PAGE_CACHE_ALIAS]
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, fresh_number(), timeout=None)


def start_afresh() -> None:
    """Make every cached page stale, after a restore may have put an old number back."""
    if version_in_cache():
        caches[settings.PAGE_CACHE_ALIAS].set(VERSION_KEY, fresh_number(), timeout=None)
    else:
        ContentVersion.bump()


class VersionBump:
    """What a transaction that changed content runs when it commits: the Redis increment, or
    nothing where the number lives in the database row (bumped inside the transaction, so
    readers see the new number exactly when they can see the new content)."""

    def __init__(self, transaction_id: str | None, action: Callable[[], None] | None) -> None:
        self.transaction_id = transaction_id
        self.action = action

    def __call__(self) -> None:
        if self.action is not None:
            self.action()


def note_content_change() -> None:
    """A new version for this transaction's writes (at once outside a transaction), however many
    records it writes: one bump, not one per record."""
    connection = transaction.get_connection()
    current = outermost_transaction(connection)
    if current is not NO_TRANSACTION and any(
        isinstance(callback, VersionBump) and callback.transaction_id == current
        for _, callback, _ in connection.run_on_commit
    ):
        return
    if version_in_cache():
        transaction.on_commit(VersionBump(current, bump))
    else:
        ContentVersion.bump()
        transaction.on_commit(VersionBump(current, None))


NO_TRANSACTION = "none"


def outermost_transaction(connection) -> str | None:
    """Which transaction the connection is in, as production would see it: None for the
    outermost atomic block, NO_TRANSACTION outside any (autocommit).

    Tests run inside atomic blocks of their own (marked `_from_testcase`, in
    `connection.atomic_blocks`), and what production commits is then a savepoint of them: its
    id tells one committed transaction from the next. `connection.run_on_commit` keeps the
    waiting callbacks with the savepoints they were registered in, and forgets those of a
    savepoint rolled back. Django has no public way to ask any of this.
    """
    blocks = connection.atomic_blocks
    for index, block in enumerate(blocks):
        if not block._from_testcase:
            # The outermost block has no savepoint; each one inside it has one entry.
            return None if index == 0 else connection.savepoint_ids[index - 1]
    return NO_TRANSACTION


def content_changed(sender, **kwargs) -> None:
    # Raw saves too: a restored backup (loaddata) changes what readers see like any other write.
    note_content_change()


def connect_signals() -> None:
    """Any save, delete or many-to-many change of a record readers see makes a new version."""
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"content-version-{model._meta.label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    content_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}-{field.name}",
                )


# Requests and answers -----------------------------------------------------------------------


def signed_in(request: HttpRequest) -> bool:
    """Whether a signed-in user asks. Anonymous readers carry no session cookie, so for them
    the session store is never read."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def cache_key(request: HttpRequest, policy: CachePolicy) -> str:
    """One entry per page; it holds the version it was built for, and is served only while
    that is still the current one (a newer build simply replaces it)."""
    query = urlencode(
        [
            (name, value)
            for name in sorted(policy.parameters & request.GET.keys())
            for value in request.GET.getlist(name)
        ]
    )
    # Links in API answers, feeds and sitemaps carry the scheme and host asked for.
    identity = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    if policy.by_accept:
        identity += f"\n{request.headers.get('Accept', '')}"
    return "page:" + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()


def storable(request: HttpRequest, response: HttpResponse, policy: CachePolicy) -> bool:
    """An answer that is the same for every anonymous reader of this address."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if set(request.GET.keys()) - policy.parameters:
        return False
    directives = {
        directive.split("=")[0].strip().lower()
        for directive in response.get("Cache-Control", "").split(",")
    }
    if directives & {"private", "no-store"}:
        return False
    return not has_vary_header(response, "Cookie") and not has_vary_header(response, "*")


@dataclass
class Pending:
    """A public request that missed the cache: its answer may be stored under `key`."""

    key: str
    version: int
    policy: CachePolicy


class PageCacheMiddleware:
    """Answers public views from the cache (process_view, once the view is known) and stores
    their answers. Last in MIDDLEWARE, so that everything above still adds its headers to
    pages served from the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending: Pending | None = getattr(request, "page_cache_pending", None)
        if pending is not None and storable(request, response, pending.policy):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            self.cache.set(pending.key, (pending.version, response.content, headers))
            response["X-Cache"] = "miss"
            self.finish(response, self.etag(pending.key, pending.version), pending.policy)
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        policy: CachePolicy | None = getattr(view, "cache_policy", None)
        if policy is None or request.method not in ("GET", "HEAD") or signed_in(request):
            return None
        key = cache_key(request, policy)
        version, cached = self.lookup(key)
        etag = self.etag(key, version)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return self.finish(HttpResponseNotModified(), etag, policy)
        if cached is not None and cached[0] == version:
            _, content, headers = cached
            response = HttpResponse(content, headers=headers)
            response["X-Cache"] = "hit"
            return self.finish(response, etag, policy)
        request.page_cache_pending = Pending(key, version, policy)
        return None

    def lookup(self, key: str) -> tuple[int, tuple | None]:
        """The current version and what the cache holds for the key: one round trip to Redis."""
        if not version_in_cache():
            return ContentVersion.current(), self.cache.get(key)
        found = self.cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        return (current_version() if version is None else version), found.get(key)

    @staticmethod
    def etag(key: str, version: int) -> str:
        return f'"{version}-{key.removeprefix("page:")}"'

    @staticmethod
    def finish(response: HttpResponse, etag: str, policy: CachePolicy) -> HttpResponse:
        response["ETag"] = etag
        # Browsers and proxies may keep the page but must ask again each time: a 304 is cheap.
        response["Cache-Control"] = "public, no-cache"
        if policy.by_accept:
            patch_vary_headers(response, ["Accept"])
        return response
