"""The page cache's bookkeeping. Readers' content itself lives in `sources` and `claims`."""

import time

from django.db import models
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
    def bump(cls) -> None:
        """A number never used before: one more, or the microseconds since 1970 if that is
        more, so that a database restored from a dump (with an old number, or none) cannot
        bring back a number some server still holds pages for."""
        number = Greatest(models.F("number") + 1, models.Value(time.time_ns() // 1000))
        if not cls.objects.filter(pk=1).update(number=number):
            cls.objects.get_or_create(pk=1, defaults={"number": time.time_ns() // 1000})
