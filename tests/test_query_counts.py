"""A page's number of queries does not grow with the number of rows it shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import DISPUTE_SIZE

URLS = [
    "/",
    "/claims/",
    "/claims/?party=prolific&stance=supports&q=claim&contested=false&ordering=contested",
    "/claims/main/",
    "/parties/",
    "/parties/prolific/",
    "/articles/",
    "/articles/long/",
    "/topics/",
    "/topics/farukh-parukh-incident-2022/",
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_query_counts_do_not_grow_with_rows(client, dispute, django_assert_max_num_queries):
    dispute(0, 1)
    with_one_row = {url: count_queries(client, url) for url in URLS}
    dispute(1, DISPUTE_SIZE)
    for url in URLS:
        with django_assert_max_num_queries(with_one_row[url]):
            response = client.get(url)
        assert response.status_code == 200
    page = client.get("/claims/main/").content.decode()
    assert page.count('class="statement"') == 2 * DISPUTE_SIZE
