"""Queries written once per database connection (a worker's) and run many times: for the small
queries that build a page (one claim's stances, say), Django's ORM spends ten times longer
writing the SQL than PostgreSQL takes to run it, and the SQL is the same for every claim but for
one number.

`CompiledQuery(build)` calls `build` once per database connection with stand-ins for its
arguments, keeps the SQL the ORM wrote and where each stand-in went among its parameters, and
from then on runs that SQL with the real arguments in their places. Rows come back as the
queryset's own `values_list` would give them, through the same converters (SQLite's dates are
text until converted). Arguments are numbers, or strings where `build` says so (`slug: str`):
a list could not stand in, its length changes the SQL.

It leans on two parts of Django's compiler that are not public: `as_sql()` gives the parameters
in the order of the SQL's placeholders, and `get_converters`/`apply_converters` are what
`results_iter` converts rows with. tests/test_compiled_queries.py holds both on every database.
"""

from collections.abc import Callable
from inspect import signature

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Values no id, count, slug or flag of the site takes, each standing in for one argument: the
# numbers within what an integer column holds (the ORM finds nothing for a value out of range).
NUMBERS = tuple(2_147_483_000 + index for index in range(8))
STRINGS = tuple(f"\x00stand-in-{index}" for index in range(8))


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        parameters = list(signature(build).parameters.values())
        if len(parameters) > len(NUMBERS):
            raise ImproperlyConfigured("A compiled query takes eight arguments or fewer.")
        self.stand_ins = tuple(
            STRINGS[index] if parameter.annotation in (str, "str") else NUMBERS[index]
            for index, parameter in enumerate(parameters)
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
        places: dict[int, int] = {}
        for position, param in enumerate(params):
            if isinstance(param, int | str) and param in stand_ins:
                places[position] = stand_ins.index(param)
        if sorted(places.values()) != list(range(len(stand_ins))):
            raise ImproperlyConfigured(
                "Each argument of a compiled query must be one parameter of its SQL, and a "
                "string's annotated `str`."
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
        for position, argument in places.items():
            params[position] = args[argument]
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
