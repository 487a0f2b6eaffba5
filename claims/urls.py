from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.home, name="detail"),
    path("parties/<slug:slug>/", views.home, name="party_detail"),
    path("articles/<slug:slug>/", views.home, name="article_detail"),
    path("topics/<slug:slug>/", views.home, name="topic_detail"),
]
