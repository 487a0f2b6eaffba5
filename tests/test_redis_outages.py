"""Redis may go away at any moment, and come back with its data or without: readers still get
every page, never a 500 and never one older than a committed write, and /healthz says the site is
degraded meanwhile."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.test import Client

from claims.models import Claim, Status
from config.middleware import LOCAL_COUNTS
from publishing import cache

from .production import free_port

ZONE = "azerbaijani-troops-entered-peacekeeping-zone"
GAS = "gas-supplies-cut-off-humanitarian-risk"
PAGES = [
    f"/claims/{ZONE}/",
    "/claims/",
    "/claims/?q=drone",
    "/",
    f"/api/v1/claims/{ZONE}/",
    "/api/v1/claims/",
    "/feeds/claims/",
    "/sitemap.xml",
    "/claims/export.csv",
    "/claims/stances.csv",
]


class RedisServer:
    """A Redis of the test's own on a loopback port, to stop and start again. With
    `persistent`, it writes every command to its append-only file and comes back with its
    data, as after a restart, a failover or a network blip; without, it comes back empty."""

    def __init__(self, directory: Path, persistent: bool) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if persistent else []
        self.command = [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(directory),
            "--save",
            "",
            *persistence,
        ]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                # Answers PING only once its data is loaded.
                client.ping()
                return
            except redis.exceptions.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextmanager
def running_redis(directory: Path, persistent: bool) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(directory, persistent)
    server.start()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


@pytest.fixture(params=[True, False], ids=["persistent", "not-persistent"])
def redis_server(request, tmp_path) -> Iterator[RedisServer]:
    with running_redis(tmp_path, persistent=request.param) as server:
        yield server


def use_redis(server: RedisServer, settings) -> RedisServer:
    """The page cache in that Redis, tried again at once after a failure."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
    settings.CACHE_RETRY_SECONDS = 0
    cache.pause.until = 0
    return server


@pytest.fixture
def redis_cache(redis_server, settings) -> RedisServer:
    return use_redis(redis_server, settings)


def text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def unpublish(slug: str) -> None:
    claim = Claim.objects.get(slug=slug)
    claim.status = Status.IN_REVIEW
    claim.save()


def reader_sees(client: Client, slug: str) -> list[str]:
    """The pages that still show the claim."""
    return [
        url
        for url in [f"/claims/{slug}/", "/claims/", "/", "/api/v1/claims/", "/feeds/claims/"]
        if (response := client.get(url)).status_code == 200 and slug in text(response)
    ]


# Redis ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_while_redis_is_down(client, seeded, redis_cache, url):
    client.get(url)
    redis_cache.stop()
    response = client.get(url)
    assert response.status_code == 200, url
    text(response)


def test_pages_come_from_the_cache_again_once_redis_is_back(client, seeded, redis_cache):
    redis_cache.stop()
    assert client.get(f"/claims/{ZONE}/")["X-Cache"] == "unavailable"
    redis_cache.start()
    client.get(f"/claims/{ZONE}/")
    assert client.get(f"/claims/{ZONE}/")["X-Cache"] == "hit"


def test_healthz_says_degraded_without_redis_and_ok_with_it(client, seeded, redis_cache):
    redis_cache.stop()
    health = client.get("/healthz")
    assert health.status_code == 200
    lines = health.content.decode().splitlines()
    assert lines[0] == "degraded"
    assert "database: ok" in lines
    assert any(line.startswith("cache: unavailable") for line in lines)
    redis_cache.start()
    assert client.get("/healthz").content.decode().splitlines()[:3] == [
        "ok",
        "database: ok",
        "cache: ok",
    ]


def test_an_unpublish_while_redis_is_down_stays_unpublished_when_redis_returns(
    client, seeded, redis_cache, django_capture_on_commit_callbacks
):
    """Redis comes back with its data (persistent) or without (not persistent): either way the
    pages it held, built before the write, are never served again."""
    assert reader_sees(client, ZONE) and reader_sees(client, ZONE)  # cached now
    redis_cache.stop()
    with django_capture_on_commit_callbacks(execute=True):
        unpublish(ZONE)  # commits, although its mirror cannot reach Redis
    assert reader_sees(client, ZONE) == []
    redis_cache.start()
    assert reader_sees(client, ZONE) == []
    assert client.get(f"/claims/{ZONE}/").status_code == 404


def test_a_write_made_while_redis_is_down_shows_once_it_is_back(
    client, seeded, redis_cache, django_capture_on_commit_callbacks
):
    client.get(f"/claims/{GAS}/")
    redis_cache.stop()
    with django_capture_on_commit_callbacks(execute=True):
        claim = Claim.objects.get(slug=GAS)
        claim.text = "Edited while Redis was down."
        claim.save()
    redis_cache.start()
    assert "Edited while Redis was down." in text(client.get(f"/claims/{GAS}/"))


def test_the_api_limit_is_counted_in_each_process_while_redis_is_down(
    seeded, redis_cache, monkeypatch
):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    LOCAL_COUNTS.clear()
    redis_cache.stop()
    api = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="203.0.113.9")
    statuses = [api.get("/api/v1/topics/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
