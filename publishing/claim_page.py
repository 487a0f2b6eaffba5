"""What a claim page shows, read as plain values in queries written once per connection
(claims.compiled): the claim with its topic, and each stance with its statement, party,
article, outlet and capture. Loaded as records, through queries the ORM wrote again for every
page, they cost more than everything else in a claim page built afresh."""

from collections import namedtuple
from datetime import date
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, When
from django.http import Http404
from django.urls import reverse

from claims.compiled import CompiledQuery
from claims.models import (
    AnchorStatus,
    Claim,
    Correction,
    Stance,
    StatementMode,
    Topic,
)
from claims.querysets import sees_every_claim
from sources.models import Article, Capture

from .addresses import absolute, pages_of
from .fragments import Speaker
from .templatetags.publishing import http_address


# Named tuples, not dataclasses: a claim page makes two for each of its stances, and a frozen
# dataclass took five times as long to make.
class Report(NamedTuple):
    """Where a statement was reported, as its claim page's structured data gives it."""

    title: str
    address: str
    outlet: str
    published_on: date | None


class Stated(NamedTuple):
    """One stance of a claim page as plain values: what its row shows (`row`, which the
    publishing tags' statement_row writes) and what the page's badges, timeline and structured
    data read."""

    pk: int
    value: str
    party: Speaker
    said_on: date | None
    start: int
    statement: int
    text: str
    report: Report
    row: dict


# What a claim page shows of each stance, in one query of plain values: loading them as records
# (a stance, its statement, party, article, outlet and capture each) took longer than the rest
# of the page's loading together, and the ORM's writing of this query as long again. Each
# column by the name `stated` reads it by.
SHOWN = {
    "pk": "pk",
    "value": "value",
    "note": "note",
    "statement": "statement_id",
    "text": "statement__text",
    "speaker_label": "statement__speaker_label",
    "mode": "statement__mode",
    "said_on": "statement__said_on",
    "start": "statement__start",
    "anchor_status": "statement__anchor_status",
    "party": "statement__party_id",
    "party_name": "statement__party__name",
    "party_slug": "statement__party__slug",
    "party_kind": "statement__party__kind",
    "wikidata_id": "statement__party__wikidata_id",
    "article": "statement__article_id",
    "article_slug": "statement__article__slug",
    "title": "statement__article__title",
    "url": "statement__article__url",
    "published_on": "statement__article__published_on",
    "byline": "statement__article__byline",
    "outlet": "statement__article__outlet__name",
    "sha256": "sha256",
    "captured_at": "captured_at",
    "credited": "credited",
}
Shown = namedtuple("Shown", SHOWN)


def of_capture_if_unanchored(field: str) -> Case:
    """A field of the statement's capture, read only when the article no longer has the words
    (the row then links to the capture): joined on every row, the captures were a fourth of
    what PostgreSQL read for a claim page built afresh."""
    capture = Capture.objects.filter(pk=OuterRef("statement__capture")).order_by().values(field)
    unanchored = ~Q(statement__anchor_status=AnchorStatus.ANCHORED)
    return Case(When(unanchored, then=Subquery(capture)))


STANCES_SHOWN = CompiledQuery(
    lambda claim: (
        Stance.objects.filter(claim=claim)
        .annotate(
            credited=Exists(
                Article.wire_credits.through.objects.filter(article=OuterRef("statement__article"))
            ),
            sha256=of_capture_if_unanchored("sha256"),
            captured_at=of_capture_if_unanchored("captured_at"),
        )
        .order_by("value", "statement_id")  # Meta's order, without joining claim and article
        .values_list(*SHOWN.values())
    )
)


def credits_of(articles: list[int]) -> QuerySet:
    return (
        Article.wire_credits.through.objects.filter(article__among=articles)
        .order_by("outlet__name", "outlet_id")
        .values_list("article_id", "outlet__name")
    )


CREDITS_OF = CompiledQuery(credits_of)


def wire_credits(articles: list[int]) -> dict[int, tuple[str, ...]]:
    """The names of the outlets credited on each article, in the order of their names."""
    credits: dict[int, tuple[str, ...]] = dict.fromkeys(articles, ())
    if articles:
        for article, outlet in CREDITS_OF(articles):
            credits[article] += (outlet,)
    return credits


def stated(claim: int) -> list[Stated]:
    """The claim's stances as a claim page shows them (in stance order): one query, and one
    more for the wire credits of the articles that have any (most have none)."""
    rows = [Shown(*row) for row in STANCES_SHOWN(claim)]
    credits = wire_credits(sorted({row.article for row in rows if row.credited}))
    said = []
    article_page, party_page = pages_of("sources.article"), pages_of("sources.party")
    for row in rows:
        party = Speaker(row.party, row.party_name, row.party_slug, row.party_kind, row.wikidata_id)
        page = article_page(row.article_slug)
        captured = (
            reverse(
                "publishing:capture_detail",
                kwargs={"slug": row.article_slug, "sha256": row.sha256},
            )
            if row.sha256 and row.anchor_status != AnchorStatus.ANCHORED
            else ""
        )
        cite = http_address(row.url)
        shown = {
            "id": f"statement-{row.statement}",
            "party": row.party_name,
            "party_url": party_page(row.party_slug),
            "speaker_label": row.speaker_label,
            "direct_quote": row.mode == StatementMode.DIRECT_QUOTE,
            "text": row.text,
            "note": row.note,
            "said_on": row.said_on,
            "captured_at": row.captured_at if captured else None,
            "captured_url": captured,
            "title": row.title,
            "article_url": captured or page,
            "cite": cite,
            "line": {
                "outlet": row.outlet,
                "published_on": row.published_on,
                "credits": credits.get(row.article, ()),
                "byline": row.byline,
            },
        }
        report = Report(row.title, cite or absolute(page), row.outlet, row.published_on)
        said.append(
            Stated(
                row.pk,
                row.value,
                party,
                row.said_on,
                row.start,
                row.statement,
                row.text,
                report,
                shown,
            )
        )
    return said


CLAIM_FIELDS = [field.attname for field in Claim._meta.concrete_fields]
TOPIC_FIELDS = [field.attname for field in Topic._meta.concrete_fields]


def claim_query(claims):
    """The claim of a slug among `claims`, with its topic and the topic's parent, and whether
    it has places and corrections (most have neither, and its page then asks for neither)."""

    def build(slug: str):
        return (
            claims()
            .filter(slug=slug)
            .annotate(
                has_places=Exists(Claim.places.through.objects.filter(claim=OuterRef("pk"))),
                has_corrections=Exists(Correction.objects.filter(claim=OuterRef("pk"))),
            )
            .values_list(
                *CLAIM_FIELDS,
                *(f"topic__{name}" for name in TOPIC_FIELDS),
                *(f"topic__parent__{name}" for name in TOPIC_FIELDS),
                "has_places",
                "has_corrections",
            )
        )

    return CompiledQuery(build)


PUBLISHED_CLAIM = claim_query(lambda: Claim.objects.published())
ANY_CLAIM = claim_query(lambda: Claim.objects.all())


def claim_for_page(slug: str, user) -> Claim:
    """The claim at this address that `user` may open (Claim.objects.visible_to), with its
    topic, the topic's parent, `has_places` and `has_corrections`; else Http404.

    Who asks is looked at only where readers find nothing: a published claim's page is the same
    for everyone, and a request's user, read from its session, would make the answer vary by
    cookie (the session middleware says so whenever the session was read). A 404 does vary:
    a curator may find a preview there."""
    rows = PUBLISHED_CLAIM(slug) or (ANY_CLAIM(slug) if sees_every_claim(user) else [])
    if not rows:
        raise Http404("No claim readers can see has this address.")
    row = rows[0]
    claims, topics = len(CLAIM_FIELDS), len(TOPIC_FIELDS)
    claim = Claim.from_db(DEFAULT_DB_ALIAS, CLAIM_FIELDS, row[:claims])
    topic = Topic.from_db(DEFAULT_DB_ALIAS, TOPIC_FIELDS, row[claims : claims + topics])
    parent = row[claims + topics : claims + 2 * topics]
    topic.parent = Topic.from_db(DEFAULT_DB_ALIAS, TOPIC_FIELDS, parent) if parent[0] else None
    claim.topic = topic
    claim.has_places, claim.has_corrections = row[-2:]
    return claim
