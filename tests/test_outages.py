"""The database may restart at any moment: cached pages are still served, a reader who needs
the database waits for it or gets the 503 page, never a 500; and the server as deployed goes
through a Redis restart with nothing stale. /healthz tells an operator what is missing."""

import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
import yaml
from django.db import connection, connections
from django.test import Client

from claims.models import Claim

from .production import BASE_DIR, database_url, fetch, free_port, production_environment, serving
from .test_redis_outages import ZONE, running_redis, unpublish, use_redis

# The database ---------------------------------------------------------------------------------


@pytest.fixture
def database_outage(committed_seeds, tmp_path, settings):
    """Switches the database off and on: its address then leads nowhere, as while it restarts."""
    real = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        unreachable = {"NAME": str(tmp_path / "missing" / "db.sqlite3")}
    else:
        unreachable = {"PORT": str(free_port())}
    settings.DATABASE_RETRY_SECONDS = 0

    class Outage:
        def start(self) -> None:
            connection.close()
            connection.settings_dict.update(unreachable)

        def end(self) -> None:
            connection.settings_dict.update(real)

    outage = Outage()
    yield outage
    outage.end()
    connection.close()


@pytest.fixture(params=["memory", "redis"])
def any_cache(request, settings, tmp_path) -> Iterator[None]:
    if request.param == "memory":
        yield
        return
    with running_redis(tmp_path, persistent=False) as server:
        use_redis(server, settings)
        yield


def test_cached_pages_are_served_while_the_database_is_down(client, database_outage, any_cache):
    for url in [f"/claims/{ZONE}/", "/claims/", f"/api/v1/claims/{ZONE}/", "/feeds/claims/"]:
        client.get(url)
    database_outage.start()
    for url in [f"/claims/{ZONE}/", "/claims/", f"/api/v1/claims/{ZONE}/", "/feeds/claims/"]:
        response = client.get(url)
        assert response.status_code == 200 and response["X-Cache"] == "hit", url


def test_a_page_that_needs_the_database_gets_the_503_page_while_it_is_down(database_outage):
    database_outage.start()
    response = Client(raise_request_exception=False).get(
        "/claims/?q=withdraw", HTTP_HOST="127.0.0.1"
    )
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Back in a moment" in page and 'rel="stylesheet"' in page
    assert "Content-Security-Policy" in response


def test_healthz_answers_503_while_the_database_is_down(client, database_outage):
    database_outage.start()
    health = client.get("/healthz")
    assert health.status_code == 503
    lines = health.content.decode().splitlines()
    assert lines[0] == "unavailable"
    assert any(line.startswith("database: unavailable") for line in lines)


def test_a_reader_waiting_for_the_database_gets_the_page_once_it_is_back(database_outage, settings):
    settings.DATABASE_RETRY_SECONDS = 10
    database_outage.start()
    threading.Timer(0.5, database_outage.end).start()
    started = time.monotonic()
    response = Client(raise_request_exception=False).get(
        "/claims/?q=withdraw", HTTP_HOST="127.0.0.1"
    )
    assert response.status_code == 200
    assert 0.4 < time.monotonic() - started < 10


def test_a_write_while_the_database_is_down_gets_503_at_once(database_outage, settings):
    settings.DATABASE_RETRY_SECONDS = 10
    database_outage.start()
    started = time.monotonic()
    response = Client(raise_request_exception=False).post(
        "/admin/login/", {"username": "someone", "password": "secret"}, HTTP_HOST="127.0.0.1"
    )
    assert response.status_code == 503
    assert time.monotonic() - started < 5


def test_a_kept_connection_lost_in_a_restart_is_replaced_not_answered_from_the_mirror(
    committed_seeds, client, monkeypatch
):
    """A public page asks the database its versions without Django's `SELECT 1` check of a
    kept connection first (a round trip spared). A connection lost in a restart fails that
    question, which is then asked on a new one: the page is never judged current from the
    cache's mirror of the version while the database is up, however far the mirror lags."""
    if connection.vendor != "postgresql":
        pytest.skip("A server to restart is PostgreSQL's.")
    from publishing.cache import MIRROR_KEY, page_cache

    assert client.get(f"/claims/{ZONE}/")["X-Cache"] == "miss"
    lagging = page_cache().get(MIRROR_KEY)
    claim = Claim.objects.get(slug=ZONE)
    claim.text = "The wording as corrected after the restart."
    claim.save()
    page_cache().set(MIRROR_KEY, lagging, timeout=None)  # as if its raise were still to come
    checks = []
    database = connections["default"]
    real_check = database.is_usable
    monkeypatch.setattr(database, "is_usable", lambda: checks.append(1) or real_check())
    with psycopg.connect(database_url(connection.settings_dict)) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    connection.close_if_unusable_or_obsolete()  # as each request begins (Client skips it)

    response = client.get(f"/claims/{ZONE}/")

    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert "The wording as corrected after the restart." in response.content.decode()
    assert checks == []


# The server as deployed ---------------------------------------------------------------------


def test_compose_checks_the_web_service_with_bin_healthcheck():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    assert "bin/healthcheck" in compose["services"]["web"]["healthcheck"]["test"]


@pytest.fixture(scope="module")
def server_with_redis(django_db_setup, collected_static, tmp_path_factory):
    """The production server with its page cache in a persistent Redis of its own."""
    with running_redis(tmp_path_factory.mktemp("redis"), persistent=True) as redis_server:
        environment = production_environment(
            DATABASE_URL=database_url(connection.settings_dict),
            STATIC_ROOT=str(collected_static),
            CACHE_URL=redis_server.url,
            CACHE_RETRY_SECONDS="0",
            EXPORT_ROOT=str(tmp_path_factory.mktemp("exports")),
        )
        log = tmp_path_factory.mktemp("server") / "server.log"
        with serving(environment, log) as base_url:
            environment["GUNICORN_BIND"] = base_url.removeprefix("http://")
            yield base_url, redis_server, environment


@pytest.mark.django_db(transaction=True)
def test_the_server_serves_through_a_redis_restart_and_never_brings_back_an_unpublished_claim(
    server_with_redis, committed_seeds
):
    base_url, redis_server, environment = server_with_redis
    for _ in range(2):
        assert ZONE in fetch(base_url, "/claims/").text
    redis_server.stop()
    for path in [f"/claims/{ZONE}/", "/claims/", "/api/v1/claims/", "/claims/stances.csv"]:
        assert fetch(base_url, path).status == 200, path
    healthcheck = subprocess.run(
        ["bin/healthcheck"], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert healthcheck.returncode == 0 and healthcheck.stdout.startswith("degraded")
    # The editor's write: this process's cache is not the server's Redis, so the mirror of the
    # new version misses it, as when Redis is down at the moment of the commit.
    unpublish(ZONE)
    redis_server.start()
    assert ZONE not in fetch(base_url, "/claims/").text
    assert fetch(base_url, f"/claims/{ZONE}/").status == 404
    healthcheck = subprocess.run(
        ["bin/healthcheck"], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert healthcheck.returncode == 0 and healthcheck.stdout.startswith("ok")


def raw_get(base_url: str, target: bytes) -> int:
    """The status of a GET whose request line holds exactly these bytes, as an attacker sends."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as client:
        client.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            b"Connection: close\r\n\r\n"
        )
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize(
    "target",
    [b"/api/v1/claims/%00/", b"/articles/%FF/", b"/claims/?q=%00", b"/claims/?q=%C3%28"],
)
def test_the_server_answers_nul_bytes_and_broken_utf8_with_400(server_with_redis, target):
    base_url, _, _ = server_with_redis
    assert raw_get(base_url, target) == 400
