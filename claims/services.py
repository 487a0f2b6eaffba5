"""Every write to articles, statements and stances, and the editorial moves of claims.

The admin, the seed loader, imports and the benchmark data all write through these functions,
so a statement is always anchored in its article's body, a claim's stance counters always
follow its stances, and each rule lives in one place. Each is one transaction.
"""

from collections.abc import Iterable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from sources.models import Article

from .anchoring import reanchor
from .models import AnchorStatus, Claim, Stance, Statement, Status


@transaction.atomic
def save_article(*, article: Article) -> list[Statement]:
    """Save an article, checked; if its body changed, find each of its statements again.

    Returns the statements that could not be found exactly after the change, for the curator.
    """
    article.full_clean()
    body_changed = (
        article.pk is not None
        and not Article.objects.filter(pk=article.pk, body=article.body).exists()
    )
    article.save()
    return reanchor_statements(article=article) if body_changed else []


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
    # save() one by one rather than bulk_update: the history hears of every change.
    for statement in changed:
        statement.save()
    return needing_attention


@transaction.atomic
def save_statement(*, statement: Statement) -> Statement:
    """Check a new or changed statement, finding its text in the article's body (ValidationError
    quoting the text when it is not there), then save it."""
    statement.full_clean()
    statement.save()
    return statement


def create_statement(
    *,
    article: Article,
    party,
    text: str,
    mode: str,
    speaker_label: str,
    said_on=None,
) -> Statement:
    return save_statement(
        statement=Statement(
            article=article,
            party=party,
            text=text,
            mode=mode,
            speaker_label=speaker_label,
            said_on=said_on,
        )
    )


@transaction.atomic
def delete_statement(*, statement: Statement) -> None:
    """Delete a statement with its stances, and recount the claims they were on."""
    claims = list(statement.stances.values_list("claim", flat=True))
    statement.delete()
    recount_stances(claims=claims)


@transaction.atomic
def save_stance(*, stance: Stance) -> Stance:
    """Check and save one stance, and recount the claims it is on now and was on before."""
    before = Stance.objects.filter(pk=stance.pk).values_list("claim", flat=True).order_by().first()
    stance.full_clean()
    stance.save()
    recount_stances(claims={stance.claim_id, before} - {None})
    return stance


def set_stance(*, statement: Statement, claim: Claim, value: str, note: str = "") -> Stance:
    """The statement's stance on the claim: created, or changed if it has one already."""
    stance = Stance.objects.filter(statement=statement, claim=claim).first()
    stance = stance or Stance(statement=statement, claim=claim)
    stance.value, stance.note = value, note
    return save_stance(stance=stance)


@transaction.atomic
def delete_stance(*, stance: Stance) -> None:
    stance.delete()
    recount_stances(claims=[stance.claim_id])


def recount_stances(*, claims: Iterable[Claim | int] | models.QuerySet) -> None:
    """Count the stances of these claims into their stored counters (lists order and filter
    100,000 claims by them). Every write of stances ends with it."""
    if isinstance(claims, models.QuerySet):
        claims.refresh_stance_counts()
        return
    ids = [claim.pk if isinstance(claim, Claim) else claim for claim in claims]
    if ids:
        Claim.objects.filter(pk__in=ids).refresh_stance_counts()


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
