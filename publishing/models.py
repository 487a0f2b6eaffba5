"""The page cache's bookkeeping. Readers' content itself lives in `sources` and `claims`."""

import time
from collections.abc import Iterable

from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Greatest


class ContentVersion(models.Model):
    """One row whose number goes up with every committed write to the content readers see: the
    source of truth for the page cache, which keeps only a mirror of it.

    Cached pages are stored under the number they were built with and served only while it is
    current, so a change of any kind is visible on the very next request, on every server. It
    is bumped inside the writing transaction, so no outage between the database and the cache
    can separate a committed write from its new number.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="content_version_single_row")]

    def __str__(self) -> str:
        return f"Content version {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls) -> int:
        """A number never used before: one more, or the microseconds since 1970 if that is
        more, so that a database restored from a dump (with an old number, or none) cannot
        bring back a number some server still holds pages for. Returns it; the row stays
        locked by this transaction until it ends, so writers take their numbers in turn."""
        # A big integer said so: bound by the server, a plain Value would go as a 4-byte one.
        now = models.Value(time.time_ns() // 1000, output_field=models.BigIntegerField())
        number = Greatest(models.F("number") + 1, now)
        if not cls.objects.filter(pk=1).update(number=number):
            cls.objects.get_or_create(pk=1, defaults={"number": time.time_ns() // 1000})
        return cls.current()


class DependencyVersion(models.Model):
    """The content version of the last committed write to something pages depend on: one claim
    (`claim:<id>`), everything lists show (`lists`), or anything at all (`all`).

    A cached page keeps the content version it was built at and the keys it depends on; it is
    current while none of those keys has a newer number. A write sets its keys to its own
    content version inside its transaction, so it commits with them or not at all.
    """

    key = models.CharField(primary_key=True, max_length=64)
    number = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.key} at {self.number}"

    @classmethod
    def newest(cls, keys: Iterable[str]) -> tuple[int, int]:
        """(the current content version, the newest version of any of the keys), in one
        query: a cached page is current if it was built at or after the second, and not after
        the first (a database restored from an older dump)."""
        version, numbers = cls.numbers(keys)
        return version, max(numbers.values(), default=0)

    @classmethod
    def numbers(cls, keys: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(the current content version, each key's version: 0 for a key never written), in
        one query."""
        # Every page served from the cache asks this: written as SQL, it skips the ORM's
        # compiling of the query, which costs more than the database's answer.
        keys = list(keys)
        quote = connection.ops.quote_name
        sql = (
            f"SELECT v.{quote('number')}, d.{quote('key')}, d.{quote('number')} "
            f"FROM {quote(ContentVersion._meta.db_table)} v "
            f"LEFT JOIN {quote(cls._meta.db_table)} d ON d.{quote('key')} IN "
            f"({', '.join(['%s'] * len(keys))}) WHERE v.{quote('id')} = 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, keys)
            rows = cursor.fetchall()
        if not rows:
            return 0, dict.fromkeys(keys, 0)
        numbers = dict.fromkeys(keys, 0) | {key: number for _, key, number in rows if key}
        return rows[0][0], numbers

    @classmethod
    def set(cls, keys: Iterable[str], number: int) -> None:
        cls.objects.bulk_create(
            [cls(key=key, number=number) for key in keys],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["number"],
        )
