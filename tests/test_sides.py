"""A party's side is chosen from the sides in use, each shown with its number of parties, or a
new one is added; renaming a side renames it on every party, each in its history."""

import pytest
from django.urls import reverse
from reversion.models import Version

from sources.models import Party

from .conftest import form_data, messages_of
from .pages import page_of

ADD = reverse("admin:sources_party_add")
SIDES = reverse("admin:sources_party_sides")


def new_party(client, **fields) -> object:
    data = form_data(client.get(ADD))
    data.update(name="Armenian Foreign Ministry", slug="armenian-foreign-ministry", kind="ministry")
    data.update(fields)
    return client.post(ADD, data)


def side_options(client) -> list[str]:
    select = next(
        element
        for element in page_of(client.get(ADD)).find_all("select")
        if element.attributes.get("name") == "side"
    )
    return [option.text for option in select.find_all("option")]


def test_the_sides_in_use_are_offered_with_their_number_of_parties(
    curator_client, russian_mod, azerbaijani_mod
):
    Party.objects.create(
        slug="russian-government", name="Russian government", side="Russia", kind="government"
    )
    assert side_options(curator_client) == [
        "— a new side, typed beside —",
        "Azerbaijan (1 party)",
        "Russia (2 parties)",
    ]


def test_a_party_takes_a_side_in_use_or_a_new_one(curator_client, russian_mod):
    assert new_party(curator_client, side="Russia").status_code == 302
    assert Party.objects.get(slug="armenian-foreign-ministry").side == "Russia"
    Party.objects.filter(slug="armenian-foreign-ministry").delete()
    assert new_party(curator_client, side="", new_side="  Armenia ").status_code == 302
    assert Party.objects.get(slug="armenian-foreign-ministry").side == "Armenia"


def test_a_new_side_spelled_like_one_in_use_is_that_side(curator_client, russian_mod):
    assert new_party(curator_client, side="", new_side="russia").status_code == 302
    assert Party.objects.get(slug="armenian-foreign-ministry").side == "Russia"


@pytest.mark.parametrize(
    ("side", "new_side", "message"),
    [
        ("", "", "Choose a side in use, or type a new one."),
        ("Russia", "Armenia", "Choose the side “Russia” or type the new side “Armenia”, not both."),
        ("Narnia", "", "Select a valid choice. Narnia is not one of the available choices."),
    ],
)
def test_a_side_is_one_in_use_or_one_new_one(curator_client, russian_mod, side, new_side, message):
    response = new_party(curator_client, side=side, new_side=new_side)
    assert response.status_code == 200
    assert message in page_of(response).text
    assert not Party.objects.filter(slug="armenian-foreign-ministry").exists()


def test_renaming_a_side_renames_it_on_every_party_each_in_its_history(
    curator_client, curator, russian_mod, azerbaijani_mod
):
    government = Party.objects.create(
        slug="russian-government", name="Russian government", side="Russia", kind="government"
    )
    response = curator_client.post(
        SIDES, {"side": "Russia", "to": "Russian Federation"}, follow=True
    )
    assert messages_of(response) == ["The side “Russia” is now “Russian Federation” on 2 parties."]
    for party in (russian_mod, government):
        party.refresh_from_db()
        assert party.side == "Russian Federation"
        [version] = Version.objects.get_for_object(party)
        assert version.revision.user == curator
        assert version.revision.get_comment() == "Side “Russia” renamed “Russian Federation”."
    azerbaijani_mod.refresh_from_db()
    assert azerbaijani_mod.side == "Azerbaijan"
    rows = page_of(curator_client.get(SIDES)).region("Sides in use").rows
    assert [(row[0].text, row[1].text) for row in rows[1:]] == [
        ("Azerbaijan", "1 party"),
        ("Russian Federation", "2 parties"),
    ]


def test_renaming_a_side_to_one_in_use_merges_the_two_spellings(
    curator_client, russian_mod, azerbaijani_mod
):
    Party.objects.filter(pk=azerbaijani_mod.pk).update(side="Rusia")
    curator_client.post(SIDES, {"side": "Rusia", "to": "Russia"})
    assert set(Party.objects.values_list("side", flat=True)) == {"Russia"}


def test_a_side_is_not_renamed_to_nothing(curator_client, russian_mod):
    response = curator_client.post(SIDES, {"side": "Russia", "to": "  "}, follow=True)
    assert messages_of(response) == ["Give the side a name."]
    russian_mod.refresh_from_db()
    assert russian_mod.side == "Russia"


def test_the_sides_screen_is_for_those_who_change_parties(client, db):
    response = client.get(SIDES)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
