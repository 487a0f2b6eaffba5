"""Precision and recall of the assistant's (speaker, span) pairs on the development set.

A proposal matches an annotated statement when their spans overlap by at least half of the
longer of the two, and the speaker is right: the proposed party's name or the proposed
speaker mention is one of the ways the article names that party, or the mention is the
annotated mention itself. Names are compared without case, spacing, typographic quotes or a
leading article ("the"). Each annotated statement takes at most one proposal, greedily, the
largest overlap first.

The assistant is evaluated twice: knowing no party at all (an article from a new dispute),
and knowing the annotated parties by their proper names (as it does once curators have
recorded a dispute's parties and their aliases). Pronouns and descriptions ("it", "the
ministry") are never given as known names: the assistant must resolve them itself.
"""

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .devset import AnnotatedArticle, AnnotatedParty, AnnotatedStatement
from .proposals import Proposal, propose
from .speakers import KnownParty, is_proper_name, normalise_name

NO_KNOWN_PARTIES = "no_known_parties"
ANNOTATED_PARTIES_KNOWN = "annotated_parties_known"
SETTINGS = (NO_KNOWN_PARTIES, ANNOTATED_PARTIES_KNOWN)


def overlap(first: tuple[int, int], second: tuple[int, int]) -> int:
    return max(0, min(first[1], second[1]) - max(first[0], second[0]))


def spans_match(first: tuple[int, int], second: tuple[int, int]) -> bool:
    longer = max(first[1] - first[0], second[1] - second[0])
    return longer > 0 and 2 * overlap(first, second) >= longer


def speaker_right(proposal: Proposal, statement: AnnotatedStatement, party: AnnotatedParty) -> bool:
    names = {normalise_name(name) for name in (party.name, *party.names)}
    return (
        normalise_name(proposal.party.name) in names
        or normalise_name(proposal.attributed_as) in names
        or normalise_name(proposal.attributed_as) == normalise_name(statement.mention)
    )


def match(
    proposals: Sequence[Proposal],
    statements: Sequence[AnnotatedStatement],
    parties: Sequence[AnnotatedParty],
) -> list[tuple[int, int]]:
    """Pairs (proposal index, statement index), one to one, the largest overlap first."""
    by_name = {party.name: party for party in parties}
    candidates = []
    for p, proposal in enumerate(proposals):
        for s, statement in enumerate(statements):
            proposed, annotated = (proposal.start, proposal.end), (statement.start, statement.end)
            if spans_match(proposed, annotated) and speaker_right(
                proposal, statement, by_name[statement.party]
            ):
                candidates.append((-overlap(proposed, annotated), p, s))
    pairs, used_proposals, used_statements = [], set(), set()
    for _, p, s in sorted(candidates):
        if p not in used_proposals and s not in used_statements:
            pairs.append((p, s))
            used_proposals.add(p)
            used_statements.add(s)
    return sorted(pairs)


def known_parties(article: AnnotatedArticle) -> list[KnownParty]:
    """The article's parties under their proper names only."""
    return [
        KnownParty(
            slug=re.sub(r"[^a-z0-9]+", "-", party.name.lower()).strip("-"),
            name=party.name,
            side=party.side,
            kind=party.kind,
            names=tuple(name for name in party.names if is_proper_name(name)),
        )
        for party in article.parties
    ]


@dataclass(frozen=True)
class ArticleResult:
    name: str
    held_out: bool
    words: int
    proposed: int
    annotated: int
    matched: int
    milliseconds: float
    proposals: tuple[Proposal, ...]
    pairs: tuple[tuple[int, int], ...]

    @property
    def milliseconds_per_500_words(self) -> float:
        return self.milliseconds * 500 / self.words if self.words else 0.0


@dataclass(frozen=True)
class Figures:
    articles: int
    proposed: int
    annotated: int
    matched: int
    milliseconds_per_500_words: float

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.annotated if self.annotated else 1.0

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "proposed": self.proposed,
            "annotated": self.annotated,
            "matched": self.matched,
            "ms_per_500_words": round(self.milliseconds_per_500_words, 1),
        }


def evaluate_article(
    article: AnnotatedArticle, setting: str, clock: Callable[[], float] = time.perf_counter
) -> ArticleResult:
    parties = known_parties(article) if setting == ANNOTATED_PARTIES_KNOWN else []
    started = clock()
    proposals = propose(article.body, parties, ())
    milliseconds = (clock() - started) * 1000
    pairs = match(proposals, article.statements, article.parties)
    return ArticleResult(
        article.name,
        article.held_out,
        article.words,
        len(proposals),
        len(article.statements),
        len(pairs),
        milliseconds,
        tuple(proposals),
        tuple(pairs),
    )


def evaluate(articles: Sequence[AnnotatedArticle], setting: str) -> list[ArticleResult]:
    propose("Warm-up: the ministry said nothing.", [], ())
    return [evaluate_article(article, setting) for article in articles]


def figures(results: Sequence[ArticleResult]) -> Figures:
    words = sum(result.words for result in results)
    milliseconds = sum(result.milliseconds for result in results)
    return Figures(
        articles=len(results),
        proposed=sum(result.proposed for result in results),
        annotated=sum(result.annotated for result in results),
        matched=sum(result.matched for result in results),
        milliseconds_per_500_words=milliseconds * 500 / words if words else 0.0,
    )


def summary(results: Sequence[ArticleResult]) -> dict[str, dict]:
    return {
        "overall": figures(results).as_dict(),
        "tuning": figures([r for r in results if not r.held_out]).as_dict(),
        "held_out": figures([r for r in results if r.held_out]).as_dict(),
    }
