"""The statement rows of a claim page and the claim rows of lists, each kept in the page cache
under a digest of everything it shows, so that building a page again re-renders only the rows
whose words, speaker, article, note or badges changed, not the whole page.

A row's key is its content: what the row template reads (the statement, its party, its article
and outlet, the wire credits, the capture, the stance's note), the template's own source and
the time zone dates are shown in. A changed row has a new key, so a cached row is never stale
and no write has to find the rows it changed; rows no page shows any more simply expire.
"""

import hashlib
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, PartyPosition, Stance, positions_of

from .cache import CacheUnavailable, shared

ROW_TEMPLATE = "publishing/_statement.html"
CLAIM_ROW_TEMPLATE = "publishing/_claim_row.html"
# Rows of claims no one reads make room for others after a day.
ROW_SECONDS = 24 * 3600


@cache
def template_digest(*names: str) -> str:
    """The sources of a row's templates: a deployment that changes them makes new keys, never
    serving rows in the old markup."""
    sources = [get_template(name).template.source for name in names]
    return hashlib.blake2b("\n".join(sources).encode(), digest_size=8).hexdigest()


def shown(stance: Stance) -> tuple:
    """Everything the row template shows of the stance and its statement."""
    statement = stance.statement
    article, capture, party = statement.article, statement.capture, statement.party
    return (
        template_digest(ROW_TEMPLATE, "publishing/_article_meta.html"),
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
    return f"row:{digest(shown(stance))}"


def digest(shown: tuple) -> str:
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def statement_rows(stances: Iterable[Stance]) -> dict[int, SafeString]:
    """Each stance's row, by the stance's id: from the cache where it has them (one round
    trip), rendered and stored where not. Without a cache, every row is rendered."""
    by_id = {stance.pk: stance for stance in stances}
    return cached_rows(
        {pk: row_key(stance) for pk, stance in by_id.items()},
        lambda pk: render_to_string(
            ROW_TEMPLATE, {"statement": by_id[pk].statement, "stance": by_id[pk]}
        ),
    )


@dataclass(frozen=True)
class Speaker:
    """What a badge shows of a party."""

    pk: int
    name: str


def badges_of(claims: list[Claim]) -> dict[int, list[PartyPosition]]:
    """Each claim's badges, the parties' positions on it, in one query of plain values: a list
    of twenty claims has hundreds of stances, too many to load as records for a name each."""
    said: dict[int, list] = {claim.pk: [] for claim in claims}
    stances = (
        Stance.objects.filter(claim__in=list(said))
        .order_by("value", "statement_id")
        .values_list("claim", "value", "statement__party", "statement__party__name")
    )
    for claim, value, party, name in stances:
        said[claim].append((Speaker(party, name), value, None))
    return {claim: positions_of(triples) for claim, triples in said.items()}


def claim_rows(claims: Iterable[Claim]) -> None:
    """Give each claim of a list its row (`claim.row`): from the cache when what it shows has
    not changed (its words, topic, count, badges, and what a search matched), else rendered."""
    claims = list(claims)
    badges = badges_of(claims)
    template = template_digest(CLAIM_ROW_TEMPLATE)
    keys = {
        claim.pk: "claim-row:"
        + digest(
            (
                template,
                claim.pk,
                claim.slug,
                claim.text,
                claim.topic.slug,
                claim.topic.name,
                claim.statement_count,
                tuple(getattr(claim, "matched", ())),
                tuple((p.party.name, p.stance) for p in badges[claim.pk]),
            )
        )
        for claim in claims
    }
    by_id = {claim.pk: claim for claim in claims}
    rows = cached_rows(
        keys,
        lambda pk: render_to_string(
            CLAIM_ROW_TEMPLATE, {"claim": by_id[pk], "positions": badges[pk]}
        ),
    )
    for claim in claims:
        claim.row = rows[claim.pk]


def cached_rows(keys: dict[int, str], render: Callable[[int], str]) -> dict[int, SafeString]:
    """Rows by id, from the cache where it has their keys (one round trip), rendered with
    `render(id)` and stored where not. Without a cache, every row is rendered."""
    found: dict[str, str] = {}
    with suppress(CacheUnavailable):
        found = shared(lambda cache: cache.get_many(list(keys.values())))
    rows, rendered = {}, {}
    for pk, key in keys.items():
        if key in found:
            rows[pk] = mark_safe(found[key])
            continue
        html = render(pk)
        rows[pk] = mark_safe(html)
        rendered[key] = str(html)
    if rendered:
        with suppress(CacheUnavailable):
            shared(lambda cache: cache.set_many(rendered, timeout=ROW_SECONDS))
    return rows
