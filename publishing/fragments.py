"""The statement rows of a claim page, each kept in the page cache under a digest of everything
it shows, so that building a page again re-renders only the rows whose words, speaker, article
or note changed, not the whole page.

A row's key is its content: what the row template reads (the statement, its party, its article
and outlet, the wire credits, the capture, the stance's note), the template's own source and
the time zone dates are shown in. A changed row has a new key, so a cached row is never stale
and no write has to find the rows it changed; rows no page shows any more simply expire.
"""

import hashlib
from collections.abc import Iterable
from contextlib import suppress
from functools import cache

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

from claims.models import Stance

from .cache import CacheUnavailable, shared

ROW_TEMPLATE = "publishing/_statement.html"
# Rows of claims no one reads make room for others after a day.
ROW_SECONDS = 24 * 3600


@cache
def template_digest() -> str:
    """The row template's source, with the article line it includes: a deployment that changes
    them makes new keys, never serving rows in the old markup."""
    sources = [
        get_template(name).template.source
        for name in (ROW_TEMPLATE, "publishing/_article_meta.html")
    ]
    return hashlib.blake2b("\n".join(sources).encode(), digest_size=8).hexdigest()


def shown(stance: Stance) -> tuple:
    """Everything the row template shows of the stance and its statement."""
    statement = stance.statement
    article, capture, party = statement.article, statement.capture, statement.party
    return (
        template_digest(),
        settings.TIME_ZONE,
        statement.pk,
        party.get_absolute_url(),
        party.name,
        statement.speaker_label,
        statement.mode,
        statement.text,
        statement.anchor_status,
        statement.said_on,
        capture.sha256 if capture else None,
        capture.captured_at if capture else None,
        stance.note,
        article.slug,
        article.url,
        article.title,
        article.outlet.name,
        article.published_on,
        article.byline,
        tuple(outlet.name for outlet in article.wire_credits.all()),
    )


def row_key(stance: Stance) -> str:
    digest = hashlib.blake2b(repr(shown(stance)).encode(), digest_size=16).hexdigest()
    return f"row:{digest}"


def statement_rows(stances: Iterable[Stance]) -> dict[int, SafeString]:
    """Each stance's row, by the stance's id: from the cache where it has them (one round
    trip), rendered and stored where not. Without a cache, every row is rendered."""
    stances = list(stances)
    keys = {stance.pk: row_key(stance) for stance in stances}
    found: dict[str, str] = {}
    with suppress(CacheUnavailable):
        found = shared(lambda cache: cache.get_many(list(keys.values())))
    rows, rendered = {}, {}
    for stance in stances:
        key = keys[stance.pk]
        if key in found:
            rows[stance.pk] = mark_safe(found[key])
            continue
        html = render_to_string(ROW_TEMPLATE, {"statement": stance.statement, "stance": stance})
        rows[stance.pk] = mark_safe(html)
        rendered[key] = str(html)
    if rendered:
        with suppress(CacheUnavailable):
            shared(lambda cache: cache.set_many(rendered, timeout=ROW_SECONDS))
    return rows
