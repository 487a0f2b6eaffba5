"""Pages, feeds and API answers come from the cache, yet any change shows on the next request."""

import socket
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command

from claims.models import (
    Claim,
    Correction,
    Stance,
    StanceValue,
    Statement,
    Status,
    Topic,
)
from claims.services import set_stance
from publishing.models import ContentVersion
from sources.models import Article, Outlet, Party

ZONE = "azerbaijani-troops-entered-peacekeeping-zone"
ARTICLE = "dw-russia-says-azeri-troops-entered-peacekeeping-zone"
GAS = "gas-supplies-cut-off-humanitarian-risk"


REDIS = "redis://127.0.0.1:6379/14"


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["memory", "redis"])
def page_cache(request, settings):
    """Both kinds of page cache: each process's memory, or Redis shared by every server (the
    content version lives in the database either way, mirrored beside the pages)."""
    if request.param == "redis":
        if not redis_answers():
            pytest.skip("no Redis server answers on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS}
        }
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


def body(response) -> str:
    return response.content.decode()


def warm(client, url: str) -> str:
    client.get(url)
    response = client.get(url)
    assert response["X-Cache"] == "hit", url
    return body(response)


def set_and_save(obj, **fields) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def edit_claim_text():
    set_and_save(Claim.objects.get(slug=ZONE), text="Edited claim wording")


def unpublish_claim():
    set_and_save(Claim.objects.get(slug=ZONE), status=Status.IN_REVIEW)


def delete_claim():
    Claim.objects.get(slug=ZONE).delete()


def edit_statement():
    statement = Statement.objects.get(text="one-sided")
    set_and_save(statement, speaker_label="Edited speaker label")


def change_stance():
    stance = Stance.objects.get(statement__text="one-sided", claim__slug=ZONE)
    set_and_save(stance, value=StanceValue.NEUTRAL, note="Edited stance note")


def delete_stance():
    Stance.objects.get(statement__text="one-sided", claim__slug=ZONE).delete()


def add_stance():
    statement = Statement.objects.get(speaker_label="The Armenian government")
    set_stance(
        claim=Claim.objects.get(slug=ZONE), statement=statement, value="neutral", note="Added note"
    )


def rename_party():
    set_and_save(Party.objects.get(slug="azerbaijani-defence-ministry"), name="Renamed ministry")


def edit_article():
    set_and_save(Article.objects.get(), title="Edited headline")


def add_wire_credit():
    outlet = Outlet.objects.create(slug="ap", name="Associated Press", kind="wire_agency")
    Article.objects.get().wire_credits.add(outlet)


def add_correction():
    Correction.objects.create(claim=Claim.objects.get(slug=ZONE), text="Corrected the date.")


def rename_topic():
    set_and_save(Topic.objects.get(slug="farukh-parukh-incident-2022"), name="Renamed topic")


CLAIM, TOPIC = f"/claims/{ZONE}/", "/topics/farukh-parukh-incident-2022/"
CHANGES = [
    (
        edit_claim_text,
        [CLAIM, "/claims/", "/", f"/api/v1{CLAIM}", "/api/v1/claims/", "/feeds/claims/", TOPIC],
        "Edited claim wording",
        None,
    ),
    (
        unpublish_claim,
        ["/claims/", "/", "/api/v1/claims/", "/feeds/claims/", "/sitemap-claims.xml"],
        None,
        ZONE,
    ),
    (
        delete_claim,
        ["/claims/", "/parties/azerbaijani-defence-ministry/", "/api/v1/claims/", TOPIC],
        None,
        ZONE,
    ),
    (
        edit_statement,
        [CLAIM, f"/articles/{ARTICLE}/", "/api/v1/statements/?page_size=100", "/api/v1/claims/"],
        "Edited speaker label",
        None,
    ),
    (
        change_stance,
        [CLAIM, f"/api/v1{CLAIM}", "/api/v1/claims/", "/claims/stances.csv"],
        "Edited stance note",
        None,
    ),
    (change_stance, ["/parties/azerbaijani-defence-ministry/"], "badge--neutral", None),
    (change_stance, [TOPIC], '<a class="cell cell--neutral"', None),
    (delete_stance, [TOPIC], None, '<a class="cell cell--disputes"'),
    (delete_stance, [f"/feeds/claims/{ZONE}/", CLAIM], None, "one-sided"),
    (add_stance, [CLAIM, f"/api/v1{CLAIM}", "/api/v1/claims/"], "Added note", None),
    (add_stance, [f"/feeds/claims/{ZONE}/"], "humanitarian catastrophe", None),
    (add_stance, ["/parties/armenian-government/"], f'href="{CLAIM}"', None),
    (
        rename_party,
        [
            "/parties/",
            CLAIM,
            "/api/v1/parties/",
            "/api/v1/claims/",
            "/topics/nagorno-karabakh-conflict/",
        ],
        "Renamed ministry",
        None,
    ),
    (
        edit_article,
        [f"/articles/{ARTICLE}/", "/articles/", CLAIM, "/api/v1/articles/", "/api/v1/claims/"],
        "Edited headline",
        None,
    ),
    (
        add_wire_credit,
        [f"/articles/{ARTICLE}/", CLAIM, "/api/v1/claims/"],
        "Associated Press",
        None,
    ),
    (add_correction, [CLAIM, f"/api/v1{CLAIM}", "/api/v1/claims/"], "Corrected the date.", None),
    (rename_topic, ["/topics/", "/claims/", "/", "/api/v1/claims/"], "Renamed topic", None),
]


@pytest.mark.parametrize(
    ("change", "urls", "appears", "disappears"),
    CHANGES,
    ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CHANGES)],
)
def test_every_change_shows_on_the_next_request(
    client,
    seeded,
    page_cache,
    django_capture_on_commit_callbacks,
    change,
    urls,
    appears,
    disappears,
):
    for url in urls:
        before = warm(client, url) if not url.endswith(".csv") else None
        if appears and before is not None:
            assert appears not in before, url
    with django_capture_on_commit_callbacks(execute=True):
        change()
    for url in urls:
        response = client.get(url)
        text = (
            b"".join(response.streaming_content).decode() if response.streaming else body(response)
        )
        if appears:
            assert appears in text, url
        if disappears:
            assert disappears not in text, url


def test_publishing_a_claim_shows_it_everywhere_on_the_next_request(
    client, seeded, page_cache, django_capture_on_commit_callbacks
):
    claim = Claim.objects.get(slug=GAS)
    with django_capture_on_commit_callbacks(execute=True):
        set_and_save(claim, status=Status.DRAFT)
    urls = [
        "/claims/",
        "/",
        "/api/v1/claims/",
        "/feeds/claims/",
        "/topics/nagorno-karabakh-conflict/",
    ]
    for url in urls:
        assert GAS not in warm(client, url)
    assert client.get(f"/claims/{GAS}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        set_and_save(claim, status=Status.PUBLISHED)
    for url in urls:
        assert GAS in body(client.get(url)), url
    assert client.get(f"/claims/{GAS}/").status_code == 200


def test_a_cached_page_costs_one_query_the_content_version(
    client, seeded, page_cache, django_assert_num_queries
):
    warm(client, f"/claims/{ZONE}/")
    with django_assert_num_queries(1):
        assert client.get(f"/claims/{ZONE}/")["X-Cache"] == "hit"


def test_conditional_requests_get_304_until_something_changes(
    client, seeded, page_cache, django_capture_on_commit_callbacks
):
    first = client.get(f"/claims/{ZONE}/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(f"/claims/{ZONE}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    with django_capture_on_commit_callbacks(execute=True):
        edit_claim_text()
    changed = client.get(f"/claims/{ZONE}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Edited claim wording" in body(changed)


def test_links_are_on_the_site_address_whatever_the_host_asked_even_from_the_cache(
    client, seeded, settings
):
    settings.SITE_URL = "https://claims.example.org"
    answers = [
        client.get("/api/v1/topics/", HTTP_HOST=host) for host in ["localhost", "127.0.0.1"] * 2
    ]
    assert answers[-1]["X-Cache"] == "hit"
    for answer in map(body, answers):
        assert "https://claims.example.org/api/v1/topics/" in answer
        assert "://localhost" not in answer and "://127.0.0.1" not in answer


def test_cached_pages_keep_their_security_headers(client, seeded):
    warm(client, "/")
    response = client.get("/")
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_page_built_afresh_varies_as_its_cached_copy_does(client, page_cache, seeded):
    """An anonymous reader's session is never read: no page of theirs varies by cookie, so a
    shared cache in front keeps one copy for every reader, whether the page was built afresh
    or served from the page cache."""
    claim = Claim.objects.published().first()
    for url in ["/", claim.get_absolute_url(), "/claims/?q=shelling"]:
        built, cached = client.get(url), client.get(url)
        assert (built["X-Cache"], cached["X-Cache"]) == ("miss", "hit"), url
        assert built["Vary"] == cached["Vary"] == "Accept-Encoding", url


def test_the_admin_is_never_cached(client, seeded):
    client.get("/admin/login/")
    assert "X-Cache" not in client.get("/admin/login/")


def test_a_version_number_set_back_by_a_restore_never_comes_again(client, seeded):
    warm(client, "/claims/")
    cached_under = ContentVersion.current()
    ContentVersion.objects.update(number=cached_under - 1)  # as a database dump restored would
    edit_claim_text()  # the next write counts on from the old number...
    assert ContentVersion.current() > cached_under  # ...yet never reaches one used before
    assert "Edited claim wording" in body(client.get("/claims/"))


def test_clear_page_cache_makes_every_cached_page_stale(client, seeded):
    warm(client, "/claims/")
    call_command("clear_page_cache", stdout=StringIO())
    assert client.get("/claims/")["X-Cache"] == "miss"
