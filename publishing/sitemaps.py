"""The sitemaps: an index of sections, each listing public pages. Their addresses are on the
site's public address (publishing/addresses.py), whatever host they were asked on: Django's
sitemap views take the request's."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from claims.models import Claim, Topic
from claims.visibility import public_parties, reported_articles
from sources.models import Article

from .addresses import absolute
from .cache import RememberedCount, remembered


class PublicSitemap(Sitemap):
    """Locations on the public address: its scheme, and its host with any path before the
    site's own paths.

    The index needs each section's count of pages and latest change: both are asked of the
    database (Django would load every item to find the latest) and remembered until a write
    changes what lists show."""

    # The field `lastmod` reads, for the latest change of the whole section in one query.
    lastmod_field: str | None = None

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(absolute("/")).scheme

    def get_domain(self, site=None) -> str:
        return absolute("").partition("://")[2]

    def get_latest_lastmod(self):
        if self.lastmod_field is None:
            return None
        items = self.items()
        return remembered(
            f"sitemap-lastmod:{type(self).__name__}",
            lambda: items.aggregate(latest=Max(self.lastmod_field))["latest"],
        )

    @cached_property
    def paginator(self) -> Paginator:
        name = f"sitemap-count:{type(self).__name__}"
        return RememberedCount(self._items(), self.limit, name=name)


class ClaimSitemap(PublicSitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    lastmod_field = "updated_at"

    def items(self):
        return Claim.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, claim: Claim):
        return claim.updated_at


class PartySitemap(PublicSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return public_parties().order_by("pk").only("slug")


class ArticleSitemap(PublicSitemap):
    changefreq = "weekly"
    limit = 5000

    lastmod_field = "updated_at"

    def items(self):
        return reported_articles().order_by("pk").only("slug", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at


class TopicSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.public().order_by("pk").only("slug")


class PageSitemap(PublicSitemap):
    priority = 0.6

    def items(self) -> list[str]:
        return [
            "publishing:home",
            "publishing:claim_list",
            "publishing:party_list",
            "publishing:article_list",
            "publishing:topic_list",
            "publishing:about",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "claims": ClaimSitemap,
    "topics": TopicSitemap,
    "parties": PartySitemap,
    "articles": ArticleSitemap,
}


@require_safe
@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The address of each section, and of each further page of a long one."""
    sections = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        address = absolute(reverse("publishing:sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        sections.append(SitemapIndexItem(address, lastmod))
        sections += [
            SitemapIndexItem(f"{address}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": sections}, content_type="application/xml"
    )
