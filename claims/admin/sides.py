"""A party's side, chosen from the sides in use: readers see each side as a heading, so a second
spelling of one would split it in two."""

from functools import partial

from django import forms
from django.core.exceptions import ValidationError

from ..services import sides_in_use

NEW_SIDE_HELP = "Only for a side no party has yet; to respell one, rename it on the Sides screen."


def parties(count: int) -> str:
    return "1 party" if count == 1 else f"{count} parties"


def side_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(side, f"{side} ({parties(count)})") for side, count in sides_in_use()]


class SideInUse(forms.ChoiceField):
    """The sides parties have, each with its number of parties, as they are when the form is
    shown and checked."""

    def __init__(self, *, blank: str, **kwargs) -> None:
        super().__init__(required=False, choices=partial(side_choices, blank), **kwargs)


def chosen_side(in_use: str, typed: str) -> str:
    """The side a curator chose: one in use, or a new one typed (spelled as the side in use when
    only letter case or spacing differ)."""
    typed = " ".join(typed.split())
    if not typed:
        if not in_use:
            raise ValidationError("Choose a side in use, or type a new one.")
        return in_use
    same = [side for side, _ in sides_in_use() if side.casefold() == typed.casefold()]
    typed = same[0] if same else typed
    if in_use and in_use != typed:
        raise ValidationError(
            f"Choose the side “{in_use}” or type the new side “{typed}”, not both."
        )
    return typed
