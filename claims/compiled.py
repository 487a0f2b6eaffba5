"""Queries written once per database connection (a worker's) and run many times: for the small
queries that build a page (one claim's stances, say), Django's ORM spends ten times longer
writing the SQL than PostgreSQL takes to run it, and the SQL is the same for every claim but for
one number.

`CompiledQuery(build)` calls `build` once per database connection with stand-ins for its
arguments, keeps the SQL the ORM wrote and where each stand-in went among its parameters, and
from then on runs that SQL with the real arguments in their places. Rows come back as the
queryset's own `values_list` would give them, through the same converters (SQLite's dates are
text until converted). Arguments are numbers, strings where `build` says so (`slug: str`), or
lists of ids where it says so (`claims: list`) and filters on them with the `among` lookup
(`claim__among=claims`): `in` writes one placeholder for each id, so its SQL changes with their
count, where `among` sends them as one parameter, an array on PostgreSQL and JSON on SQLite.

It leans on two parts of Django's compiler that are not public: `as_sql()` gives the parameters
in the order of the SQL's placeholders, and `get_converters`/`apply_converters` are what
`results_iter` converts rows with. tests/test_compiled_queries.py holds both on every database.
"""

import json
from collections.abc import Callable
from inspect import signature

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import AutoField, BigAutoField, ForeignKey, Lookup, QuerySet

# Values no id, count, slug or flag of the site takes, each standing in for one argument: the
# numbers within what an integer column holds (the ORM finds nothing for a value out of range).
NUMBERS = tuple(2_147_483_000 + index for index in range(8))
STRINGS = tuple(f"\x00stand-in-{index}" for index in range(8))
LISTS = tuple([number] for number in NUMBERS)


@AutoField.register_lookup
@BigAutoField.register_lookup
@ForeignKey.register_lookup
class Among(Lookup):
    """`field__among=ids`: the field holds one of these ids, sent as one parameter whatever
    their count (an array on PostgreSQL, JSON on SQLite), so that the SQL is the same for any
    count and a compiled query can take the list as an argument."""

    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return ids_of(self.rhs)

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs
        if connection.vendor == "postgresql":
            column = self.lhs.output_field.db_type(connection)
            return f"{lhs} = ANY(%s::{column}[])", [*lhs_params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(ids)]


def ids_of(values) -> list[int]:
    """Ids, or records standing for their ids, as `in` takes them, as whole numbers."""
    return [int(getattr(pk, "pk", pk)) for pk in values]


def stand_in_for(annotation: object, index: int) -> object:
    if annotation in (str, "str"):
        return STRINGS[index]
    if annotation in (list, "list") or getattr(annotation, "__origin__", None) is list:
        return LISTS[index]
    return NUMBERS[index]


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        parameters = list(signature(build).parameters.values())
        if len(parameters) > len(NUMBERS):
            raise ImproperlyConfigured("A compiled query takes eight arguments or fewer.")
        self.stand_ins = tuple(
            stand_in_for(parameter.annotation, index) for index, parameter in enumerate(parameters)
        )

    def compile(self, connection) -> tuple:
        stand_ins = self.stand_ins
        queryset = self.build(*stand_ins)
        if queryset._fields is None:
            raise ImproperlyConfigured("A compiled query is a values_list() of what it reads.")
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise ImproperlyConfigured(
                "A compiled query's arguments must be values its columns can hold."
            ) from None
        # Where each stand-in went, and how it is sent there: as it is, or a list as JSON.
        places: dict[int, tuple[int, str]] = {}
        for position, param in enumerate(params):
            for index, stand_in in enumerate(stand_ins):
                if isinstance(stand_in, list) and param == json.dumps(stand_in):
                    places[position] = (index, "json")
                elif isinstance(param, type(stand_in)) and param == stand_in:
                    places[position] = (index, "list" if isinstance(stand_in, list) else "value")
        if sorted(index for index, _ in places.values()) != list(range(len(stand_ins))):
            raise ImproperlyConfigured(
                "Each argument of a compiled query must be one parameter of its SQL, a string's "
                "annotated `str` and a list's `list`, filtered on with `among`."
            )
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        compiled = (compiler, sql, list(params), places, converters)
        compiled_on(connection)[self] = compiled
        return compiled

    def __call__(self, *args: object, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        connection = connections[using]
        compiled = compiled_on(connection).get(self) or self.compile(connection)
        compiler, sql, template, places, converters = compiled
        params = list(template)
        for position, (argument, kind) in places.items():
            value = args[argument]
            if kind != "value":
                ids = ids_of(value)
                value = json.dumps(ids) if kind == "json" else ids
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


def compiled_on(connection) -> dict:
    """The queries compiled for this connection, kept on it: each thread has its own, a test
    may switch databases, and they go when the connection's wrapper goes."""
    return connection.__dict__.setdefault("compiled_queries", {})
