"""Every write to articles, statements and stances, and the editorial moves of claims.

The admin, the seed loader, imports and the benchmark data all write through these functions,
so a statement is always anchored in its article's body, a claim's stance counters always
follow its stances, and each rule lives in one place. Each is one transaction.
"""

import secrets
from collections.abc import Iterable

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils.text import slugify

from sources.models import Article, Capture, Party, PartyAlias

from .anchoring import find_again
from .assistant.known import known_claims, known_parties
from .assistant.proposals import as_json, propose
from .models import (
    AnchorStatus,
    Claim,
    Correction,
    ProposalSet,
    RejectedProposal,
    Stance,
    Statement,
    Status,
)


@transaction.atomic
def save_article(
    *, article: Article, captured_by: AbstractBaseUser | None = None, archive_url: str = ""
) -> list[Statement]:
    """Save an article, checked. A new or changed body is kept as a new capture (with the
    archive address given, if any), and each statement is found again in it.

    Returns the statements whose words the new body no longer has, for the curator.
    """
    article.full_clean()
    previous = Article.objects.filter(pk=article.pk).values_list("body", flat=True).first()
    article.save()
    if previous != article.body or article.capture_id is None:
        capture_current_text(article=article, captured_by=captured_by, archive_url=archive_url)
    elif archive_url:
        record_archive_address(capture=article.capture, archive_url=archive_url)
    if previous is None or previous == article.body:
        return []
    return find_statements_again(article=article)


def capture_current_text(
    *, article: Article, captured_by: AbstractBaseUser | None = None, archive_url: str = ""
) -> Capture:
    article.capture = Capture.objects.create(
        article=article, text=article.body, captured_by=captured_by, archive_url=archive_url
    )
    article.save(update_fields=["capture"])
    return article.capture


def record_archive_address(*, capture: Capture, archive_url: str) -> None:
    """Give a capture the address of its archived copy: once, since a capture never changes."""
    if capture.archive_url == archive_url:
        return
    if capture.archive_url:
        raise ValidationError(
            {
                "archive_url": "This text's capture already has the archive address "
                f"{capture.archive_url}; a capture is never changed. Edit the body to make a "
                "new capture."
            }
        )
    capture.archive_url = archive_url
    capture.full_clean()
    capture.save()


@transaction.atomic
def find_statements_again(*, article: Article) -> list[Statement]:
    """Find every statement of the article again in its current body, word for word.

    A statement found gets its new offsets and nothing else; one that is not keeps its words,
    its offsets and its capture, and is flagged. Nothing here ever changes a statement's words.
    Returns the flagged statements.
    """
    lost = []
    for statement in article.statements.select_for_update().order_by("pk"):
        anchor = find_again(
            article.body,
            text=statement.text,
            start=statement.start,
            prefix=statement.prefix,
            suffix=statement.suffix,
        )
        before = (statement.start, statement.end, statement.anchor_status)
        if anchor is None:
            statement.anchor_status = AnchorStatus.LOST
            lost.append(statement)
        else:
            statement.move_to(anchor)
        if (statement.start, statement.end, statement.anchor_status) != before:
            # save() one by one rather than bulk_update: the history hears of every change.
            statement.save()
    return lost


@transaction.atomic
def save_statement(
    *, statement: Statement, user: AbstractBaseUser | None = None, correction: str = ""
) -> Statement:
    """Check a new or changed statement, finding its words in the article's body
    (ValidationError quoting them, and the nearest passage, when they are not there), then save
    it.

    Changing the words of a statement on a published claim is an Editor's act, and comes with a
    dated public correction on each of those claims: `correction` says why.
    """
    published = statement.published_claims() if statement.pk and statement.words_changed else []
    if published:
        if user is None or not user.has_perm("claims.publish_claim"):
            raise PermissionDenied(
                "Only an Editor can change the words of a statement on a published claim."
            )
        if not correction.strip():
            raise ValidationError(
                {"text": "Say why the words changed: readers of the claim see a correction."}
            )
    before = statement.loaded_text if published else ""
    if statement.article.capture_id is None:
        # An article saved past save_article: its words are taken from the text it has now.
        capture_current_text(article=statement.article, captured_by=user)
    if statement.capture_id is None:
        statement.capture_id = statement.article.capture_id
    statement.full_clean()
    statement.save()
    # Its words, the name the article gives the speaker or the speaker may have changed.
    Claim.objects.filter(stances__statement=statement).refresh_search()
    for claim in published:
        Correction.objects.create(
            claim=claim,
            created_by=user,
            text=(
                f"The words of {statement.party} in “{statement.article}” were corrected from "
                f"“{before}” to “{statement.text}”. {correction.strip()}"
            ),
        )
    statement.loaded_text = statement.text
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
    100,000 claims by them), and write again the words they are found by. Every write of
    stances, and of a claim's words or places, ends with it."""
    if not (isinstance(claims, models.QuerySet) and claims.model is Claim):
        ids = [claim.pk if isinstance(claim, Claim) else claim for claim in claims]
        if not ids:
            return
        claims = Claim.objects.filter(pk__in=ids)
    claims.refresh_stance_counts()
    claims.refresh_search()


def refresh_search_of(*, parties: Iterable[int] = (), places: Iterable[int] = ()) -> None:
    """Write again the search words of the claims these parties spoke on or these places are
    in: their names, or other names, changed."""
    claims = Claim.objects.filter(
        Q(stances__statement__party__in=list(parties)) | Q(places__in=list(places))
    ).values("pk")
    Claim.objects.filter(pk__in=claims).refresh_search()


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


# The attribution assistant's proposals, for curators to accept or reject.


def overlaps_by_half(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans share at least half of the longer one (the assistant's matching rule)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= max(a[1] - a[0], b[1] - b[0])


def open_proposals(*, article: Article) -> list[dict]:
    """The assistant's proposals for the article's current text, computed once per capture,
    less those a statement already covers or a curator rejected. Each keeps its `index` in the
    stored set."""
    capture = article.capture or capture_current_text(article=article)
    proposal_set = ProposalSet.objects.filter(capture=capture).first()
    if proposal_set is None:
        found = propose(capture.text, known_parties(), known_claims())
        proposal_set = ProposalSet.objects.create(
            capture=capture, proposals=[as_json(proposal) for proposal in found]
        )
    rejected = set(article.rejected_proposals.values_list("party_name", "text"))
    recorded = [
        (statement.start, statement.end)
        for statement in article.statements.filter(anchor_status=AnchorStatus.ANCHORED)
    ]
    return [
        {**proposal, "index": index}
        for index, proposal in enumerate(proposal_set.proposals)
        if (proposal["party"], proposal["text"]) not in rejected
        and not any(overlaps_by_half((proposal["start"], proposal["end"]), s) for s in recorded)
    ]


@transaction.atomic
def accept_proposal(
    *,
    article: Article,
    party: Party | None,
    new_party: dict | None = None,
    speaker_label: str,
    text: str,
    mode: str,
    stances: Iterable[tuple[Claim, str]] = (),
    user: AbstractBaseUser,
) -> Statement:
    """Make a proposal (as the curator left it) an ordinary statement: anchored, with its
    speaker label, its stances, and a revision in the history. A party new to Claimtrack is
    created, with the name the article used recorded as an alias."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Accepted from the assistant’s proposals.")
        if party is None:
            party = create_party(user=user, alias=speaker_label, **(new_party or {}))
        statement = Statement(
            article=article, party=party, text=text, mode=mode, speaker_label=speaker_label
        )
        save_statement(statement=statement, user=user)
        for claim, value in stances:
            set_stance(statement=statement, claim=claim, value=value)
    return statement


def create_party(*, name: str, side: str, kind: str, alias: str = "", user=None) -> Party:
    """A new party with a slug of its own, and the name an article used for it as an alias."""
    base = slugify(name)[:100] or "party"
    slug, number = base, 1
    while Party.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    party = Party(slug=slug, name=name, side=side, kind=kind)
    party.full_clean()
    party.save()
    if alias and alias.lower() != name.lower():
        PartyAlias.objects.create(party=party, name=alias)
    return party


def reject_proposal(
    *, article: Article, party_name: str, text: str, user: AbstractBaseUser
) -> None:
    RejectedProposal.objects.get_or_create(
        article=article, party_name=party_name, text=text, defaults={"rejected_by": user}
    )


# Accounts: Curators and Editors are staff accounts in the group of their role (migration 0002).

ROLES = {"curator": "Curator", "editor": "Editor"}


@transaction.atomic
def create_account(*, username: str, role: str) -> tuple[AbstractBaseUser, str]:
    """A staff account in the role's group, with a generated password: (account, password).

    ValidationError when the username is taken or not a valid one.
    """
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            f"The account “{username}” already exists. To give it a new password: "
            f"python manage.py changepassword {username}"
        )
    password = secrets.token_urlsafe(18)
    account = User(username=username, is_staff=True)
    account.full_clean(exclude=["password"])
    validate_password(password, account)
    account.set_password(password)
    account.save()
    account.groups.add(Group.objects.get(name=ROLES[role]))
    return account, password


# Sides: a party's side is a word readers see as a heading, so one side has one spelling.


def sides_in_use() -> list[tuple[str, int]]:
    """Each side a party has, with its number of parties, alphabetically."""
    return list(
        Party.objects.order_by("side")
        .values("side")
        .annotate(n=Count("pk"))
        .values_list("side", "n")
    )


@transaction.atomic
def rename_side(*, side: str, to: str, user: AbstractBaseUser) -> list[Party]:
    """Give every party of `side` the side `to` (an existing side's name merges the two
    spellings). Each party gets a revision of its own, so restoring one never rewinds another."""
    if not user.has_perm("sources.change_party"):
        raise PermissionDenied("You may not change parties.")
    to = " ".join(to.split())
    if not to:
        raise ValidationError("Give the side a name.")
    parties = list(Party.objects.select_for_update().filter(side=side).order_by("pk"))
    if not parties:
        raise ValidationError(f"No party has the side “{side}”.")
    for party in parties:
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Side “{side}” renamed “{to}”.")
            party.side = to
            party.full_clean()
            party.save()
    return parties
