"""Curators' screens for topics and claims, and the editorial workflow: review, publication,
corrections, and restoring a claim's earlier versions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.models import Version

from history.admin import HistoryAdmin

from ..merges import claim_merge_problems, merge_claims
from ..models import Claim, Correction, Stance, Statement, Status, Topic
from ..services import move_claims, recount_stances
from .helpers import SHORT_TEXT, admin_url, excerpt, plural
from .merges import Facts, MergesDuplicates
from .statements import StatementChoiceField, StatementSearch


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


class StanceInline(admin.StackedInline):
    """Each stance titled with its statement's party, and showing the statement in full: who,
    named how, the words, the article and its outlet, so that two of one party differ at once."""

    model = Stance
    template = "admin/claims/claim/stances.html"
    fields = ["statement", "said", ("value", "note")]
    readonly_fields = ["said"]
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    verbose_name_plural = "stances: who said what about this claim"

    def get_extra(self, request: HttpRequest, obj: Claim | None = None, **kwargs) -> int:
        return 3 if obj is None else 1

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("statement__party", "statement__article__outlet")
        )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "statement":
            kwargs["form_class"] = StatementChoiceField
            kwargs["queryset"] = Statement.objects.select_related("party", "article__outlet")
            kwargs["widget"] = StatementSearch(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="the statement")
    def said(self, stance: Stance) -> str:
        if stance.statement_id is None:
            return "Its party, words, article and outlet show here once you save."
        statement = stance.statement
        said_on = f", {date_format(statement.said_on, 'j F Y')}" if statement.said_on else ""
        return format_html(
            '<blockquote class="stance-words">{}</blockquote>'
            '<p class="stance-source">{}, named “{}”{} in <a href="{}">{}</a>, {}</p>',
            statement.text,
            statement.party,
            statement.speaker_label,
            said_on,
            admin_url(statement.article),
            statement.article,
            statement.article.outlet,
        )


class NewCorrectionInline(admin.TabularInline):
    """Editors add dated corrections (curators hold only the view permission on them). Once
    saved, a correction stands as written: corrections are append-only."""

    model = Correction
    fields = ["published_on", "text"]
    extra = 1
    can_delete = False
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}
    verbose_name = "new correction"
    verbose_name_plural = "add a correction for readers (Editors only; it cannot be changed later)"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).none()

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CorrectionInline(admin.TabularInline):
    """The corrections readers see, as they were added: never edited nor deleted."""

    model = Correction
    fields = ["published_on", "text", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "corrections shown to readers"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("created_by")


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
class ClaimAdmin(MergesDuplicates, HistoryAdmin):
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
    inlines = [StanceInline, NewCorrectionInline, CorrectionInline]
    actions = ["send_to_review", "publish", "unpublish", "merge"]
    # Not the corrections: restoring a version must never take back one added since.
    history_follow = ("stances",)
    # Counted from the stances, not edited: a restored claim has them counted again.
    history_exclude = (
        "statement_count",
        "supports_count",
        "refutes_count",
        "disputes_count",
        "contest_score",
    )

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

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Correction:
            super().save_formset(request, form, formset, change)
            return
        for correction in formset.save(commit=False):
            correction.created_by = request.user
            correction.save()

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The stances are saved as the formset's rows; restoring a version or a deleted claim
        # writes them in no set order. Either way, count them once everything is in place.
        recount_stances(claims=[form.instance])

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

    @admin.action(description="Merge the two selected claims", permissions=["merge"])
    def merge(self, request: HttpRequest, queryset: models.QuerySet) -> HttpResponse | None:
        queryset = queryset.select_related("topic").prefetch_related(
            "places", "stances__statement__party"
        )
        return self.merge_two(request, queryset, merge=merge_claims, problems=claim_merge_problems)

    def merge_facts(self, claim: Claim) -> Facts:
        return [
            ("Status", claim.get_status_display()),
            ("Topic", str(claim.topic)),
            ("Places", ", ".join(str(place) for place in claim.places.all())),
            (
                "Stances",
                "; ".join(
                    f"{stance.statement.party} {stance.get_value_display().lower()}: "
                    f"“{excerpt(stance.statement.text, 60)}”"
                    for stance in claim.stances.all()
                ),
            ),
            ("Corrections", str(claim.corrections.count())),
            ("Address", claim.get_absolute_url()),
        ]

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

    # The public page: for a claim readers cannot see yet, a preview only curators and editors can.

    def view_on_site(self, claim: Claim) -> str:
        return claim.get_absolute_url()

    @admin.display(description="seen by readers at")
    def public_page(self, claim: Claim) -> str:
        if claim.pk is None:
            return "Readers see a claim once an Editor publishes it."
        url = claim.get_absolute_url()
        if claim.is_public:
            return format_html('<a href="{}">{}</a>', url, url)
        return format_html(
            'Not public while {}. <a href="{}">See it as readers will</a>: a preview that only '
            "signed-in curators and editors can open.",
            claim.get_status_display().lower(),
            url,
        )
