"""Merging duplicates: an Editor selects two parties or two claims on their list, chooses the one
to keep, and the other's records move to it; every merge is listed here, to undo."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..merges import undo_merge
from ..models import Merge
from .helpers import admin_url, plural

Facts = list[tuple[str, str]]


class MergesDuplicates:
    """A list whose Editors merge two selected records (the `merge` action permission)."""

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.merge_records")

    def merge_facts(self, record: models.Model) -> Facts:
        """What tells the two records apart on the merge page."""
        raise NotImplementedError

    def merge_two(
        self,
        request: HttpRequest,
        queryset: models.QuerySet,
        *,
        merge: Callable[..., Merge],
        problems: Callable[..., list[str]],
    ) -> HttpResponse | None:
        """The merge page for two selected records; on its confirmation, the merge."""
        opts = self.model._meta
        records = list(queryset[:3])
        if len(records) != 2:
            self.message_user(
                request,
                f"Select exactly two {opts.verbose_name_plural} to merge: the one to keep and its "
                "duplicate.",
                messages.ERROR,
            )
            return None
        errors = []
        chosen = [r for r in records if str(r.pk) == request.POST.get("keep")]
        if request.POST.get("post") == "yes" and not chosen:
            errors = [f"Choose the {opts.verbose_name} to keep."]
        elif request.POST.get("post") == "yes":
            keep = chosen[0]
            other = records[1] if keep == records[0] else records[0]
            try:
                done = merge(keep=keep, other=other, user=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(
                    request,
                    format_html(
                        'Merged “{}” into this {}: {}. <a href="{}">Undo it from the list of '
                        "merges</a>.",
                        done.merged,
                        opts.verbose_name,
                        done.moved,
                        reverse("admin:claims_merge_changelist"),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(admin_url(keep))
        choices = [
            (
                record,
                self.merge_facts(record),
                problems(keep=record, other=records[1] if record == records[0] else records[0]),
                admin_url(record),
            )
            for record in records
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge two {opts.verbose_name_plural}",
            "subtitle": None,
            "opts": opts,
            "choices": choices,
            "checked": chosen[0].pk if chosen else None,
            "errors": errors,
            "action": request.POST["action"],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/merge.html", context)


class MergedKind(admin.SimpleListFilter):
    title = "what was merged"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("party", "Parties"), ("claim", "Claims")]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if self.value() in ("party", "claim"):
            return queryset.filter(content_type__model=self.value())
        return queryset


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    """Every merge, newest first: what went into what, by whom, and whether it was undone."""

    list_display = ["merged_at", "what", "kept_record", "merged_by", "undone"]
    list_filter = [MergedKind, ("merged_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type", "merged_by", "undone_by"]
    search_fields = ["merged", "kept"]
    actions = ["undo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.merge_records")

    @admin.display(description="merged")
    def what(self, merge: Merge) -> str:
        kind = merge.content_type.name.capitalize()
        return f"{kind} “{merge.merged}” into “{merge.kept}”: {merge.moved}"

    @admin.display(description="kept")
    def kept_record(self, merge: Merge) -> str:
        url = reverse(
            f"admin:{merge.content_type.app_label}_{merge.content_type.model}_change",
            args=[merge.kept_id],
        )
        return format_html('<a href="{}">{}</a>', url, merge.kept)

    @admin.display(description="undone")
    def undone(self, merge: Merge) -> str:
        if merge.undone_at is None:
            return "—"
        by = merge.undone_by.get_username() if merge.undone_by else "—"
        return f"{merge.undone_at:%d %B %Y, %H:%M} by {by}"

    @admin.action(description="Undo the selected merges", permissions=["merge"])
    def undo(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        undone = []
        for merge in queryset.order_by("-merged_at", "-pk"):
            try:
                undo_merge(merge=merge, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{merge}: not undone. {' '.join(error.messages)}", messages.ERROR
                )
            else:
                undone.append(merge)
        if undone:
            self.message_user(
                request,
                f"{plural(len(undone), 'merge')} undone: "
                + "; ".join(str(merge) for merge in undone)
                + ". Each merged record is back, with what it held.",
                messages.SUCCESS,
            )
