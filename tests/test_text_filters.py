"""The publishing tags' shortcuts give what Django's own filters give."""

import pytest
from django.template.defaultfilters import truncatechars

from publishing.templatetags.publishing import truncated

TEXTS = [
    "",
    "Short claim.",
    "x" * 79,
    "x" * 80,
    "x" * 81,
    "Troops crossed the line of contact near the village before dawn, the ministry said on Monday.",
    "Cafe\u0301 owners near the border say shelling resumed",  # decomposed: NFC composes it
    "Caf\u00e9 " * 30,
    "e\u0301" * 90,  # 90 letters written as 180 characters
    "Kəlbəcər, Xankəndi and Şuşa: three names in dispute",
    '<b>tags</b> & "quotes" stay as they are: escaping is the template\'s',
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [0, 1, 10, 80, 95, 150])
def test_truncated_gives_what_truncatechars_gives(text, length):
    assert truncated(text, length) == truncatechars(text, length)


def test_truncated_takes_the_length_as_the_template_writes_it():
    assert truncated("x" * 100, "80") == truncatechars("x" * 100, "80")
