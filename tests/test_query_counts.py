"""A page's number of queries does not grow with the number of rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Stance, StanceValue, Status
from sources.models import Article, Party

from .conftest import make_statement

SIZE = 50


@pytest.fixture
def dispute(deutsche_welle, afp, incident_topic):
    """A growing dispute: one article; per row k, a party's sentence k bearing on the main claim
    and a prolific party's words "thing k" bearing on claim k of its own."""
    body = "\n\n".join(f"Party {k} said thing {k} today." for k in range(SIZE))
    article = Article.objects.create(slug="long", title="Long", outlet=deutsche_welle, body=body)
    article.wire_credits.add(afp)
    main = Claim.objects.create(
        slug="main", text="The main claim", topic=incident_topic, status=Status.PUBLISHED
    )
    prolific = Party.objects.create(
        slug="prolific", name="Prolific", side="Russia", kind="ministry"
    )

    def grow(start: int, stop: int) -> None:
        for k in range(start, stop):
            party = Party.objects.create(
                slug=f"party-{k}", name=f"Party {k}", side=f"Side {k % 3}", kind="person"
            )
            sentence = make_statement(
                article, party, f"Party {k} said thing {k} today.", said_on=None
            )
            Stance.objects.create(claim=main, statement=sentence, value=StanceValue.values[k % 4])
            words = make_statement(article, prolific, f"thing {k} today")
            claim = Claim.objects.create(
                slug=f"claim-{k}", text=f"Claim {k}", topic=incident_topic, status=Status.PUBLISHED
            )
            Stance.objects.create(claim=claim, statement=words, value=StanceValue.SUPPORTS)
            Stance.objects.create(claim=main, statement=words, value=StanceValue.REFUTES)

    return grow


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
    dispute(1, SIZE)
    for url in URLS:
        with django_assert_max_num_queries(with_one_row[url]):
            response = client.get(url)
        assert response.status_code == 200
    page = client.get("/claims/main/").content.decode()
    assert page.count('class="statement"') == 2 * SIZE
