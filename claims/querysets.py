"""The querysets of topics, claims, statements and stances: what readers are shown, each
claim's stored stance counters and search words, and searching claims.

The models (models.py) are built on these querysets, so each method imports the models it
names when it runs.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce, Least

from sources.models import HierarchyQuerySet

from .signals import counts_changed

# Claims written in one update when many are recounted (within every database's parameters).
STALE_BATCH = 1000


class TopicQuerySet(HierarchyQuerySet):
    def public(self) -> "TopicQuerySet":
        """Topics holding a published claim, and the topics above them."""
        from .models import Claim, Topic

        holding = Topic.objects.filter(
            Exists(Claim.objects.published().filter(topic=OuterRef("pk")))
        )
        return self.and_above(holding.values_list("pk", flat=True))

    def claim_counts(self) -> dict[int, int]:
        """Published claims in each topic and the topics under it, each claim counted once."""
        from .models import Claim

        direct = dict(
            Claim.objects.published().order_by().values_list("topic").annotate(n=models.Count("pk"))
        )
        counts: dict[int, int] = {}
        for path in self.paths().values():
            for topic in path:
                counts[topic] = counts.get(topic, 0) + direct.get(path[-1], 0)
        return counts


def sees_every_claim(user) -> bool:
    """Whether `user` may open every claim at its public address, unpublished ones too."""
    return user.is_active and user.is_staff and user.has_perm("claims.view_claim")


class ClaimQuerySet(models.QuerySet):
    def published(self) -> "ClaimQuerySet":
        from .models import Status

        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user) -> "ClaimQuerySet":
        """The claims `user` may open at their public address: readers, the published ones;
        curators and editors, every claim, the others as a preview."""
        return self if sees_every_claim(user) else self.published()

    def contested(self) -> "ClaimQuerySet":
        """Claims that some party supports and another refutes or disputes."""
        return self.filter(contest_score__gt=0)

    def uncontested(self) -> "ClaimQuerySet":
        return self.filter(contest_score=0)

    def refresh_stance_counts(self) -> int:
        """Recount the stances on these claims into their counters; returns how many claims'
        counters changed.

        Lists order and filter 100,000 claims by these counts, so they are stored rather than
        counted per request; every write of stances ends with it (services.recount_stances).
        """
        from .models import Stance, StanceValue

        def count(value: str | None = None) -> Coalesce:
            stances = Stance.objects.filter(claim=OuterRef("pk"))
            if value:
                stances = stances.filter(value=value)
            tally = stances.order_by().values("claim").annotate(n=models.Count("pk")).values("n")
            return Coalesce(models.Subquery(tally), 0)

        fresh = {
            "statement_count": count(),
            "supports_count": count(StanceValue.SUPPORTS),
            "refutes_count": count(StanceValue.REFUTES),
            "disputes_count": count(StanceValue.DISPUTES),
        }
        # As contested as the smaller camp is large: one denial against ten assertions is less
        # of a dispute than three against three.
        fresh["contest_score"] = Least(
            fresh["supports_count"], fresh["refutes_count"] + fresh["disputes_count"]
        )
        # Only claims whose counters are wrong are written: a recount follows every write of
        # stances and every admin save of a claim, and most change one claim's counts or none.
        counted = self.order_by().alias(**{f"fresh_{name}": value for name, value in fresh.items()})
        stale = list(
            counted.exclude(**{name: models.F(f"fresh_{name}") for name in fresh}).values_list(
                "pk", flat=True
            )
        )
        for start in range(0, len(stale), STALE_BATCH):
            batch = stale[start : start + STALE_BATCH]
            self.model.objects.filter(pk__in=batch).update(**fresh)
        if stale:
            # Written without a save, so no record's signal says so: pages that show counts
            # (lists, the claims' own) learn it here.
            counts_changed.send(sender=self.model, pks=stale)
        return len(stale)

    def refresh_search(self) -> int:
        """Write again the words these claims are found by (claims/search.py): every write of
        what a claim is found by ends with it, for the claims it touches."""
        from .search import refresh_search

        return refresh_search(self)

    def search(self, text: str) -> "ClaimQuerySet":
        """Claims in which each word or "phrase" of the query appears: in their wording, in
        what parties said about them, in the names those parties or their places go by
        (claims/search.py)."""
        from .search import search

        return search(self, text)


class StatementQuerySet(models.QuerySet):
    def public(self) -> "StatementQuerySet":
        """Statements that bear on at least one published claim."""
        from .models import Stance, Status

        return self.filter(
            Exists(Stance.objects.filter(statement=OuterRef("pk"), claim__status=Status.PUBLISHED))
        )

    def needing_attention(self) -> "StatementQuerySet":
        """Statements whose words an edit of their article's body took away."""
        from .models import AnchorStatus

        return self.filter(anchor_status=AnchorStatus.LOST)


class StanceQuerySet(models.QuerySet):
    def public(self) -> "StanceQuerySet":
        """Stances on published claims: the only ones readers are shown."""
        from .models import Status

        return self.filter(claim__status=Status.PUBLISHED)
