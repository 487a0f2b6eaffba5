"""A claim page or a list built again re-renders only the rows whose content changed."""

from contextlib import contextmanager

from django.test.signals import template_rendered

from claims.models import Claim, Stance
from publishing.fragments import CLAIM_ROW_TEMPLATE, ROW_TEMPLATE

from .test_cache_freshness import ZONE, body, set_and_save

PAGE = f"/claims/{ZONE}/"


@contextmanager
def rows_rendered(name: str = ROW_TEMPLATE):
    """The rows rendered inside the block (statement rows, unless another template is named),
    as a list that fills as they are."""
    rendered: list[dict] = []

    def note(sender, template, context, **kwargs) -> None:
        if template.name == name:
            rendered.append(context.flatten())

    template_rendered.connect(note)
    try:
        yield rendered
    finally:
        template_rendered.disconnect(note)


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
    assert [context["row"]["id"] for context in again] == [stance.statement.html_id]
    assert "A note added later" in body(response)


def test_a_renamed_party_renders_its_rows_again(client, seeded, committed):
    client.get(PAGE)
    stance = Stance.objects.filter(claim__slug=ZONE).order_by("pk").first()
    party = stance.statement.party
    committed(lambda: set_and_save(party, name="Renamed ministry"))
    with rows_rendered() as again:
        page = body(client.get(PAGE))
    assert stance.statement.html_id in [context["row"]["id"] for context in again]
    assert page.count("Renamed ministry") >= 1


def test_a_list_built_again_renders_only_the_row_of_the_claim_that_changed(
    client, seeded, committed
):
    listed = Claim.objects.published().count()
    with rows_rendered(CLAIM_ROW_TEMPLATE) as first:
        client.get("/claims/")
    assert len(first) == listed > 1
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    with rows_rendered(CLAIM_ROW_TEMPLATE) as again:
        page = body(client.get("/claims/"))
    assert [context["row"]["url"] for context in again] == [PAGE]
    assert "Reworded claim" in page


def test_a_party_renamed_shows_on_the_badges_of_every_list(client, seeded, committed):
    client.get("/claims/")
    party = Stance.objects.filter(claim__slug=ZONE).first().statement.party
    committed(lambda: set_and_save(party, name="Renamed ministry"))
    with rows_rendered(CLAIM_ROW_TEMPLATE) as again:
        page = body(client.get("/claims/"))
    assert PAGE in [context["row"]["url"] for context in again]
    assert "Renamed ministry" in page
