"""Writes that touch several models at once."""

from collections.abc import Iterable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from sources.models import Article

from .anchoring import reanchor
from .models import AnchorStatus, Claim, Statement, Status


@transaction.atomic
def reanchor_statements(*, article: Article) -> list[Statement]:
    """Find every statement of the article again in its current body.

    Returns the statements that could not be found exactly (relocated by context, or lost), so
    the caller can tell the curator. Lost statements keep their text and last offsets: nothing
    a curator entered is dropped.
    """
    changed, needing_attention = [], []
    for statement in article.statements.select_for_update().order_by("pk"):
        anchor = reanchor(
            article.body,
            text=statement.text,
            start=statement.start,
            end=statement.end,
            prefix=statement.prefix,
            suffix=statement.suffix,
        )
        before = (statement.text, statement.start, statement.end, statement.anchor_status)
        if anchor is None:
            statement.anchor_status = AnchorStatus.LOST
        else:
            statement.apply_anchor(anchor)
        if (statement.text, statement.start, statement.end, statement.anchor_status) != before:
            changed.append(statement)
        if statement.anchor_status != AnchorStatus.ANCHORED:
            needing_attention.append(statement)
    # save() one by one rather than bulk_update: history and caches hear of every change.
    for statement in changed:
        statement.save()
    return needing_attention


# Where each move starts from: an action leaves claims that stand elsewhere as they are.
MOVES_FROM = {
    Status.IN_REVIEW: {Status.DRAFT},
    Status.PUBLISHED: {Status.DRAFT, Status.IN_REVIEW},
    Status.DRAFT: {Status.PUBLISHED},
}
MOVE_COMMENTS = {
    Status.IN_REVIEW: "Sent to review.",
    Status.PUBLISHED: "Published.",
    Status.DRAFT: "Unpublished: back to draft.",
}


@transaction.atomic
def move_claims(
    *, claims: Iterable[Claim], to: Status, user: AbstractBaseUser
) -> tuple[list[Claim], list[Claim]]:
    """Give the status `to` to each claim where that move starts: (moved, left as they were).

    Raises PermissionDenied, changing nothing, when the user may not make the move. Each claim
    gets a history revision of its own, so restoring one claim never rewinds another.
    """
    if not user.has_perm("claims.change_claim"):
        raise PermissionDenied("You may not change claims.")
    moved, left = [], []
    locked = Claim.objects.select_for_update().filter(pk__in=[claim.pk for claim in claims])
    for claim in locked.order_by("pk"):
        if claim.status not in MOVES_FROM[to]:
            left.append(claim)
            continue
        if not claim.may_move_to(to, user=user):
            raise PermissionDenied("Only an Editor can publish or unpublish a claim.")
        claim.status = to
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(MOVE_COMMENTS[to])
            claim.save()
        moved.append(claim)
    return moved, left
