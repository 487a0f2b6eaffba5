"""`export_site` writes the public site as static files: served by a plain static server, every
link works, nothing unpublished is there, and a second export rewrites only what changed."""

import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Status
from publishing.mirror import Mirror

LINK = re.compile(r"""(?:href|src)="([^"]+)\"""")


def export(directory: Path, *options: str) -> str:
    out = StringIO()
    call_command("export_site", str(directory), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def static_server():
    """A plain static file server on a loopback port, serving a folder."""
    servers = []

    def serve(directory: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()


def crawl(base: str) -> dict[str, str]:
    """Every page reachable from the mirror's home page by links within it, with its text;
    fails on a link that leads nowhere."""
    pages, queue = {}, [base]
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        try:
            with urlopen(url) as response:
                body = response.read().decode(errors="replace")
                kind = response.headers.get("Content-Type", "")
        except HTTPError as error:
            pytest.fail(f"{url}: {error.code}, linked from the mirror")
        pages[url] = body
        if "html" not in kind:
            continue
        for link in LINK.findall(body):
            target = urljoin(url, link.replace("&amp;", "&")).split("#")[0]
            if target.startswith(base):
                queue.append(target)
    return pages


@pytest.fixture(scope="module")
def mirror(seeds_of_module, django_db_blocker, tmp_path_factory) -> tuple[Path, Claim]:
    """The seeded site exported once for the module, one claim unpublished first."""
    directory = tmp_path_factory.mktemp("mirror")
    with django_db_blocker.unblock():
        draft = Claim.objects.published().order_by("pk").first()
        Claim.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
        export(directory)
        Claim.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    return directory, draft


def test_the_mirror_serves_every_public_page_with_working_links_and_no_draft(
    seeded, mirror, static_server
):
    directory, draft = mirror
    pages = crawl(static_server(directory))
    paths = {urlsplit(url).path for url in pages}
    for claim in Claim.objects.published().exclude(pk=draft.pk):
        assert claim.get_absolute_url() in paths
    assert draft.get_absolute_url() not in paths
    assert not any(draft.text in body for body in pages.values())
    assert any(path.endswith(".css") for path in paths)
    assert any(path.endswith("feed.xml") for path in paths)
    assert any(path.endswith("stances.csv") for path in paths)


def test_a_second_export_rewrites_only_what_changed_and_removes_what_is_no_longer_public(
    seeded, mirror, tmp_path
):
    shutil.copytree(mirror[0], tmp_path, dirs_exist_ok=True)
    Claim.objects.filter(pk=mirror[1].pk).update(status=Status.DRAFT)
    files = len(list(tmp_path.rglob("*.*"))) - 1  # less the mirror's own list of its files
    assert export(tmp_path).startswith(f"{files} files in {tmp_path}: 0 written, {files} unchanged")
    claim = Claim.objects.published().order_by("pk").first()
    page = tmp_path / claim.get_absolute_url().lstrip("/") / "index.html"
    assert page.is_file()
    claim.status = Status.DRAFT
    claim.save()
    again = export(tmp_path)
    assert not page.exists()
    assert ", 0 removed" not in again
    (tmp_path / "notes.txt").write_text("not the mirror's")
    export(tmp_path)
    assert (tmp_path / "notes.txt").is_file()


def test_the_base_url_is_the_address_feeds_and_sitemaps_give(seeded, tmp_path, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.org"]
    Mirror(
        tmp_path, base_url="https://mirror.example.org", start=["/sitemap.xml"], follow=False
    ).export()
    sitemap = (tmp_path / "sitemap.xml").read_text()
    assert "<loc>https://mirror.example.org/sitemap-claims.xml</loc>" in sitemap


@pytest.mark.parametrize("base_url", ["javascript:alert(1)", "ftp://example.org", "nowhere"])
def test_a_base_url_that_is_not_a_web_address_is_refused(db, tmp_path, base_url):
    with pytest.raises(CommandError, match="--base-url must be an http"):
        export(tmp_path, "--base-url", base_url)


def test_a_mirror_under_a_path_gives_that_address_and_follows_it(seeded, tmp_path, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.org"]
    base = "https://mirror.example.org/record"
    Mirror(tmp_path, base_url=f"{base}/", start=["/sitemap.xml"]).export()
    assert f"<loc>{base}/sitemap-claims.xml</loc>" in (tmp_path / "sitemap.xml").read_text()
    claim = Claim.objects.published().order_by("pk").first()
    page = tmp_path / claim.get_absolute_url().lstrip("/") / "index.html"
    assert f'"url":"{base}{claim.get_absolute_url()}"' in page.read_text()  # in its JSON-LD
