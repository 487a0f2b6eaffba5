"""Atom feeds: new published claims, and new statements on a claim, by a party or in a topic.

Everything in them is plain text: entry summaries are `type="text"`, so a feed reader shows a
party's name or a quoted statement as written, `<script>` and `&` included, and runs nothing.
Characters XML 1.0 cannot carry are left out rather than failing the feed.
"""

import re

from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.models import Claim, Stance, Topic, public_parties
from sources.models import Party

FEED_LENGTH = 50
# Control characters XML 1.0 cannot carry, and the two non-characters.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_IN_XML.sub("", text)


class TextAtomFeed(Atom1Feed):
    """Atom with entry summaries as text. Django's says `type="html"`, so a feed reader would
    render the escaped-once text as HTML: markup in curated text would come alive."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestClaimsFeed(Feed):
    feed_type = TextAtomFeed
    title = "Claimtrack: new claims"
    subtitle = "Claims newly published on Claimtrack, with who asserts and who denies them."

    def link(self) -> str:
        return reverse("publishing:claim_list")

    def items(self) -> QuerySet[Claim]:
        return (
            Claim.objects.published()
            .select_related("topic")
            .prefetch_related("stances__statement__party")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, claim: Claim) -> str:
        return xml_text(claim.text)

    def item_description(self, claim: Claim) -> str:
        positions = "; ".join(
            f"{p.party.name} {p.stance_label.lower()}" for p in claim.party_positions()
        )
        return xml_text(f"{claim.topic.name}. {positions or 'No statement yet.'}")

    def item_pubdate(self, claim: Claim):
        return claim.published_at

    def item_updateddate(self, claim: Claim):
        return claim.updated_at

    def item_categories(self, claim: Claim) -> list[str]:
        return [xml_text(claim.topic.name)]


class StatementsFeed(Feed):
    """One entry per statement on a published claim, newest first. An entry's date is when it
    became public: when the stance was recorded, or when its claim was published if later."""

    feed_type = TextAtomFeed

    def stances(self, subject) -> QuerySet[Stance]:
        raise NotImplementedError

    def items(self, subject) -> QuerySet[Stance]:
        return (
            self.stances(subject)
            .public()
            .select_related("claim", "statement__party", "statement__article__outlet")
            .annotate(public_since=Greatest(F("created_at"), F("claim__published_at")))
            .order_by("-public_since", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, stance: Stance) -> str:
        stance_label = stance.get_value_display().lower()
        return xml_text(f"{stance.statement.party.name} {stance_label}: {stance.claim.text}")

    def item_description(self, stance: Stance) -> str:
        statement = stance.statement
        kind = "said" if statement.is_direct_quote else "is reported as saying"
        return xml_text(
            f"{statement.party.name} ({statement.speaker_label}) {kind}: “{statement.text}” "
            f"— {statement.article.title}, {statement.article.outlet.name}."
        )

    def item_link(self, stance: Stance) -> str:
        return f"{stance.claim.get_absolute_url()}#{stance.statement.html_id}"

    def item_pubdate(self, stance: Stance):
        return stance.public_since

    def item_author_name(self, stance: Stance) -> str:
        return xml_text(stance.statement.party.name)


class ClaimStatementsFeed(StatementsFeed):
    def get_object(self, request, slug: str) -> Claim:
        return get_object_or_404(Claim.objects.published(), slug=slug)

    def title(self, claim: Claim) -> str:
        return xml_text(f"Claimtrack: statements on “{claim.text}”")

    def link(self, claim: Claim) -> str:
        return claim.get_absolute_url()

    def stances(self, claim: Claim) -> QuerySet[Stance]:
        return claim.stances.all()


class PartyStatementsFeed(StatementsFeed):
    def get_object(self, request, slug: str) -> Party:
        return get_object_or_404(public_parties(), slug=slug)

    def title(self, party: Party) -> str:
        return xml_text(f"Claimtrack: statements by {party.name}")

    def link(self, party: Party) -> str:
        return party.get_absolute_url()

    def stances(self, party: Party) -> QuerySet[Stance]:
        return Stance.objects.filter(statement__party=party)


class TopicStatementsFeed(StatementsFeed):
    def get_object(self, request, slug: str) -> Topic:
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, topic: Topic) -> str:
        return xml_text(f"Claimtrack: statements on {topic.name}")

    def link(self, topic: Topic) -> str:
        return topic.get_absolute_url()

    def stances(self, topic: Topic) -> QuerySet[Stance]:
        return Stance.objects.filter(claim__topic__in=topic.with_descendants())
