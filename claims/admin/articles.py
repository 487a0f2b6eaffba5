"""Curators' screen for articles: the text, and the statements pasted from it."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from history.admin import HistoryAdmin
from sources.models import Article

from ..anchoring import highlight
from ..models import AnchorStatus, Statement
from ..services import delete_statement, save_article, save_statement
from .helpers import admin_url, excerpt, plural
from .statements import StatementForm, StatementFormSet


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


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = [
        "title",
        "outlet",
        "published_on",
        "language",
        "statement_count",
        "to_fix_count",
    ]
    list_filter = [NeedsFixingFilter, "language", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["title", "slug", "byline", "standfirst", "url"]
    autocomplete_fields = ["outlet", "wire_credits"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "outlet", "wire_credits", "byline"]}),
        ("Publication", {"fields": ["published_on", "url", "language"]}),
        ("Text", {"fields": ["standfirst", "body"]}),
    ]
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

    def save_model(self, request: HttpRequest, article: Article, form, change: bool) -> None:
        save_article(article=article)

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
                f"{plural(len(to_fix), 'statement')} of this article could not be found "
                "exactly in the edited body; check or fix them below: "
                + "; ".join(f"{s.party}: “{excerpt(s.text, 60)}”" for s in to_fix),
                messages.WARNING,
            )
