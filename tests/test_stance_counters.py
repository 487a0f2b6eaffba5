"""A claim's stored stance counts follow every change to its stances."""

from claims.models import Claim, Stance, StanceValue


def counts(claim: Claim) -> tuple[int, int, int, int, int]:
    claim.refresh_from_db()
    return (
        claim.statement_count,
        claim.supports_count,
        claim.refutes_count,
        claim.disputes_count,
        claim.contest_score,
    )


def test_counts_follow_added_changed_and_removed_stances(
    disputed_zone_claim, azerbaijani_statement
):
    assert counts(disputed_zone_claim) == (2, 1, 1, 0, 1)
    stance = disputed_zone_claim.stances.get(statement=azerbaijani_statement)
    stance.value = StanceValue.NEUTRAL
    stance.save()
    assert counts(disputed_zone_claim) == (2, 1, 0, 0, 0)
    assert disputed_zone_claim.neutral_count == 1
    stance.delete()
    assert counts(disputed_zone_claim) == (1, 1, 0, 0, 0)


def test_moving_a_stance_to_another_claim_recounts_both(disputed_zone_claim, azerbaijani_statement):
    other = Claim.objects.create(slug="other", text="Other", topic=disputed_zone_claim.topic)
    stance = disputed_zone_claim.stances.get(statement=azerbaijani_statement)
    stance.claim = other
    stance.save()
    assert counts(disputed_zone_claim) == (1, 1, 0, 0, 0)
    assert counts(other) == (1, 0, 1, 0, 0)


def test_deleting_a_statement_recounts_its_claims(disputed_zone_claim, azerbaijani_statement):
    azerbaijani_statement.delete()
    assert counts(disputed_zone_claim) == (1, 1, 0, 0, 0)
    assert not Stance.objects.filter(statement_id=azerbaijani_statement.pk).exists()


def test_a_bulk_recount_repairs_counters(disputed_zone_claim):
    Claim.objects.update(statement_count=99, contest_score=99)
    assert Claim.objects.all().refresh_stance_counts() == 1
    assert counts(disputed_zone_claim) == (2, 1, 1, 0, 1)
