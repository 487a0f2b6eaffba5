"""A claim's stored stance counts follow every change to its stances made through the services."""

from claims.models import Claim, Stance, StanceValue
from claims.services import delete_stance, delete_statement, recount_stances, save_stance


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
    save_stance(stance=stance)
    assert counts(disputed_zone_claim) == (2, 1, 0, 0, 0)
    assert disputed_zone_claim.neutral_count == 1
    delete_stance(stance=stance)
    assert counts(disputed_zone_claim) == (1, 1, 0, 0, 0)


def test_moving_a_stance_to_another_claim_recounts_both(disputed_zone_claim, azerbaijani_statement):
    other = Claim.objects.create(slug="other", text="Other", topic=disputed_zone_claim.topic)
    stance = disputed_zone_claim.stances.get(statement=azerbaijani_statement)
    stance.claim = other
    save_stance(stance=stance)
    assert counts(disputed_zone_claim) == (1, 1, 0, 0, 0)
    assert counts(other) == (1, 0, 1, 0, 0)


def test_deleting_a_statement_recounts_its_claims(disputed_zone_claim, azerbaijani_statement):
    delete_statement(statement=azerbaijani_statement)
    assert counts(disputed_zone_claim) == (1, 1, 0, 0, 0)
    assert not Stance.objects.filter(statement_id=azerbaijani_statement.pk).exists()


def test_a_recount_repairs_counters(disputed_zone_claim):
    Claim.objects.update(statement_count=99, contest_score=99)
    recount_stances(claims=Claim.objects.all())
    assert counts(disputed_zone_claim) == (2, 1, 1, 0, 1)


def test_a_stance_save_costs_one_transaction_of_few_queries(
    disputed_zone_claim, azerbaijani_statement, django_assert_max_num_queries
):
    stance = disputed_zone_claim.stances.get(statement=azerbaijani_statement)
    stance.value = StanceValue.DISPUTES
    # Its claim before; checks that the statement and claim exist, that the pair is unique and
    # the value one of the choices (in a savepoint); the save; the version bump (its number,
    # read back and written for the claim and the lists); the claims whose counters are wrong,
    # then their update; the search words (a row if the claim has none, then one update; two on
    # PostgreSQL, which indexes them); the savepoint of the service, entered and released.
    with django_assert_max_num_queries(18):
        save_stance(stance=stance)
    assert counts(disputed_zone_claim) == (2, 1, 0, 1, 1)
