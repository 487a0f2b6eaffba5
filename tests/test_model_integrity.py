"""The database itself refuses records that break the domain's rules."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, Stance, StanceValue, Statement, Status
from sources.models import Outlet, Party


def refused_by_database(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_slugs_are_unique(deutsche_welle):
    assert refused_by_database(lambda: Outlet.objects.create(slug="deutsche-welle", name="Other"))


def test_one_stance_per_statement_and_claim(disputed_zone_claim, russian_statement):
    assert refused_by_database(
        lambda: Stance.objects.create(
            claim=disputed_zone_claim, statement=russian_statement, value=StanceValue.REFUTES
        )
    )


def test_stance_value_outside_choices_is_refused(zone_claim, russian_statement):
    assert refused_by_database(
        lambda: Stance.objects.create(claim=zone_claim, statement=russian_statement, value="agrees")
    )


def test_claim_status_outside_choices_is_refused(incident_topic):
    assert refused_by_database(
        lambda: Claim.objects.create(slug="x", text="X", topic=incident_topic, status="live")
    )


def test_party_kind_outside_choices_is_refused(db):
    assert refused_by_database(
        lambda: Party.objects.create(slug="x", name="X", side="Russia", kind="minister")
    )


def test_a_verdict_needs_an_assessment(incident_topic):
    assert refused_by_database(
        lambda: Claim.objects.create(
            slug="x", text="X", topic=incident_topic, assessment_verdict="False"
        )
    )


def test_a_statement_span_cannot_be_empty(russian_statement):
    russian_statement.end = russian_statement.start
    assert refused_by_database(russian_statement.save)


def test_a_statement_needs_a_party(article):
    statement = Statement(article=article, text="one-sided", mode="direct_quote", speaker_label="X")
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "party" in error.value.message_dict


def test_a_party_cannot_sit_under_its_own_child(russian_mod):
    child = Party.objects.create(
        slug="child", name="Child", side="Russia", kind="ministry", parent=russian_mod
    )
    russian_mod.parent = child
    with pytest.raises(ValidationError) as error:
        russian_mod.full_clean()
    assert "parent" in error.value.message_dict


def test_publishing_a_claim_stamps_its_first_publication(incident_topic):
    claim = Claim.objects.create(slug="x", text="X", topic=incident_topic)
    assert claim.published_at is None
    claim.status = Status.PUBLISHED
    claim.save()
    first = claim.published_at
    assert first is not None
    claim.status = Status.DRAFT
    claim.save()
    claim.status = Status.PUBLISHED
    claim.save()
    claim.refresh_from_db()
    assert claim.published_at == first


def test_a_stance_with_a_note_of_many_kilobytes_is_saved(seeded):
    """No index holds a stance's note: PostgreSQL refuses an index entry over about 2.7 KB,
    and a curator's long note would make the stance impossible to save."""
    stance = Stance.objects.first()
    letters, rng = "абвгдежзийклмнопрстуфхцчшщэюя ✓✗⁂", random.Random(1)
    note = "".join(rng.choice(letters) for _ in range(9000))  # little for compression to take
    stance.note = note
    stance.save()
    stance.refresh_from_db()
    assert stance.note == note
