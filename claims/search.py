"""Searching claims by every name they are known by: their words, what parties said about them,
the parties' names and aliases, how articles named the speakers, and the places' other names
(Khankendi finds Stepanakert's claims).

A query is read as web search engines read one: words, "quoted phrases" and -exclusions. A
claim is found when each word or phrase appears in one of those places, not necessarily the
same one. Each claim keeps all of them in one text, its search words (`search_text`), written
again by every write that changes them (`refresh_search`): a search then reads one row per
claim, never the million statements. On PostgreSQL that text is also a full-text vector under
one GIN index, matched by English stems (curators write claims in English) or by the words as
written, in any language, the last word of a term maybe only begun; other databases look for
each term as a substring of the search words.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.search import SearchQueryField, SearchVector
from django.db import connections
from django.db.models import (
    BooleanField,
    F,
    Func,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat

# Claims are found by English stems (curators write claims in English, and many articles are in
# it) and by words as written, in any language, a word's beginning enough ("Azer" finds
# Azerbaijan): both sets of words are in ClaimSearch.vector, under one index.
STEMS = "english"
WORDS = "simple"
TERMS_LIMIT = 12
# A word shorter than this is matched whole, not as the start of longer ones.
PREFIX_LENGTH = 3
TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
# The words of a term as PostgreSQL's parser reads them: letters and digits, nothing between.
WORD = re.compile(r"[^\W_]+")
LINE = Value("\n", output_field=TextField())


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


def joined(queryset: QuerySet, expression) -> Subquery:
    """The values of `expression` over `queryset`, one a line, as one text (empty when none)."""
    lines = (
        queryset.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(lines=StringAgg(expression, delimiter=LINE))
        .values("lines")
    )
    return Coalesce(Subquery(lines, output_field=TextField()), Value("", output_field=TextField()))


def search_text(registry=apps):
    """The search words of the claim a ClaimSearch row is for: its wording; what parties said
    about it, with the names articles gave the speakers; the parties' names and aliases; its
    places' names in all their forms. `registry` gives the models (a migration passes its own)."""
    Claim, Statement = (
        registry.get_model("claims", "Claim"),
        registry.get_model("claims", "Statement"),
    )
    Party, PartyAlias = (
        registry.get_model("sources", "Party"),
        registry.get_model("sources", "PartyAlias"),
    )
    Place, PlaceName = (
        registry.get_model("sources", "Place"),
        registry.get_model("sources", "PlaceName"),
    )
    claim = OuterRef("claim_id")
    statements = Statement.objects.filter(stances__claim=claim)
    # One level further down, under the subquery that joins the names.
    speakers = Statement.objects.filter(stances__claim=OuterRef(claim)).values("party")
    parties = Party.objects.filter(pk__in=speakers)
    aliases = PartyAlias.objects.filter(party__in=speakers)
    places = Place.objects.filter(claims=claim)
    wording = Subquery(Claim.objects.filter(pk=claim).values("text"), output_field=TextField())
    return Concat(
        Coalesce(wording, Value("", output_field=TextField())),
        LINE,
        joined(statements, Concat(F("text"), LINE, F("speaker_label"), output_field=TextField())),
        LINE,
        joined(parties, F("name")),
        LINE,
        joined(aliases, F("name")),
        LINE,
        joined(places, F("name")),
        LINE,
        joined(PlaceName.objects.filter(place__claims=claim), F("name")),
        output_field=TextField(),
    )


def refresh_search(claims: QuerySet, registry=apps) -> int:
    """Write again the search words of these claims, and on PostgreSQL their indexed vector:
    a row for each claim that has none yet, then one statement per column for all of them."""
    ClaimSearch = registry.get_model("claims", "ClaimSearch")
    ids = claims.order_by().values("pk")
    missing = claims.order_by().filter(search__isnull=True).values_list("pk", flat=True)
    ClaimSearch.objects.using(claims.db).bulk_create(
        [ClaimSearch(claim_id=pk) for pk in missing], ignore_conflicts=True, batch_size=1000
    )
    rows = ClaimSearch.objects.using(claims.db).filter(claim__in=ids)
    updated = rows.update(text=search_text(registry))
    if connections[claims.db].vendor == "postgresql":
        rows.update(vector=SearchVector("text", config=STEMS) + SearchVector("text", config=WORDS))
    return updated


class Matches(Func):
    """`vector @@ query`: the claim's words hold what the text query asks for."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def term_query(term: Term) -> tuple[str, list[str]] | None:
    """The term as a PostgreSQL text query, SQL and parameters: its words in a row as English
    stems, or as written with the last maybe only begun. None for a term without a word."""
    words = WORD.findall(term.words)
    if not words:
        return None
    phrase = " <-> ".join(f"'{word}'" for word in words)
    sql = f"(to_tsquery('{STEMS}'::regconfig, %s) || to_tsquery('{WORDS}'::regconfig, %s))"
    # The last word may be only begun ("artill"), once it is long enough to say something.
    begun = phrase + ":*" if len(words[-1]) >= PREFIX_LENGTH else phrase
    return ("!!" + sql if term.excluded else sql), [phrase, begun]


def search(claims: QuerySet, text: str) -> QuerySet:
    """Claims in which each word or phrase of the query appears, and none of the excluded ones.
    On PostgreSQL, one full-text query of the claims' indexed words; elsewhere, a substring of
    their search words for each term."""
    terms = read_query(text)
    if connections[claims.db].vendor != "postgresql":
        for term in terms:
            found = {"search__text__icontains": term.words}
            claims = claims.exclude(**found) if term.excluded else claims.filter(**found)
        return claims
    if any(not term.excluded and not WORD.search(term.words) for term in terms):
        # Only words are indexed: a term of signs alone ("&", "%_%") is in no claim's words.
        return claims.none()
    queries = [query for query in map(term_query, terms) if query is not None]
    if not queries:
        return claims
    sql = " && ".join(query for query, _ in queries)
    parameters = [parameter for _, pair in queries for parameter in pair]
    query = RawSQL(sql, parameters, output_field=SearchQueryField())
    return claims.filter(Matches(F("search__vector"), query))


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
