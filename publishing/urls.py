"""Every address readers and reusers open; each view the page cache may keep says so here."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from . import feeds, views
from .cache import public
from .dependencies import ROWS
from .filters import ArticleFilter, ClaimFilter
from .sitemaps import SITEMAPS, sitemap_index

app_name = "publishing"

PAGE = ["page"]
CLAIM_LIST = [*ClaimFilter.base_filters, *PAGE]
# Pages of lists: what they show of claims leaves out the curators' assessment, whose edits
# then leave them cached (publishing/dependencies.py).
LIST_PAGE = {"dependencies": [ROWS]}

urlpatterns = [
    path("", public(views.home, **LIST_PAGE), name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "claims/",
        public(views.ClaimListView.as_view(), parameters=CLAIM_LIST, **LIST_PAGE),
        name="claim_list",
    ),
    path("claims/export.csv", views.claims_csv, name="claims_csv"),
    path("claims/stances.csv", views.stances_csv, name="stances_csv"),
    path("claims/export.csv.gz", views.claims_csv_gz, name="claims_csv_gz"),
    path("claims/stances.csv.gz", views.stances_csv_gz, name="stances_csv_gz"),
    path("claims/<slug:slug>/", public(views.ClaimDetailView.as_view()), name="claim_detail"),
    path(
        "parties/",
        public(views.PartyListView.as_view(), parameters=PAGE, **LIST_PAGE),
        name="party_list",
    ),
    path(
        "parties/<slug:slug>/",
        public(views.PartyDetailView.as_view(), parameters=PAGE, **LIST_PAGE),
        name="party_detail",
    ),
    path(
        "articles/",
        public(
            views.ArticleListView.as_view(),
            parameters=[*ArticleFilter.base_filters, *PAGE],
            **LIST_PAGE,
        ),
        name="article_list",
    ),
    path(
        "articles/<slug:slug>/",
        public(views.ArticleDetailView.as_view(), **LIST_PAGE),
        name="article_detail",
    ),
    path(
        "articles/<slug:slug>/captures/<str:sha256>/",
        public(views.CaptureDetailView.as_view(), **LIST_PAGE),
        name="capture_detail",
    ),
    path("topics/", public(views.TopicListView.as_view(), **LIST_PAGE), name="topic_list"),
    path(
        "topics/<slug:slug>/",
        public(views.topic_detail, parameters=PAGE, **LIST_PAGE),
        name="topic_detail",
    ),
    path("about/", public(views.AboutView.as_view()), name="about"),
    path("feeds/claims/", public(feeds.LatestClaimsFeed()), name="feed_claims"),
    path("feeds/claims/<slug:slug>/", public(feeds.ClaimStatementsFeed()), name="feed_claim"),
    path("feeds/parties/<slug:slug>/", public(feeds.PartyStatementsFeed()), name="feed_party"),
    path("feeds/topics/<slug:slug>/", public(feeds.TopicStatementsFeed()), name="feed_topic"),
    path("sitemap.xml", public(sitemap_index), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        public(sitemaps.sitemap, parameters=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
