"""Curators' screen for outlets.

Articles, parties and places are edited with what they hold (statements, claims), which
`sources` cannot know of: their screens are in `claims.admin`.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest

from history.admin import HistoryAdmin

from .models import Outlet, PartyAlias


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
