"""Which existing claims a proposed statement likely bears on, and how."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import lexicon

STOPWORDS = lexicon.words(
    """
    a an the of to in on at by for from with and or but that this these those it its is
    are was were be been being has have had will would could should may might as into
    than then there their they them he she his her we our us you your i not no said say
    says also about after before over under more most some any all each other such only
    very
    """
)
MINIMUM_SCORE = 0.5
# Claims scoring far below the best match are noise from shared place names.
MARGIN_BELOW_BEST = 0.15


@dataclass(frozen=True)
class KnownClaim:
    slug: str
    text: str


@dataclass(frozen=True)
class ClaimSuggestion:
    slug: str
    stance: str
    score: float


def content_words(text: str) -> str:
    words = re.findall(r"[\w-]+", text.lower().replace("’", "'"))
    return " ".join(word for word in words if word not in STOPWORDS)


def suggested_stance(lemma: str, text: str) -> str:
    """Denials refute; a description that casts doubt ("one-sided") disputes; the rest support."""
    if lemma in lexicon.REFUTING_CUES:
        return "refutes"
    words = set(re.findall(r"[\w-]+", text.lower()))
    if lemma in lexicon.DISPUTING_CUES or (
        lemma in ("describe", "call") and words & lexicon.DOUBTING_WORDS
    ):
        return "disputes"
    return "supports"


class ClaimIndex:
    def __init__(self, claims: Sequence[KnownClaim]) -> None:
        self.claims = [(claim, content_words(claim.text)) for claim in claims]

    def suggest(self, text: str, lemma: str, limit: int = 3) -> tuple[ClaimSuggestion, ...]:
        words = content_words(text)
        if not words or not self.claims:
            return ()
        stance = suggested_stance(lemma, text)
        scored = []
        for claim, claim_words in self.claims:
            score = fuzz.token_set_ratio(words, claim_words) / 100
            if score >= MINIMUM_SCORE:
                scored.append((score, claim.slug))
        if not scored:
            return ()
        scored.sort(key=lambda item: (-item[0], item[1]))
        scored = [item for item in scored if item[0] >= scored[0][0] - MARGIN_BELOW_BEST]
        return tuple(
            ClaimSuggestion(slug, stance, round(score, 3)) for score, slug in scored[:limit]
        )
