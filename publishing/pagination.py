"""The pages of a search's results: counted up to a limit, sorted in Python where that sorts as
the database would, and each page read by its own claims' ids."""

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections, models

# A search counts its results up to this many; past it, "more than" (SearchResults). Ten pages:
# readers narrow a search long before they read further, and each claim counted past a few
# hundred is read again by the next query that finds it (docs/performance.md).
SEARCH_COUNT_LIMIT = 200


class SearchResults(Paginator):
    """The pages of a search's results. A search finds up to SEARCH_COUNT_LIMIT claims by the
    index alone, in one short query; when there are more, it says "more than" that many and
    offers the pages that hold them (narrower words find the rest), rather than count tens of
    thousands of rows for every query."""

    limit = SEARCH_COUNT_LIMIT

    def __init__(self, object_list, per_page, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        keys = sort_keys(object_list)
        # With each id, what the results are sorted by (read from the same rows, at no cost).
        columns = list(dict.fromkeys(["pk", *(name for name, _ in keys or ())]))
        found = list(object_list.order_by().values_list(*columns)[: self.limit + 1])
        self.more_than_limit = len(found) > self.limit
        if not self.more_than_limit:
            # The ids are all there is: the page is read by them, whatever the words were, sent
            # as one parameter. Sorted here, each page's own ids are read, not all of them.
            if keys is None:
                self.object_list = object_list.filter(pk__among=[row[0] for row in found])
            else:
                nulls = connections[object_list.db].features.nulls_order_largest
                self.object_list = ByIds(object_list, in_order(found, columns, keys, nulls))
        self.found = min(len(found), self.limit)

    @property
    def count(self) -> int:
        return self.found


# Fields whose values Python sorts as the databases do: whole numbers, dates and moments (text
# is sorted by a collation, a float may be NaN, a decimal is a float to SQLite).
SORTED_ALIKE = (models.IntegerField, models.DateField)


def sort_keys(queryset) -> list[tuple[str, bool]] | None:
    """The fields a queryset is sorted by, each with whether it is descending, the last its
    primary key (so that no two rows tie); None when its order is anything else (an
    expression, a related field, text, at random, reversed, the model's default, or one that
    leaves ties)."""
    query = queryset.query
    if not query.standard_ordering or query.extra_order_by:
        return None
    keys, primary_key = [], queryset.model._meta.pk
    for name in query.order_by:
        field = name.lstrip("-") if isinstance(name, str) else ""
        if field in ("", "?") or "__" in field:
            return None
        try:
            model_field = primary_key if field == "pk" else queryset.model._meta.get_field(field)
        except FieldDoesNotExist:
            return None
        if not isinstance(model_field, SORTED_ALIKE):
            return None
        keys.append((field, name.startswith("-"), model_field))
    if not keys or keys[-1][2] != primary_key:
        return None
    return [(field, descending) for field, descending, _ in keys]


def in_order(
    rows: list[tuple], columns: list[str], keys: list[tuple[str, bool]], nulls_largest: bool
) -> list:
    """The ids of the rows (their first value) in the order `keys` give, as the database sorts
    them: a null after every value (PostgreSQL) or before (SQLite)."""
    rows = list(rows)
    for name, descending in reversed(keys):  # a stable sort, the last key first
        index = columns.index(name)
        rows.sort(
            key=lambda row: ((row[index] is None) == nulls_largest, row[index]),
            reverse=descending,
        )
    return [row[0] for row in rows]


class ByIds:
    """A list known by its ids in order, whose slices (a paginator's pages) are read by their
    own ids alone, from `queryset` (sorted as the ids are)."""

    def __init__(self, queryset, ids: list) -> None:
        self.queryset = queryset
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice):
        return self.queryset.filter(pk__among=self.ids[index])
