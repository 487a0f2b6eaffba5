"""CSV exports of the claim list and of every stance on it, at any size.

Each export is one query whose columns are the CSV's cells, worked out by the database
(formula-like cells defused, addresses made absolute, only web addresses kept), so that the
rows never pass through Django's models. On PostgreSQL the database also writes the CSV
(`COPY (query) TO STDOUT`) and the server only relays its bytes; on SQLite the rows are read in
chunks and written by `csv.writer`. Either way memory stays bounded, whatever the size.

The full exports, the ones most asked for and the largest (a million stances), are built
ahead: `build_exports --watch` writes them, gzipped, after every write, each in one
repeatable-read snapshot of one content version, and the newest complete build is served as a
file with an ETag (its version), Last-Modified and a length. Any number of downloads then cost
one build and no query, never hold a database connection, and a cut download is seen as cut.
A full export is thus at most one rebuild behind the latest write (half a minute with a
million stances); a filtered export is always live.

Filtered exports, and full ones where no build exists yet, are streamed live with chunked
encoding, so a cut one never looks complete either; at most EXPORT_LIVE_LIMIT of them run at
once per server, which keeps the workers for the readers of pages.
"""

import csv
import fcntl
import gzip
import io
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Left
from django.db.models.lookups import In, IRegex
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    QueryDict,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.text import compress_sequence

from claims.models import Claim, Stance
from claims.querysets import ClaimQuerySet
from sources.models import Outlet, Place

from .addresses import absolute
from .filters import ORDERINGS, STATEMENT_FILTERS, ClaimFilter
from .models import ContentVersion

# Spreadsheets run a cell that starts with one of these as a formula; a leading apostrophe makes
# them show it as text (OWASP's advice for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What the server hands on at a time: large enough that a million rows are a few thousand
# writes, small enough to keep a worker's memory flat.
CHUNK_BYTES = 256 * 1024
ROWS_PER_FETCH = 2000
NO_SLUG = "SLUG-PLACEHOLDER"

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


# Cells, as SQL ---------------------------------------------------------------------------------


def text(expression) -> Coalesce:
    """Any value as text, empty when null."""
    return Coalesce(Cast(expression, TextField()), Value(""), output_field=TextField())


def cell(expression) -> Case:
    """Text a spreadsheet shows as it is, never runs."""
    value = text(expression)
    return Case(
        When(In(Left(value, 1), list(FORMULA_STARTS)), then=Concat(Value("'"), value)),
        default=value,
        output_field=TextField(),
    )


def web_address(field: str) -> Case:
    """The address if it is an http(s) one, else empty: no javascript:, data: or file: link."""
    return Case(
        When(IRegex(F(field), r"^https?://[^\s/]"), then=F(field)),
        default=Value(""),
        output_field=TextField(),
    )


def page_address(url_name: str, slug: str, anchor=None) -> Concat:
    """The absolute address of a public page, with the record's slug from the query."""
    before, after = reverse(f"publishing:{url_name}", kwargs={"slug": NO_SLUG}).split(NO_SLUG)
    parts = [Value(absolute(before)), F(slug), Value(after)]
    if anchor is not None:
        parts += [Value("#statement-"), text(anchor)]
    return Concat(*parts, output_field=TextField())


class IsoTimestamp(Func):
    """A timestamp as ISO 8601 text in UTC, to the second: 2022-03-26T10:15:00Z."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "to_char(%(expressions)s AT TIME ZONE 'UTC', "
                """'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
            ),
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %(expressions)s)",
            **extra,
        )


class JoinedNames(Subquery):
    """The names a subquery selects, in its order, joined by "; " (one cell for many)."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(SELECT string_agg(names.name, '; ' ORDER BY names.name) "
                "FROM (%(subquery)s) AS names)"
            ),
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(SELECT group_concat(names.name, '; ') FROM (%(subquery)s) AS names)",
            **extra,
        )


def names(queryset: QuerySet) -> Coalesce:
    return Coalesce(JoinedNames(queryset.order_by("name").values("name")), Value(""))


# The two exports ----------------------------------------------------------------------------


def claim_table(claims: ClaimQuerySet) -> QuerySet:
    """One row per claim, in the list's order."""
    places = Place.objects.filter(claims=OuterRef("pk"))
    neutral = F("statement_count") - F("supports_count") - F("refutes_count") - F("disputes_count")
    return claims.values_list(
        cell("slug"),
        cell("text"),
        cell("topic__name"),
        cell(names(places)),
        text("event_date"),
        text(IsoTimestamp("published_at")),
        "statement_count",
        "supports_count",
        "refutes_count",
        "disputes_count",
        neutral,
        cell("assessment_verdict"),
        page_address("claim_detail", "slug"),
    )


def stance_table(claims: ClaimQuerySet, *conditions: Q) -> QuerySet:
    """One row per stance on the claims that meets the conditions: who said what, where, and
    how it bears on the claim."""
    wire_credits = Outlet.objects.filter(credited_articles=OuterRef("statement__article"))
    return (
        Stance.objects.filter(*conditions, claim__in=claims.order_by().values("pk"))
        .order_by("claim__slug", "value", "statement__start", "pk")
        .values_list(
            cell("claim__slug"),
            cell("claim__text"),
            cell("statement__party__slug"),
            cell("statement__party__name"),
            cell("statement__party__side"),
            "value",
            cell("note"),
            cell("statement__text"),
            "statement__mode",
            cell("statement__speaker_label"),
            text("statement__said_on"),
            cell("statement__article__title"),
            cell("statement__article__outlet__name"),
            cell(names(wire_credits)),
            text("statement__article__published_on"),
            page_address("claim_detail", "claim__slug"),
            page_address("article_detail", "statement__article__slug", anchor="statement_id"),
            web_address("statement__article__url"),
        )
    )


@dataclass(frozen=True)
class Export:
    """`table` gives the rows on the claims, meeting the conditions of the `row_filters` a
    request sets: the list's filters that select rows too, not only the claims they are on."""

    name: str
    columns: list[str]
    table: Callable[..., QuerySet]
    row_filters: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"claimtrack-{self.name}.csv"


EXPORTS = {
    "claims": Export("claims", CLAIM_COLUMNS, claim_table),
    # ?party=X&stance=refutes: X's refutations, not every stance on the claims X refutes.
    "stances": Export("stances", STANCE_COLUMNS, stance_table, row_filters=("party", "stance")),
}


def filtered_claims(parameters: QueryDict) -> ClaimFilter:
    """The claim list's filters over the published claims, newest first unless they order
    otherwise; the whole export with no parameter."""
    claims = Claim.objects.published().order_by(*ORDERINGS["newest"])
    return ClaimFilter(parameters, queryset=claims)


def row_conditions(export: Export, parameters: QueryDict) -> list[Q]:
    """The conditions of the export's row filters that the parameters set, as the claim list
    applies them to each statement; none for parameters the filters refuse."""
    if not export.row_filters or not parameters:
        return []
    filterset = filtered_claims(parameters)
    values = filterset.form.cleaned_data if filterset.is_valid() else {}
    return [
        STATEMENT_FILTERS[name](values[name]) for name in export.row_filters if values.get(name)
    ]


# Writing CSV --------------------------------------------------------------------------------


def header(columns: list[str]) -> bytes:
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(columns)
    return line.getvalue().encode()


def copied(table: QuerySet) -> Iterator[bytes]:
    """The query's rows as CSV, written by PostgreSQL and read as it writes them."""
    try:
        sql, params = table.query.sql_with_params()
    except EmptyResultSet:
        return  # a filter no row can pass (a search for signs alone): no query to run
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        yield from copy


def written(table: QuerySet) -> Iterator[bytes]:
    """The query's rows as CSV, read a chunk at a time and written here."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in table.iterator(chunk_size=ROWS_PER_FETCH):
        writer.writerow(row)
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def in_chunks(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Small pieces (COPY hands over a row at a time) gathered into chunks of CHUNK_BYTES."""
    gathered = bytearray()
    for piece in pieces:
        gathered += piece
        if len(gathered) >= CHUNK_BYTES:
            yield bytes(gathered)
            gathered.clear()
    if gathered:
        yield bytes(gathered)


def csv_bytes(
    export: Export, claims: ClaimQuerySet, conditions: Sequence[Q] = ()
) -> Iterator[bytes]:
    table = export.table(claims, *conditions)
    rows = copied(table) if connection.vendor == "postgresql" else written(table)
    yield header(export.columns)
    yield from in_chunks(rows)


# Built ahead --------------------------------------------------------------------------------


def built_path(export: Export, version: int) -> Path:
    return settings.EXPORT_ROOT / f"{export.filename}.{version}.gz"


BUILT_NAME = re.compile(r"^claimtrack-(?P<name>\w+)\.csv\.(?P<version>\d+)\.gz$")


def build(export: Export, claims: ClaimQuerySet) -> Path:
    """The full export of the current content version, gzipped, written beside the earlier
    builds and renamed into place only when complete. One repeatable-read transaction reads
    the version and the rows, so the file holds exactly what that version holds."""
    settings.EXPORT_ROOT.mkdir(parents=True, exist_ok=True)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        version = ContentVersion.current()
        path = built_path(export, version)
        if path.exists():
            return path
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        with gzip.GzipFile(partial, "wb", compresslevel=6, mtime=0) as output:
            for chunk in csv_bytes(export, claims):
                output.write(chunk)
    partial.rename(path)
    return path


def builds(export: Export) -> list[tuple[int, Path]]:
    """The complete builds of the export, oldest first, with their versions."""
    return sorted(
        (int(found["version"]), path)
        for path in settings.EXPORT_ROOT.glob(f"{export.filename}.*.gz")
        if (found := BUILT_NAME.match(path.name)) and found["name"] == export.name
    )


def discard_older_builds() -> None:
    """All but the two newest builds of each export: a request that picked the one before the
    newest just as it came may still open it (and a download under way keeps its open file)."""
    for export in EXPORTS.values():
        for _, path in builds(export)[:-2]:
            path.unlink(missing_ok=True)


def latest_build(export: Export) -> tuple[Path, int] | None:
    """The newest complete build of the export and its version, if any."""
    found = builds(export)
    if not found:
        return None
    version, path = found[-1]
    return path, version


# Live exports, a few at a time ------------------------------------------------------------


class NoLiveSlot(Exception):
    """EXPORT_LIVE_LIMIT live exports are already running on this server."""


class LiveSlot:
    """One of EXPORT_LIVE_LIMIT slots, shared by every worker process of the server through
    locks on files in EXPORT_ROOT; the kernel frees the slot of a process that dies."""

    def __init__(self) -> None:
        settings.EXPORT_ROOT.mkdir(parents=True, exist_ok=True)
        for number in range(settings.EXPORT_LIVE_LIMIT):
            handle = open(settings.EXPORT_ROOT / f".live-{number}.lock", "a")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self.handle = handle
            return
        raise NoLiveSlot

    def release(self) -> None:
        self.handle.close()


class HeldWhile:
    """The pieces, with the slot held until the last one is sent or the response is closed,
    whichever comes first (a server closes every response, sent or dropped)."""

    def __init__(self, pieces: Generator[bytes], slot: LiveSlot) -> None:
        self.pieces, self.slot = pieces, slot

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self.pieces)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        # A download stopped early also ends its query.
        self.pieces.close()
        self.slot.release()


def gzipped(pieces: Iterable[bytes]) -> Generator[bytes]:
    return compress_sequence(pieces, max_random_bytes=0)


# Answers ------------------------------------------------------------------------------------

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# What a client turned away for want of a live slot is asked to wait.
LIVE_RETRY_AFTER_SECONDS = 30


def export_response(
    request: HttpRequest, export: Export, claims: ClaimQuerySet, *, whole: bool, compressed: bool
) -> HttpResponse:
    """The export of `claims`, its rows narrowed by the request's row filters, as CSV, or
    gzipped CSV if `compressed`: the newest build if `whole` (nothing filtered) and there is
    one, else a live stream."""
    filename = export.filename + (".gz" if compressed else "")
    build = latest_build(export) if whole else None
    if build is not None:
        path, version = build
        return built_response(request, path, filename, f'"{export.name}-{version}"', compressed)
    conditions = row_conditions(export, request.GET)
    try:
        slot = LiveSlot()
    except NoLiveSlot:
        response = HttpResponse(
            "Too many exports are being made right now; please try again in a minute. The "
            "full exports are always available without waiting, once built.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(LIVE_RETRY_AFTER_SECONDS)
        return response
    pieces = csv_bytes(export, claims, conditions)
    response = StreamingHttpResponse(
        HeldWhile(gzipped(pieces) if compressed else pieces, slot),
        content_type="application/gzip" if compressed else "text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def built_response(
    request: HttpRequest, path: Path, filename: str, etag: str, compressed: bool
) -> HttpResponse:
    """A built export as a file: gzipped as stored for the .gz address or a client that
    accepts gzip, else inflated on the way out. Always with its length, so a download cut
    short is seen as such."""
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    elif compressed:
        response = FileResponse(path.open("rb"), content_type="application/gzip")
    elif ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = FileResponse(path.open("rb"), content_type="text/csv; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = StreamingHttpResponse(inflated(path), content_type="text/csv; charset=utf-8")
        response["Content-Length"] = str(inflated_size(path))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(path.stat().st_mtime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not compressed:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


def inflated(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk


def inflated_size(path: Path) -> int:
    """The size of the CSV inside, from the gzip trailer (exact below 4 GiB)."""
    with path.open("rb") as source:
        source.seek(-4, os.SEEK_END)
        return int.from_bytes(source.read(4), "little")
