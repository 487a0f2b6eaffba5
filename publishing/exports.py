"""CSV exports of the claim list and of every stance on it, streamed row by row."""

import csv
from collections.abc import Iterable, Iterator
from itertools import chain

from django.http import StreamingHttpResponse

from claims.models import ClaimQuerySet, Stance

from .structured_data import absolute

CHUNK = 1000
# Spreadsheets run a cell that starts with one of these as a formula; a leading apostrophe makes
# them show it as text (OWASP's advice for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CLAIM_COLUMNS = [
    "claim_slug",
    "claim",
    "topic",
    "places",
    "event_date",
    "published_at",
    "statements",
    "supports",
    "refutes",
    "disputes",
    "neutral",
    "assessment_verdict",
    "claim_url",
]
STANCE_COLUMNS = [
    "claim_slug",
    "claim",
    "party_slug",
    "party",
    "side",
    "stance",
    "stance_note",
    "statement",
    "mode",
    "named_as",
    "said_on",
    "article",
    "outlet",
    "wire_credits",
    "article_published_on",
    "claim_url",
    "statement_url",
    "source_url",
]


def cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def claim_rows(claims: ClaimQuerySet) -> Iterator[list]:
    for claim in claims.prefetch_related("places").iterator(chunk_size=CHUNK):
        yield [
            claim.slug,
            claim.text,
            claim.topic.name,
            "; ".join(place.name for place in claim.places.all()),
            claim.event_date.isoformat() if claim.event_date else "",
            claim.published_at.isoformat() if claim.published_at else "",
            claim.statement_count,
            claim.supports_count,
            claim.refutes_count,
            claim.disputes_count,
            claim.neutral_count,
            claim.assessment_verdict,
            absolute(claim.get_absolute_url()),
        ]


def stance_rows(claims: ClaimQuerySet) -> Iterator[list]:
    stances = (
        Stance.objects.filter(claim__in=claims.order_by().values("pk"))
        .select_related("claim", "statement__party", "statement__article__outlet")
        .prefetch_related("statement__article__wire_credits")
        .order_by("claim__slug", "value", "statement__start", "pk")
    )
    for stance in stances.iterator(chunk_size=CHUNK):
        statement, claim = stance.statement, stance.claim
        article, party = statement.article, statement.party
        yield [
            claim.slug,
            claim.text,
            party.slug,
            party.name,
            party.side,
            stance.value,
            stance.note,
            statement.text,
            statement.mode,
            statement.speaker_label,
            statement.said_on.isoformat() if statement.said_on else "",
            article.title,
            article.outlet.name,
            "; ".join(outlet.name for outlet in article.wire_credits.all()),
            article.published_on.isoformat() if article.published_on else "",
            absolute(claim.get_absolute_url()),
            absolute(f"{article.get_absolute_url()}#{statement.html_id}"),
            article.url,
        ]


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, columns: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines = (writer.writerow([cell(value) for value in row]) for row in chain([columns], rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
