"""The admin home's desk: what waits for each person. Editors see the claims sent to review,
oldest first, with who sent each and when, and every statement an edit of its article's body
took away; Curators see their own drafts and the flagged statements they worked on."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import BigIntegerField, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import urlencode
from reversion.models import Version

from ..models import AnchorStatus, Claim, Statement, Status
from .helpers import admin_url

# Enough to start on; the full list is one link away.
SHOWN = 20
LOOKED_AT = 200


@dataclass
class Waiting:
    """One thing to look at: its screen, and who did what to it when, if the history tells."""

    record: Claim | Statement
    url: str
    by: str = ""
    at: datetime | None = None


@dataclass
class Queue:
    """One list of the desk: what it shows, how many there are in all, and where all are."""

    title: str
    empty: str
    items: list[Waiting] = field(default_factory=list)
    total: int = 0
    all_url: str = ""


def worked_on_by(user: AbstractBaseUser, model: type[models.Model]) -> Subquery:
    """The ids of the records of `model` that have a version in the history by `user`."""
    versions = Version.objects.get_for_model(model).filter(revision__user=user)
    return Subquery(versions.annotate(record=Cast("object_id", BigIntegerField())).values("record"))


def sent_to_review(claims: list[Claim]) -> dict[int, Version]:
    """For each claim, the version of its history that last moved it into review."""
    versions = (
        Version.objects.get_for_model(Claim)
        .filter(object_id__in=[str(claim.pk) for claim in claims])
        .select_related("revision__user")
        .order_by("-pk")
    )
    by_claim: dict[int, list[Version]] = {}
    for version in versions:
        by_claim.setdefault(int(version.object_id), []).append(version)
    sent = {}
    for pk, history in by_claim.items():
        # Newest first: the move into review is the oldest version of the latest run in review.
        for version in history:
            if version.field_dict["status"] != Status.IN_REVIEW:
                break
            sent[pk] = version
    return sent


def claims_in_review() -> Queue:
    waiting = Claim.objects.filter(status=Status.IN_REVIEW)
    # The longest untouched are the longest waiting, near enough to choose whose history to read.
    claims = list(waiting.select_related("topic").order_by("updated_at")[:LOOKED_AT])
    sent = sent_to_review(claims)
    items = [
        Waiting(
            claim,
            admin_url(claim),
            by=sent[claim.pk].revision.user.get_username() if claim.pk in sent else "",
            at=sent[claim.pk].revision.date_created if claim.pk in sent else claim.updated_at,
        )
        for claim in claims
    ]
    items.sort(key=lambda item: item.at)
    changelist = reverse("admin:claims_claim_changelist")
    return Queue(
        title="Claims in review",
        empty="No claim waits for review.",
        items=items[:SHOWN],
        total=waiting.count(),
        all_url=f"{changelist}?{urlencode({'status__exact': Status.IN_REVIEW})}",
    )


def statements_to_fix(statements: models.QuerySet, title: str) -> Queue:
    statements = statements.needing_attention().select_related("party", "article")
    changelist = reverse("admin:claims_statement_changelist")
    return Queue(
        title=title,
        empty="No statement to fix: every one is found in its article’s text.",
        items=[Waiting(s, admin_url(s), at=s.updated_at) for s in statements[:SHOWN]],
        total=statements.count(),
        all_url=f"{changelist}?{urlencode({'anchor_status__exact': AnchorStatus.LOST})}",
    )


def own_drafts(user: AbstractBaseUser) -> Queue:
    drafts = Claim.objects.filter(
        status=Status.DRAFT, pk__in=worked_on_by(user, Claim)
    ).select_related("topic")
    changelist = reverse("admin:claims_claim_changelist")
    return Queue(
        title="Your drafts",
        empty="No draft of yours: claims you add or edit wait here until sent to review.",
        items=[
            Waiting(claim, admin_url(claim), at=claim.updated_at)
            for claim in drafts.order_by("-updated_at")[:SHOWN]
        ],
        total=drafts.count(),
        all_url=f"{changelist}?{urlencode({'status__exact': Status.DRAFT})}",
    )


def desk_of(user: AbstractBaseUser) -> list[Queue]:
    if not user.has_perm("claims.view_claim"):
        return []
    if user.has_perm("claims.publish_claim"):
        return [
            claims_in_review(),
            statements_to_fix(Statement.objects.all(), "Statements to fix"),
        ]
    own = Statement.objects.filter(pk__in=worked_on_by(user, Statement))
    return [own_drafts(user), statements_to_fix(own, "Your statements to fix")]
