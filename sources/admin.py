"""Curators' screens for outlets and places.

Articles and parties are edited with their statements, which `sources` cannot know of: their
screens are in `claims.admin`.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest

from history.admin import HistoryAdmin

from .models import Outlet, PartyAlias, Place, PlaceName


@admin.register(Outlet)
class OutletAdmin(HistoryAdmin):
    list_display = ["name", "kind", "country", "article_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.with_counts(super().get_queryset(request), article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, outlet: Outlet) -> int:
        return outlet.article_count


class PartyAliasInline(admin.TabularInline):
    model = PartyAlias
    extra = 1


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 1


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    list_display = ["name", "other_names"]
    search_fields = ["name", "slug", "alternative_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlaceNameInline]
    history_follow = ("alternative_names",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).prefetch_related("alternative_names")

    @admin.display(description="also known as")
    def other_names(self, place: Place) -> str:
        return ", ".join(str(name) for name in place.alternative_names.all()) or "—"
