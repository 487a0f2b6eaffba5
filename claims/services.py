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
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Revision, Version

from sources.models import Article, Capture, FormerSlug, Party, PartyAlias

from .anchoring import find_again
from .assistant.known import known_claims, known_parties
from .assistant.proposals import as_json, propose
from .models import (
    AnchorStatus,
    Claim,
    Correction,
    Merge,
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


# Merges: a duplicate party or claim merged into the one kept, in the history and undoable.


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
