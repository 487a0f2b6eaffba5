"""What readers' pages depend on, and what each write changes: the page cache's keys.

A page depends on everything (`ALL`) and, unless its view says otherwise, on everything lists
show (`LISTS`): any write of a claim, a statement, a stance, an article makes it stale, as any
write of a party, a topic or a place does. A claim's page says it depends on that claim alone
(`claim(pk)`): it shows its claim, the claim's stances and statements, their articles, and
small shared records (parties, topics, places, outlets) whose every write changes `ALL`. So a
curator saving one claim makes its page and the lists stale, never the other claims' pages.

The site's own pages of lists (the home page, the claim list and search, topics, parties,
articles) depend on `ROWS` instead: what they show of claims is all but the curators'
assessment and the times of a claim's writes, which only the claim's page and the data (the
API, feeds, sitemaps, exports) show. A save of a claim that changes none of `Claim.listed`
(its assessment, say) leaves those pages as they are; every other write that changes `LISTS`
changes `ROWS` too.

Writes that readers never see (the assistant's proposals, merges' bookkeeping) change nothing.
"""

from collections.abc import Iterable

from django.db import models

from claims.models import (
    Claim,
    Correction,
    Merge,
    ProposalSet,
    RejectedProposal,
    Stance,
    Statement,
)
from sources.models import Article, Capture

ALL = "all"
LISTS = "lists"
ROWS = "rows"
UNSEEN = (ProposalSet, RejectedProposal, Merge)
# More claims than this changed at once (a recount of every claim) change everything.
MANY_CLAIMS = 100


def claim(pk: int) -> str:
    return f"claim:{pk}"


def claims_of(stances: models.QuerySet) -> set[str]:
    """The claims these stances are on, and the lists."""
    return {LISTS, ROWS, *map(claim, stances.values_list("claim", flat=True).distinct())}


def changes_rows(instance: Claim) -> bool:
    """Whether a save of this claim changes what pages of lists show of it: one of
    `Claim.listed` differs from what was loaded (or was never loaded: a new claim)."""
    return any(instance.changed(name) for name in Claim.listed)


def written(instance: models.Model, *, entirely: bool = False) -> set[str]:
    """The keys a write of this record changes; `entirely` for a delete, or a change of its
    relations, which no loaded value tells."""
    match instance:
        case ProposalSet() | RejectedProposal() | Merge():
            return set()
        case Claim():
            rows = entirely or changes_rows(instance)
            return {claim(instance.pk), LISTS} | ({ROWS} if rows else set())
        case Stance():
            # A stance moved to another claim leaves the one it was on, whose page changes too.
            previous = getattr(instance, "loaded_claim_id", None)
            keys = {claim(instance.claim_id), LISTS, ROWS}
            return keys | ({claim(previous)} if previous else set())
        case Correction():
            return {claim(instance.claim_id), LISTS, ROWS}
        case Statement():
            # Deleted, its stances went first, each with its own claim.
            return claims_of(Stance.objects.filter(statement_id=instance.pk))
        case Article():
            return claims_of(Stance.objects.filter(statement__article_id=instance.pk))
        case Capture():
            return claims_of(Stance.objects.filter(statement__article_id=instance.article_id))
        case _:
            return {ALL}


def counted(pks: list[int]) -> set[str]:
    """The keys a change of these claims' stance counters changes: the claims' pages and the
    lists, or everything for more claims than it is worth naming."""
    if len(pks) > MANY_CLAIMS:
        return {ALL}
    return {LISTS, ROWS, *map(claim, pks)}


def before_write(instance: models.Model) -> None:
    """Note what a record was before a write that did not load it first (a restored version,
    saved raw): a stance's claim, so that `written` knows both claims it changes."""
    if isinstance(instance, Stance) and instance.pk and not hasattr(instance, "loaded_claim_id"):
        stored = Stance.objects.filter(pk=instance.pk).values_list("claim_id", flat=True)
        instance.loaded_claim_id = stored.first()


def related_changed(instance: models.Model, reverse: bool) -> set[str]:
    """The keys a change of a many-to-many relation changes: those of the record on the side
    the relation is declared (a claim's places, an article's wire credits), or all of them."""
    return {ALL} if reverse else written(instance, entirely=True)


def depended_on(keys: Iterable[str]) -> tuple[str, ...]:
    """The keys a page with these dependencies is checked against, ALL among them."""
    return tuple(sorted({ALL, *keys}))
