from django.urls import path

from . import feeds, views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.ClaimListView.as_view(), name="list"),
    path("claims/export.csv", views.claims_csv, name="claims_csv"),
    path("claims/stances.csv", views.stances_csv, name="stances_csv"),
    path("claims/<slug:slug>/", views.ClaimDetailView.as_view(), name="detail"),
    path("parties/", views.PartyListView.as_view(), name="party_list"),
    path("parties/<slug:slug>/", views.PartyDetailView.as_view(), name="party_detail"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("feeds/claims/", feeds.LatestClaimsFeed(), name="feed_claims"),
    path("feeds/claims/<slug:slug>/", feeds.ClaimStatementsFeed(), name="feed_claim"),
    path("feeds/parties/<slug:slug>/", feeds.PartyStatementsFeed(), name="feed_party"),
    path("feeds/topics/<slug:slug>/", feeds.TopicStatementsFeed(), name="feed_topic"),
]
