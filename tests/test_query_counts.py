"""A page's or an API list's number of queries does not grow with the number of rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Correction, StanceValue
from claims.services import set_stance
from publishing.cache import start_afresh
from sources.models import Article, Outlet, Party, Place

from .conftest import DISPUTE_SIZE, make_statement

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


def built_afresh(client, url: str) -> int:
    """The queries of a page built when nothing kept for it is current: no page, nothing
    remembered."""
    start_afresh()
    return count_queries(client, url)


def test_query_counts_do_not_grow_with_rows(client, dispute, django_assert_max_num_queries):
    dispute(0, 1)
    with_one_row = {url: built_afresh(client, url) for url in URLS}
    dispute(1, DISPUTE_SIZE)
    for url in URLS:
        start_afresh()
        with django_assert_max_num_queries(with_one_row[url], info=url):
            response = client.get(url)
        assert response.status_code == 200
    page = client.get("/claims/main/").content.decode()
    assert page.count('class="statement"') == 2 * DISPUTE_SIZE


@pytest.mark.parametrize(
    "url", ["/api/v1/claims/", "/api/v1/statements/", "/api/v1/parties/", "/api/v1/articles/"]
)
def test_api_list_queries_do_not_grow_with_page_size(
    client, dispute, django_assert_max_num_queries, url
):
    dispute(0, DISPUTE_SIZE)
    main, party = Claim.objects.get(slug="main"), Party.objects.get(slug="prolific")
    for number in range(10):
        article = Article.objects.create(
            slug=f"more-{number}", title="More", outlet=Outlet.objects.first(), body="Words said."
        )
        statement = make_statement(article, party, "Words said.")
        set_stance(claim=main, statement=statement, value=StanceValue.NEUTRAL)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{url}?page_size=1").status_code == 200
    with django_assert_max_num_queries(len(one)):
        response = client.get(f"{url}?page_size=100")
    assert len(response.json()["results"]) > 1


def test_a_claim_page_asks_for_places_corrections_and_credits_only_when_it_has_them(
    client, dispute, afp, django_capture_on_commit_callbacks
):
    dispute(0, 3)
    Article.objects.get(slug="long").wire_credits.remove(afp)
    bare = count_queries(client, "/claims/main/")
    with django_capture_on_commit_callbacks(execute=True):
        main = Claim.objects.get(slug="main")
        place = Place.objects.create(slug="tarsk", name="Tarsk")
        place.alternative_names.create(name="Tarsque", used_by="Side 1")
        main.places.add(place)
        Correction.objects.create(claim=main, text="The date was wrong.")
        Article.objects.get(slug="long").wire_credits.add(afp)
    # One query more for each: places, their other names, corrections, wire credits.
    assert count_queries(client, "/claims/main/") == bare + 4
    page = client.get("/claims/main/").content.decode()
    assert "Tarsque" in page and "The date was wrong." in page and afp.name in page


def test_a_list_page_reads_the_versions_of_what_it_shows_once(client, dispute):
    """The page cache's lookup reads the keys every list page shares with the page's own; the
    list's remembered counts and choices then ask no more."""
    dispute(0, 3)
    for url in ("/claims/?contested=true", "/claims/?topic=farukh-parukh-incident-2022", "/"):
        start_afresh()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        versions = [q for q in queries if "publishing_dependencyversion" in q["sql"]]
        assert len(versions) == 1, url
