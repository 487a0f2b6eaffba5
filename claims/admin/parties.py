"""Curators' screen for parties: names, aliases, the body above, and what each said."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest

from history.admin import HistoryAdmin
from sources.admin import PartyAliasInline
from sources.models import Party

from ..models import Statement


class StatementOfPartyInline(admin.TabularInline):
    model = Statement
    fields = ["text", "article", "mode", "said_on", "anchor_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "statements by this party"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Each row is titled with the statement itself ("party: excerpt").
        return super().get_queryset(request).select_related("article", "party")


@admin.register(Party)
class PartyAdmin(HistoryAdmin):
    list_display = ["name", "side", "kind", "parent", "statement_count"]
    list_filter = ["side", "kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "side", "aliases__name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "side", "kind", "parent", "description"]
    inlines = [PartyAliasInline, StatementOfPartyInline]
    history_follow = ("aliases",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.with_counts(super().get_queryset(request), statement_count=Count("statements"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, party: Party) -> int:
        return party.statement_count
