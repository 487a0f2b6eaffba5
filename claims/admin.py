"""Curators' screens for topics, claims, statements and stances, and the editorial workflow.

Article and Party are re-registered here with their statements, which `sources` cannot know of.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from reversion.models import Version

from sources.admin import ArticleAdmin, HistoryAdmin, PartyAdmin
from sources.models import Article, Party

from .anchoring import highlight
from .models import AnchorStatus, Claim, Correction, Stance, StanceValue, Statement, Status, Topic
from .services import move_claims

SHORT_TEXT = forms.Textarea(attrs={"rows": 3, "cols": 40})


def excerpt(text: str, length: int = 90) -> str:
    return Truncator(text).chars(length)


def admin_url(obj: models.Model, view: str = "change") -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "parent", "claim_count"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.with_counts(super().get_queryset(request), claim_count=Count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, topic: Topic) -> int:
        return topic.claim_count


class StanceInline(admin.TabularInline):
    model = Stance
    fields = ["statement", "value", "note", "article"]
    readonly_fields = ["article"]
    autocomplete_fields = ["statement"]
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    verbose_name_plural = "stances: who said what about this claim"

    def get_extra(self, request: HttpRequest, obj: Claim | None = None, **kwargs) -> int:
        return 3 if obj is None else 1

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Each row is titled with the stance itself (party, stance, claim): load all three.
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "statement__party", "statement__article")
        )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "statement":
            # The selected statement is shown as "party: excerpt"; load its party with it.
            kwargs["queryset"] = Statement.objects.select_related("party")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="in the article")
    def article(self, stance: Stance) -> str:
        if stance.statement_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', admin_url(stance.statement.article), stance.statement.article
        )


class CorrectionInline(admin.TabularInline):
    """Editors only: curators hold the view permission on corrections, not the change one."""

    model = Correction
    extra = 1
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    verbose_name_plural = "corrections shown to readers (Editors only)"


class ContestedFilter(admin.SimpleListFilter):
    title = "contested"
    parameter_name = "contested"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Supported and refuted or disputed"), ("no", "Not contested")]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if self.value() == "yes":
            return queryset.contested()
        if self.value() == "no":
            return queryset.uncontested()
        return queryset


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    list_display = [
        "claim",
        "topic",
        "status",
        "supports",
        "refutes",
        "disputes",
    ]
    list_filter = ["status", ContestedFilter, "topic", "places"]
    list_select_related = ["topic"]
    search_fields = ["text", "slug", "topic__name"]
    autocomplete_fields = ["topic", "places"]
    prepopulated_fields = {"slug": ["text"]}
    date_hierarchy = "event_date"
    readonly_fields = ["public_page", "published_at"]
    fieldsets = [
        (None, {"fields": ["text", "slug", "topic", "places", "event_date"]}),
        ("Publication", {"fields": ["status", "public_page", "published_at"]}),
        (
            "Curators’ assessment (optional)",
            {"fields": ["assessment", "assessment_verdict"], "classes": ["collapse"]},
        ),
    ]
    inlines = [StanceInline, CorrectionInline]
    actions = ["send_to_review", "publish", "unpublish"]
    history_follow = ("stances", "corrections")
    # Counted from the stances, not edited: a restored claim has them counted again.
    history_exclude = (
        "statement_count",
        "supports_count",
        "refutes_count",
        "disputes_count",
        "contest_score",
    )

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="claims_claim_preview",
            ),
            *super().get_urls(),
        ]

    # The list.

    @admin.display(description="claim", ordering="text")
    def claim(self, claim: Claim) -> str:
        return excerpt(claim.text, 120)

    @admin.display(description="supports", ordering="supports_count")
    def supports(self, claim: Claim) -> int:
        return claim.supports_count

    @admin.display(description="refutes", ordering="refutes_count")
    def refutes(self, claim: Claim) -> int:
        return claim.refutes_count

    @admin.display(description="disputes", ordering="disputes_count")
    def disputes(self, claim: Claim) -> int:
        return claim.disputes_count

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Restoring a version or a deleted claim writes the claim and its stances in no set
        # order, past the signals that keep the counters: count once everything is in place.
        Claim.objects.filter(pk=form.instance.pk).refresh_stance_counts()

    # Publication: Editors publish and unpublish; anyone who may change a claim sends it to review.

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.publish_claim")

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        if obj is not None and obj.is_public and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not self.has_publish_permission(request) and any(claim.is_public for claim in objs):
            perms_needed.add("published claims (only an Editor may delete them)")
        return deleted, counts, perms_needed, protected

    def get_readonly_fields(self, request: HttpRequest, obj: Claim | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_public and not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def get_form(self, request: HttpRequest, obj: Claim | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None:
            claim = obj or Claim()
            status.choices = [
                (value, label)
                for value, label in Status.choices
                if claim.may_move_to(value, user=request.user)
            ]
            status.error_messages["invalid_choice"] = (
                "“%(value)s” is not a status you can give this claim: only an Editor can "
                "publish or unpublish a claim."
            )
        return form

    def move(self, request: HttpRequest, queryset: models.QuerySet, to: Status) -> None:
        try:
            moved, left = move_claims(claims=queryset, to=to, user=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, f"Nothing was changed. {refusal}", messages.ERROR)
            return
        label = Status(to).label.lower()
        for claim in moved:
            self.log_change(request, claim, f"Status changed to {label}.")
        if moved:
            self.message_user(
                request,
                f"{plural(len(moved), 'claim')} now {label}: "
                + "; ".join(excerpt(claim.text, 60) for claim in moved),
                messages.SUCCESS,
            )
        if left:
            self.message_user(
                request,
                f"{plural(len(left), 'claim')} left as they were, since that move does not "
                "start from their status: "
                + "; ".join(f"{excerpt(c.text, 60)} ({c.get_status_display()})" for c in left),
                messages.WARNING,
            )

    @admin.action(description="Send the selected drafts to review", permissions=["change"])
    def send_to_review(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        self.move(request, queryset, Status.IN_REVIEW)

    @admin.action(description="Publish the selected claims", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        self.move(request, queryset, Status.PUBLISHED)

    @admin.action(
        description="Unpublish the selected claims (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        self.move(request, queryset, Status.DRAFT)

    # Restoring an earlier or deleted version may not publish or unpublish behind an Editor's back.

    def refuse_restore(
        self, request: HttpRequest, version_id: str, live: Claim | None
    ) -> HttpResponse | None:
        # Only a claim's own versions are looked at; anything else is reversion's to refuse (404).
        versions = Version.objects.get_for_model(Claim)
        version = versions.filter(pk=version_id).first() if str(version_id).isdigit() else None
        if version is None:
            return None
        current = live or Claim(status=Status.DRAFT)
        if current.may_move_to(version.field_dict["status"], user=request.user):
            return None
        self.message_user(
            request,
            "Only an Editor can restore this version: it would publish or unpublish the claim.",
            messages.ERROR,
        )
        return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        live = self.get_object(request, unquote(object_id))
        return self.refuse_restore(request, version_id, live) or super().revision_view(
            request, object_id, version_id, extra_context
        )

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        return self.refuse_restore(request, version_id, None) or super().recover_view(
            request, version_id, extra_context
        )

    # The public page, or for a claim readers cannot see yet, a preview only curators can.

    def view_on_site(self, claim: Claim) -> str:
        if claim.is_public:
            return claim.get_absolute_url()
        return reverse("admin:claims_claim_preview", args=[quote(claim.pk)])

    @admin.display(description="seen by readers at")
    def public_page(self, claim: Claim) -> str:
        if claim.pk is None:
            return "Readers see a claim once an Editor publishes it."
        if claim.is_public:
            url = claim.get_absolute_url()
            return format_html('<a href="{}">{}</a>', url, url)
        return format_html(
            'Not public while {}. <a href="{}">Preview it as readers will see it</a>.',
            claim.get_status_display().lower(),
            self.view_on_site(claim),
        )

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        stances = claim.stances.select_related("statement__party", "statement__article__outlet")
        sides = [
            (label, [stance for stance in stances if stance.value == value])
            for value, label in StanceValue.choices
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {excerpt(claim.text, 60)}",
            "subtitle": None,
            "opts": self.opts,
            "original": claim,
            "claim": claim,
            "sides": [(label, group) for label, group in sides if group],
            "corrections": claim.corrections.all(),
        }
        return TemplateResponse(request, "admin/claims/claim/preview.html", context)


class StatementForm(forms.ModelForm):
    """A statement whose span is found in the body on save; one party cannot hold one span twice."""

    class Meta:
        model = Statement
        fields = ["article", "party", "speaker_label", "text", "mode", "said_on"]
        widgets = {"text": SHORT_TEXT}

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
class StatementAdmin(HistoryAdmin):
    form = StatementForm
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
    ]
    autocomplete_fields = ["article", "party"]
    date_hierarchy = "said_on"
    readonly_fields = ["anchor_status", "position"]
    fieldsets = [
        (None, {"fields": ["article", "party", "speaker_label", "text", "mode", "said_on"]}),
        ("Where it stands in the article", {"fields": ["anchor_status", "position"]}),
    ]
    inlines = [StanceOfStatementInline]
    history_follow = ("stances",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Selected here, not only for the list: the autocomplete shows each statement's party.
        # (Django then skips list_select_related, so this names everything the list shows.)
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        return self.with_counts(queryset, stance_count=Count("stances"))

    @admin.display(description="statement", ordering="text")
    def statement(self, statement: Statement) -> str:
        return excerpt(statement.text)

    @admin.display(description="stances", ordering="stance_count")
    def stance_count(self, statement: Statement) -> int:
        return statement.stance_count

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


class StatementInline(admin.TabularInline):
    model = Statement
    form = StatementForm
    formset = StatementFormSet
    fields = ["party", "speaker_label", "text", "mode", "said_on", "found"]
    readonly_fields = ["found"]
    autocomplete_fields = ["party"]
    show_change_link = True
    extra = 1
    verbose_name_plural = "statements: paste each one exactly as the body prints it"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("party")

    @admin.display(description="found in the body")
    def found(self, statement: Statement) -> str:
        return statement.get_anchor_status_display() if statement.pk else "When you save"


class NeedsFixingFilter(admin.SimpleListFilter):
    title = "statements to fix"
    parameter_name = "to_fix"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Some not found in the body")]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if self.value() == "yes":
            return queryset.filter(to_fix_count__gt=0)
        return queryset


admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithStatementsAdmin(ArticleAdmin):
    list_display = [*ArticleAdmin.list_display, "statement_count", "to_fix_count"]
    list_filter = [NeedsFixingFilter, *ArticleAdmin.list_filter]
    inlines = [StatementInline]
    readonly_fields = ["highlighted_body", "statements_to_fix"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.with_counts(
            super().get_queryset(request),
            statement_count=Count("statements"),
            to_fix_count=Count(
                "statements", filter=~Q(statements__anchor_status=AnchorStatus.ANCHORED)
            ),
        )

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(
                (
                    "The body with its statements",
                    {"fields": ["statements_to_fix", "highlighted_body"]},
                )
            )
        return fieldsets

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, article: Article) -> int:
        return article.statement_count

    @admin.display(description="to fix", ordering="to_fix_count")
    def to_fix_count(self, article: Article) -> int:
        return article.to_fix_count

    @admin.display(description="statements to fix")
    def statements_to_fix(self, article: Article) -> SafeString:
        return render_to_string(
            "admin/sources/article/statements_to_fix.html",
            {
                "statements": [
                    (statement, admin_url(statement))
                    for statement in article.statements.needing_attention().select_related("party")
                ]
            },
        )

    @admin.display(description="highlighted body")
    def highlighted_body(self, article: Article) -> SafeString:
        statements = [s for s in article.statements.select_related("party") if s.is_highlightable]
        statements.sort(key=lambda statement: (statement.start, statement.end))
        numbered = list(enumerate(statements, start=1))
        spans = [(statement.start, statement.end, (n, statement)) for n, statement in numbered]
        return render_to_string(
            "admin/sources/article/highlighted_body.html",
            {
                "paragraphs": highlight(article.body, spans),
                "statements": [(number, s, admin_url(s)) for number, s in numbered],
            },
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        to_fix = list(form.instance.statements.needing_attention().select_related("party"))
        if to_fix:
            self.message_user(
                request,
                f"{plural(len(to_fix), 'statement')} of this article could not be found "
                "exactly in the edited body; check or fix them below: "
                + "; ".join(f"{s.party}: “{excerpt(s.text, 60)}”" for s in to_fix),
                messages.WARNING,
            )


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


admin.site.unregister(Party)


@admin.register(Party)
class PartyWithStatementsAdmin(PartyAdmin):
    list_display = [*PartyAdmin.list_display, "statement_count"]
    inlines = [*PartyAdmin.inlines, StatementOfPartyInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.with_counts(super().get_queryset(request), statement_count=Count("statements"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, party: Party) -> int:
        return party.statement_count


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
    list_display = ["published_on", "claim_link", "correction"]
    list_select_related = ["claim"]
    search_fields = ["text", "claim__text"]
    date_hierarchy = "published_on"

    @admin.display(description="correction")
    def correction(self, correction: Correction) -> str:
        return excerpt(correction.text)
