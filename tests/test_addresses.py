"""A record read as plain values has the same page as the record's get_absolute_url gives."""

import pytest
from django.test.utils import override_script_prefix

from claims.models import Claim, Topic
from publishing.addresses import page_of, pages_of
from sources.models import Article, Party

MODELS = {
    "sources.article": Article,
    "sources.party": Party,
    "claims.topic": Topic,
    "claims.claim": Claim,
}


@pytest.mark.parametrize("prefix", ["/", "/record/"])
@pytest.mark.parametrize("model", MODELS)
def test_the_pages_of_many_records_are_each_what_their_record_gives(model, prefix):
    with override_script_prefix(prefix):
        page = pages_of(model)
        for slug in ["a", "dw-report-2020", "x_y"]:
            expected = MODELS[model](slug=slug).get_absolute_url()
            assert page(slug) == page_of(model, slug) == expected
            assert expected.startswith(prefix) and slug in expected
