from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.models import Claim, Topic, public_parties, reported_articles
from sources.models import Article


class ClaimSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Claim.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, claim: Claim):
        return claim.updated_at


class PartySitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return public_parties().order_by("pk").only("slug")


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return reported_articles().order_by("pk").only("slug", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.public().order_by("pk").only("slug")


class PageSitemap(Sitemap):
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
