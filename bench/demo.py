"""Synthetic data at production scale, for benchmarks: never loaded by `make run`.

Everything it makes is marked as synthetic: slugs start with "demo-" and names end in
"(demo)", so `generate_demo_data --delete` can remove it without touching curated work.
Rows are written in bulk (COPY on PostgreSQL) with ids chosen here, so that statements and
stances can point at rows that were never read back.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.text import slugify

from claims.anchoring import CONTEXT_LENGTH
from claims.models import (
    AnchorStatus,
    Claim,
    ClaimSearch,
    Stance,
    StanceValue,
    Statement,
    Status,
    Topic,
)
from claims.services import recount_stances
from publishing import cache
from sources.models import (
    Article,
    ArticleKind,
    Capture,
    Outlet,
    OutletKind,
    Party,
    PartyAlias,
    PartyKind,
    sha256_of,
)

PREFIX = "demo-"
MARK = " (demo)"
STATEMENTS_PER_ARTICLE = 10
CHUNK_ARTICLES = 2000

SIDES = [
    "Arcadia", "Borealia", "Calvaria", "Dalmora", "Esteria", "Fenwick", "Galdor", "Hesperia",
    "Istria", "Jorvik", "Kaldera", "Lorwen", "Marrach", "Norvell", "Ostara", "Pellucid",
    "Quillon", "Rethmar", "Sarnia", "Tarvos", "Ulmark", "Varcia", "Westmarch", "Yorven",
]  # fmt: skip
SUBJECTS = [
    "troops", "drones", "artillery units", "border guards", "peacekeepers", "militia fighters",
    "naval patrols", "armoured columns", "reconnaissance teams", "air defence batteries",
]  # fmt: skip
ACTIONS = [
    "crossed the line of contact near", "shelled positions around", "set up a post outside",
    "withdrew from", "blocked the road to", "struck a depot in", "cut the gas supply to",
    "evacuated civilians from", "reinforced the garrison at", "violated the cease-fire near",
]  # fmt: skip
PLACES = [
    "Aldon", "Brisk", "Corran", "Dunmere", "Elst", "Farrow", "Gorse", "Hallam", "Ivel",
    "Jessup", "Kellan", "Lowmoor", "Marden", "Nesbit", "Orrin", "Pell", "Quarry", "Rook",
]  # fmt: skip
VERBS = ["said", "claimed", "announced", "denied that", "insisted that", "reported that"]
NAMED_AS = ["The ministry", "Officials", "A spokesperson", "The government", "The command"]


@dataclass(frozen=True)
class Sizes:
    claims: int = 100_000
    statements: int = 1_000_000
    parties: int = 2_000
    topics: int = 200
    outlets: int = 40


def demo_objects() -> list[models.QuerySet]:
    """Everything synthetic, in an order that deletes without breaking a protected link."""
    return [
        Stance.objects.filter(claim__slug__startswith=PREFIX),
        Stance.objects.filter(statement__article__slug__startswith=PREFIX),
        Statement.objects.filter(article__slug__startswith=PREFIX),
        Capture.objects.filter(article__slug__startswith=PREFIX),
        ClaimSearch.objects.filter(claim__slug__startswith=PREFIX),
        Claim.objects.filter(slug__startswith=PREFIX),
        Topic.objects.filter(slug__startswith=PREFIX, parent__isnull=False),
        Topic.objects.filter(slug__startswith=PREFIX),
        Article.objects.filter(slug__startswith=PREFIX),
        PartyAlias.objects.filter(party__slug__startswith=PREFIX),
        Party.objects.filter(slug__startswith=PREFIX, parent__isnull=False),
        Party.objects.filter(slug__startswith=PREFIX),
        Outlet.objects.filter(slug__startswith=PREFIX),
    ]


def exists() -> bool:
    return Claim.objects.filter(slug__startswith=PREFIX).exists()


@transaction.atomic
def delete() -> int:
    deleted = 0
    for queryset in demo_objects():
        # Raw deletes: no per-row signals for a million rows. Only demo claims lose stances, and
        # they go too; the page cache learns of it from the bump below.
        deleted += queryset._raw_delete(queryset.db)
    cache.note_content_change()
    return deleted


class Writer:
    """Inserts rows with explicit ids: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def write(self, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(columns))
                rows = list(rows)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                count = len(rows)
        return count

    def reset_sequences(self, *models_: type[models.Model]) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(statement)


class DemoData:
    def __init__(self, sizes: Sizes, seed: int, report=print) -> None:
        self.sizes = sizes
        self.random = random.Random(seed)
        self.report = report
        self.writer = Writer()
        self.now = datetime.now(UTC)

    def generate(self) -> None:
        # One transaction: all of it or nothing, and SQLite does not sync to disk per row.
        with transaction.atomic():
            self.insert()
        if self.writer.postgres:
            # Fresh statistics for the planner, and a visibility map for index-only scans.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def insert(self) -> None:
        outlets = self.outlets()
        parties = self.parties()
        topics = self.topics()
        claims = self.claims(topics)
        self.articles_statements_and_stances(outlets, parties, claims)
        self.report("Counting stances per claim…")
        recount_stances(claims=Claim.objects.filter(slug__startswith=PREFIX))
        self.writer.reset_sequences(
            Outlet, Party, PartyAlias, Topic, Claim, Article, Capture, Statement, Stance
        )
        cache.note_content_change()

    def outlets(self) -> list[int]:
        made = Outlet.objects.bulk_create(
            Outlet(
                slug=f"{PREFIX}outlet-{number}",
                name=f"Outlet {number}{MARK}",
                kind=OutletKind.WIRE_AGENCY if number % 5 == 0 else OutletKind.PUBLISHER,
                country=self.random.choice(SIDES),
            )
            for number in range(self.sizes.outlets)
        )
        self.report(f"Outlets: {len(made)}")
        return [outlet.pk for outlet in made]

    def parties(self) -> list[tuple[int, str]]:
        governments = Party.objects.bulk_create(
            Party(
                slug=f"{PREFIX}{slugify(side)}-government",
                name=f"Government of {side}{MARK}",
                side=side,
                kind=PartyKind.GOVERNMENT,
            )
            for side in SIDES
        )
        by_side = {party.side: party for party in governments}
        kinds = [PartyKind.MINISTRY, PartyKind.ARMED_FORCES, PartyKind.PERSON, PartyKind.MINISTRY]
        others = Party.objects.bulk_create(
            Party(
                slug=f"{PREFIX}party-{number}",
                name=f"{side} {kind.label} {number}{MARK}",
                side=side,
                kind=kind,
                parent=by_side[side],
            )
            for number in range(max(0, self.sizes.parties - len(governments)))
            for side in [SIDES[number % len(SIDES)]]
            for kind in [kinds[number % len(kinds)]]
        )
        parties = governments + others
        PartyAlias.objects.bulk_create(
            PartyAlias(party=party, name=f"{label} in {party.side}")
            for party in parties
            for label in [self.random.choice(NAMED_AS)]
        )
        self.report(f"Parties: {len(parties)}")
        return [(party.pk, party.side) for party in parties]

    def topics(self) -> list[int]:
        parents = Topic.objects.bulk_create(
            Topic(
                slug=f"{PREFIX}conflict-{number}",
                name=f"{SIDES[number % len(SIDES)]} conflict {number}{MARK}",
                description="Synthetic topic for benchmarks.",
            )
            for number in range(max(1, self.sizes.topics // 10))
        )
        children = Topic.objects.bulk_create(
            Topic(
                slug=f"{PREFIX}incident-{number}",
                name=f"Incident {number} near {self.random.choice(PLACES)}{MARK}",
                parent=parents[number % len(parents)],
            )
            for number in range(self.sizes.topics - len(parents))
        )
        self.report(f"Topics: {len(parents) + len(children)}")
        return [topic.pk for topic in children or parents]

    def claims(self, topics: list[int]) -> list[int]:
        first = self.writer.next_id(Claim)
        pick = self.random.choice
        start = self.now - timedelta(days=5 * 365)
        seconds = int((self.now - start).total_seconds())

        def rows() -> Iterator[tuple]:
            for number in range(self.sizes.claims):
                published = number % 20 != 0  # one in twenty still being prepared
                text = f"{pick(SIDES)} {pick(SUBJECTS)} {pick(ACTIONS)} {pick(PLACES)} ({number})."
                created = start + timedelta(seconds=self.random.randrange(seconds))
                yield (
                    first + number,
                    f"{PREFIX}claim-{number}",
                    text,
                    pick(topics),
                    Status.PUBLISHED if published else pick([Status.DRAFT, Status.IN_REVIEW]),
                    "",
                    "",
                    created if published else None,
                    created,
                    created,
                    0, 0, 0, 0, 0,
                )  # fmt: skip

        columns = [
            "id", "slug", "text", "topic_id", "status", "assessment", "assessment_verdict",
            "published_at", "created_at", "updated_at", "statement_count", "supports_count",
            "refutes_count", "disputes_count", "contest_score",
        ]  # fmt: skip
        count = self.writer.write(Claim, columns, rows())
        self.report(f"Claims: {count}")
        return list(range(first, first + count))

    def articles_statements_and_stances(
        self, outlets: list[int], parties: list[tuple[int, str]], claims: list[int]
    ) -> None:
        article_id = self.writer.next_id(Article)
        # Each article's body is its only capture, numbered from here.
        capture_offset = self.writer.next_id(Capture) - article_id
        statement_id = self.writer.next_id(Statement)
        articles_needed = -(-self.sizes.statements // STATEMENTS_PER_ARTICLE)
        made = {"articles": 0, "statements": 0, "stances": 0}
        numbers = iter(range(articles_needed))
        while chunk := list(islice(numbers, CHUNK_ARTICLES)):
            articles, captures, statements, stances = [], [], [], []
            for number in chunk:
                per_article = min(
                    STATEMENTS_PER_ARTICLE,
                    self.sizes.statements - number * STATEMENTS_PER_ARTICLE,
                )
                capture_id = article_id + capture_offset
                article, spans = self.article(
                    article_id, capture_id, number, per_article, outlets, parties
                )
                articles.append(article)
                body = article[ARTICLE_COLUMNS.index("body")]
                captures.append((capture_id, article_id, body, sha256_of(body), self.now, ""))
                for party, speaker, start, end, body, said_on in spans:
                    statements.append(
                        (
                            statement_id, party, article_id, capture_id, body[start:end],
                            self.random.choice(["paraphrase", "paraphrase", "direct_quote"]),
                            speaker, said_on, start, end,
                            body[max(0, start - CONTEXT_LENGTH) : start],
                            body[end : end + CONTEXT_LENGTH],
                            AnchorStatus.ANCHORED, self.now, self.now,
                        )
                    )  # fmt: skip
                    stances.extend(self.stances(statement_id, claims))
                    statement_id += 1
                article_id += 1
            made["articles"] += self.writer.write(Article, ARTICLE_COLUMNS, articles)
            self.writer.write(Capture, CAPTURE_COLUMNS, captures)
            made["statements"] += self.writer.write(Statement, STATEMENT_COLUMNS, statements)
            made["stances"] += self.writer.write(Stance, STANCE_COLUMNS, stances)
            self.report(
                f"Articles: {made['articles']}, statements: {made['statements']}, "
                f"stances: {made['stances']}"
            )

    def article(self, article_id, capture_id, number, per_article, outlets, parties):
        pick = self.random.choice
        published = date(2020, 1, 1) + timedelta(days=self.random.randrange(5 * 365))
        paragraphs, spans, offset = [], [], 0
        for _ in range(per_article):
            party, side = pick(parties)
            speaker = f"{pick(NAMED_AS)} in {side}"
            sentence = (
                f"{speaker} {pick(VERBS)} {pick(SUBJECTS)} {pick(ACTIONS)} {pick(PLACES)} "
                f"on {published:%A}."
            )
            background = f"Fighting around {pick(PLACES)} has flared up since {published:%B}."
            paragraph = f"{sentence} {background}"
            spans.append((party, speaker, offset, offset + len(sentence), published))
            paragraphs.append(paragraph)
            offset += len(paragraph) + 2
        body = "\n\n".join(paragraphs)
        article = (
            article_id,
            f"{PREFIX}article-{number}",
            f"Report {number} from {pick(PLACES)}{MARK}",
            ArticleKind.PRESS_RELEASE if number % 10 == 0 else ArticleKind.NEWS_REPORT,
            pick(outlets),
            capture_id,
            "Synthetic article for benchmarks.",
            body,
            "en",
            published,
            "",
            "demo",
            self.now,
            self.now,
        )
        return article, [(p, s, a, b, body, d) for p, s, a, b, d in spans]

    def stances(self, statement_id: int, claims: list[int]) -> Iterator[tuple]:
        # Most statements bear on one claim; one in ten on a second.
        values = StanceValue.values
        weights = [5, 3, 1, 1]
        chosen = {self.random.choice(claims)}
        if self.random.random() < 0.1:
            chosen.add(self.random.choice(claims))
        for claim in chosen:
            value = self.random.choices(values, weights)[0]
            yield (statement_id, claim, value, "", self.now, self.now)


ARTICLE_COLUMNS = [
    "id", "slug", "title", "kind", "outlet_id", "capture_id", "standfirst", "body", "language",
    "published_on", "url", "byline", "created_at", "updated_at",
]  # fmt: skip
CAPTURE_COLUMNS = ["id", "article_id", "text", "sha256", "captured_at", "archive_url"]
STATEMENT_COLUMNS = [
    "id", "party_id", "article_id", "capture_id", "text", "mode", "speaker_label", "said_on",
    "start", "end", "prefix", "suffix", "anchor_status", "created_at", "updated_at",
]  # fmt: skip
STANCE_COLUMNS = ["statement_id", "claim_id", "value", "note", "created_at", "updated_at"]
