"""Curators' screen for articles: the text, every version of it, and the statements from it."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from history.admin import HistoryAdmin
from sources.models import WEB_ADDRESS, Article, Capture, normalize_text

from ..anchoring import (
    AnchorError,
    Segment,
    anchor_text,
    highlight,
    nearest_passage,
    occurrences,
)
from ..models import AnchorStatus, Statement
from ..services import delete_statement, save_article, save_statement
from .helpers import FormsKnowTheirUser, admin_url, excerpt, plural
from .proposals import proposals_view
from .statements import StatementForm, StatementFormSet


def paragraph_starts(body: str, paragraphs: list[list[Segment]]) -> list[int]:
    """Where each highlighted paragraph starts in the body: the script on the screen turns a
    selection in it into the body's offsets."""
    starts, position = [], 0
    for segments in paragraphs:
        position = body.index(segments[0].text, position)
        starts.append(position)
        position += sum(len(segment.text) for segment in segments)
    return starts


class ArticleForm(forms.ModelForm):
    archive_url = forms.URLField(
        required=False,
        max_length=500,
        validators=[WEB_ADDRESS],
        assume_scheme="https",
        label="Archive address of this text",
        help_text=Capture._meta.get_field("archive_url").help_text
        + " Given once per version of the text.",
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "kind",
            "outlet",
            "wire_credits",
            "byline",
            "published_on",
            "url",
            "language",
            "standfirst",
            "body",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        capture = self.instance.capture if self.instance.pk else None
        if capture is not None:
            self.fields["archive_url"].initial = capture.archive_url

    def clean(self) -> dict:
        cleaned = super().clean()
        capture = self.instance.capture if self.instance.pk else None
        archive_url = cleaned.get("archive_url") or ""
        body_changed = "body" in self.changed_data
        if capture and not body_changed and capture.archive_url not in ("", archive_url):
            self.add_error(
                "archive_url",
                "This version of the text already has its archive address, and a capture never "
                "changes. To record another, the body must change (a new capture).",
            )
        return cleaned


class CaptureInline(admin.TabularInline):
    """Every version of the text, newest first: read-only, as captures never change."""

    model = Capture
    fields = ["captured_at", "captured_by", "sha256", "archive_link", "statement_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "captures: every version of the text, as recorded"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("captured_by", "article")
            .annotate(statement_count=Count("statements"))
        )

    @admin.display(description="archived at")
    def archive_link(self, capture: Capture) -> str:
        if not capture.archive_url:
            return "—"
        return format_html('<a href="{0}" rel="noopener">{0}</a>', capture.archive_url)

    @admin.display(description="statements taken from it")
    def statement_count(self, capture: Capture) -> int:
        return capture.statement_count


class StatementInline(FormsKnowTheirUser, admin.StackedInline):
    """Each statement a block of its own, beside the body: wide enough to read a party's whole
    name, the name the article gives it and the words."""

    model = Statement
    form = StatementForm
    formset = StatementFormSet
    # The form's `selected_at` is not shown: the screen's script adds it with a selection.
    fields = ["party", "speaker_label", "text", ("mode", "said_on"), "found"]
    readonly_fields = ["found"]
    autocomplete_fields = ["party"]
    show_change_link = True
    extra = 1
    verbose_name_plural = "statements"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("party")

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        # Said once above the rows rather than in every one of them.
        return super().formfield_for_dbfield(db_field, request, help_text="", **kwargs)

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


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "outlet",
        "published_on",
        "language",
        "statement_count",
        "to_fix_count",
    ]
    list_filter = [NeedsFixingFilter, "kind", "language", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["title", "slug", "byline", "standfirst", "url"]
    autocomplete_fields = ["outlet", "wire_credits"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "outlet", "wire_credits", "byline"]}),
        ("Publication", {"fields": ["published_on", "url", "language"]}),
        ("Text", {"fields": ["standfirst", "body", "archive_url"]}),
    ]
    inlines = [StatementInline, CaptureInline]

    class Media:
        js = ["admin/statement-desk.js"]

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
        if obj is None:
            return fieldsets
        # Once an article is recorded, its statements are the work: the body is read beside
        # them below, and these open to be edited.
        (main, publication, (text, options)) = fieldsets
        return [
            main,
            (publication[0], {**publication[1], "classes": ["collapse"]}),
            (f"{text}: edit the body", {**options, "classes": ["collapse"]}),
        ]

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, article: Article) -> int:
        return article.statement_count

    @admin.display(description="to fix", ordering="to_fix_count")
    def to_fix_count(self, article: Article) -> int:
        return article.to_fix_count

    def render_change_form(self, request: HttpRequest, context: dict, *args, obj=None, **kwargs):
        if obj is not None and obj.pk is not None:
            context["desk"] = self.desk(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def desk(self, article: Article) -> dict:
        """The body beside its statements: every statement found in it highlighted and numbered
        in the order of the text, and those an edit of the body took away, to fix."""
        statements = list(article.statements.select_related("party"))
        found = sorted(
            (s for s in statements if s.is_found_in_current_text), key=lambda s: (s.start, s.end)
        )
        numbered = list(enumerate(found, start=1))
        paragraphs = highlight(
            article.body, [(s.start, s.end, (number, s)) for number, s in numbered]
        )
        return {
            "body": article.body,
            "paragraphs": list(
                zip(paragraph_starts(article.body, paragraphs), paragraphs, strict=True)
            ),
            "statements": [(number, s, admin_url(s)) for number, s in numbered],
            "to_fix": [(s, admin_url(s)) for s in statements if not s.is_found_in_current_text],
        }

    def get_urls(self) -> list:
        return [
            path(
                "find-words/",
                self.admin_site.admin_view(self.find_words_view),
                name="sources_article_find_words",
            ),
            path(
                "<path:object_id>/proposals/",
                self.admin_site.admin_view(partial(proposals_view, self)),
                name="sources_article_proposals",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_http_methods(["GET", "POST"]))
    def find_words_view(self, request: HttpRequest) -> JsonResponse:
        """Whether and where words are found in a body, before anything is saved: the body as
        typed on the screen (`body`) or an article's (`article`, an id), and the place the words
        were selected at (`near`) when they occur more than once. Not found: the message the
        save would give, and the nearest passage."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        saved = (
            Article.objects.filter(pk=data["article"]).first()
            if data.get("article", "").isdigit()
            else None
        )
        body = normalize_text(data["body"]) if "body" in data else saved.body if saved else ""
        near = int(data["near"]) if data.get("near", "").isdigit() else None
        answer = {"shown": saved is not None and saved.body == body}
        try:
            anchor = anchor_text(body, data.get("words", ""), near=near)
        except AnchorError as error:
            # Words found more than once need no nearest passage: they need a longer span.
            words = data.get("words", "")
            passage = None if occurrences(body, words) else nearest_passage(body, words)
            nearest = {"start": passage.start, "end": passage.end} if passage else None
            return JsonResponse(
                {**answer, "found": False, "message": str(error), "nearest": nearest}
            )
        return JsonResponse(
            {
                **answer,
                "found": True,
                "start": anchor.start,
                "end": anchor.end,
                "text": anchor.text,
                "message": f"Found in the body: “{excerpt(anchor.text, 80)}”.",
            }
        )

    def save_model(self, request: HttpRequest, article: Article, form, change: bool) -> None:
        save_article(
            article=article,
            captured_by=request.user,
            archive_url=form.cleaned_data.get("archive_url") or "",
        )

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        for statement in formset.save(commit=False):
            save_statement(statement=statement)
        for statement in formset.deleted_objects:
            delete_statement(statement=statement)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        to_fix = list(form.instance.statements.needing_attention().select_related("party"))
        if to_fix:
            self.message_user(
                request,
                f"The edited text no longer has the words of {plural(len(to_fix), 'statement')}. "
                "They keep their words as captured and readers are told so; fix them below: "
                + "; ".join(f"{s.party}: “{excerpt(s.text, 60)}”" for s in to_fix),
                messages.WARNING,
            )
