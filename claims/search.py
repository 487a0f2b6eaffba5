"""Searching claims by every name they are known by: their words, what parties said about them,
the parties' names and aliases, how articles named the speakers, and the places' other names
(Khankendi finds Stepanakert's claims).

A query is read as web search engines read one: words, "quoted phrases" and -exclusions. A
claim is found when each word or phrase appears in one of those places, not necessarily the
same one. Each claim keeps all of them in one text, its search words (`search_text`), written
again by every write that changes them (`refresh_search`): a search then reads one row per
claim, never the million statements. On PostgreSQL that text is also a full-text vector,
matched by English stems (curators write claims in English) or by the words as written, in
any language, the last word of a term maybe only begun; other databases look for each term as
a substring of the search words. The vector is kept twice: without positions (`words`, under a
GIN index), which every search matches, and with them (`vector`), which only phrases need.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

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

from .compiled import CompiledQuery

# Claims are found by English stems (curators write claims in English, and many articles are in
# it) and by words as written, in any language, a word's beginning enough ("Azer" finds
# Azerbaijan): both sets of words are in ClaimSearch.words, under one index, and .vector.
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
        # The words without positions follow, written by PostgreSQL (a trigger, claims/0017).
        rows.update(vector=SearchVector("text", config=STEMS) + SearchVector("text", config=WORDS))
    return updated


class Matches(Func):
    """`vector @@ query`: the claim's words hold what the text query asks for."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def term_query(term: Term, phrase: bool = True) -> tuple[str, list[str]] | None:
    """The term as a PostgreSQL text query, SQL and parameters: its words in a row as English
    stems, or as written with the last maybe only begun. With `phrase` false, its words
    anywhere, in any order, which words without positions can be asked for. None for a term
    without a word."""
    words = WORD.findall(term.words)
    if not words:
        return None
    joined = (" <-> " if phrase else " & ").join(f"'{word}'" for word in words)
    sql = f"(to_tsquery('{STEMS}'::regconfig, %s) || to_tsquery('{WORDS}'::regconfig, %s))"
    # The last word may be only begun ("artill"), once it is long enough to say something.
    begun = joined + ":*" if len(words[-1]) >= PREFIX_LENGTH else joined
    return ("!!" + sql if term.excluded else sql), [joined, begun]


def text_query(terms: Iterable[Term], phrase: bool = True) -> RawSQL | None:
    """All the terms as one PostgreSQL text query (`term_query`); None if none has a word."""
    queries = [query for query in (term_query(term, phrase) for term in terms) if query]
    if not queries:
        return None
    sql = " && ".join(query for query, _ in queries)
    parameters = [parameter for _, pair in queries for parameter in pair]
    return RawSQL(sql, parameters, output_field=SearchQueryField())


def search(claims: QuerySet, text: str) -> QuerySet:
    """Claims in which each word or phrase of the query appears, and none of the excluded ones.
    On PostgreSQL, a full-text query of the claims' indexed words without positions, and for a
    query with phrases, of the same words with their positions too; elsewhere, a substring of
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
    # A phrase's words anywhere in a claim are asked of the words without positions: that
    # finds every claim with the phrase, and a few more, which its positions then leave out.
    # An excluded phrase is asked of the positions alone: a claim with its words apart from
    # one another is still to be found. So is a term with a character PostgreSQL's parser
    # reads words apart at (it reads "H₂O" as "h" then "o", a phrase to it).
    anywhere, positions_needed = [], False
    for term in terms:
        several, alike = len(WORD.findall(term.words)) > 1, read_alike(term)
        if alike and not (term.excluded and several):
            anywhere.append(term)
        positions_needed = positions_needed or several or not alike
    words_query = text_query(anywhere, phrase=False)
    if words_query is not None:
        claims = claims.filter(Matches(F("search__words"), words_query))
    if positions_needed:
        claims = claims.filter(Matches(F("search__vector"), text_query(terms)))
    return claims


def read_alike(term: Term) -> bool:
    """Whether PostgreSQL's parser reads each of the term's words (WORD) as one word, as it does
    a run of letters and decimal digits; superscripts, subscripts and fractions, which Python
    counts among a word's characters, it reads words apart at."""
    return all(
        character.isalpha() or character.isdecimal()
        for word in WORD.findall(term.words)
        for character in word
    )


class Said(NamedTuple):
    """One statement on a claim, as plain text, and the stance it takes."""

    words: str
    party: int
    name: str  # the party's
    label: str  # how the article named the speaker
    aliases: list[str]  # the party's other names
    stance: str


@dataclass
class Findable:
    """What a claim can be found by, as plain text: its words; what was said on it, in stance
    order, with the speaker's name, how the article named them and their aliases; its places'
    names."""

    text: str
    said: list[Said] = field(default_factory=list)
    places: list[tuple[str, list[str]]] = field(default_factory=list)

    def stances(self) -> list[tuple[int, str, str]]:
        """(party id, party name, stance) of each statement, in stance order: a row's badges."""
        return [(said.party, said.name, said.stance) for said in self.said]


def statements_on(claims: list[int]) -> QuerySet:
    """What was said on these claims, in stance order, with who said it."""
    Stance = apps.get_model("claims", "Stance")
    return (
        Stance.objects.filter(claim__among=claims)
        .order_by("value", "statement_id")
        .values_list(
            "claim",
            "statement__text",
            "statement__party",
            "statement__party__name",
            "statement__speaker_label",
            "value",
        )
    )


def aliases_of(parties: list[int]) -> QuerySet:
    """The other names of these parties."""
    PartyAlias = apps.get_model("sources", "PartyAlias")
    return PartyAlias.objects.filter(party__among=parties).values_list("party", "name")


def places_of(claims: list[int]) -> QuerySet:
    Claim = apps.get_model("claims", "Claim")
    return (
        Claim.places.through.objects.filter(claim__among=claims)
        .order_by("place__name")
        .values_list("claim", "place", "place__name")
    )


def other_names_of_places(claims: list[int]) -> QuerySet:
    Claim = apps.get_model("claims", "Claim")
    named = Claim.places.through.objects.filter(claim__among=claims).values("place")
    PlaceName = apps.get_model("sources", "PlaceName")
    return PlaceName.objects.filter(place__in=named).values_list("place", "name")


# Written once per database connection: built by the ORM, these four queries cost a search page
# more than PostgreSQL takes to run them.
STATEMENTS_ON = CompiledQuery(statements_on)
ALIASES_OF = CompiledQuery(aliases_of)
PLACES_OF = CompiledQuery(places_of)
OTHER_NAMES_OF_PLACES = CompiledQuery(other_names_of_places)


def findable(claims: Iterable) -> dict[int, Findable]:
    """What each claim can be found by, in at most four queries of plain values however many claims
    and statements: a page of results reads hundreds of statements, too many to load as
    records for a few words each."""
    found = {claim.pk: Findable(claim.text) for claim in claims}
    pks = list(found)
    if not pks:
        return found
    said = STATEMENTS_ON(pks)
    # The speakers' aliases by the speakers read: finding them again from the claims, in a
    # subquery, cost a search page as much as reading what was said.
    speakers = sorted({row[2] for row in said})
    aliases = names_by(ALIASES_OF(speakers) if speakers else ())
    for claim, words, party, name, label, value in said:
        found[claim].said.append(Said(words, party, name, label, aliases[party], value))
    others = names_by(OTHER_NAMES_OF_PLACES(pks))
    for claim, place, name in PLACES_OF(pks):
        found[claim].places.append((name, others[place]))
    return found


def names_by(rows: Iterable[tuple[int, str]]) -> defaultdict[int, list[str]]:
    """Names (aliases, other names) by their owner, in the order given."""
    names = defaultdict(list)
    for pk, name in rows:
        names[pk].append(name)
    return names


def what_matched(claim: Findable, text: str) -> list[str]:
    """Where each of the query's words shows in a claim, for readers of the results: its words,
    what was said on it, the speakers' names and aliases, how articles named them, its places'
    names (`findable`); a word found only by its stem is said to be in the claim's words or
    statements."""
    found = []
    for term in read_query(text):
        if term.excluded:
            continue
        words = term.words.casefold()
        found.append(where(claim, words) or f"a form of “{term.words}” in the words quoted")
    return list(dict.fromkeys(found))


def where(claim: Findable, words: str) -> str | None:
    if words in claim.text.casefold():
        return "the claim’s wording"
    for said in claim.said:
        if words in said.words.casefold():
            return f"what {said.name} said"
    for said in claim.said:
        if words in said.name.casefold():
            return f"the party {said.name}"
        for alias in said.aliases:
            if words in alias.casefold():
                return f"“{alias}”, another name of {said.name}"
        if words in said.label.casefold():
            return f"“{said.label}”, as an article named {said.name}"
    for name, others in claim.places:
        if words in name.casefold():
            return f"the place {name}"
        for other in others:
            if words in other.casefold():
                return f"“{other}”, another name of {name}"
    return None
