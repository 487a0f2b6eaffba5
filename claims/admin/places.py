"""The places claims are about, with the other names readers know them by. The claims' search
words hold those names: saving a place writes them again."""

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from history.admin import HistoryAdmin
from sources.models import Place, PlaceName

from ..models import Claim
from ..services import refresh_search_of


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

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "name" in form.changed_data or any(formset.has_changed() for formset in formsets):
            refresh_search_of(places=[form.instance.pk])

    def delete_model(self, request: HttpRequest, obj: Place) -> None:
        self.delete_queryset(request, Place.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        # One transaction: readers see the places gone and the claims' search words without
        # them at once (the changelist's delete action calls this outside any transaction).
        with transaction.atomic():
            claims = list(Claim.objects.filter(places__in=queryset).values_list("pk", flat=True))
            super().delete_queryset(request, queryset)
            Claim.objects.filter(pk__in=claims).refresh_search()
