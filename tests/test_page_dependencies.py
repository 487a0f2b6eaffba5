"""A write makes stale only the pages that show what it changed, and a stale page is built by
one worker while the others serve the page it replaces, for a second at most."""

import threading
import time
from contextlib import suppress

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django_redis.cache import RedisCache

from claims.models import Claim, ProposalSet, Stance, Status, Topic
from claims.services import create_statement, recount_stances, save_article, set_stance
from publishing import cache as page_cache
from publishing.serializers import ClaimSerializer
from sources.models import Article, Capture

from .pages import claims_listed, page_of
from .test_cache_freshness import GAS, ZONE, body, set_and_save, warm
from .test_cache_freshness import page_cache as page_cache_kind  # noqa: F401 (both stores)

HOT, OTHER = f"/claims/{ZONE}/", f"/claims/{GAS}/"


def key_of(url: str) -> str:
    """The page cache's key for an anonymous reader's request of this address."""
    request = RequestFactory(HTTP_HOST="127.0.0.1").get(url)  # as the `client` fixture asks
    return page_cache.cache_key(request, resolve(request.path).func.cache_policy)


def building_key(url: str) -> str:
    return "building:" + key_of(url).removeprefix("page:")


def building(url: str, since: float) -> None:
    """As if another worker had begun building this page at `since`."""
    page_cache.page_cache().set(building_key(url), since, timeout=10)


def test_saving_a_claim_leaves_other_claims_pages_cached(client, seeded, committed):
    for url in (HOT, OTHER, "/claims/", "/"):
        warm(client, url)
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    assert client.get(OTHER)["X-Cache"] == "hit"
    for url in (HOT, "/claims/", "/"):
        response = client.get(url)
        assert response["X-Cache"] == "miss", url
        assert "Reworded claim" in body(response), url


LIST_PAGES = ("/", "/claims/", "/topics/", "/parties/", "/articles/")


def test_an_assessment_edit_leaves_pages_of_lists_cached_and_the_data_fresh(
    client, seeded, committed
):
    claim = Claim.objects.get(slug=ZONE)
    data = ("/api/v1/claims/", "/feeds/claims/", "/sitemap-claims.xml")
    for url in (HOT, *LIST_PAGES, *data):
        warm(client, url)
    committed(lambda: set_and_save(claim, assessment="Checked again.", assessment_verdict="True"))
    for url in LIST_PAGES:
        assert client.get(url)["X-Cache"] == "hit", url
    # The claim's page, the API's lists, the feeds and sitemaps show it, or the claim's time.
    assert "Checked again." in body(client.get(HOT))
    assert "Checked again." in body(client.get("/api/v1/claims/"))
    for url in data[1:]:
        assert client.get(url)["X-Cache"] == "miss", url


@pytest.mark.parametrize("change", ["text", "topic", "status"])
def test_a_claim_edit_lists_show_makes_pages_of_lists_stale(client, seeded, committed, change):
    claim = Claim.objects.get(slug=ZONE)
    value = {
        "text": "Reworded claim",
        "topic": Topic.objects.exclude(pk=claim.topic_id).first(),
        "status": Status.DRAFT,
    }[change]
    for url in LIST_PAGES:
        warm(client, url)
    committed(lambda: set_and_save(claim, **{change: value}))
    for url in ("/", "/claims/", "/topics/"):
        assert client.get(url)["X-Cache"] == "miss", url


def test_a_claim_placed_elsewhere_makes_pages_of_lists_stale(client, seeded, committed):
    claim = Claim.objects.get(slug=GAS)
    warm(client, "/claims/")
    committed(lambda: claim.places.clear())
    assert client.get("/claims/")["X-Cache"] == "miss"


def test_a_claim_deleted_makes_pages_of_lists_stale(client, seeded, committed):
    warm(client, "/claims/")
    committed(lambda: Claim.objects.get(slug=GAS).delete())
    response = client.get("/claims/")
    assert response["X-Cache"] == "miss" and GAS not in body(response)


def test_counters_recounted_to_new_numbers_make_pages_of_lists_stale(client, seeded, committed):
    claim = Claim.objects.get(slug=ZONE)
    right = claim.statement_count
    Claim.objects.filter(pk=claim.pk).update(statement_count=right + 7)  # drifted, unannounced
    warm(client, "/claims/")
    committed(lambda: recount_stances(claims=[claim]))
    assert client.get("/claims/")["X-Cache"] == "miss"
    warm(client, "/claims/")
    committed(lambda: recount_stances(claims=[claim]))  # nothing to change this time
    assert client.get("/claims/")["X-Cache"] == "hit"


def test_a_save_of_some_fields_remembers_only_those_as_written(client, seeded, committed):
    claim = Claim.objects.get(slug=ZONE)
    claim.text = "Reworded, not yet saved"
    committed(lambda: claim.save(update_fields=["assessment"]))
    warm(client, "/claims/")
    committed(lambda: claim.save())  # the new wording is written only now
    response = client.get("/claims/")
    assert response["X-Cache"] == "miss" and "Reworded, not yet saved" in body(response)


def test_an_article_edit_makes_stale_the_claims_it_is_quoted_on(client, seeded, committed):
    unquoted = Claim.objects.create(
        slug="unquoted",
        text="Not quoted anywhere",
        status="published",
        topic=Claim.objects.get(slug=GAS).topic,
    )
    for url in (HOT, unquoted.get_absolute_url()):
        warm(client, url)
    committed(lambda: set_and_save(Article.objects.get(), title="Edited headline"))
    assert client.get(unquoted.get_absolute_url())["X-Cache"] == "hit"
    assert "Edited headline" in body(client.get(HOT))


def test_a_party_renamed_makes_every_page_stale(client, seeded, committed):
    for url in (HOT, OTHER):
        warm(client, url)
    party = Claim.objects.get(slug=GAS).stances.first().statement.party
    committed(lambda: set_and_save(party, name="Renamed party"))
    for url in (HOT, OTHER):
        assert client.get(url)["X-Cache"] == "miss", url


def test_writes_readers_never_see_make_nothing_stale(client, seeded, committed):
    warm(client, HOT)
    capture = Capture.objects.first()
    committed(lambda: ProposalSet.objects.update_or_create(capture=capture))
    assert client.get(HOT)["X-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache_kind")
def test_while_one_worker_builds_a_stale_page_the_others_serve_the_old_one(
    client, seeded, committed
):
    warm(client, HOT)
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    building(HOT, since=time.time())
    stale = client.get(HOT)
    assert stale["X-Cache"] == "stale"
    assert "Reworded claim" not in body(stale)


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_is_never_served_stale_for_more_than_a_second(client, seeded, committed):
    warm(client, HOT)
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    building(HOT, since=time.time() - page_cache.STALE_WHILE_BUILDING - 0.1)
    fresh = client.get(HOT)
    assert fresh["X-Cache"] == "miss"
    assert "Reworded claim" in body(fresh)


def test_a_signed_in_curator_never_gets_the_page_being_replaced(
    client, seeded, committed, django_user_model
):
    warm(client, HOT)
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    building(HOT, since=time.time())
    client.force_login(django_user_model.objects.create_user("curator", is_staff=True))
    response = client.get(HOT)
    assert "X-Cache" not in response
    assert "Reworded claim" in body(response)


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_no_one_has_yet_is_waited_for_while_another_worker_builds_it(client, seeded):
    building(HOT, since=time.time())
    done = threading.Timer(0.3, lambda: page_cache.page_cache().delete(building_key(HOT)))
    started = time.monotonic()
    done.start()
    response = client.get(HOT)
    waited = time.monotonic() - started
    # The build ended without a page to share: this worker then builds its own.
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert 0.3 <= waited < page_cache.WAIT_FOR_BUILD


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_another_worker_is_building_is_served_from_its_build(client, seeded):
    built = client.get(HOT)
    entry = page_cache.page_cache().get(key_of(HOT))
    page_cache.page_cache().delete(key_of(HOT))  # evicted, and being built again elsewhere
    building(HOT, since=time.time())

    def stored() -> None:
        page_cache.page_cache().set(key_of(HOT), entry)
        page_cache.page_cache().delete(building_key(HOT))

    done = threading.Timer(0.3, stored)
    started = time.monotonic()
    done.start()
    response = client.get(HOT)
    assert response["X-Cache"] == "hit" and response.content == built.content
    assert 0.3 <= time.monotonic() - started < page_cache.WAIT_FOR_BUILD


class Computations:
    """A remembered value's computation, slow enough for others to ask for it meanwhile; each
    call counted."""

    def __init__(self, seconds: float = 0.2, fails: bool = False) -> None:
        self.seconds, self.fails, self.calls = seconds, fails, 0
        self.lock = threading.Lock()

    def __call__(self) -> list[str]:
        with self.lock:
            self.calls += 1
        time.sleep(self.seconds)
        if self.fails:
            raise RuntimeError("the computation failed")
        return ["computed"]


REMEMBERED = "remembered:choices:7"


@pytest.fixture
def version_seven(monkeypatch):
    """Each thread asks for the remembered value at the same version, as workers do between
    two writes (a thread outside the test's transaction would not see its versions)."""
    monkeypatch.setattr(page_cache, "newest_version", lambda keys: 7)


@pytest.mark.usefixtures("page_cache_kind", "version_seven")
def test_a_value_remembered_for_many_pages_is_computed_once_while_the_others_wait():
    compute, answers = Computations(), []

    def ask() -> None:
        answers.append(page_cache.remembered("choices", compute))

    askers = [threading.Thread(target=ask) for _ in range(4)]
    started = time.monotonic()
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert compute.calls == 1
    assert answers == [["computed"]] * 4
    assert time.monotonic() - started < page_cache.WAIT_FOR_BUILD / 2
    assert page_cache.page_cache().get(page_cache.building_key(REMEMBERED)) is None
    assert page_cache.remembered("choices", compute) == ["computed"] and compute.calls == 1


@pytest.mark.usefixtures("page_cache_kind", "version_seven")
def test_a_remembered_value_whose_computation_ended_without_it_is_computed_by_the_waiter():
    page_cache.page_cache().set(page_cache.building_key(REMEMBERED), time.time(), timeout=10)
    done = threading.Timer(
        0.3, lambda: page_cache.page_cache().delete(page_cache.building_key(REMEMBERED))
    )
    compute, started = Computations(seconds=0), time.monotonic()
    done.start()
    assert page_cache.remembered("choices", compute) == ["computed"]
    assert compute.calls == 1
    assert 0.3 <= time.monotonic() - started < page_cache.WAIT_FOR_BUILD
    assert page_cache.page_cache().get(REMEMBERED) == ["computed"]


@pytest.mark.usefixtures("page_cache_kind", "version_seven")
def test_a_failed_computation_of_a_remembered_value_lets_go_of_it():
    with pytest.raises(RuntimeError):
        page_cache.remembered("choices", Computations(seconds=0, fails=True))
    assert page_cache.page_cache().get(page_cache.building_key(REMEMBERED)) is None
    compute, started = Computations(seconds=0), time.monotonic()
    assert page_cache.remembered("choices", compute) == ["computed"]
    assert time.monotonic() - started < page_cache.WAIT_FOR_BUILD / 2


@pytest.mark.usefixtures("page_cache_kind", "version_seven")
def test_when_the_worker_computing_a_remembered_value_dies_one_waiter_takes_it_over():
    page_cache.page_cache().set(page_cache.building_key(REMEMBERED), time.time(), timeout=10)
    died = threading.Timer(
        0.2, lambda: page_cache.page_cache().delete(page_cache.building_key(REMEMBERED))
    )
    compute, answers = Computations(), []
    askers = [
        threading.Thread(target=lambda: answers.append(page_cache.remembered("choices", compute)))
        for _ in range(4)
    ]
    died.start()
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert compute.calls == 1 and answers == [["computed"]] * 4


@pytest.mark.usefixtures("page_cache_kind", "version_seven")
def test_a_remembered_value_that_cannot_be_kept_lets_go_of_it():
    with pytest.raises(Exception, match="pickle"):
        page_cache.remembered("choices", lambda: lambda: "not picklable")
    assert page_cache.page_cache().get(page_cache.building_key(REMEMBERED)) is None


@pytest.mark.usefixtures("page_cache_kind")
def test_a_reader_waiting_for_a_build_never_takes_an_older_page(client, seeded, committed):
    client.get(HOT)
    older = page_cache.page_cache().get(key_of(HOT))
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    page_cache.page_cache().delete(key_of(HOT))
    building(HOT, since=time.time())
    # Another worker stores the page as it was before the write, then ends its build.
    threading.Timer(0.1, lambda: page_cache.page_cache().set(key_of(HOT), older)).start()
    done = threading.Timer(0.3, lambda: page_cache.page_cache().delete(building_key(HOT)))
    done.start()
    response = client.get(HOT)
    assert response["X-Cache"] == "miss" and "Reworded claim" in body(response)


def topics_offered(client) -> list[str]:
    form = page_of(client.get("/claims/?q=x")).region("Filter claims")
    [topic] = [select for select in form.find_all("select") if select.attributes["name"] == "topic"]
    return [option.attributes["value"] for option in topic.find_all("option")]


def test_the_topics_the_filters_offer_follow_every_publication(client, seeded, committed):
    claim = Claim.objects.get(slug=GAS)
    lonely = Topic.objects.create(slug="lonely-topic", name="Lonely topic", parent=None)
    assert lonely.slug not in topics_offered(client)
    committed(lambda: set_and_save(claim, topic=lonely))
    assert lonely.slug in topics_offered(client)
    committed(lambda: set_and_save(claim, status=Status.DRAFT))
    assert lonely.slug not in topics_offered(client)


def test_the_article_list_counts_its_pages_again_after_a_publication(client, site, committed):
    claim = Claim.objects.create(slug="many-sources", text="Many sources.", topic=site.topic)
    for number in range(21):
        article = Article(
            slug=f"report-{number}",
            title=f"Report {number}",
            outlet=site.outlet,
            body="It said so.",
        )
        save_article(article=article)
        statement = create_statement(
            article=article,
            party=site.accuser,
            text="said so",
            mode="paraphrase",
            speaker_label="It",
        )
        set_stance(claim=claim, statement=statement, value="supports")
    before = page_of(client.get("/articles/")).text
    committed(lambda: set_and_save(claim, status=Status.PUBLISHED))
    after = page_of(client.get("/articles/")).text
    assert "Page 1 of" not in before and "Page 1 of 2" in after


def counts_made(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return sum("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_a_filtered_claim_list_is_counted_once_for_all_its_pages_and_orders(client, seeded):
    assert counts_made(client, "/claims/?contested=true") == 1
    assert counts_made(client, "/claims/?contested=true&ordering=statements&page=1") == 0
    assert counts_made(client, "/claims/?contested=false") == 1


def test_a_partys_list_not_counted_yet_is_counted_with_the_page_asked_for(client, site):
    listed = claims_listed(page_of(client.get("/claims/", {"party": site.denier.slug})))
    page_cache.start_afresh()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/claims/", {"party": site.denier.slug})
    [counted] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert '"claims_claim"."slug"' in counted  # the page's claims, with their count
    reads = [q for q in queries.captured_queries if '"claims_claim"."slug"' in q["sql"]]
    assert len(reads) == 1  # and not read again
    assert f"{len(listed)} claims" in page_of(response).text
    assert claims_listed(page_of(response)) == listed
    # Past the end, or not a number: counted apart, and answered as before.
    for page in ("2", "0", "x", "99999999999999999999"):
        page_cache.start_afresh()
        past = client.get("/claims/", {"party": site.denier.slug, "page": page})
        assert past.status_code == 404
        assert "This list fits on one page." in page_of(past).text
    # A list with nothing on its first page is counted by that page alone.
    page_cache.start_afresh()
    with CaptureQueriesContext(connection) as queries:
        empty = client.get("/claims/", {"party": site.denier.slug, "since": "2100-01-01"})
    assert "0 claims" in page_of(empty).text
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counting) == 1 and '"claims_claim"."slug"' in counting[0]
    # Other lists are read in an index's order up to the page's end, and counted apart.
    page_cache.start_afresh()
    with CaptureQueriesContext(connection) as queries:
        client.get("/claims/", {"topic": site.topic.slug})
    [counted] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert '"claims_claim"."slug"' not in counted


def test_a_list_page_reads_the_lists_version_once(client, site):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/claims/", {"topic": site.topic.slug, "contested": "true"})
    assert response.status_code == 200
    versions = [q for q in queries.captured_queries if "'lists'" in q["sql"]]
    assert len(versions) == 1  # for the topics and outlets offered and the count alike


def test_the_claim_list_counts_again_after_a_publication(client, site, committed):
    heading = f"/claims/?topic={site.topic.slug}"
    before = page_of(client.get(heading)).text
    listed = len([claim for claim in site.published_claims if claim.topic == site.topic])
    assert f"{listed} claim" in before
    committed(lambda: set_and_save(site.claim_in_review, status=Status.PUBLISHED))
    assert f"{listed + 1} claims" in page_of(client.get(heading)).text


def test_the_api_list_built_again_after_a_write_serialises_only_the_claim_written(
    client, seeded, committed, monkeypatch
):
    serialised = []
    represent = ClaimSerializer.to_representation
    monkeypatch.setattr(
        ClaimSerializer,
        "to_representation",
        lambda self, claim: serialised.append(claim.slug) or represent(self, claim),
    )
    client.get("/api/v1/claims/")
    assert len(serialised) == Claim.objects.published().count() > 1
    serialised.clear()
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    assert "Reworded claim" in body(client.get("/api/v1/claims/"))
    assert serialised == [ZONE]


def test_the_sitemap_index_gives_the_latest_change_after_every_edit(client, seeded, committed):
    client.get("/sitemap.xml")
    claim = Claim.objects.get(slug=ZONE)
    committed(lambda: set_and_save(claim, text="Reworded claim"))
    claim.refresh_from_db()
    index = body(client.get("/sitemap.xml"))
    assert f"<lastmod>{claim.updated_at.isoformat()}</lastmod>" in index  # to the microsecond


def test_a_bad_filter_never_changes_the_count_of_the_article_list(client, seeded):
    client.get("/articles/?kind=bogus")
    assert "No article of this kind" not in page_of(client.get("/articles/")).text


def test_a_stance_moved_to_another_claim_makes_both_claims_pages_stale(client, seeded, committed):
    for url in (HOT, OTHER):
        warm(client, url)
    stance = Stance.objects.filter(claim__slug=ZONE).order_by("pk").last()
    words = stance.statement.text
    assert words in body(client.get(HOT))
    committed(lambda: set_and_save(stance, claim=Claim.objects.get(slug=GAS)))
    assert client.get(HOT)["X-Cache"] == "miss"
    assert client.get(OTHER)["X-Cache"] == "miss"


def test_a_restored_stance_on_another_claim_makes_both_pages_stale(client, seeded, committed):
    """A restore saves records raw, without loading them first."""
    stance = Stance.objects.filter(claim__slug=ZONE).order_by("pk").last()
    for url in (HOT, OTHER):
        warm(client, url)
    restored = Stance(
        pk=stance.pk,
        statement_id=stance.statement_id,
        value=stance.value,
        note=stance.note,
        created_at=stance.created_at,
        updated_at=stance.updated_at,
    )
    restored.claim = Claim.objects.get(slug=GAS)
    committed(lambda: restored.save_base(raw=True))
    assert client.get(HOT)["X-Cache"] == "miss"
    assert client.get(OTHER)["X-Cache"] == "miss"


def test_a_write_after_a_rolled_back_savepoint_still_makes_its_page_stale(
    client, seeded, committed
):
    warm(client, OTHER)

    def write() -> None:
        set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim")
        with suppress(RuntimeError), transaction.atomic():
            set_and_save(Claim.objects.get(slug=GAS), text="Never kept")
            raise RuntimeError("rolled back")
        set_and_save(Claim.objects.get(slug=GAS), text="Kept wording")

    committed(lambda: transaction.atomic()(write)())
    assert "Kept wording" in body(client.get(OTHER))


def test_a_build_begun_on_a_clock_ahead_of_this_one_is_not_waited_out(client, seeded, committed):
    warm(client, HOT)
    committed(lambda: set_and_save(Claim.objects.get(slug=ZONE), text="Reworded claim"))
    building(HOT, since=time.time() + 5)
    assert "Reworded claim" in body(client.get(HOT))


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_built_is_stored_and_its_build_let_go_of(client, seeded):
    """On either cache store: the next reader gets the page from the cache, and a later
    rebuild is not held up by a build that has ended."""
    first = client.get(HOT)
    assert first["X-Cache"] == "miss"
    assert page_cache.page_cache().get(building_key(HOT)) is None
    stored = page_cache.Entry.read(page_cache.page_cache().get(key_of(HOT)))
    assert stored is not None and stored.content == first.content
    assert client.get(HOT)["X-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_answered_not_modified_without_a_build_holds_no_build(client, seeded):
    """With Redis a lookup that finds no page takes its build; a reader who already holds the
    current page gets 304 instead, and the build taken is let go of at once, so that the next
    reader builds the page rather than waiting for a build that never comes."""
    first = client.get(HOT)
    page_cache.page_cache().delete(key_of(HOT))  # evicted, as a full cache does
    assert client.get(HOT, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert page_cache.page_cache().get(building_key(HOT)) is None
    started = time.monotonic()
    assert client.get(HOT)["X-Cache"] == "miss"
    assert time.monotonic() - started < page_cache.WAIT_FOR_BUILD / 2


@pytest.mark.usefixtures("page_cache_kind")
def test_a_page_built_afresh_asks_redis_twice(client, seeded, monkeypatch):
    """Its lookup takes its build in the same round trip, and storing it lets go of the build:
    each round trip through redis-py costs a page about a tenth of a millisecond of CPU."""
    if not isinstance(page_cache.page_cache(), RedisCache):
        pytest.skip("round trips are Redis's")
    import redis.connection

    client.get(OTHER)  # the cache's mirror of the version, mended once
    sent = []
    real = redis.connection.AbstractConnection.send_packed_command

    def send(connection, command, *args, **kwargs):
        sent.append(command)
        return real(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", send)
    assert client.get(HOT)["X-Cache"] == "miss"
    assert len(sent) == 2
    assert client.get(HOT)["X-Cache"] == "hit"
    assert len(sent) == 3


@pytest.mark.usefixtures("page_cache_kind")
def test_a_redis_that_forgot_the_lookup_script_is_given_it_again(client, seeded):
    if not isinstance(page_cache.page_cache(), RedisCache):
        pytest.skip("scripts are Redis's")
    page_cache.page_cache().client.get_client(write=True).script_flush()
    assert client.get(HOT)["X-Cache"] == "miss"
    assert client.get(HOT)["X-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache_kind")
def test_a_lookup_that_fails_after_taking_a_build_lets_go_of_it(client, seeded, monkeypatch):
    """With Redis the lookup takes a missing page's build before asking the database; if that
    question fails in a way no outage explains, the build is let go of with the error, and the
    next reader builds the page rather than waiting for a build that never comes."""
    from django.db import ProgrammingError
    from django.test import Client

    from publishing.models import DependencyVersion

    def broken(keys):
        raise ProgrammingError("a versions table from some other release")

    with monkeypatch.context() as patched:
        patched.setattr(DependencyVersion, "numbers", broken)
        failed = Client(raise_request_exception=False).get(HOT, HTTP_HOST="127.0.0.1")
    assert failed.status_code == 500
    assert page_cache.page_cache().get(building_key(HOT)) is None
    started = time.monotonic()
    assert client.get(HOT)["X-Cache"] == "miss"
    assert time.monotonic() - started < page_cache.WAIT_FOR_BUILD / 2
