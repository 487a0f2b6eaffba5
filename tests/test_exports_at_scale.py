"""The CSV exports at any size: the full ones built ahead and served as files with an ETag and
a length, the others streamed in bounded memory, a few at a time, gzipped on request."""

import csv
import gzip
import io
import tracemalloc
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, Stance, Statement, Status
from claims.services import save_stance
from publishing.exports import EXPORTS, LiveSlot, csv_bytes, discard_older_builds

ZONE = "azerbaijani-troops-entered-peacekeeping-zone"


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.EXPORT_LIVE_LIMIT = 2
    return settings.EXPORT_ROOT


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def build() -> None:
    call_command("build_exports", stdout=StringIO())


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode())))


@pytest.mark.parametrize("url", ["/claims/stances.csv", "/claims/export.csv"])
def test_a_full_export_from_its_build_holds_what_the_live_one_holds(client, seeded, url):
    live = client.get(url)
    assert live.streaming and "Content-Length" not in live  # chunked: a cut one is seen as cut
    live_rows = rows(body(live))
    build()
    built = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert built["Content-Encoding"] == "gzip"
    assert built["ETag"] and built["Content-Length"]
    data = body(built)
    assert len(data) == int(built["Content-Length"])
    assert rows(gzip.decompress(data)) == live_rows
    assert len(live_rows) > 1


def test_a_client_without_gzip_gets_the_built_export_inflated_with_its_length(client, seeded):
    build()
    response = client.get("/claims/stances.csv")
    assert "Content-Encoding" not in response
    data = body(response)
    assert len(data) == int(response["Content-Length"])
    assert rows(data)[0][0] == "claim_slug"
    assert response["Vary"] == "Accept-Encoding"


def test_a_built_export_the_client_holds_gets_304(client, seeded):
    build()
    etag = client.get("/claims/stances.csv")["ETag"]
    assert client.get("/claims/stances.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_full_export_is_one_rebuild_behind_a_write_and_a_filtered_one_none(client, seeded):
    build()
    stance = Stance.objects.public().filter(claim__slug=ZONE).order_by("pk").first()
    stance.note = "Changed after the build"
    save_stance(stance=stance)
    filtered = client.get(f"/claims/stances.csv?q={stance.claim.slug.split('-')[0]}")
    assert "Changed after the build" in body(filtered).decode()
    assert "Changed after the build" not in body(client.get("/claims/stances.csv")).decode()
    build()
    assert "Changed after the build" in body(client.get("/claims/stances.csv")).decode()


def test_only_the_two_newest_builds_are_kept(seeded, export_root):
    for text in ["First", "Second", "Third"]:
        stance = Stance.objects.public().order_by("pk").first()
        stance.note = text
        save_stance(stance=stance)
        build()
    discard_older_builds()
    assert len(list(export_root.glob("claimtrack-stances.csv.*.gz"))) == 2


@pytest.mark.parametrize("built", [False, True], ids=["live", "built"])
@pytest.mark.parametrize("name", ["stances", "export"])
def test_compressed_downloads_hold_the_same_csv(client, seeded, built, name):
    if built:
        build()
    plain = body(client.get(f"/claims/{name}.csv"))
    compressed = client.get(f"/claims/{name}.csv.gz")
    assert compressed["Content-Type"] == "application/gzip"
    assert compressed["Content-Disposition"] == (
        f'attachment; filename="claimtrack-{"claims" if name == "export" else name}.csv.gz"'
    )
    assert gzip.decompress(body(compressed)) == plain


def test_filtered_exports_are_streamed_live_even_with_a_build(client, seeded):
    build()
    response = client.get("/claims/stances.csv?party=azerbaijani-defence-ministry")
    assert response.streaming and "ETag" not in response
    slugs = {row[0] for row in rows(body(response))[1:]}
    assert ZONE in slugs and len(slugs) == 3


def test_live_exports_beyond_the_limit_are_asked_to_come_back(client, seeded, settings):
    settings.EXPORT_LIVE_LIMIT = 1
    held = LiveSlot()
    try:
        response = client.get("/claims/stances.csv?party=azerbaijani-defence-ministry")
        assert response.status_code == 503 and int(response["Retry-After"]) > 0
    finally:
        held.release()
    response = client.get("/claims/stances.csv?party=azerbaijani-defence-ministry")
    assert response.status_code == 200
    body(response)
    # The finished download gave its slot back.
    LiveSlot().release()


def test_an_export_is_streamed_in_bounded_memory(seeded):
    """The stances of 1,000 claims take no more memory to export than those of 200, five times
    fewer: rows are read and written a chunk at a time, never all at once."""
    statements = list(Statement.objects.filter(stances__isnull=False).distinct())
    topic = Claim.objects.first().topic
    claims = Claim.objects.bulk_create(
        Claim(slug=f"many-{n}", text=f"Claim {n}", topic=topic, status=Status.PUBLISHED)
        for n in range(1000)
    )
    Stance.objects.bulk_create(
        Stance(claim=claim, statement=statement, value="supports", note="x" * 200)
        for claim in claims
        for statement in statements
    )

    def peak(count: int) -> tuple[int, int]:
        selected = Claim.objects.filter(slug__in=[f"many-{n}" for n in range(count)])
        tracemalloc.start()
        size = sum(len(chunk) for chunk in csv_bytes(EXPORTS["stances"], selected))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    small_size, small_peak = peak(200)
    large_size, large_peak = peak(1000)
    assert large_size > 4 * small_size and small_size > 1_000_000
    assert large_peak < 1.5 * small_peak
