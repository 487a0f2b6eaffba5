"""The assistant's knowledge from the database: the parties curators recorded, with their
aliases and every name curators gave a speaker on their statements, and the claims."""

from claims.models import Claim, Statement
from sources.models import Party

from .bearing import KnownClaim
from .speakers import KnownParty


def known_parties() -> list[KnownParty]:
    labels: dict[int, set[str]] = {}
    for party_id, label in Statement.objects.values_list("party_id", "speaker_label").distinct():
        if label:
            labels.setdefault(party_id, set()).add(label)
    return [
        KnownParty(
            slug=party.slug,
            name=party.name,
            side=party.side,
            kind=party.kind,
            names=tuple(alias.name for alias in party.aliases.all()),
            speaker_labels=tuple(sorted(labels.get(party.pk, ()))),
        )
        for party in Party.objects.prefetch_related("aliases").order_by("slug")
    ]


def known_claims() -> list[KnownClaim]:
    return [KnownClaim(slug, text) for slug, text in Claim.objects.values_list("slug", "text")]
