"""schema.org JSON-LD for a claim page: one Claim per party position, a ClaimReview only where
the curators gave an assessment (attribution alone is not a fact-check)."""

from django.conf import settings

from claims.models import Claim, PartyPosition

from .templatetags.publishing import http_address


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def appearance(statement) -> dict:
    article = statement.article
    data = {
        "@type": "NewsArticle",
        "headline": article.title,
        "url": http_address(article.url) or absolute(article.get_absolute_url()),
        "publisher": {"@type": "Organization", "name": article.outlet.name},
    }
    if article.published_on:
        data["datePublished"] = article.published_on.isoformat()
    return data


def claim_structured_data(claim: Claim, positions: list[PartyPosition]) -> dict:
    url = absolute(claim.get_absolute_url())
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
            "author": {
                "@type": "Organization",
                "name": party.name,
                "url": absolute(party.get_absolute_url()),
            },
            "appearance": [appearance(statement) for statement in position.statements],
            "url": url,
        }
        if dates:
            entry["datePublished"] = dates[0].isoformat()
        graph.append(entry)
    if claim.assessment:
        review = {
            "@type": "ClaimReview",
            "url": url,
            "claimReviewed": claim.text,
            "reviewBody": claim.assessment,
            "author": {"@type": "Organization", "name": "Claimtrack curators"},
        }
        if claim.published_at:
            review["datePublished"] = claim.published_at.date().isoformat()
        if claim.assessment_verdict:
            review["reviewRating"] = {"@type": "Rating", "alternateName": claim.assessment_verdict}
        graph.append(review)
    return {"@context": "https://schema.org", "@graph": graph}
