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

The number lives in the database (ContentVersion), bumped inside the writing transaction: a
write commits with its new number or not at all, whatever the cache is doing, and readers
check every cached page against it. After each commit the number is mirrored into the cache
(`content-version-mirror`), only ever upwards; the mirror is what readers use while the
database cannot answer, since no write can commit then.

The cache itself is optional at run time. When it cannot be reached, pages are built and
served without it, and for a few seconds (CACHE_RETRY_SECONDS) this process does not try it
again, so that an unreachable Redis costs one timeout, not one per request.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.db.models import Count, QuerySet, Window
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import has_vary_header, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import parse_etags
from django.utils.text import compress_string
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import NoScriptError, RedisError

from claims.signals import counts_changed

from . import dependencies
from .dependencies import ALL, LISTS, ROWS, depended_on
from .models import ContentVersion, DependencyVersion

log = logging.getLogger(__name__)

# Kept with the page: what the view said about its content. Everything else (security headers,
# CORS, the CSP with its fresh nonce) is added by the middleware around this one on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Allow", "Vary", "Content-Disposition")
# A key of its own: servers before the mirror kept a random number under "content-version".
MIRROR_KEY = "content-version-mirror"
# The apps whose records readers see: any write to them makes a new content version.
CONTENT_APPS = ("sources", "claims")
# A cache that cannot be reached: Redis refusing or timing out, or a database cache's database.
CACHE_FAILURES = (ConnectionInterrupted, RedisError, OSError, OperationalError, InterfaceError)
# A database that cannot be reached, restarting or gone: as opposed to a query that is wrong.
DATABASE_FAILURES = (OperationalError, InterfaceError)
# The page being replaced may be served while one worker builds the new one, for at most this
# many seconds from the start of the build; a build that takes longer is taken over.
STALE_WHILE_BUILDING = 1.0
# How long a worker may hold the right to build a page (a build killed midway gives it up).
BUILD_SECONDS = 10
# How long a reader waits for another worker's build of a page the cache does not have.
WAIT_FOR_BUILD = 2.0
# A page's lookup with Redis, in one round trip: the mirrored number and the page's entry, and
# when there is no entry, the page's build taken (KEYS[3], for ARGV[2] seconds) if no worker
# holds it: 1 taken, 0 held by another. A page no one has must be built or waited for anyway.
LOOK_UP_OR_BUILD = """
local found = redis.call('MGET', KEYS[1], KEYS[2])
if not found[2] then
  found[3] = redis.call('SET', KEYS[3], ARGV[1], 'NX', 'EX', ARGV[2]) and 1 or 0
end
return found
"""
# Asked for by its digest: Redis then neither receives nor hashes the script on every page.
LOOK_UP_DIGEST = hashlib.sha1(LOOK_UP_OR_BUILD.encode()).hexdigest()
# Raises the mirrored number, never lowers it: two commits' mirrors may arrive in either order.
RAISE_MIRROR = """
local held = tonumber(redis.call('GET', KEYS[1]))
if not held or held < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
"""


@dataclass(frozen=True)
class CachePolicy:
    """What a public view's answer depends on besides the path: the query parameters it reads,
    for content-negotiating views (the API) the Accept header, and what it shows
    (publishing/dependencies.py) unless the view says so itself (depends_on)."""

    parameters: frozenset[str]
    by_accept: bool = False
    dependencies: tuple[str, ...] = (LISTS,)


def public(
    view: Callable,
    *,
    parameters: Iterable[str] = (),
    by_accept: bool = False,
    dependencies: Iterable[str] = (LISTS,),
) -> Callable:
    """Declare a view's answers the same for every anonymous reader, so the page cache may keep
    them. `parameters` are the query parameters the view reads; `dependencies` what its pages
    show, everything lists show unless it says less."""
    view.cache_policy = CachePolicy(frozenset(parameters), by_accept, tuple(dependencies))
    return view


# The cache, when it answers ----------------------------------------------------------------


class CacheUnavailable(Exception):
    """The page cache did not answer, or failed within the last CACHE_RETRY_SECONDS."""


class Pause:
    """After the cache fails, this process leaves it alone for CACHE_RETRY_SECONDS; then the
    next request tries it again. (A circuit breaker with one failure to trip it. pybreaker
    holds a lock for the whole guarded call, which would queue every thread's cache calls
    behind one another; these few lines hold none, and a race costs at most one more try.)"""

    def __init__(self) -> None:
        self.until = 0.0

    def active(self) -> bool:
        return time.monotonic() < self.until

    def start(self, error: BaseException) -> None:
        if not self.active():
            log.warning("The page cache cannot be reached (%r): serving without it.", error)
        self.until = time.monotonic() + settings.CACHE_RETRY_SECONDS


pause = Pause()


def page_cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def shared[Result](operation: Callable[[BaseCache], Result]) -> Result:
    """`operation` run on the page cache; CacheUnavailable if the cache cannot answer."""
    if pause.active():
        raise CacheUnavailable
    try:
        return operation(page_cache())
    except CACHE_FAILURES as error:
        pause.start(error)
        raise CacheUnavailable from error


# The content version ------------------------------------------------------------------------


def mirror(number: int) -> None:
    """Raise the cache's copy of the content version to `number`."""

    def raise_mirror(cache: BaseCache) -> None:
        if isinstance(cache, RedisCache):
            client = cache.client.get_client(write=True)
            client.eval(RAISE_MIRROR, 1, cache.make_key(MIRROR_KEY), number)
        elif (cache.get(MIRROR_KEY) or 0) < number:
            cache.set(MIRROR_KEY, number, timeout=None)

    # If the cache is away, the database still holds the number, and readers mend the mirror
    # once the cache is back.
    with suppress(CacheUnavailable):
        shared(raise_mirror)


def mirror_committed_version() -> None:
    try:
        number = ContentVersion.current()
    except DATABASE_FAILURES:
        return
    mirror(number)


# The keys most pages depend on, read with every page's own.
SHARED_KEYS = (ALL, LISTS, ROWS)
# The newest versions of keys read during the request being answered (PageCacheMiddleware), by
# keys: a list page's two filters and its count ask for the same. None outside a request.
request_versions: ContextVar[dict[tuple[str, ...], int] | None] = ContextVar(
    "request_versions", default=None
)


def newest_version(keys: Iterable[str]) -> int:
    """The newest version of these keys, read once per request: with the page's own, when the
    page cache looked the page up (`lookup` reads every key pages share)."""
    keys = tuple(sorted(set(keys)))
    read = request_versions.get()
    if read is None:
        return DependencyVersion.newest(keys)[1]
    if keys not in read:
        if all((key,) in read for key in keys):
            read[keys] = max(read[(key,)] for key in keys)
        else:
            read[keys] = DependencyVersion.newest(keys)[1]
    return read[keys]


def remembered[Value](name: str, compute: Callable[[], Value], keys=(ALL, LISTS)) -> Value:
    """What `compute` returns, kept in the cache under the newest version of the keys it
    depends on: computed again after any write that changes them, so never stale, by the same
    rule as pages. What many pages share (the topics and outlets the list's filters offer) is
    then computed once per write, not once per page, and by one worker while the others wait
    for it, as a page is built (after a write, every list page built at once asked for the
    same 15 ms of queries). Without a cache, always computed."""
    version = newest_version(keys)
    key = f"remembered:{name}:{version}"
    try:
        found = shared(lambda cache: cache.get(key, MISSING))
    except CacheUnavailable:
        return compute()
    if found is not MISSING:
        return found
    building, started = building_key(key), time.time()

    def take() -> bool:
        return shared(lambda cache: cache.add(building, time.time(), timeout=BUILD_SECONDS))

    try:
        # Taken by this worker, or waited for; taken over if the computation ends without it
        # (one waiter takes it, the others wait again), until a reader has waited long enough.
        while not (took := take()):
            found = waited_for(key, building, started)
            if found is not MISSING or time.time() - started >= WAIT_FOR_BUILD:
                break
    except CacheUnavailable:
        return compute()
    if found is not MISSING:
        return found
    # Computed here (by the worker that took it, or past the wait), and kept for the next page.
    kept = False
    try:
        value = compute()
        with suppress(CacheUnavailable):
            shared(lambda cache: store_and_release(cache, key, value, building if took else None))
            kept = True
    finally:
        if took and not kept:  # failed, or not kept: never left for others to wait on
            let_go_of(building)
    return value


def waited_for(
    key: str, building: str, started: float, ready: Callable[[object], bool] = lambda _: True
) -> object:
    """What another worker's build stores under `key`, once `ready` takes it, waited for while
    that worker holds `building`; MISSING if the build ends without it or WAIT_FOR_BUILD
    seconds pass from `started`. CacheUnavailable if the cache stops answering."""
    while time.time() - started < WAIT_FOR_BUILD:
        time.sleep(0.01)
        stored = shared(lambda cache: cache.get_many([key, building]))
        if key in stored and ready(stored[key]):
            return stored[key]
        if building not in stored:
            return MISSING
    return MISSING


MISSING = object()


class RememberedCount(Paginator):
    """A paginator whose count is remembered until a write changes what lists show: counting
    100,000 articles readers may see takes half a second, and every page of the list needs it.
    `name` tells apart the lists counted (one for each set of filters)."""

    def __init__(self, object_list, per_page, *, name: str, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.name = name

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)  # a list in memory: nothing to remember
        return remembered(self.name, self.object_list.count)


class CountedWithPage(RememberedCount):
    """A RememberedCount whose count, when not remembered yet, comes with the page asked for,
    in one query (`COUNT(id) OVER ()`): a list filtered by a party found its claims twice, once
    to count them and once for the page, each time a few milliseconds of PostgreSQL. A page
    past any list's end, or a number that is none, is counted apart, as Paginator counts it.
    The list is a queryset of `values_list` rows (the count is read from a row's last value),
    without orphans."""

    # Past this many rows, a page is past the end of any list (and its offset past what the
    # databases take): it is counted apart, and answered as a page out of range.
    LAST_ROW = 2**31

    def page(self, number):
        rows = None

        def count_with_page() -> int:
            nonlocal rows
            try:
                bottom = (int(number) - 1) * self.per_page
            except (TypeError, ValueError):
                bottom = -1
            if not self.orphans and 0 <= bottom < self.LAST_ROW:
                window = Window(Count("pk"))
                rows = list(
                    self.object_list.annotate(found=window)[bottom : bottom + self.per_page]
                )
                if rows:
                    return rows[0][-1]  # the count, after the row's fields
                if bottom == 0:
                    return 0  # the first page is empty: so is the list
            return self.object_list.count()

        if "count" not in self.__dict__:
            self.__dict__["count"] = remembered(self.name, count_with_page)
        page = super().page(number)
        if rows and page.number == int(number):
            page.object_list = rows
        return page


def start_afresh() -> None:
    """Make every cached page stale, after a restore may have put an old number back."""
    with transaction.atomic():
        note_content_change([ALL])


class MirrorVersion:
    """What a transaction that changed content runs when it commits: its content version,
    mirrored to the cache. Knows the transaction it belongs to and its number, so that a
    transaction takes one number however many records it writes."""

    def __init__(self, transaction_id: str | None, number: int) -> None:
        self.transaction_id = transaction_id
        self.number = number

    def __call__(self) -> None:
        mirror_committed_version()


class KeysSet:
    """A mark, among the transaction's on-commit callbacks, of keys set to its number. Django
    forgets the callbacks of a savepoint rolled back, so a mark stands exactly as long as the
    rows it speaks of: keys set in a savepoint that was rolled back are set again."""

    def __init__(self, transaction_id: str | None, keys: set[str]) -> None:
        self.transaction_id = transaction_id
        self.keys = keys

    def __call__(self) -> None:
        pass


def note_content_change(keys: Iterable[str] = (ALL,)) -> None:
    """A new content version for this transaction's writes (at once outside a transaction), and
    the keys they change set to it. One number per transaction, however many records it writes.
    It is part of the transaction, so readers see the new number exactly when they can see the
    new content."""
    keys = set(keys)
    if not keys:
        return
    if read := request_versions.get():
        read.clear()  # this request's own write makes what it read older
    connection = transaction.get_connection()
    current = outermost_transaction(connection)
    waiting = (
        [callback for _, callback, _ in connection.run_on_commit]
        if current is not NO_TRANSACTION
        else []
    )
    pending = next(
        (
            callback
            for callback in waiting
            if isinstance(callback, MirrorVersion) and callback.transaction_id == current
        ),
        None,
    )
    if pending is None:
        pending = MirrorVersion(current, ContentVersion.bump())
        # Outside a transaction this mirrors at once: the write and its number are committed.
        transaction.on_commit(pending)
    already = set().union(
        *(
            callback.keys
            for callback in waiting
            if isinstance(callback, KeysSet) and callback.transaction_id == current
        )
    )
    if new := keys - already:
        DependencyVersion.set(new, pending.number)
        if current is not NO_TRANSACTION:
            transaction.on_commit(KeysSet(current, new))


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


def record_before_write(sender, instance, **kwargs) -> None:
    dependencies.before_write(instance)


def record_written(sender, instance, **kwargs) -> None:
    # Raw saves too: a restored backup (loaddata) changes what readers see like any other write.
    note_content_change(dependencies.written(instance))


def record_deleted(sender, instance, **kwargs) -> None:
    note_content_change(dependencies.written(instance, entirely=True))


def counts_written(sender, pks, **kwargs) -> None:
    note_content_change(dependencies.counted(pks))


def relation_changed(sender, instance, action, reverse, **kwargs) -> None:
    if action.startswith("post_"):
        note_content_change(dependencies.related_changed(instance, reverse))


def connect_signals() -> None:
    """Any save, delete or many-to-many change of a record readers see makes a new version for
    what it changes (publishing/dependencies.py)."""
    counts_changed.connect(counts_written, dispatch_uid="content-version-counts")
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"content-version-{model._meta.label}"
            pre_save.connect(record_before_write, sender=model, dispatch_uid=f"{uid}-before")
            post_save.connect(record_written, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(record_deleted, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    relation_changed,
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
    """An answer that is the same for every anonymous reader of this address: not one that
    holds this reader's CSRF token (a form that posts, the API's browser's script), which
    Django marks when the token is asked for; the cookie and `Vary: Cookie` it then adds come
    only after this middleware has stored the page."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
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


@dataclass(frozen=True)
class Entry:
    """A page as the cache keeps it: the content version it was built at, the keys it depends
    on, the answer, and the answer gzipped if it was built for a reader who takes gzip."""

    built: int
    dependencies: tuple[str, ...]
    content: bytes
    headers: dict[str, str]
    gzipped: bytes | None = None

    @classmethod
    def read(cls, stored: object) -> "Entry | None":
        # What an older release stored under the key (four values, none gzipped), or anything
        # else, which is no entry.
        if isinstance(stored, tuple) and len(stored) in (4, 5):
            return cls(*stored)
        return None

    def response(self, served: str) -> HttpResponse:
        response = HttpResponse(self.content, headers=self.headers)
        response["X-Cache"] = served
        if self.gzipped is not None:
            response.gzipped = self.gzipped
        return response


def holds_token(content: bytes) -> bool:
    """Whether a page holds a CSRF token: a secret that compression gives away to anyone who can
    put words beside it in the page and watch its size (BREACH)."""
    return b"csrfmiddlewaretoken" in content


def gzipped_for(request: HttpRequest, response: HttpResponse) -> bytes | None:
    """The page compressed once, to be kept with it, when it is built for a reader whose client
    takes gzip: the site's compression (config/middleware.py) then serves this copy from the
    cache to every such reader (where it would leave a page as it is, it leaves this copy
    unused), where compressing a claim page on every request cost as much CPU as the rest of
    serving it from the cache. None for a page it never compresses (not HTML, or holding a
    CSRF token), and for a client that does not take gzip: such a page is compressed on each
    request for the readers who do, as before.

    Without the random bytes Django adds to every compressed answer against BREACH: a cached
    page is the same for every anonymous reader and carries no secret to guess."""
    if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return None
    html = response.get("Content-Type", "").lower().startswith("text/html")
    if not html or holds_token(response.content):
        return None
    return compress_string(response.content)


@dataclass
class Lookup:
    """What the cache and the database said about one page: the current content version (None
    if neither can tell), the entry held for the page, whether it may be served, whether the
    cache answered, and, when the lookup also asked for the page's build (Redis, no entry),
    whether this worker took it (True) or another holds it (False)."""

    version: int | None
    entry: Entry | None
    current: bool
    cache_answered: bool
    took_build: bool | None = None


def building_key(key: str) -> str:
    """The key a worker holds while it builds the page stored under `key`."""
    return "building:" + key.removeprefix("page:")


def look_up(cache: BaseCache, key: str, started: float) -> tuple[dict, bool | None]:
    """The mirrored version and the page's entry (as get_many gives them), and with Redis, when
    there is no entry, whether this worker took the page's build: in one round trip, where each
    costs a page built afresh about a tenth of a millisecond of CPU."""
    if not isinstance(cache, RedisCache):
        return cache.get_many([MIRROR_KEY, key]), None
    client = cache.client
    keys = [cache.make_key(name) for name in (MIRROR_KEY, key, building_key(key))]
    redis = client.get_client(write=True)
    arguments = (3, *keys, client.encode(started), BUILD_SECONDS)
    try:
        mirrored, stored, *took = redis.evalsha(LOOK_UP_DIGEST, *arguments)
    except NoScriptError:  # a Redis restarted or flushed since: EVAL keeps it again
        mirrored, stored, *took = redis.eval(LOOK_UP_OR_BUILD, *arguments)
    took_build = bool(took[0]) if took else None
    try:
        found = {
            name: client.decode(value)
            for name, value in ((MIRROR_KEY, mirrored), (key, stored))
            if value is not None
        }
    except BaseException:
        if took_build:  # the page will not be built after all
            redis.delete(keys[2])
        raise
    return found, took_build


def lookup(key: str, started: float | None = None) -> Lookup:
    """The cache's entry for the key and the current content version, in one round trip to the
    cache and one query: the entry is current if none of the keys it depends on changed since
    it was built. While the database cannot answer no write can commit, and an entry built at
    or after the mirrored version is current. With Redis, a page with no entry has its build
    taken in the same round trip, as of `started`."""
    took_build = None
    try:
        found, took_build = shared(lambda cache: look_up(cache, key, started or time.time()))
    except CacheUnavailable:
        found, cache_answered = {}, False
    else:
        cache_answered = True
    try:
        return judged(key, found, cache_answered, took_build)
    except BaseException:
        if took_build:  # the page will not be built after all
            let_go_of_build(key)
        raise


def let_go_of_build(key: str) -> None:
    """Delete the build held for the page stored under `key`, if the cache answers."""
    let_go_of(building_key(key))


def let_go_of(building: str) -> None:
    """Delete a build's key, if the cache answers."""
    with suppress(CacheUnavailable):
        shared(lambda cache: cache.delete(building))


def judged(key: str, found: dict, cache_answered: bool, took_build: bool | None) -> Lookup:
    """What `lookup` found in the cache, judged against the versions the database holds."""
    entry, mirrored = Entry.read(found.get(key)), found.get(MIRROR_KEY)
    asked = entry.dependencies if entry else (ALL,)
    try:
        # With the keys every list page shares, which the page's build may ask for next.
        version, numbers = versions_checking_connection({*asked, *SHARED_KEYS})
    except DATABASE_FAILURES:
        current = entry is not None and mirrored is not None and entry.built >= mirrored
        return Lookup(mirrored, entry, current, cache_answered, took_build)
    if cache_answered and (mirrored is None or mirrored < version):
        # A mirror missed while the cache was away, or a cache emptied: mended here.
        mirror(version)
    if (read := request_versions.get()) is not None:
        read.update({(name,): number for name, number in numbers.items()})
    newest = max(numbers[name] for name in asked)
    # Built after the current version: the database was restored from an older dump.
    current = entry is not None and newest <= entry.built <= version
    return Lookup(version, entry, current, cache_answered, took_build)


def versions_checking_connection(keys: set[str]) -> tuple[int, dict[str, int]]:
    """DependencyVersion.numbers, asked in place of Django's check of a connection kept from an
    earlier request (CONN_HEALTH_CHECKS: a `SELECT 1` before the request's first query, a round
    trip that cost a page built afresh a tenth of a millisecond of CPU). The versions are the
    first thing a public page asks, so they serve as the check: if the kept connection did not
    survive a restart of the database, the question fails, and is asked once more on a new
    connection, as the check would have. Never the mirror's answer for a broken connection to
    a database that is up: writes may have committed since the mirror was raised."""
    connection = connections[DEFAULT_DB_ALIAS]
    unchecked = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if not unchecked:
        return DependencyVersion.numbers(keys)
    connection.health_check_done = True
    try:
        return DependencyVersion.numbers(keys)
    except DATABASE_FAILURES:
        log.info("A kept database connection failed; asking again on a new one.")
        connection.close()
        return DependencyVersion.numbers(keys)


def store_and_release(cache: BaseCache, key: str, entry: object, building: str | None) -> None:
    """Store a page's entry (or a remembered value) and delete the key its build held, if any:
    with Redis in one round trip, where each costs a page built afresh about a tenth of a
    millisecond of CPU."""
    if not isinstance(cache, RedisCache):
        cache.set(key, entry)
        if building:
            cache.delete(building)
        return
    pipeline = cache.client.get_client(write=True).pipeline(transaction=False)
    pipeline.set(cache.make_key(key), cache.client.encode(entry), ex=cache.default_timeout)
    if building:
        pipeline.delete(cache.make_key(building))
    pipeline.execute()


@dataclass
class Pending:
    """A public request that missed the cache: its answer may be stored under `key`, built at
    `version`, unless the cache did not answer. `building` is the key this worker holds while
    it builds the page, if it holds one."""

    key: str
    version: int
    policy: CachePolicy
    cache_answered: bool
    building: str | None = None


def built_since(pending: Pending) -> Callable[[object], bool]:
    """Whether what is stored is the pending page's entry, built at its version or later."""

    def ready(stored: object) -> bool:
        entry = Entry.read(stored)
        return entry is not None and entry.built >= pending.version

    return ready


def depends_on(request: HttpRequest, *keys: str) -> None:
    """Say what the page being built depends on (publishing/dependencies.py), in place of
    everything lists show."""
    request.page_dependencies = keys


class PageCacheMiddleware:
    """Answers public views from the cache (process_view, once the view is known) and stores
    their answers. Last in MIDDLEWARE, so that everything above still adds its headers to
    pages served from the cache.

    When a page is stale or missing, one worker builds it (it holds `building:<key>` in the
    cache); meanwhile the others serve the page being replaced for at most a second
    (STALE_WHILE_BUILDING), or, with none to serve, wait up to WAIT_FOR_BUILD seconds for the
    build rather than all building the same page. Signed-in users, who may just have written,
    never get a page from the cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request_versions.set({})
        try:
            return self.answer(request)
        finally:
            request_versions.reset(reading)

    def answer(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending: Pending | None = getattr(request, "page_cache_pending", None)
        if pending is None:
            return response
        if storable(request, response, pending.policy):
            dependencies = getattr(request, "page_dependencies", pending.policy.dependencies)
            stored = self.store(request, pending, response, dependencies)
            response["X-Cache"] = "miss" if stored else "unavailable"
            self.finish(response, self.etag(pending.key, pending.version), pending.policy)
        if pending.building:
            let_go_of_build(pending.key)
        return response

    @staticmethod
    def store(
        request: HttpRequest, pending: Pending, response: HttpResponse, dependencies: Iterable[str]
    ) -> bool:
        """Store the page, and let go of its build (`pending.building`) with it."""
        if not pending.cache_answered:
            return False
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        keys = depended_on(dependencies)
        gzipped = gzipped_for(request, response)
        if gzipped is not None:
            response.gzipped = gzipped  # for this reader too
        entry = (pending.version, keys, response.content, headers, gzipped)
        try:
            shared(lambda cache: store_and_release(cache, pending.key, entry, pending.building))
        except CacheUnavailable:
            return False
        pending.building = None
        return True

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        policy: CachePolicy | None = getattr(view, "cache_policy", None)
        if policy is None or request.method not in ("GET", "HEAD") or signed_in(request):
            return None
        key = cache_key(request, policy)
        started = time.time()
        found = lookup(key, started)
        held = parse_etags(request.headers.get("If-None-Match", ""))
        if found.version is None or (found.entry is None and self.etag(key, found.version) in held):
            # The lookup may have taken a build that will not happen: let go of it.
            if found.took_build:
                let_go_of_build(key)
            if found.version is None:
                # Neither the database nor the mirror can tell what is current: build the page.
                return None
            # The reader holds the page as of the current version: nothing changed since.
            return self.finish(HttpResponseNotModified(), self.etag(key, found.version), policy)
        if found.current:
            etag = self.etag(key, found.entry.built)
            if etag in held:
                return self.finish(HttpResponseNotModified(), etag, policy)
            return self.finish(found.entry.response("hit"), etag, policy)
        pending = Pending(key, found.version, policy, found.cache_answered)
        if found.cache_answered:
            answer = self.while_building(pending, found, started)
            if answer is not None:
                return answer
        request.page_cache_pending = pending
        return None

    def while_building(
        self, pending: Pending, found: Lookup, started: float
    ) -> HttpResponse | None:
        """The page from another worker's build, or the one it replaces if that build began
        less than STALE_WHILE_BUILDING ago; None if this worker is to build it (then it holds
        the building key)."""
        building = building_key(pending.key)
        try:
            took = found.took_build
            if took is None:
                took = shared(lambda cache: cache.add(building, started, timeout=BUILD_SECONDS))
            if took:
                pending.building = building
                return None
            if found.entry is not None:
                since = shared(lambda cache: cache.get(building))
                # Never on another server's clock running ahead: then the page is built here.
                if since is not None and 0 <= started - since <= STALE_WHILE_BUILDING:
                    etag = self.etag(pending.key, found.entry.built)
                    return self.finish(found.entry.response("stale"), etag, pending.policy)
                return None
            # The page from the build; MISSING if the build ended without storing it or took
            # longer than a reader waits: then it is built here.
            stored = waited_for(pending.key, building, started, ready=built_since(pending))
        except CacheUnavailable:
            return None
        if stored is MISSING:
            return None
        entry = Entry.read(stored)
        etag = self.etag(pending.key, entry.built)
        return self.finish(entry.response("hit"), etag, pending.policy)

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
