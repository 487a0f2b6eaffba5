"""What readers may see beyond claims: the parties, articles and outlets of public statements.

A statement is public when it bears on a published claim. A party is shown when it, or a party
under it, has one; an article when it reports one; an outlet when it published, or is credited
in, such an article.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from sources.models import Article, Outlet, Party

from .compiled import CompiledQuery
from .models import Statement


def public_parties() -> models.QuerySet[Party]:
    """Parties readers may see: those with a public statement, and the bodies above them (a
    ministry's government), so that "part of" leads somewhere."""
    speaking = Party.objects.filter(Exists(Statement.objects.public().filter(party=OuterRef("pk"))))
    return Party.objects.and_above(speaking.values_list("pk", flat=True))


def a_public_statement_of(parties: list[int]) -> models.QuerySet:
    # Any one, unordered: in the statements' own order (their articles' dates), PostgreSQL
    # walked the articles from the newest until it came to one the party spoke in.
    return Statement.objects.public().filter(party__among=parties).order_by().values_list("pk")[:1]


# Written once per database connection: every list filtered by a party asks it.
A_PUBLIC_STATEMENT_OF = CompiledQuery(a_public_statement_of)


def is_public_party(party: Party) -> bool:
    """Whether readers may see the party: it, or a party under it, has a public statement."""
    return bool(A_PUBLIC_STATEMENT_OF(party.with_descendants))


def public_parties_called(text: str) -> list[Party]:
    """The parties readers may see that `text` names: the one with that address, else those
    with that name, else those with that alias, ignoring case either way."""
    text = text.strip()
    for named in (Q(slug=text), Q(name__iexact=text), Q(aliases__name__iexact=text)):
        candidates = Party.objects.filter(named).distinct().order_by("name", "pk")[:10]
        if found := [party for party in candidates if is_public_party(party)]:
            return found
    return []


def reported_articles() -> models.QuerySet[Article]:
    """Articles with at least one public statement: the only ones readers are shown."""
    return Article.objects.filter(Exists(Statement.objects.public().filter(article=OuterRef("pk"))))


def public_outlets() -> models.QuerySet[Outlet]:
    """Outlets that published, or are credited in, an article readers are shown."""
    articles = reported_articles()
    return Outlet.objects.filter(
        Exists(articles.filter(outlet=OuterRef("pk")))
        | Exists(articles.filter(wire_credits=OuterRef("pk")))
    )
