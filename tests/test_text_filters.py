"""The publishing tags' shortcuts give what Django's own filters give."""

import json

import pytest
from django.template.defaultfilters import truncatechars

from publishing.templatetags.publishing import json_ld, truncated

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
    assert truncated("x" * 100, "eighty") == truncatechars("x" * 100, "eighty") == "x" * 100


TRICKY = [
    "plain words",
    'quotes " and \\ backslashes',
    "control \x00\x01\x1f characters, a tab\t, a new line\n, a return\r, \b and \f",
    "line and paragraph separators \u2028 \u2029",
    "non-ASCII: Kəlbəcər, Şuşa, «Arsakh», an emoji 🛰 and a lone \ufeff",
    "</script><!-- and <script> & ampersands",
]


def test_json_ld_writes_what_the_standard_librarys_json_writes_escaped_for_a_script():
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"text": text, "n": index, "ok": True, "none": None}
            for index, text in enumerate(TRICKY)
        ],
        "nested": {"list": [1, 2.5, -3, "x"]},
    }
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E")):
        expected = expected.replace(character, escaped)
    written = json_ld(data)
    assert written == expected
    assert "</script" not in written and "<!--" not in written
    assert json.loads(written) == data


@pytest.mark.parametrize("value", ["a lone surrogate \ud800 in it", 2**70])
def test_json_ld_writes_what_orjson_refuses_as_the_standard_library_does(value):
    data = {"text": value}
    assert json_ld(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
