"""A big topic's matrix stays readable: a page of claims, the parties that spoke most."""

import re

from .conftest import DISPUTE_SIZE

TOPIC = "/topics/farukh-parukh-incident-2022/"


def test_the_matrix_pages_claims_and_keeps_the_busiest_parties(client, dispute):
    dispute(0, DISPUTE_SIZE)
    first = client.get(TOPIC).content.decode()
    assert first.count('<th scope="row">') == 25
    columns = re.findall(r'<th scope="col"><a href="/parties/([^/]+)/">', first)
    assert len(columns) == 12
    assert "prolific" in columns  # it spoke 2 x 50 times, more than anyone
    assert "39 other parties spoke on it too" in first
    assert "Page 1 of 3" in first
    last = client.get(f"{TOPIC}?page=3").content.decode()
    assert last.count('<th scope="row">') == DISPUTE_SIZE + 1 - 50
    assert client.get(f"{TOPIC}?page=abc").status_code == 200
