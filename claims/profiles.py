"""A speaker's profile: what a party and the parties under it said on published claims."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min, Q

from sources.models import Party

from .models import Claim, Stance, StanceValue, Statement

DENIALS = (StanceValue.REFUTES, StanceValue.DISPUTES)
LISTED = 10


@dataclass
class Contradicted:
    """Another party that took the opposite side of the same claims."""

    party: Party
    claims: int


@dataclass
class SpeakerProfile:
    party: Party
    # The party and every party under it (a government and its ministries).
    parties: list[int]
    statement_count: int = 0
    stance_counts: dict[str, int] = field(default_factory=dict)
    asserts: list[Claim] = field(default_factory=list)
    asserts_count: int = 0
    denies: list[Claim] = field(default_factory=list)
    denies_count: int = 0
    contradicts: list[Contradicted] = field(default_factory=list)
    first_said: date | None = None
    last_said: date | None = None

    @property
    def speaks_through_others(self) -> bool:
        return len(self.parties) > 1

    @property
    def party_count(self) -> int:
        return len(self.parties)


def speaker_profile(party: Party) -> SpeakerProfile:
    """Counts by stance, the claims asserted and denied, who is most often on the other side,
    and the first and last dates said, over the party's statements and its sub-parties'."""
    parties = party.with_descendants
    profile = SpeakerProfile(party=party, parties=parties)
    stances = Stance.objects.public().filter(statement__party__in=parties)
    counts = dict(stances.order_by().values_list("value").annotate(n=Count("pk")))
    profile.stance_counts = {value: counts.get(value, 0) for value in StanceValue.values}
    statements = Statement.objects.public().filter(party__in=parties)
    dates = statements.aggregate(statements=Count("pk"), first=Min("said_on"), last=Max("said_on"))
    profile.statement_count = dates["statements"]
    profile.first_said, profile.last_said = dates["first"], dates["last"]

    # As lists of ids: a few hundred at most, and with them the planner reads the stances of
    # those claims by index instead of guessing and scanning them all.
    supported = list(stances.filter(value=StanceValue.SUPPORTS).values_list("claim", flat=True))
    denied = list(stances.filter(value__in=DENIALS).values_list("claim", flat=True))
    published = Claim.objects.published().order_by("-published_at", "-pk")
    asserts, denies = published.filter(pk__in=supported), published.filter(pk__in=denied)
    profile.asserts_count, profile.denies_count = asserts.count(), denies.count()
    profile.asserts, profile.denies = list(asserts[:LISTED]), list(denies[:LISTED])

    # Stances on the claims in `supported` and `denied`, which are published ones already:
    # asking again that their claim be published joined every claim, read from the table.
    opposite = (
        Stance.objects.exclude(statement__party__in=parties)
        .filter(
            Q(claim__in=supported, value__in=DENIALS)
            | Q(claim__in=denied, value=StanceValue.SUPPORTS)
        )
        .order_by()
        .values("statement__party")
        .annotate(claims=Count("claim", distinct=True))
        .order_by("-claims", "statement__party")[:5]
    )
    others = Party.objects.in_bulk([row["statement__party"] for row in opposite])
    profile.contradicts = [
        Contradicted(others[row["statement__party"]], row["claims"]) for row in opposite
    ]
    return profile
