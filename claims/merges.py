"""Merging a duplicate party or claim into the one kept, in the history and undoable.

Only an Editor merges. What the duplicate had moves to the record kept, its addresses lead
there, and it is deleted. The history holds the state before and the merge, so the merge can be
undone as long as nothing it wrote has changed since.
"""

from collections.abc import Iterable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from reversion.models import Revision, Version

from sources.models import FormerSlug, Party, PartyAlias

from .models import Claim, Merge, Stance
from .services import recount_stances, refresh_search_of


def may_merge(user: AbstractBaseUser) -> None:
    if not user.has_perm("claims.merge_records"):
        raise PermissionDenied("Only an Editor can merge parties or claims.")


def locked[Record: models.Model](keep: Record, other: Record) -> tuple[Record, Record]:
    """Fresh copies of both records, locked until the transaction ends."""
    model = type(keep)
    found = model.objects.select_for_update().in_bulk([keep.pk, other.pk])
    if keep.pk == other.pk:
        raise ValidationError(f"A {model._meta.verbose_name} cannot be merged with itself.")
    if len(found) != 2:
        raise ValidationError(f"One of the two {model._meta.verbose_name_plural} no longer exists.")
    return found[keep.pk], found[other.pk]


def latest_revision(record: models.Model) -> Revision:
    return Version.objects.get_for_object(record).select_related("revision").first().revision


def record_state(
    *, records: Iterable[models.Model], user: AbstractBaseUser, comment: str
) -> Revision:
    """A revision holding the records as they are now (with what each follows)."""
    records = list(records)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        for record in records:
            reversion.add_to_revision(record)
    return latest_revision(records[0])


def lead_addresses_to(*, kept: models.Model, merged: models.Model) -> list[str]:
    """The merged record's slug, and the slugs it had before, now lead to the kept record."""
    content_type = ContentType.objects.get_for_model(type(kept))
    formers = FormerSlug.objects.filter(content_type=content_type, object_id=merged.pk)
    slugs = [merged.slug, *formers.values_list("slug", flat=True)]
    for former in formers:
        former.object_id = kept.pk
        former.save()
    FormerSlug.objects.update_or_create(
        content_type=content_type, slug=merged.slug, defaults={"object_id": kept.pk}
    )
    return slugs


def record_merge(
    *,
    kept: models.Model,
    merged: models.Model,
    merged_id: int,
    before: Revision,
    addresses: list[str],
    moved: str,
    user: AbstractBaseUser,
) -> Merge:
    return Merge.objects.create(
        content_type=ContentType.objects.get_for_model(type(kept)),
        kept_id=kept.pk,
        kept=str(kept)[:300],
        merged_id=merged_id,
        merged=str(merged)[:300],
        addresses=addresses,
        moved=moved,
        before=before,
        revision=latest_revision(kept),
        merged_by=user,
    )


def party_merge_problems(*, keep: Party, other: Party) -> list[str]:
    """What stops `other` from being merged into `keep`, for the Editor to resolve first."""
    problems = []
    for upper, lower in ((keep, other), (other, keep)):
        ancestor, seen = lower.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == upper.pk:
                problems.append(
                    f"“{lower}” sits under “{upper}”: a party is not merged with one above or "
                    "below it. Change its parent first."
                )
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    kept_spans = set(keep.statements.values_list("article", "start", "end"))
    for statement in other.statements.select_related("article"):
        if (statement.article_id, statement.start, statement.end) in kept_spans:
            problems.append(
                f"Both have a statement on the words “{statement.text}” in “{statement.article}”: "
                "delete one of the two first."
            )
    return problems


@transaction.atomic
def merge_parties(*, keep: Party, other: Party, user: AbstractBaseUser) -> Merge:
    """Merge a duplicate party into the one kept: its statements, aliases and the parties under
    it move to `keep`, its name becomes one of the kept party's aliases, its addresses lead to
    `keep`, and it is deleted. The history holds the state before, then the merge: one revision
    each, and the merge can be undone (undo_merge)."""
    may_merge(user)
    keep, other = locked(keep, other)
    if problems := party_merge_problems(keep=keep, other=other):
        raise ValidationError(problems)
    statements = list(other.statements.order_by("pk"))
    children = list(other.children.order_by("pk"))
    before = record_state(
        records=[keep, other, *statements, *children],
        user=user,
        comment=f"Before “{other}” was merged into “{keep}”.",
    )
    names = {
        keep.name.casefold(),
        *(name.casefold() for name in keep.aliases.values_list("name", flat=True)),
    }
    with reversion.create_revision():
        reversion.set_user(user)
        for statement in statements:
            statement.party = keep
            statement.save()
        for child in children:
            child.parent = keep
            child.save()
        aliases = list(other.aliases.order_by("pk"))
        for alias in aliases:
            if alias.name.casefold() in names:
                alias.delete()
                continue
            alias.party = keep
            alias.save()
            names.add(alias.name.casefold())
        if other.name.casefold() not in names:
            PartyAlias.objects.create(party=keep, name=other.name)
        keep.description = keep.description or other.description
        keep.save()
        addresses, merged_id = lead_addresses_to(kept=keep, merged=other), other.pk
        other.delete()
        moved = (
            f"statements moved: {len(statements)}; aliases: {len(aliases)}; "
            f"parties under it: {len(children)}"
        )
        reversion.set_comment(f"Merged “{other}” into this party: {moved}.")
        reversion.add_to_revision(keep)
    refresh_search_of(parties=[keep.pk])
    return record_merge(
        kept=keep,
        merged=other,
        merged_id=merged_id,
        before=before,
        addresses=addresses,
        moved=moved,
        user=user,
    )


def stance_clashes(*, keep: Claim, other: Claim) -> list[tuple[Stance, Stance]]:
    """Statements that bear on both claims in different ways: (stance on keep, on other)."""
    kept = {stance.statement_id: stance for stance in keep.stances.all()}
    return [
        (kept[stance.statement_id], stance)
        for stance in other.stances.select_related("statement__party", "statement__article")
        if stance.statement_id in kept and kept[stance.statement_id].value != stance.value
    ]


def claim_merge_problems(*, keep: Claim, other: Claim) -> list[str]:
    """What stops `other` from being merged into `keep`, for the Editor to resolve first."""
    problems = []
    if other.is_public and not keep.is_public:
        problems.append(
            f"“{other}” is published and “{keep}” is not: its readers would be led to a page "
            "they cannot see. Keep the published claim, or publish the other first."
        )
    if other.corrections.exists():
        problems.append(
            f"“{other}” has corrections, which are never moved nor deleted: keep that claim."
        )
    for kept, merged in stance_clashes(keep=keep, other=other):
        problems.append(
            f"{kept.statement} {kept.get_value_display().lower()} the claim kept and "
            f"{merged.get_value_display().lower()} the other: remove one of the two stances first."
        )
    return problems


@transaction.atomic
def merge_claims(*, keep: Claim, other: Claim, user: AbstractBaseUser) -> Merge:
    """Merge a duplicate claim into the one kept: its stances (one on a statement the kept
    claim already has in the same way is dropped), places and, where the kept claim has none,
    its date and assessment move; its addresses lead to `keep`, and it is deleted. The history
    holds the state before, then the merge, and the merge can be undone (undo_merge)."""
    may_merge(user)
    keep, other = locked(keep, other)
    if problems := claim_merge_problems(keep=keep, other=other):
        raise ValidationError(problems)
    before = record_state(
        records=[keep, other], user=user, comment=f"Before “{other}” was merged into “{keep}”."
    )
    kept = set(keep.stances.values_list("statement", flat=True))
    with reversion.create_revision():
        reversion.set_user(user)
        stances = list(other.stances.order_by("pk"))
        for stance in stances:
            if stance.statement_id in kept:
                stance.delete()
                continue
            stance.claim = keep
            stance.save()
        keep.places.add(*other.places.all())
        keep.event_date = keep.event_date or other.event_date
        if not keep.assessment:
            keep.assessment = other.assessment
            keep.assessment_verdict = other.assessment_verdict
        keep.save()
        addresses, merged_id = lead_addresses_to(kept=keep, merged=other), other.pk
        other.delete()
        recount_stances(claims=[keep])
        moved = f"stances moved: {len(stances)}"
        reversion.set_comment(f"Merged “{other}” into this claim: {moved}.")
        reversion.add_to_revision(keep)
    return record_merge(
        kept=keep,
        merged=other,
        merged_id=merged_id,
        before=before,
        addresses=addresses,
        moved=moved,
        user=user,
    )


def merge_writes(merge: Merge) -> tuple[dict, dict, dict]:
    """What a merge wrote, by (content type, object id): the versions from before of the records
    it changed or deleted, and from the merge of those it changed or created; then of those it
    created. Records its revisions only followed (a kept party's own aliases) are left out."""
    before = {(v.content_type_id, v.object_id): v for v in merge.before.version_set.all()}
    after = {(v.content_type_id, v.object_id): v for v in merge.revision.version_set.all()}
    written = {
        key: version
        for key, version in before.items()
        if key not in after or after[key].serialized_data != version.serialized_data
    }
    created = {key: version for key, version in after.items() if key not in before}
    return written, after, created


def changed_since(merge: Merge) -> list[str]:
    """The records a merge wrote that have changed, gone or come back since: undoing it would
    then undo those changes too."""
    written, after, created = merge_writes(merge)
    changed = []
    for key, version in (written | created).items():
        model = version._model
        exists = model._default_manager.filter(pk=version.object_id).exists()
        latest = Version.objects.get_for_object_reference(model, version.object_id).first()
        # A record the merge deleted must still be gone; any other, as the merge left it.
        unchanged = (exists and latest.pk == after[key].pk) if key in after else not exists
        if not unchanged:
            changed.append(f"{model._meta.verbose_name} “{version.object_repr}”")
    return changed


@transaction.atomic
def undo_merge(*, merge: Merge, user: AbstractBaseUser) -> None:
    """Put back what a merge changed, as it was before: the merged record with its addresses,
    and its statements, aliases and children (a party's) or its stances (a claim's). Refused
    once a record the merge wrote has changed since: restore those from the history instead."""
    may_merge(user)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(f"This merge was undone on {merge.undone_at:%d %B %Y}.")
    if changed := changed_since(merge):
        raise ValidationError(
            "Changed since the merge, so it is not undone: "
            + "; ".join(changed)
            + ". Restore what you need from their history instead."
        )
    model = merge.content_type.model_class()
    slug = merge.addresses[0]
    if model.objects.filter(slug=slug).exists():
        raise ValidationError(f"Another {model._meta.verbose_name} now has the address “{slug}”.")
    written, _, created = merge_writes(merge)
    merged_key = (merge.content_type_id, str(merge.merged_id))
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Undid the merge of “{merge.merged}” into “{merge.kept}”.")
        # The merged record first: what is put back refers to it.
        for key in sorted(written, key=lambda key: key != merged_key):
            written[key].revert()
        for version in created.values():
            version.object.delete()
        FormerSlug.objects.filter(content_type=merge.content_type, slug=slug).delete()
        for former in FormerSlug.objects.filter(
            content_type=merge.content_type, slug__in=merge.addresses[1:]
        ):
            former.object_id = merge.merged_id
            former.save()
    if model is Claim:
        recount_stances(claims=[merge.kept_id, merge.merged_id])
    else:
        refresh_search_of(parties=[merge.kept_id, merge.merged_id])
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save()
