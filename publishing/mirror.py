"""A static mirror of the public site: every page readers can reach, with its feeds, CSV exports,
sitemaps and static files, as plain files that any static server or CDN serves. For a newsroom
whose site is blocked or under attack, a mirror is how readers still reach the record.

The site is crawled from its home page, its sitemaps and its feeds through Django itself (no
server needed), following every link to a page of the site. Each page is written where a static
server looks for it (`claims/x/index.html`), addresses with a query string get a folder of their
own (`claims/_/page=2/index.html`), and every link between mirrored pages is rewritten relative
to the page, so the mirror works under any address (`--base-url` sets the one every absolute
link gives: in feeds, sitemaps, CSV exports, canonical links and structured data). Links to what
a mirror cannot hold (the API, the curators' admin) lead to the live site. Run again, only files
whose content changed are written, and files of an earlier export that are no longer public are
removed.
"""

import hashlib
import json
import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# The mirror's own record of what it wrote, so that a later export removes only its own files.
MANIFEST = ".claimtrack-mirror.json"
START = ["/", "/sitemap.xml", "/feeds/claims/", "/robots.txt", "/about/"]
# Addresses only the live site answers: the API, the curators' admin, and health checks.
LIVE_ONLY = ("/api/", "/admin/", "/healthz", "/ping")
LINK = re.compile(
    r"""(?P<attribute>\b(?:href|src|action)=)(?P<quote>["'])(?P<url>[^"']*)(?P=quote)"""
)
XML_LINK = re.compile(r"(<loc>|<link href=\")(?P<url>[^<\"]+)")
HTML = "text/html"
FEEDS, FEED_FILE = "feeds/", "feed.xml"


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.written) + self.unchanged


def mirror_path(url: str) -> str:
    """Where, under the mirror's folder, the page at this site address is written."""
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    if parts.query:
        # A folder per query string, so that a static server needs no query to find the file.
        query = urlencode(sorted(_pairs(parts.query)))
        path = posixpath.join(path, "_", quote(query, safe="=&"))
        path += "/"
    if path == "" or path.endswith("/"):
        # A feed is written as XML, which static servers send as such; a page as index.html.
        path += FEED_FILE if path.startswith(FEEDS) else "index.html"
    return path


def _pairs(query: str) -> list[tuple[str, str]]:
    pairs = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote(name.replace("+", " ")), unquote(value.replace("+", " "))))
    return pairs


def relative_link(from_file: str, to_file: str, fragment: str) -> str:
    """A link from one mirrored file to another, relative, so the mirror works at any address;
    links to a folder's index.html end at the folder."""
    target = to_file[: -len("index.html")] if to_file.endswith("index.html") else to_file
    start = posixpath.dirname(from_file) or "."
    link = posixpath.relpath(target or ".", start)
    if target.endswith("/") or target == "":
        link = link.rstrip("/") + "/"
    if link.startswith("./") and link != "./":
        link = link[2:]
    return link + (f"#{fragment}" if fragment else "")


class Mirror:
    """`start`: the addresses the crawl begins from; with `follow` false, only those are
    written (the benchmark mirrors one page)."""

    def __init__(
        self,
        directory: Path,
        *,
        base_url: str = "",
        start: list[str] | None = None,
        follow: bool = True,
    ) -> None:
        self.directory = directory
        self.base_url = (base_url or settings.SITE_URL).rstrip("/")
        base = urlsplit(self.base_url)
        self.host = base.netloc or "127.0.0.1"
        # A mirror served under a path (https://example.org/mirror) has it in its addresses.
        self.base_path = base.path
        self.live_site = settings.SITE_URL.rstrip("/")
        self.client = Client(HTTP_HOST=self.host)
        self.secure = base.scheme == "https"
        self.start = start or START
        self.follow = follow
        self.report = Report()

    def export(self) -> Report:
        # Every absolute link the pages give is on the site's public address: the mirror's.
        with override_settings(SITE_URL=self.base_url):
            return self.crawl()

    def crawl(self) -> Report:
        self.directory.mkdir(parents=True, exist_ok=True)
        previous = self.previous_files() if self.follow else set()
        queue, seen = deque(self.start), set(self.start)
        written: dict[str, str] = {}
        while queue:
            url = queue.popleft()
            response = self.client.get(url, secure=self.secure)
            if response.status_code in (301, 302) and response.get("Location"):
                target = self.site_address(urljoin(url, response["Location"]))
                if target and target not in seen:
                    seen.add(target)
                    queue.append(target)
                continue
            if response.status_code != 200:
                self.report.missing.append(f"{url} ({response.status_code})")
                continue
            file = mirror_path(url)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            content_type = response.get("Content-Type", "")
            links = self.links(url, content, content_type) if self.follow else []
            for link in links:
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
            if content_type.startswith(HTML):
                content = self.rewrite(file, url, content.decode()).encode()
            written[file] = hashlib.sha256(content).hexdigest()
            self.write(file, content)
        if self.follow:
            self.remove(previous - written.keys())
            (self.directory / MANIFEST).write_text(json.dumps(sorted(written), indent=0))
        return self.report

    def site_address(self, url: str) -> str | None:
        """The address within the site that a link leads to, or None if it leads elsewhere or
        to what only the live site answers."""
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        path = parts.path
        if parts.netloc:
            if parts.netloc != self.host or not path.startswith(f"{self.base_path}/"):
                return None
            path = path.removeprefix(self.base_path)
        if not path.startswith("/") or path.startswith(LIVE_ONLY):
            return None
        return path + (f"?{parts.query}" if parts.query else "")

    def links(self, url: str, content: bytes, content_type: str) -> list[str]:
        text = content.decode(errors="replace")
        if content_type.startswith(HTML):
            found = [match["url"] for match in LINK.finditer(text)]
        elif "xml" in content_type:
            found = [match["url"] for match in XML_LINK.finditer(text)]
        else:
            return []
        addresses = (self.site_address(urljoin(url, link.replace("&amp;", "&"))) for link in found)
        return [address for address in addresses if address]

    def rewrite(self, file: str, url: str, html: str) -> str:
        def replace(match: re.Match) -> str:
            link = match["url"].replace("&amp;", "&")
            absolute = urljoin(url, link)
            fragment = urlsplit(absolute).fragment
            address = self.site_address(absolute.split("#")[0])
            if address is None:
                parts = urlsplit(absolute)
                if not parts.netloc and parts.path.startswith(LIVE_ONLY):
                    # What a mirror cannot hold is at the live site.
                    live = f"{self.live_site}{link}"
                    return f"{match['attribute']}{match['quote']}{live}{match['quote']}"
                return match.group(0)
            if link.startswith("#"):
                return match.group(0)
            new = relative_link(file, mirror_path(address), fragment).replace("&", "&amp;")
            return f"{match['attribute']}{match['quote']}{new}{match['quote']}"

        return LINK.sub(replace, html)

    def write(self, file: str, content: bytes) -> None:
        path = self.directory / file
        if path.is_file() and path.read_bytes() == content:
            self.report.unchanged += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.report.written.append(file)

    def previous_files(self) -> set[str]:
        manifest = self.directory / MANIFEST
        return set(json.loads(manifest.read_text())) if manifest.is_file() else set()

    def remove(self, files: set[str]) -> None:
        for file in sorted(files):
            path = self.directory / file
            if path.is_file():
                path.unlink()
                self.report.removed.append(file)
        for folder in sorted({(self.directory / f).parent for f in files}, reverse=True):
            while folder != self.directory and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
