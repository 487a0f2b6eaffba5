"""Atom feeds: new published claims, and new statements on a claim, by a party or in a topic.

Everything in them is plain text: entry summaries are `type="text"`, so a feed reader shows a
party's name or a quoted statement as written, `<script>` and `&` included, and runs nothing.
Characters XML 1.0 cannot carry are left out rather than failing the feed.

Each feed has what RFC 4287 requires: an id, a title, an `updated` and an author (Claimtrack)
of its own, and every entry an id, a title, an `updated` and a link. Links and ids are on the
site's public address (publishing/addresses.py), whatever host the feed was asked on.
"""

import re
from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.models import Claim, Stance, Topic, positions_summary
from claims.visibility import public_parties
from sources.models import Party

from .addresses import SITE_NAME, absolute

FEED_LENGTH = 50
# When a site that never published anything last changed, for its empty feeds.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
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

    def latest_post_date(self) -> datetime:
        return self.feed.get("updated_when_empty") or super().latest_post_date()


class SiteFeed(Feed):
    """A feed of the site's, named by its URL name (with the subject's slug, if it has one)."""

    feed_type = TextAtomFeed
    url_name: str
    author_name = SITE_NAME

    def author_link(self) -> str:
        return absolute(reverse("publishing:home"))

    def feed_url(self, subject) -> str:
        return absolute(reverse(self.url_name, args=[subject.slug] if subject else []))

    def get_feed(self, subject, request) -> TextAtomFeed:
        feed = super().get_feed(subject, request)
        if not feed.items:
            # Django dates an empty feed "now": it would differ on every request, and every
            # export of the static mirror would rewrite it.
            feed.feed["updated_when_empty"] = self.updated_when_empty(subject)
        return feed

    def updated_when_empty(self, subject) -> datetime:
        """The most recent publication on the site."""
        latest = Claim.objects.published().aggregate(latest=Max("published_at"))["latest"]
        return latest or NEVER


class LatestClaimsFeed(SiteFeed):
    url_name = "publishing:feed_claims"
    title = "Claimtrack: new claims"
    subtitle = "Claims newly published on Claimtrack, with who asserts and who denies them."

    def link(self) -> str:
        return absolute(reverse("publishing:claim_list"))

    def item_link(self, claim: Claim) -> str:
        return absolute(claim.get_absolute_url())

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
        positions = positions_summary(claim.party_positions())
        return xml_text(f"{claim.topic.name}. {positions or 'No statement yet.'}")

    def item_pubdate(self, claim: Claim):
        return claim.published_at

    def item_updateddate(self, claim: Claim):
        return claim.updated_at

    def item_categories(self, claim: Claim) -> list[str]:
        return [xml_text(claim.topic.name)]


class StatementsFeed(SiteFeed):
    """One entry per statement on a published claim, newest first. An entry is published when
    it became public: when the stance was recorded, or when its claim was published if later;
    and updated when the stance or its statement last changed, if later still."""

    def stances(self, subject) -> QuerySet[Stance]:
        raise NotImplementedError

    def items(self, subject) -> QuerySet[Stance]:
        return (
            self.stances(subject)
            .public()
            .select_related("claim", "statement__party", "statement__article__outlet")
            .annotate(public_since=Greatest(F("created_at"), F("claim__published_at")))
            .annotate(
                last_changed=Greatest(
                    F("public_since"), F("updated_at"), F("statement__updated_at")
                )
            )
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
        return absolute(f"{stance.claim.get_absolute_url()}#{stance.statement.html_id}")

    def item_pubdate(self, stance: Stance):
        return stance.public_since

    def item_updateddate(self, stance: Stance):
        return stance.last_changed

    def item_author_name(self, stance: Stance) -> str:
        return xml_text(stance.statement.party.name)


class ClaimStatementsFeed(StatementsFeed):
    url_name = "publishing:feed_claim"

    def get_object(self, request, slug: str) -> Claim:
        return get_object_or_404(Claim.objects.published(), slug=slug)

    def title(self, claim: Claim) -> str:
        return xml_text(f"Claimtrack: statements on “{claim.text}”")

    def link(self, claim: Claim) -> str:
        return absolute(claim.get_absolute_url())

    def stances(self, claim: Claim) -> QuerySet[Stance]:
        return claim.stances.all()

    def updated_when_empty(self, claim: Claim) -> datetime:
        return claim.updated_at


class PartyStatementsFeed(StatementsFeed):
    """The party's statements and those of the parties under it: a government's ministries."""

    url_name = "publishing:feed_party"

    def get_object(self, request, slug: str) -> Party:
        return get_object_or_404(public_parties(), slug=slug)

    def title(self, party: Party) -> str:
        return xml_text(f"Claimtrack: statements by {party.name}")

    def link(self, party: Party) -> str:
        return absolute(party.get_absolute_url())

    def stances(self, party: Party) -> QuerySet[Stance]:
        return Stance.objects.filter(statement__party__in=party.with_descendants)


class TopicStatementsFeed(StatementsFeed):
    url_name = "publishing:feed_topic"

    def get_object(self, request, slug: str) -> Topic:
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, topic: Topic) -> str:
        return xml_text(f"Claimtrack: statements on {topic.name}")

    def link(self, topic: Topic) -> str:
        return absolute(topic.get_absolute_url())

    def stances(self, topic: Topic) -> QuerySet[Stance]:
        return Stance.objects.filter(claim__topic__in=topic.with_descendants)
