"""Curators' screens for statements, and lists of stances and corrections to browse."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpRequest
from django.urls import path
from django.utils.html import format_html

from history.admin import HistoryAdmin
from sources.models import Article, Party

from ..models import Correction, Stance, Statement
from ..services import delete_statement, recount_stances, save_statement
from .helpers import SHORT_TEXT, FormsKnowTheirUser, admin_url, excerpt


class StatementForm(forms.ModelForm):
    """A statement whose span is found in the body on save; one party cannot hold one span twice.

    Its words, once on a published claim, change only by an Editor with a public correction,
    on the statement's own screen (the form with a `correction` field).
    """

    user = None
    selected_at = forms.IntegerField(
        required=False,
        min_value=0,
        widget=forms.HiddenInput,
        help_text="Where in the body the words were selected: it tells apart words that occur "
        "more than once.",
    )

    class Meta:
        model = Statement
        fields = ["article", "party", "speaker_label", "text", "mode", "said_on"]
        widgets = {"text": SHORT_TEXT}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("selected_at") is not None:
            self.instance.start = cleaned["selected_at"]
        if self.instance.pk is None or "text" not in self.changed_data:
            return cleaned
        published = self.instance.published_claims()
        if not published:
            return cleaned
        claims = "; ".join(f"“{excerpt(claim.text, 60)}”" for claim in published)
        if self.user is None or not self.user.has_perm("claims.publish_claim"):
            self.add_error(
                "text",
                f"Only an Editor can change the words of a statement on a published claim "
                f"({claims}).",
            )
        elif "correction" not in self.fields:
            self.add_error(
                "text",
                "Change the words of a statement on a published claim on the statement’s own "
                "screen, where you also write the public correction.",
            )
        elif not cleaned.get("correction", "").strip():
            self.add_error(
                "correction",
                f"Say why the words changed: readers of {claims} see this correction.",
            )
        return cleaned

    def validate_constraints(self) -> None:
        # The offsets are computed in clean(), not entered, so Django's form check would skip
        # the one-statement-per-span rule and leave it to the database to fail loudly.
        if self._errors:
            return super().validate_constraints()
        try:
            self.instance.validate_constraints(
                exclude=self._get_validation_exclusions() - {"start", "end"}
            )
        except forms.ValidationError as error:
            self._update_errors(error)


class StatementChangeForm(StatementForm):
    correction = forms.CharField(
        required=False,
        widget=SHORT_TEXT,
        label="Public correction",
        help_text=(
            "Only when you change the words of a statement on a published claim: why they "
            "changed. Each of its published claims then shows a dated correction with the old "
            "and the new words."
        ),
    )


class StatementFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index: int | None) -> dict:
        # A statement left untouched is not checked against a body edited on the same screen:
        # after the save, re-anchoring finds it again or flags it, and the curator is told.
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def clean(self) -> None:
        super().clean()
        spans = set()
        for form in self.forms:
            statement = form.instance
            if not form.has_changed() or form.cleaned_data.get("DELETE") or form.errors:
                continue
            span = (statement.party_id, statement.start, statement.end)
            if span in spans:
                form.add_error("text", "This party already has a statement on this span.")
            spans.add(span)


def statement_label(statement: Statement) -> str:
    """A statement as the claim screen offers it: its party, the name the article gives it, its
    words, the article and the outlet."""
    return (
        f"{statement.party} (“{statement.speaker_label}”): “{excerpt(statement.text, 200)}” — "
        f"{statement.article}, {statement.article.outlet}"
    )


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, statement: Statement) -> str:
        return statement_label(statement)


class StatementSearchView(AutocompleteJsonView):
    """The admin's autocomplete, with each statement named by statement_label."""

    def serialize_result(self, statement: Statement, to_field_name: str) -> dict:
        return {"id": str(getattr(statement, to_field_name)), "text": statement_label(statement)}


class StatementSearch(AutocompleteSelect):
    """A statement chosen by its party or an alias, the name the article gives it, its words, or
    its article's title or outlet."""

    url_name = "%s:claims_statement_search"


class StanceOfStatementInline(admin.TabularInline):
    """Stances are edited on their claim's screen, so that the claim's history holds them all."""

    model = Stance
    fields = ["claim_link", "value", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "stances on claims (edit them on the claim’s screen)"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("claim")

    @admin.display(description="claim")
    def claim_link(self, stance: Stance) -> str:
        return format_html(
            '<a href="{}">{}</a> ({})',
            admin_url(stance.claim),
            excerpt(stance.claim.text),
            stance.claim.get_status_display(),
        )


@admin.register(Statement)
class StatementAdmin(FormsKnowTheirUser, HistoryAdmin):
    form = StatementChangeForm
    list_display = [
        "statement",
        "party",
        "article",
        "mode",
        "said_on",
        "anchor_status",
        "stance_count",
    ]
    list_filter = ["anchor_status", "mode", "party__side", "party", "article__outlet"]
    list_select_related = ["party", "article"]
    search_fields = [
        "text",
        "speaker_label",
        "party__name",
        "party__aliases__name",
        "article__title",
        "article__outlet__name",
    ]
    autocomplete_fields = ["article", "party"]
    date_hierarchy = "said_on"
    readonly_fields = ["anchor_status", "position", "taken_from"]
    fieldsets = [
        (
            None,
            {"fields": ["article", "party", "speaker_label", "text", "correction", "mode"]},
        ),
        (None, {"fields": ["said_on"]}),
        ("Where it stands in the article", {"fields": ["anchor_status", "position", "taken_from"]}),
    ]
    inlines = [StanceOfStatementInline]
    history_follow = ("stances",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Selected here, not only for the list: the autocomplete shows each statement's party.
        # (Django then skips list_select_related, so this names everything the list shows.)
        queryset = (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related, "article__outlet")
        )
        return self.with_counts(queryset, stance_count=Count("stances"))

    def get_urls(self) -> list:
        return [
            path(
                "search/",
                self.admin_site.admin_view(StatementSearchView.as_view(admin_site=self.admin_site)),
                name="claims_statement_search",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request: HttpRequest, statement: Statement, form, change: bool) -> None:
        save_statement(
            statement=statement,
            user=request.user,
            correction=form.cleaned_data.get("correction", ""),
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Restoring a version, or a deleted statement, brings its stances back past the
        # services: count them once everything is in place.
        recount_stances(claims=form.instance.stances.values_list("claim", flat=True))

    def delete_model(self, request: HttpRequest, statement: Statement) -> None:
        with transaction.atomic():
            self.record_deletion(request, statement)
            delete_statement(statement=statement)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            for statement in queryset:
                self.delete_model(request, statement)

    @admin.display(description="statement", ordering="text")
    def statement(self, statement: Statement) -> str:
        return excerpt(statement.text)

    @admin.display(description="stances", ordering="stance_count")
    def stance_count(self, statement: Statement) -> int:
        return statement.stance_count

    @admin.display(description="taken from")
    def taken_from(self, statement: Statement) -> str:
        if statement.capture is None:
            return "The article’s text when you save."
        return format_html(
            "The text captured on {} (SHA-256 {}…)",
            statement.capture.captured_at.strftime("%d %B %Y, %H:%M"),
            statement.capture.short_hash,
        )

    @admin.display(description="position")
    def position(self, statement: Statement) -> str:
        if statement.pk is None:
            return "Found when you save."
        return format_html(
            "Characters {}–{} of the body, after “…{}” and before “{}…”",
            statement.start,
            statement.end,
            statement.prefix,
            statement.suffix,
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to browse: the records are edited on their claim's screen, whose history has them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    # has_delete_permission stays the model permission: deleting a claim asks it of the stances
    # and corrections the claim takes along. Here, nothing is deleted on its own.
    actions = None

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {"show_delete": False})

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        raise PermissionDenied

    @admin.display(description="claim", ordering="claim__text")
    def claim_link(self, record: Stance | Correction) -> str:
        return format_html(
            '<a href="{}">{}</a>', admin_url(record.claim), excerpt(record.claim.text)
        )


@admin.register(Stance)
class StanceAdmin(ReadOnlyAdmin):
    list_display = ["claim_link", "party", "value", "statement_text", "article"]
    list_filter = ["value", "claim__status", "statement__party__side", "statement__party"]
    list_select_related = ["claim", "statement__party", "statement__article"]
    search_fields = ["claim__text", "statement__text", "statement__party__name", "note"]

    @admin.display(description="party", ordering="statement__party__name")
    def party(self, stance: Stance) -> Party:
        return stance.statement.party

    @admin.display(description="statement")
    def statement_text(self, stance: Stance) -> str:
        return excerpt(stance.statement.text, 70)

    @admin.display(description="article", ordering="statement__article__title")
    def article(self, stance: Stance) -> Article:
        return stance.statement.article


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Every correction with who added it and when: a correction is added once and never
    changes, so that is its whole history."""

    list_display = ["published_on", "claim_link", "correction", "created_by", "created_at"]
    list_filter = ["created_by"]
    list_select_related = ["claim", "created_by"]
    search_fields = ["text", "claim__text"]
    date_hierarchy = "published_on"

    @admin.display(description="correction")
    def correction(self, correction: Correction) -> str:
        return excerpt(correction.text)
