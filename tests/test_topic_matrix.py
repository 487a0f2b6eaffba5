"""A big topic's matrix stays readable: a page of claims, the parties that spoke most on them."""

import re

from .conftest import DISPUTE_SIZE

TOPIC = "/topics/farukh-parukh-incident-2022/"


def columns(page: str) -> list[str]:
    return re.findall(r'<th scope="col"><a href="/parties/([^/]+)/">', page)


def test_the_matrix_pages_claims_and_keeps_the_busiest_parties(client, dispute):
    dispute(0, DISPUTE_SIZE)
    first = client.get(TOPIC).content.decode()
    assert first.count('<th scope="row">') == 25
    assert "Page 1 of 3" in first
    assert columns(first) == ["prolific"]  # the only party speaking on the newest claims
    last = client.get(f"{TOPIC}?page=3").content.decode()
    assert last.count('<th scope="row">') == DISPUTE_SIZE + 1 - 50
    assert len(columns(last)) == 12 and "prolific" in columns(last)
    assert "39 other parties spoke on them too" in last
    assert client.get(f"{TOPIC}?page=abc").status_code == 200
