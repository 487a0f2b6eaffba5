"""Curators' screen for parties: names, aliases, the side, the body above, and what each said;
the sides in use, to rename; and duplicates, merged."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from history.admin import HistoryAdmin
from sources.admin import PartyAliasInline
from sources.models import Party, PartyAlias

from ..merges import merge_parties, party_merge_problems
from ..models import Statement
from ..services import refresh_search_of, rename_side, sides_in_use
from .merges import Facts, MergesDuplicates
from .sides import NEW_SIDE_HELP, SideInUse, chosen_side, parties


class PartyForm(forms.ModelForm):
    new_side = forms.CharField(
        required=False, max_length=100, label="or a new side", help_text=NEW_SIDE_HELP
    )

    class Meta:
        model = Party
        fields = ["name", "slug", "side", "kind", "parent", "description"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"] = SideInUse(
            blank="— a new side, typed beside —",
            label="Side",
            help_text=Party._meta.get_field("side").help_text,
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            cleaned["side"] = chosen_side(cleaned.get("side", ""), cleaned.get("new_side", ""))
        except ValidationError as error:
            self.add_error("side", error)
        return cleaned


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
class PartyAdmin(MergesDuplicates, HistoryAdmin):
    form = PartyForm
    list_display = ["name", "side", "kind", "parent", "statement_count"]
    list_filter = ["side", "kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "side", "aliases__name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", ("side", "new_side"), "kind", "parent", "description"]
    inlines = [PartyAliasInline, StatementOfPartyInline]
    history_follow = ("aliases",)
    actions = ["merge"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.with_counts(super().get_queryset(request), statement_count=Count("statements"))

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The claims it spoke on are found by its name and aliases.
        if "name" in form.changed_data or any(
            formset.has_changed() for formset in formsets if formset.model is PartyAlias
        ):
            refresh_search_of(parties=[form.instance.pk])

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, party: Party) -> int:
        return party.statement_count

    def get_urls(self) -> list:
        return [
            path(
                "sides/",
                self.admin_site.admin_view(self.sides_view),
                name="sources_party_sides",
            ),
            *super().get_urls(),
        ]

    def sides_view(self, request: HttpRequest) -> HttpResponse:
        """Every side in use with its parties; renaming one renames it on all of them (to an
        existing side's name, it merges two spellings)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            side, to = request.POST.get("side", ""), request.POST.get("to", "")
            try:
                renamed = rename_side(side=side, to=to, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"The side “{side}” is now “{renamed[0].side}” on {parties(len(renamed))}.",
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        changelist = reverse("admin:sources_party_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Sides",
            "subtitle": None,
            "opts": self.opts,
            "sides": [
                (side, parties(count), f"{changelist}?{urlencode({'side': side})}")
                for side, count in sides_in_use()
            ],
        }
        return TemplateResponse(request, "admin/sources/party/sides.html", context)

    @admin.action(description="Merge the two selected parties", permissions=["merge"])
    def merge(self, request: HttpRequest, queryset: models.QuerySet) -> HttpResponse | None:
        queryset = queryset.select_related("parent").prefetch_related("aliases")
        return self.merge_two(request, queryset, merge=merge_parties, problems=party_merge_problems)

    def merge_facts(self, party: Party) -> Facts:
        return [
            ("Side", party.side),
            ("Kind", party.get_kind_display()),
            ("Part of", str(party.parent or "")),
            ("Also named", ", ".join(alias.name for alias in party.aliases.all())),
            ("Statements", str(party.statement_count)),
            ("Parties under it", str(party.children.count())),
            ("Address", party.get_absolute_url()),
        ]
