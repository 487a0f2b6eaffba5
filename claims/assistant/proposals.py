"""Proposals: the statements the assistant suggests from an article's body."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import lexicon
from .bearing import ClaimIndex, ClaimSuggestion, KnownClaim
from .content import DIRECT_QUOTE
from .frames import Frame, Sentence, SentenceReader, continuation_quotes
from .speakers import Discourse, Entity, KnownParties, KnownParty, Mention
from .text import Span, paragraphs, plain_copy, quotations, sentences, tokens

# How sure each way of attributing is, before the speaker's resolution is weighed.
PATTERN_CONFIDENCE = {
    "normal": 0.85,
    "inverted": 0.85,
    "according": 0.8,
    "according_before": 0.8,
    "coordinated": 0.8,
    "participle": 0.75,
    "continuation": 0.7,
}


@dataclass(frozen=True)
class ProposedParty:
    """An existing party (with its slug) or a new one, named as the article names it."""

    name: str
    slug: str | None
    side: str
    kind: str


@dataclass(frozen=True)
class Proposal:
    party: ProposedParty
    attributed_as: str
    attributed_start: int
    attributed_end: int
    text: str
    start: int
    end: int
    mode: str
    cue: str
    confidence: float
    claims: tuple[ClaimSuggestion, ...] = ()


def party_name(named: str) -> str:
    """A new party's name as the article gives it, without the article's "the"."""
    return re.sub(r"^the\s+", "", named, flags=re.IGNORECASE)


def as_json(proposal: Proposal) -> dict:
    """The proposal in the shape `propose_statements --format json` prints and curators' screens
    keep."""
    return {
        "party": proposal.party.name,
        "party_slug": proposal.party.slug,
        "party_side": proposal.party.side,
        "party_kind": proposal.party.kind,
        "attributed_as": proposal.attributed_as,
        "attributed_start": proposal.attributed_start,
        "attributed_end": proposal.attributed_end,
        "text": proposal.text,
        "start": proposal.start,
        "end": proposal.end,
        "mode": proposal.mode,
        "confidence": proposal.confidence,
        "claims": [
            {"slug": claim.slug, "stance": claim.stance, "score": claim.score}
            for claim in proposal.claims
        ],
    }


def proper_words(plain: str) -> set[str]:
    """Capitalised words seen inside a sentence, not only at its start: names, not "Hospital"
    in "Hospital staff said"."""
    found = set()
    for match in re.finditer(r"(?<=[a-z0-9,;'] )([A-Z][\w'-]*)", plain):
        found.add(match.group(1))
    return found


def propose(
    body: str, parties: Sequence[KnownParty] = (), claims: Sequence[KnownClaim] = ()
) -> list[Proposal]:
    """The statements an article's body holds, in reading order."""
    plain = plain_copy(body)
    names = proper_words(plain)
    discourse = Discourse(plain, KnownParties(parties), names)
    claim_index = ClaimIndex(claims)
    found: list[Proposal] = []
    for paragraph in paragraphs(plain):
        quotes = quotations(body, plain, paragraph)
        last: tuple[Frame, list[Entity]] | None = None
        for span in sentences(plain, paragraph, quotes):
            sentence = Sentence(span, tokens(plain, span.start, span.end), quotes)
            reader = SentenceReader(plain, sentence, names)
            frames = reader.frames()
            subject = reader.subject
            if subject is not None and not any(
                subject.start in frame.content
                or any(speaker.start == subject.start for speaker in frame.speakers)
                for frame in frames
            ):
                discourse.resolve(subject)
            for frame in frames:
                entities = [discourse.resolve(mention) for mention in frame.speakers]
                found += attributed(body, frame, entities, claim_index)
                last = frame, entities
            if last is not None:
                for quote in continuation_quotes(sentence, frames):
                    content, mode = reader.mode_of(Span(quote.start, min(quote.end, span.end)))
                    frame, entities = last
                    continued = Frame(
                        frame.cue, frame.lemma, frame.speakers, content, mode, "continuation"
                    )
                    found += attributed(body, continued, entities, claim_index)
    return found


def attributed(
    body: str, frame: Frame, entities: Sequence[Entity | None], claim_index: ClaimIndex
) -> list[Proposal]:
    """One proposal for each speaker of the frame that is a party."""
    text = body[frame.content.start : frame.content.end]
    if not any(character.isalnum() for character in text):
        return []
    made = []
    for mention, entity in zip(frame.speakers, entities, strict=True):
        if entity is None or not entity.is_party:
            continue
        if entity.known is not None:
            known = entity.known
            party = ProposedParty(known.name, known.slug, known.side, known.kind)
        else:
            party = ProposedParty(party_name(entity.name), None, entity.side or "", entity.kind)
        made.append(
            Proposal(
                party=party,
                attributed_as=body[mention.start : mention.end],
                attributed_start=mention.start,
                attributed_end=mention.end,
                text=text,
                start=frame.content.start,
                end=frame.content.end,
                mode=frame.mode,
                cue=frame.cue.text,
                confidence=confidence(frame, mention, entity),
                claims=claim_index.suggest(text, frame.lemma),
            )
        )
    return made


def confidence(frame: Frame, mention: Mention, entity: Entity) -> float:
    value = PATTERN_CONFIDENCE.get(frame.pattern, 0.7)
    if frame.lemma in lexicon.OBJECT_LEMMAS:
        value -= 0.05
    first = mention.words[0]
    if first in lexicon.PRONOUNS or first in ("the", "its", "his", "her", "their"):
        value -= 0.1
    if entity.known is not None:
        value += 0.1
    if frame.mode == DIRECT_QUOTE:
        value += 0.05
    return round(min(max(value, 0.05), 0.99), 2)
