"""Claims and who said what about them: topics, claims, statements, stances and corrections."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from reversion.models import Revision

from sources.models import (
    SLUG_HELP,
    Article,
    InTree,
    KeepsFormerSlugs,
    Party,
    Place,
    RemembersLoaded,
    choices_constraint,
    normalize_text,
    refuse_own_ancestor,
)

from .anchoring import Anchor, AnchorError, anchor_text
from .querysets import ClaimQuerySet, StanceQuerySet, StatementQuerySet, TopicQuerySet


class Topic(InTree, KeepsFormerSlugs):
    slug = models.SlugField(unique=True, max_length=120, help_text=SLUG_HELP)
    name = models.CharField(
        max_length=200, help_text="A short name: “Farukh/Parukh incident, March 2022”."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The wider topic this one belongs to: “Nagorno-Karabakh conflict”.",
    )
    description = models.TextField(blank=True, help_text="What the topic covers, for readers.")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="topic_not_own_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        refuse_own_ancestor(self, "A topic cannot sit under itself.")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class StanceValue(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    DISPUTES = "disputes", "Disputes"
    NEUTRAL = "neutral", "Neutral"


# The stances in the order pages show them, and their labels: Django works out a choices
# class's values and labels again on every use, and a claim page asks dozens of times.
STANCE_ORDER = {value: index for index, value in enumerate(StanceValue.values)}
STANCE_LABELS = dict(StanceValue.choices)


class Claim(KeepsFormerSlugs):
    # What lists show of a claim: all but the curators' assessment and the times of its writes.
    # Each is remembered as loaded: a save that changes none of them leaves pages of lists
    # cached (publishing.dependencies), one that keeps the wording leaves the search words.
    listed = (
        "text",
        "slug",
        "topic_id",
        "event_date",
        "status",
        "published_at",
        "statement_count",
        "supports_count",
        "refutes_count",
        "disputes_count",
        "contest_score",
    )
    remembered = listed

    slug = models.SlugField(unique=True, max_length=120, help_text=SLUG_HELP)
    text = models.TextField(
        help_text=(
            "The proposition, phrased neutrally so that parties can assert or deny it: "
            "“Azerbaijani troops entered the zone of responsibility of the Russian "
            "peacekeepers”. Not a party’s words, and no verdict."
        )
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="claims", help_text="Where readers find it."
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="claims", help_text="Places the claim is about."
    )
    event_date = models.DateField(
        null=True,
        blank=True,
        verbose_name="date of the alleged event",
        help_text="When the claimed event took place, if known.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published claims, and the statements on them, are shown to readers.",
    )
    assessment = models.TextField(
        blank=True,
        verbose_name="curators’ assessment",
        help_text=(
            "Optional. The curators’ own view of the evidence, shown to readers labelled as "
            "such. Leave empty to record attribution only."
        ),
    )
    assessment_verdict = models.CharField(
        max_length=100,
        blank=True,
        help_text="A short verdict summing up the assessment: “Unverified”, “Misleading”.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the claim was first published."
    )
    statement_count = models.PositiveIntegerField(default=0, editable=False)
    supports_count = models.PositiveIntegerField(default=0, editable=False)
    refutes_count = models.PositiveIntegerField(default=0, editable=False)
    disputes_count = models.PositiveIntegerField(default=0, editable=False)
    contest_score = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="The smaller of the supporting and the refuting-or-disputing camps.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("publish_claim", "Can publish and unpublish claims"),
            ("merge_records", "Can merge duplicate parties and claims, and undo merges"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="claim_status_pub_idx"),
            models.Index(
                fields=["topic", "status", "-published_at"], name="claim_topic_status_idx"
            ),
            models.Index(
                fields=["status", "-statement_count", "-published_at"],
                name="claim_status_count_idx",
            ),
            models.Index(
                fields=["status", "-contest_score", "-statement_count"],
                name="claim_status_contest_idx",
            ),
        ]
        constraints = [
            choices_constraint("status", Status.values),
            models.CheckConstraint(
                condition=Q(assessment_verdict="") | ~Q(assessment=""),
                name="claim_verdict_needs_assessment",
                violation_error_message="A verdict needs an assessment that explains it.",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.normalize()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # Its wording is among the words it is found by, and the only one of its own fields:
        # a save that leaves the wording as it was loaded leaves them as they are.
        reworded = self.changed("text")
        super().save(*args, **kwargs)
        if reworded:
            type(self).objects.filter(pk=self.pk).refresh_search()

    def clean(self) -> None:
        self.normalize()

    def normalize(self) -> None:
        self.text = normalize_text(self.text)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def neutral_count(self) -> int:
        return self.statement_count - self.supports_count - self.refutes_count - self.disputes_count

    @property
    def one_side_on_record(self) -> str:
        """ "supports" when statements on record only support the claim, "denies" when they only
        refute or dispute it, else empty: readers are told what is missing."""
        denials = self.refutes_count + self.disputes_count
        if self.supports_count and not denials:
            return "supports"
        if denials and not self.supports_count:
            return "denies"
        return ""

    def party_positions(self) -> list["PartyPosition"]:
        """One entry per party and stance, in stance order; uses prefetched stances if any.

        A party that said two things supporting the claim shows once, with both statements.
        """
        stances = self.stances.all()
        return positions_of((each.statement.party, each.value, each.statement) for each in stances)

    def may_move_to(self, status: str, *, user) -> bool:
        """Publishing and unpublishing are Editors' decisions (the publish_claim permission)."""
        changes_publication = status != self.status and Status.PUBLISHED in (status, self.status)
        return user.has_perm("claims.publish_claim") or not changes_publication


class ClaimSearch(models.Model):
    """Every word a claim is found by (claims/search.py), kept beside the claim rather than in
    it, so that loading claims never loads them: written again by every write that changes
    them (ClaimQuerySet.refresh_search)."""

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    text = models.TextField(default="")
    # The same words as PostgreSQL's full-text search reads them (English stems and the words
    # as written), with where each stands in the text, which only phrases need; left empty on
    # other databases, which search `text`.
    vector = SearchVectorField(null=True)
    # The same words without their positions, under a GIN index: what every search matches
    # first. Half the size, it stays in the row, where the vector (kept compressed apart, in
    # the table's TOAST) made a search read and unpack each claim's words it looked at.
    # PostgreSQL writes it from the vector whenever the vector is written (claims/0017).
    words = SearchVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return f"Search words of claim {self.claim_id}"


@dataclass
class PartyPosition:
    party: Party
    stance: str
    statements: list["Statement"]

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[self.stance]


def positions_summary(positions: Iterable[PartyPosition]) -> str:
    """Who stands where, in a line: "Ministry A supports; Ministry B refutes"."""
    return "; ".join(f"{p.party.name} {p.stance_label.lower()}" for p in positions)


def positions_of(said: Iterable[tuple[Any, str, Any]]) -> list[PartyPosition]:
    """(party, stance, statement) triples as positions: one per party and stance, in stance
    order, then by the party's name. The party may be any object with `pk` and `name` (a list's
    badges need no more), the statement None."""
    positions: dict[tuple[int, str], PartyPosition] = {}
    for party, value, statement in said:
        position = positions.setdefault((party.pk, value), PartyPosition(party, value, []))
        if statement is not None:
            position.statements.append(statement)
    return sorted(
        positions.values(), key=lambda p: position_order(p.stance, p.party.name, p.party.pk)
    )


def position_order(stance: str, name: str, party: int) -> tuple[int, str, int]:
    """Where a party's position goes among a claim's: in stance order, then by the party's
    name (and id, where two parties share one)."""
    return STANCE_ORDER[stance], name, party


class StatementMode(models.TextChoices):
    DIRECT_QUOTE = "direct_quote", "Direct quote"
    PARAPHRASE = "paraphrase", "Paraphrase"


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", "Found in the current text"
    LOST = "lost", "Not in the current text: its words are kept as captured"


class Statement(RemembersLoaded):
    remembered = ("text",)  # its words: changed, they are anchored again and corrected

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="Who made the statement, whatever name the article uses for them.",
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The article that reports the statement.",
    )
    text = models.TextField(
        help_text=(
            "Paste the words as the article prints them (curly or straight quotes, dashes and "
            "spacing may differ): they are found in the article's body and highlighted there. "
            "For a direct quote, paste only the quoted words; for a paraphrase, the reported "
            "clause."
        )
    )
    capture = models.ForeignKey(
        "sources.Capture",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="statements",
        help_text="The version of the article's text the words were taken from.",
    )
    mode = models.CharField(
        max_length=20,
        choices=StatementMode.choices,
        help_text="Direct quote: the party's own words in quotation marks. Paraphrase: the "
        "reporter's account of what the party said.",
    )
    speaker_label = models.CharField(
        max_length=200,
        verbose_name="named in the article as",
        help_text="How the article names the speaker here: “Moscow”, “Russia's Defense Ministry”.",
    )
    said_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        verbose_name="date said",
        help_text="When the party said it, if the article or the public record tells.",
    )
    start = models.PositiveIntegerField(
        editable=False, help_text="Offset of the first character of the span in the body."
    )
    end = models.PositiveIntegerField(
        editable=False, help_text="Offset just after the last character of the span."
    )
    prefix = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Text just before the span."
    )
    suffix = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Text just after the span."
    )
    anchor_status = models.CharField(
        max_length=20,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        editable=False,
        db_index=True,
        help_text="Whether the span was found in the article's current body.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        indexes = [
            # Whether a party has a public statement, from the index alone: each of its
            # statements' ids leads to their stances without reading the statements.
            models.Index(fields=["party", "id"], name="statement_party_id_idx"),
            # Who made each of a list's stances (its badges), from the index alone: the
            # statements' rows are read once per statement shown, not for a badge.
            models.Index(fields=["id", "party"], name="statement_id_party_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="statement_span"),
            choices_constraint("mode", StatementMode.values),
            choices_constraint("anchor_status", AnchorStatus.values),
            models.UniqueConstraint(
                fields=["article", "party", "start", "end"],
                name="statement_unique_span_per_party",
                violation_error_message="This party already has a statement on this span.",
            ),
        ]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.party}: “{excerpt}”"

    @property
    def is_direct_quote(self) -> bool:
        return self.mode == StatementMode.DIRECT_QUOTE

    @property
    def html_id(self) -> str:
        return f"statement-{self.pk}"

    def clean(self) -> None:
        # An article added on the same form as its statements has no id yet, but has its body.
        if not self.text or (self.article_id is None and not Statement.article.is_cached(self)):
            return
        if self.pk is None or self.words_changed:
            self.anchor()

    @property
    def words_changed(self) -> bool:
        """Whether the words differ from those loaded from the database."""
        return self.text != getattr(self, "loaded_text", self.text)

    @property
    def is_found_in_current_text(self) -> bool:
        return self.anchor_status == AnchorStatus.ANCHORED

    def anchor(self) -> None:
        """Find the words in the article's current body and take them from there: the body's
        own characters, their offsets, and the current capture. ValidationError if absent."""
        try:
            # Words that occur more than once: the place they had, or were selected at.
            anchor = anchor_text(self.article.body, self.text, near=self.start)
        except AnchorError as error:
            raise ValidationError({"text": str(error)}) from None
        self.apply_anchor(anchor)
        self.capture_id = self.article.capture_id

    def apply_anchor(self, anchor: Anchor) -> None:
        """Take the words from where they were found: the body's own characters."""
        self.text = anchor.text
        self.move_to(anchor)

    def move_to(self, anchor: Anchor) -> None:
        """New offsets for the same words; the words themselves stay as they are."""
        self.start, self.end = anchor.start, anchor.end
        self.prefix, self.suffix = anchor.prefix, anchor.suffix
        self.anchor_status = AnchorStatus.ANCHORED

    def published_claims(self) -> list["Claim"]:
        """The published claims this statement bears on, as the database has its stances."""
        return list(Claim.objects.published().filter(stances__statement=self).order_by("pk"))


class Stance(RemembersLoaded):
    # The claim the stance was on when loaded: moved to another, both claims' pages change.
    remembered = ("claim_id",)

    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="stances",
        help_text="The statement, as the article reports it.",
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="stances", help_text="The claim it bears on."
    )
    value = models.CharField(
        max_length=20,
        choices=StanceValue.choices,
        verbose_name="stance",
        help_text=(
            "Supports: asserts the claim. Refutes: denies it. Disputes: casts doubt on it or on "
            "its source without a flat denial. Neutral: bears on it without taking a side."
        ),
    )
    note = models.TextField(
        blank=True, help_text="Optional: why the statement bears on the claim this way."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "value", "statement"]
        # A claim's stances by value and statement from the index alone: lists read the
        # stances of twenty claims for their badges without reading the stances' rows. (Not
        # their notes as well, for claim pages: a note of a few kilobytes would not fit in an
        # index entry, and the stance could not be saved.)
        indexes = [
            models.Index(fields=["claim", "value", "statement"], name="stance_claim_value_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "claim"],
                name="stance_unique_per_statement_and_claim",
                violation_error_message="This statement already has a stance on this claim.",
            ),
            choices_constraint("value", StanceValue.values),
        ]

    def __str__(self) -> str:
        return f"{self.statement.party} {self.get_value_display().lower()} “{self.claim}”"


class Correction(models.Model):
    """A dated public note of what changed on a claim and why. Append-only: a correction is
    never edited nor deleted, and a claim that has one cannot be deleted."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="corrections")
    published_on = models.DateField(
        default=timezone.localdate, verbose_name="date", help_text="When the correction was made."
    )
    text = models.TextField(
        help_text="What changed and why, for readers: it is shown on the public claim page."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The editor who added it.",
    )

    class Meta:
        ordering = ["published_on", "pk"]

    def __str__(self) -> str:
        return f"Correction of {self.published_on:%d %B %Y}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and Correction.objects.filter(pk=self.pk).exists():
            raise ValidationError("A correction is never changed: add a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A correction is never deleted: add a new one.")


class ProposalSet(models.Model):
    """The attribution assistant's proposals for one capture of an article's text: computed
    once, when a curator first asks, and kept for as long as that text is current."""

    capture = models.OneToOneField(
        "sources.Capture", on_delete=models.CASCADE, related_name="proposal_set"
    )
    proposals = models.JSONField(
        default=list,
        help_text="Each proposal as the assistant made it: party, speaker mention, words, "
        "offsets, mode, confidence and the claims it likely bears on.",
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Proposals for {self.capture}"


class RejectedProposal(models.Model):
    """A proposal a curator turned down: never proposed again for that article, whatever text
    it is captured with next."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="rejected_proposals"
    )
    party_name = models.CharField(max_length=200)
    text = models.TextField()
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "party_name", "text"], name="rejected_proposal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_name}: “{self.text[:60]}”"


class Merge(models.Model):
    """A duplicate party or claim merged by an Editor into the one kept: what went where, the
    addresses that now lead to the kept record, and the history revisions of the state before
    and of the merge itself, so that it can be undone."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    kept_id = models.PositiveBigIntegerField()
    kept = models.CharField(max_length=300, help_text="The record kept, as it was named.")
    merged_id = models.PositiveBigIntegerField()
    merged = models.CharField(max_length=300, help_text="The record merged away, as it was named.")
    addresses = models.JSONField(
        default=list, help_text="The merged record's slugs, which now lead to the kept record."
    )
    moved = models.CharField(max_length=300, blank=True, help_text="What moved, in words.")
    # Pruning old history (reversion's deleterevisions) takes a merge's record with it: without
    # the state before, it cannot be undone anyway.
    before = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"“{self.merged}” merged into “{self.kept}”"
