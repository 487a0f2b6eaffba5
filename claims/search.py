"""Searching claims by every name they are known by: their words, what parties said about them,
the parties' names and aliases, how articles named the speakers, and the places' other names
(Khankendi finds Stepanakert's claims).

A query is read as web search engines read one: words, "quoted phrases" and -exclusions. A
claim is found when each word or phrase appears in one of those places, not necessarily the
same one. On PostgreSQL the words of claims and statements are matched by full-text search
(English stemming for claims, which curators write in English; for statements, quoted in the
language of their article, English stemming or the word exactly as written, in any language);
names are matched as written, ignoring case.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet

from sources.models import Party, Place

# The full-text indexes (migrations 0003 and 0010) are built on exactly these expressions:
# queries must use the same ones for PostgreSQL to use them.
CLAIM_CONFIG = "english"
STATEMENT_CONFIGS = ("english", "simple")
TERMS_LIMIT = 12
TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


@dataclass(frozen=True)
class Term:
    words: str
    excluded: bool = False


def read_query(text: str) -> list[Term]:
    """The words and quoted phrases of a query, at most TERMS_LIMIT, each maybe excluded."""
    terms = []
    for match in TERM.finditer(text):
        minus, words = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
        words = " ".join(words.split()).strip("\"'")
        if words and words != "-":
            terms.append(Term(words, excluded=bool(minus)))
    return terms[:TERMS_LIMIT]


def claims_matching(term: Term, database: str) -> QuerySet:
    """The ids of claims in which the term appears, in any of the places a claim is found by."""
    from .models import Claim, Stance, Statement

    stances = Stance.objects.using(database).order_by().values("claim")
    if connections[database].vendor == "postgresql":
        in_claims = Claim.objects.alias(words=SearchVector("text", config=CLAIM_CONFIG)).filter(
            words=SearchQuery(term.words, config=CLAIM_CONFIG, search_type="phrase")
        )
        condition = Q()
        for config in STATEMENT_CONFIGS:
            query = SearchQuery(term.words, config=config, search_type="phrase")
            condition |= Q(**{f"words_{config}": query})
        statements = Statement.objects.alias(
            **{f"words_{c}": SearchVector("text", config=c) for c in STATEMENT_CONFIGS}
        ).filter(condition)
        labels = Statement.objects.alias(
            label=SearchVector("speaker_label", config="simple")
        ).filter(label=SearchQuery(term.words, config="simple", search_type="phrase"))
    else:
        in_claims = Claim.objects.filter(text__icontains=term.words)
        statements = Statement.objects.filter(text__icontains=term.words)
        labels = Statement.objects.filter(speaker_label__icontains=term.words)
    parties = Party.objects.filter(
        Q(name__icontains=term.words) | Q(aliases__name__icontains=term.words)
    ).values("pk")
    places = Place.objects.filter(
        Q(name__icontains=term.words) | Q(alternative_names__name__icontains=term.words)
    ).values("pk")
    # One set of ids, not an OR of several: the database can then join it to the claims.
    return (
        in_claims.using(database)
        .order_by()
        .values("pk")
        .union(
            stances.filter(statement__in=statements),
            stances.filter(statement__in=labels),
            stances.filter(statement__party__in=parties),
            Claim.objects.using(database).order_by().filter(places__in=places).values("pk"),
        )
    )


def search(claims: QuerySet, text: str) -> QuerySet:
    for term in read_query(text):
        matching = claims_matching(term, claims.db)
        claims = (
            claims.exclude(pk__in=matching) if term.excluded else claims.filter(pk__in=matching)
        )
    return claims


def what_matched(claim, text: str) -> list[str]:
    """Where each of the query's words shows in a claim, for readers of the results. Reads what
    a claim row has loaded (its stances with their statements and parties, the parties'
    aliases, its places and their other names); a word found only by its stem is said to be in
    the claim's words or statements."""
    found = []
    for term in read_query(text):
        if term.excluded:
            continue
        words = term.words.casefold()
        found.append(where(claim, words) or f"a form of “{term.words}” in the words quoted")
    return list(dict.fromkeys(found))


def where(claim, words: str) -> str | None:
    if words in claim.text.casefold():
        return "the claim’s wording"
    stances = list(claim.stances.all())
    for stance in stances:
        statement = stance.statement
        if words in statement.text.casefold():
            return f"what {statement.party.name} said"
    for stance in stances:
        statement, party = stance.statement, stance.statement.party
        if words in party.name.casefold():
            return f"the party {party.name}"
        for alias in party.aliases.all():
            if words in alias.name.casefold():
                return f"“{alias.name}”, another name of {party.name}"
        if words in statement.speaker_label.casefold():
            return f"“{statement.speaker_label}”, as an article named {party.name}"
    for place in claim.places.all():
        if words in place.name.casefold():
            return f"the place {place.name}"
        for other in place.alternative_names.all():
            if words in other.name.casefold():
                return f"“{other.name}”, another name of {place.name}"
    return None
