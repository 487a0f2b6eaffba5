"""schema.org JSON-LD for a claim page: one Claim per party position, and a ClaimReview only
where the curators gave an assessment with a verdict (attribution alone is not a fact-check,
and a review without a rating is one that ClaimReview's consumers refuse)."""

from collections.abc import Callable

from claims.models import Claim, PartyPosition, StanceValue
from sources.models import PartyKind, Place

from .addresses import SITE_NAME, absolute, pages_of, wikidata_address
from .claim_page import Stated
from .fragments import Speaker


def same_as(data: dict, wikidata_id: str) -> dict:
    if wikidata_id:
        data["sameAs"] = wikidata_address(wikidata_id)
    return data


def speaker(party: Speaker, address: Callable[[str], str]) -> dict:
    """A party as the author of a claim; `address` gives the page of a party's slug (pages_of,
    found once for the many parties of a claim page)."""
    kind = "Person" if party.kind == PartyKind.PERSON else "Organization"
    data = {"@type": kind, "name": party.name, "url": absolute(address(party.slug))}
    return same_as(data, party.wikidata_id)


def place(place: Place) -> dict:
    data = {"@type": "Place", "name": place.name}
    other_names = [name.name for name in place.alternative_names.all()]
    if other_names:
        data["alternateName"] = other_names
    return same_as(data, place.wikidata_id)


def appearance(said: Stated) -> dict:
    report = said.report
    data = {
        "@type": "NewsArticle",
        "headline": report.title,
        "url": report.address,
        "publisher": {"@type": "Organization", "name": report.outlet},
    }
    if report.published_on:
        data["datePublished"] = report.published_on.isoformat()
    return data


def claim_review(
    claim: Claim,
    positions: list[PartyPosition],
    url: str,
    places: list[dict],
    party_page: Callable[[str], str],
) -> dict:
    """The curators' review of the claim as made by the parties that assert it (or, if none
    does, by the first party on it), where they stated it."""
    asserting = [p for p in positions if p.stance == StanceValue.SUPPORTS] or positions[:1]
    item_reviewed = {
        "@type": "Claim",
        "text": claim.text,
        "author": [speaker(position.party, party_page) for position in asserting],
        "appearance": [
            appearance(statement) for position in asserting for statement in position.statements
        ],
    }
    if places:
        item_reviewed["contentLocation"] = places
    review = {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "itemReviewed": item_reviewed,
        "reviewRating": {"@type": "Rating", "alternateName": claim.assessment_verdict},
        "reviewBody": claim.assessment,
        "author": {"@type": "Organization", "name": SITE_NAME, "url": absolute("/")},
    }
    if claim.published_at:
        review["datePublished"] = claim.published_at.date().isoformat()
    return review


def claim_structured_data(
    claim: Claim, positions: list[PartyPosition], places: list[Place]
) -> dict:
    url = absolute(claim.get_absolute_url())
    party_page = pages_of("sources.party")
    places = [place(p) for p in places]
    graph = []
    for position in positions:
        party = position.party
        dates = sorted(s.said_on for s in position.statements if s.said_on)
        entry = {
            "@type": "Claim",
            "@id": f"{url}#{party.slug}-{position.stance}",
            "name": f"{party.name} {position.stance_label.lower()}: {claim.text}",
            "text": claim.text,
            "description": " ".join(f"“{s.text}”" for s in position.statements),
            "author": speaker(party, party_page),
            "appearance": [appearance(statement) for statement in position.statements],
            "url": url,
        }
        if places:
            entry["contentLocation"] = places
        if dates:
            entry["datePublished"] = dates[0].isoformat()
        graph.append(entry)
    # Without a verdict there is no rating, and without a party no claim as someone made it:
    # the assessment is then shown on the page only.
    if claim.assessment and claim.assessment_verdict and positions:
        graph.append(claim_review(claim, positions, url, places, party_page))
    return {"@context": "https://schema.org", "@graph": graph}
