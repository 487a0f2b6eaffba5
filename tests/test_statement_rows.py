"""A claim page built again re-renders only the statement rows whose content changed."""

from contextlib import contextmanager

import pytest
from django.test.signals import template_rendered

from claims.models import Claim, Stance
from publishing.fragments import ROW_TEMPLATE

from .test_cache_freshness import ZONE, body, set_and_save

PAGE = f"/claims/{ZONE}/"


@contextmanager
def rows_rendered():
    """The statement rows rendered inside the block, as a list that fills as they are."""
    rendered: list[dict] = []

    def note(sender, template, context, **kwargs) -> None:
        if template.name == ROW_TEMPLATE:
            rendered.append(context.flatten())

    template_rendered.connect(note)
    try:
        yield rendered
    finally:
        template_rendered.disconnect(note)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(write) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            write()

    return run


def test_a_page_built_again_takes_its_rows_from_the_cache(client, seeded, committed):
    stances = Stance.objects.filter(claim__slug=ZONE).count()
    with rows_rendered() as first:
        client.get(PAGE)
    assert len(first) == stances > 1
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    with rows_rendered() as again:
        response = client.get(PAGE)
    assert response["X-Cache"] == "miss" and "Reworded claim" in body(response)
    assert again == []


def test_a_changed_note_renders_that_row_alone(client, seeded, committed):
    client.get(PAGE)
    stance = Stance.objects.filter(claim__slug=ZONE).order_by("pk").first()
    committed(lambda: set_and_save(stance, note="A note added later"))
    with rows_rendered() as again:
        response = client.get(PAGE)
    assert [context["stance"].pk for context in again] == [stance.pk]
    assert "A note added later" in body(response)


def test_a_renamed_party_renders_its_rows_again(client, seeded, committed):
    client.get(PAGE)
    stance = Stance.objects.filter(claim__slug=ZONE).order_by("pk").first()
    party = stance.statement.party
    committed(lambda: set_and_save(party, name="Renamed ministry"))
    with rows_rendered() as again:
        page = body(client.get(PAGE))
    assert stance.pk in [context["stance"].pk for context in again]
    assert page.count("Renamed ministry") >= 1
