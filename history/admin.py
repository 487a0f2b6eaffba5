"""Every admin screen's history: who changed what and when, any two versions compared field by
field, and restoring a version or a deleted record (django-reversion underneath).

Used by the screens of `sources` and `claims` alike, so it depends on neither.
"""

import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from reversion.admin import VersionAdmin
from reversion.models import Version


@dataclass
class FieldChange:
    label: str
    before: SafeString | str
    after: SafeString | str


@dataclass
class RelatedChange:
    """One followed object (a claim's stance, a party's alias) that differs between versions."""

    kind: str
    model: str
    name: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field: models.Field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if model_field.many_to_many:
        related = model_field.related_model._base_manager.filter(pk__in=value)
        return ", ".join(str(obj) for obj in related) or "—"
    if model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (since deleted)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(localize(value))


def _word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts with the words removed from the first and added in the second marked."""
    old, new = before.split(" "), after.split(" ")
    old_marked, new_marked = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        removed, added = " ".join(old[i1:i2]), " ".join(new[j1:j2])
        if tag == "equal":
            old_marked.append(format_html("{}", removed))
            new_marked.append(format_html("{}", added))
            continue
        if removed:
            old_marked.append(format_html("<del>{}</del>", removed))
        if added:
            new_marked.append(format_html("<ins>{}</ins>", added))
    return _join_words(old_marked), _join_words(new_marked)


def _join_words(words: list[SafeString]) -> SafeString:
    return format_html_join(" ", "{}", ((word,) for word in words))


def compare_fields(model: type[models.Model], before: dict, after: dict) -> list[FieldChange]:
    """The fields that differ between two versions' data, with long texts diffed word by word."""
    changes = []
    for model_field in model._meta.concrete_fields + model._meta.many_to_many:
        # Timestamps change on every save and would drown the real changes.
        if model_field.primary_key or getattr(model_field, "auto_now", False):
            continue
        if getattr(model_field, "auto_now_add", False):
            continue
        key = model_field.attname
        old, new = before.get(key), after.get(key)
        if model_field.many_to_many:
            old, new = sorted(map(str, old or [])), sorted(map(str, new or []))
        if old == new:
            continue
        label = str(model_field.verbose_name).capitalize()
        if isinstance(model_field, models.TextField) and old and new:
            changes.append(FieldChange(label, *_word_diff(old, new)))
        else:
            changes.append(
                FieldChange(label, _display(model_field, old), _display(model_field, new))
            )
    return changes


class HistoryAdmin(VersionAdmin):
    """A screen whose every add, change and delete is a revision: who, when and what changed.

    `history_follow` names the related objects edited on the same screen (a claim's stances):
    each revision holds them too, so restoring a version or a deleted object brings them back
    exactly. `history_exclude` names fields derived from others, which are recomputed rather
    than restored. The history page compares any two versions.
    """

    history_follow: tuple[str, ...] = ()
    history_exclude: tuple[str, ...] = ()
    history_latest_first = True
    object_history_template = "admin/history/object_history.html"
    recover_list_template = "admin/history/recover_list.html"

    def get_queryset(self, request):
        # A revision names each record it holds (a stance by its party and its claim): loaded
        # with their peers, a claim's thirty stances are named in two queries, not sixty.
        return super().get_queryset(request).fetch_mode(models.FETCH_PEERS)

    def reversion_register(self, model: type[models.Model], **options) -> None:
        if model is self.model:
            options.update(follow=self.history_follow, exclude=self.history_exclude)
        # Django's JSON serializer cuts times to the millisecond; XML keeps them exactly, so a
        # restored record is the record that was deleted, to the microsecond.
        super().reversion_register(model, format="xml", **options)

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        # django-reversion wraps the whole list page in one revision. Actions here record one
        # revision per object instead (see record_deletion), because restoring a revision
        # restores everything in it: one object's restore must never rewind the others.
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def record_deletion(self, request: HttpRequest, obj: models.Model) -> None:
        """Keep the object as it is now, with what it follows, so that it can be recovered."""
        with self.create_revision(request):
            reversion.set_comment("Deleted.")
            reversion.add_to_revision(obj)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            self.record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.record_deletion(request, obj)
            super().delete_queryset(request, queryset)

    def url_name(self, view: str) -> str:
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def with_counts(self, queryset: models.QuerySet, **counts: Count) -> models.QuerySet:
        """Counts shown in the list. A grouped query drops Meta.ordering, so it is restated:
        the autocomplete pages through this queryset and needs a stable order."""
        return queryset.annotate(**counts).order_by(*self.model._meta.ordering)

    def versions(self, request: HttpRequest, obj: models.Model) -> models.QuerySet:
        return self._reversion_order_version_queryset(
            request, Version.objects.get_for_object(obj).select_related("revision__user")
        )

    def recoverlist_view(self, request: HttpRequest, extra_context=None):
        deleted = Version.objects.get_deleted(self.model).select_related("revision__user")
        context = {"deleted": self._reversion_order_version_queryset(request, deleted)}
        return super().recoverlist_view(request, {**context, **(extra_context or {})})

    def own_version(self, version_id: str, object_id: str | None = None) -> bool:
        """Whether the version is one of this screen's records (of this one, if given).
        django-reversion's screens look a version up by id alone, whatever record it is of."""
        versions = Version.objects.get_for_model(self.model)
        if object_id is not None:
            versions = versions.filter(object_id=unquote(object_id))
        return str(version_id).isdigit() and versions.filter(pk=version_id).exists()

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        if not self.own_version(version_id, object_id):
            raise Http404("No such version of this record.")
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        if not self.own_version(version_id):
            raise Http404("No such version of a deleted record.")
        return super().recover_view(request, version_id, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        versions = [
            (version, reverse(self.url_name("revision"), args=[quote(obj.pk), version.pk]))
            for version in self.versions(request, obj)
        ]
        context = {
            "versions": versions,
            "compare_url": reverse(self.url_name("compare"), args=[quote(obj.pk)]),
            "can_restore": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self.versions(request, obj)
        chosen = [request.GET.get("before", ""), request.GET.get("after", "")]
        found = {
            version.pk: version
            for version in versions.filter(pk__in=[pk for pk in chosen if pk.isdigit()])
        }
        history_url = reverse(self.url_name("history"), args=[quote(obj.pk)])
        if len(found) != 2:
            self.message_user(
                request,
                "Choose two different versions of this record to compare.",
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        before, after = sorted(found.values(), key=lambda version: version.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions of {obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "before": before,
            "after": after,
            "fields": compare_fields(self.model, before.field_dict, after.field_dict),
            "related": self.compare_followed(obj, before, after),
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/history/compare.html", context)

    def compare_followed(
        self, obj: models.Model, before: Version, after: Version
    ) -> list[RelatedChange]:
        """Followed objects added, removed or changed between two versions of obj."""
        changes = []
        for name in self.history_follow:
            relation = self.model._meta.get_field(name)
            model, link = relation.related_model, relation.field.attname

            def snapshot(version: Version, model=model, link=link) -> dict[str, Version]:
                return {
                    related.object_id: related
                    for related in version.revision.version_set.get_for_model(model)
                    if str(related.field_dict[link]) == str(obj.pk)
                }

            old, new = snapshot(before), snapshot(after)
            label = str(model._meta.verbose_name).capitalize()
            for key in sorted(old.keys() | new.keys(), key=int):
                if key not in new:
                    changes.append(RelatedChange("Removed", label, old[key].object_repr))
                elif key not in old:
                    changes.append(RelatedChange("Added", label, new[key].object_repr))
                elif fields := compare_fields(model, old[key].field_dict, new[key].field_dict):
                    changes.append(RelatedChange("Changed", label, new[key].object_repr, fields))
        return changes
