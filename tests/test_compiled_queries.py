"""A query written once and run with other arguments gives what the ORM would have given."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from claims.compiled import CompiledQuery
from claims.models import Claim, Stance, Statement

from .conftest import make_statement


def statements_of(party: int, after: str):  # `str`: a string argument, not a number
    return (
        Statement.objects.filter(party=party, text__gt=after)
        .annotate(on_a_claim=Exists(Stance.objects.filter(statement=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "text", "said_on", "article__published_on", "on_a_claim")
    )


def test_a_compiled_query_gives_what_its_queryset_gives_for_every_argument(
    article, russian_mod, azerbaijani_mod
):
    make_statement(article, russian_mod, "soldiers from Azerbaijan", said_on=date(2020, 10, 3))
    make_statement(article, russian_mod, "An appeal has been sent")
    make_statement(article, azerbaijani_mod, "refuted Moscow's version", said_on=date(2020, 10, 4))
    compiled = CompiledQuery(statements_of)
    for party in (russian_mod.pk, azerbaijani_mod.pk, 0):
        for after in ("", "b", "z"):
            expected = list(statements_of(party, after))
            assert compiled(party, after) == expected
    # Dates are dates and flags are True or False on every database (SQLite's come back as
    # text and numbers until converted).
    rows = compiled(russian_mod.pk, "")
    assert {row[2] for row in rows} == {date(2020, 10, 3), None}
    assert {row[4] for row in rows} == {False} and all(row[4] is False for row in rows)


def test_a_compiled_query_is_written_once_and_counted_as_a_query(article, russian_mod):
    make_statement(article, russian_mod, "An appeal has been sent")
    built = []

    def build(party):
        built.append(party)
        return statements_of(party, "")

    compiled = CompiledQuery(build)
    with CaptureQueriesContext(connection) as queries:
        assert len(compiled(russian_mod.pk)) == 1
        assert compiled(russian_mod.pk + 1) == []
    assert len(built) == 1
    assert len(queries) == 2


def test_an_argument_the_sql_does_not_take_as_one_parameter_is_refused(db):
    # Used twice, or not at all: the stand-in cannot tell which place is which.
    twice = CompiledQuery(lambda pk: Claim.objects.filter(pk=pk, statement_count=pk).values_list())
    unused = CompiledQuery(lambda pk: Claim.objects.values_list("pk"))
    records = CompiledQuery(lambda pk: Claim.objects.filter(pk=pk))
    for query in (twice, unused, records):
        with pytest.raises(ImproperlyConfigured):
            query(1)


def stances_on(claims: list, party: int):
    return (
        Stance.objects.filter(claim__among=claims, statement__party=party)
        .order_by("claim", "statement_id")
        .values_list("claim", "statement__text", "value")
    )


def test_a_list_argument_is_one_parameter_whatever_its_length(
    article, russian_mod, azerbaijani_mod, incident_topic
):
    claims = [
        Claim.objects.create(slug=f"claim-{number}", text=f"Claim {number}", topic=incident_topic)
        for number in range(3)
    ]
    for party, text in ((russian_mod, "soldiers from Azerbaijan"), (azerbaijani_mod, "refuted")):
        statement = make_statement(article, party, text)
        for claim in claims:
            Stance.objects.create(statement=statement, claim=claim, value="supports")
    built = []

    def build(claims: list, party: int):
        built.append(claims)
        return stances_on(claims, party)

    compiled = CompiledQuery(build)
    pks = [claim.pk for claim in claims]
    chosen_ways = {
        "none": lambda: [],
        "one": lambda: pks[:1],
        "all": lambda: pks,
        "in another order": lambda: [pks[2], pks[0]],
        "a generator": lambda: (pk for pk in pks[1:]),
        "a dictionary's keys": lambda: {pks[1]: None},
        "records": lambda: claims[:2],
    }
    for way, chosen in chosen_ways.items():
        ids = [getattr(pk, "pk", pk) for pk in chosen()]
        expected = list(
            Stance.objects.filter(claim__in=ids, statement__party=russian_mod.pk)
            .order_by("claim", "statement_id")
            .values_list("claim", "statement__text", "value")
        )
        assert compiled(chosen(), russian_mod.pk) == expected, way
        assert list(stances_on(list(chosen()), russian_mod.pk)) == expected, way
    assert len(compiled(pks, azerbaijani_mod.pk)) == 3
    assert len(built) == 1


def test_a_list_filtered_on_with_in_is_refused(db):
    # `in` writes a placeholder for each id: the SQL would change with the list's length.
    def with_in(claims: list):
        return Stance.objects.filter(claim__in=claims).values_list()

    with pytest.raises(ImproperlyConfigured):
        CompiledQuery(with_in)([1, 2])
