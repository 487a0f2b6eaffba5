"""What lists and the claim page show of claims, as plain values and markup: the badges of a
list's claims, read in one query of values, and each claim's row, written from them by the
publishing tags (as a claim page's statement rows are). Rows are written afresh for every page
built: a row takes less time to write than looking it up in the cache took.

What is too costly to build for every page (a claim's representation in the API, with every
stance, statement, party and article) is kept in the cache under the claim's version: the
content version of the last write to anything the claim's page shows (`claim_versions`), so
that it is never stale and a list built again after a write builds only the claims written.
"""

import hashlib
import inspect
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import NamedTuple

from django.db.models import QuerySet

from claims.compiled import CompiledQuery
from claims.models import Stance

from . import dependencies
from .addresses import page_of, pages_of
from .cache import CacheUnavailable, shared
from .models import DependencyVersion
from .templatetags.publishing import claim_row, said_badges

# Representations of claims no one reads make room for others after a day.
REPRESENTATION_SECONDS = 24 * 3600


class Speaker(NamedTuple):
    """What a badge, and a claim page's structured data, show of a party (a named tuple: a
    claim page makes one for each stance)."""

    pk: int
    name: str
    slug: str = ""
    kind: str = ""
    wikidata_id: str = ""

    def get_absolute_url(self) -> str:
        return page_of("sources.party", self.slug)


def parties_on(claims: list[int]) -> QuerySet:
    """Who took which stance on these claims, in stance order: the badges of a list's claims."""
    return (
        Stance.objects.filter(claim__among=claims)
        .order_by("value", "statement_id")
        .values_list("claim", "statement__party", "statement__party__name", "value")
    )


# Written once per database connection: built by the ORM, the query cost a list page three
# times what reading its hundreds of rows does.
PARTIES_ON = CompiledQuery(parties_on)


def stances_of(claims: list["Listed"]) -> dict[int, list[tuple[int, str, str]]]:
    """Each claim's (party id, party name, stance) triples, in stance order, in one query of
    plain values: a list of twenty claims has hundreds of stances, too many to load as records
    for a name each."""
    said: dict[int, list[tuple[int, str, str]]] = {claim.pk: [] for claim in claims}
    for claim, party, name, value in PARTIES_ON(list(said)):
        said[claim].append((party, name, value))
    return said


# What a list shows of a claim, read as plain values (`Listed`): a list page built afresh spent
# more on making twenty claims and their topics into records than on writing their rows.
LISTED = ("pk", "slug", "text", "statement_count", "topic__slug", "topic__name")


@dataclass
class Listed:
    """A claim in a list: what its row shows, what a search matched in it, and the row."""

    pk: int
    slug: str
    text: str
    statement_count: int
    topic_slug: str
    topic_name: str
    matched: tuple[str, ...] = ()
    row: str = ""


def listed(rows: Iterable[tuple]) -> list[Listed]:
    """Claims read as `values_list(*LISTED)` (and anything annotated after), as Listed."""
    return [Listed(*row[: len(LISTED)]) for row in rows]


def claim_rows(claims: list[Listed], said: dict[int, list] | None = None) -> None:
    """Give each claim of a list its row (`claim.row`), written from plain values: its words,
    topic, count, badges, and what a search matched. `said`: each claim's (party id, party
    name, stance) triples in stance order, when the caller has read them already (a search, to
    say what matched); else they are read here."""
    said = said if said is not None else stances_of(claims)
    claim_page, topic_page = pages_of("claims.claim"), pages_of("claims.topic")
    for claim in claims:
        claim.row = claim_row(
            {
                "url": claim_page(claim.slug),
                "text": claim.text,
                "topic": claim.topic_name,
                "topic_url": topic_page(claim.topic_slug),
                "statements": claim.statement_count,
                "matched": tuple(claim.matched),
                "badges": said_badges(said[claim.pk]),
            }
        )


def cached_many[Value](
    keys: dict[int, str], build: Callable[[list[int]], dict[int, Value]]
) -> dict[int, Value]:
    """Values by id, from the cache where it has their keys (one round trip); the others built
    together by `build(ids)` and stored. Without a cache, every one is built."""
    if not keys:
        return {}
    found: dict[str, Value] = {}
    with suppress(CacheUnavailable):
        found = shared(lambda cache: cache.get_many(list(keys.values())))
    missing = [pk for pk, key in keys.items() if key not in found]
    built = build(missing) if missing else {}
    if built:
        with suppress(CacheUnavailable):
            shared(
                lambda cache: cache.set_many(
                    {keys[pk]: value for pk, value in built.items()}, timeout=REPRESENTATION_SECONDS
                )
            )
    return {pk: found[key] if key in found else built[pk] for pk, key in keys.items()}


def claim_versions(pks: Iterable[int]) -> dict[int, int]:
    """Each claim's version: the content version of the last write to anything its page shows
    (its own key, or everything's), in one query. A claim with a newer write has a newer number,
    so what is kept under a claim's version is never stale."""
    keys = {dependencies.claim(pk): pk for pk in pks}
    if not keys:
        return {}
    numbers = dict(
        DependencyVersion.objects.filter(key__in=[*keys, dependencies.ALL]).values_list(
            "key", "number"
        )
    )
    everything = numbers.get(dependencies.ALL, 0)
    return {pk: max(numbers.get(key, 0), everything) for key, pk in keys.items()}


@cache
def source_digest(*modules: ModuleType) -> str:
    """The code that shapes a kept value: a deployment that changes it makes new keys."""
    sources = [inspect.getsource(module) for module in modules]
    return hashlib.blake2b("\n".join(sources).encode(), digest_size=8).hexdigest()


def by_claim_version[Value](
    name: str, pks: list[int], build: Callable[[list[int]], dict[int, Value]], *code: ModuleType
) -> dict[int, Value]:
    """What `build` makes of each claim (its representation in the API, say), kept under the
    claim's version: a list built again after a write to one claim builds that one only."""
    shape = source_digest(*code)
    keys = {pk: f"{name}:{shape}:{pk}:{v}" for pk, v in claim_versions(pks).items()}
    return cached_many(keys, build)
