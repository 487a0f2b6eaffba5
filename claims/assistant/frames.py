"""Reporting frames in a sentence: the cue (the reporting verb), the words naming the speaker,
and the content span, following the attribution guideline.

A frame is found around each cue that stands outside quotation marks. Its speaker stands
before the cue ("X said P"), after it ('"Q," said X') or is carried over from the sentence
("..., adding that P"; "X refuted A and described B"). Its content follows the cue, or precedes
the frame when the frame closes the clause ("P, the ministry said"). A cue inside another
frame's content is a nested report and belongs to the outer speaker, unless it is a second
cue of the same speaker ("..., and said", "but warned").
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import lexicon
from .content import PARAPHRASE, ContentReader
from .phrases import scan_left, scan_right, split_coordination
from .speakers import Mention
from .text import Span, Token

# Cues whose content is a noun phrase ("blamed the plant"): it holds no nested report, so a
# new speaker after a comma starts a frame of its own.
NOUN_PHRASE_LEMMAS = lexicon.words("deny reject refute dismiss condemn blame dispute cite confirm")
# Words between "and" and a cue that show a nested report ("..., and had demanded that").
BACKSHIFT = frozenset({"had", "would", "could", "who", "which", "whose", "that"})
# Words that open an aside between a speaker and the cue: "X, which runs the port, said",
# "X, in a rare statement, said".
APPOSITION_OPENERS = lexicon.words(
    "who which whose where when in on at during after before with without like unlike as"
)
BE_FORMS = frozenset({"was", "were", "is", "are", "be", "been", "being"})
NEGATIONS = frozenset({"not", "n't", "never", "to", "declined"})
TIME_LEADERS = lexicon.words("on this last late early next the that earlier later")
NAME_PARTICLES = frozenset({"de", "al", "van", "von", "bin", "of"})
SECOND_CUE_LEADERS = frozenset({"and", "but", ",", ";", "-", "also", "then", "later"})


@dataclass(frozen=True)
class Frame:
    cue: Token
    lemma: str
    speakers: tuple[Mention, ...]
    content: Span
    mode: str
    pattern: str
    # The frame carries its speaker over from the sentence ("..., adding that").
    carried: bool = False


@dataclass
class Sentence:
    span: Span
    tokens: list[Token]
    quotes: list[Span]

    def quote_at(self, offset: int) -> Span | None:
        return next((quote for quote in self.quotes if offset in quote), None)


def lemma_of(word: str) -> str:
    word = word.lower()
    if word in lexicon.LEMMAS:
        return lexicon.LEMMAS[word]
    for ending, replacement in (
        ("ied", "y"),
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(ending):
            stem = word[: -len(ending)] + replacement
            if stem + "e" in lexicon.CUES or stem + "es" in lexicon.CUES:
                return stem + "e"
            return stem
    return word


class SentenceReader(ContentReader):
    """Finds the frames of one sentence."""

    def __init__(self, plain: str, sentence: Sentence, proper_words: set[str]) -> None:
        self.plain = plain
        self.sentence = sentence
        self.tokens = sentence.tokens
        self.proper_words = proper_words
        self.subject: Mention | None = self.leading_subject()
        # Headlines and captions end without a full stop.
        self.is_headline = plain[sentence.span.end - 1] not in '.!?"'

    # The speaker carried over by "and said" and ", adding": the subject of the sentence.
    def leading_subject(self) -> Mention | None:
        tokens = self.tokens
        first = 0
        if tokens and tokens[0].lower in lexicon.SENTENCE_OPENERS - {"the", "a", "an", "both"}:
            comma = next((i for i, t in enumerate(tokens[:12]) if t.text == ","), None)
            if comma is None:
                return None
            first = comma + 1
        if first < len(tokens) and tokens[first].lower == "both":
            first += 1
        end = scan_right(tokens, first, len(tokens), self.proper_words)
        if end <= first:
            if first < len(tokens) and tokens[first].lower in lexicon.PRONOUNS:
                end = first + 1
            else:
                return None
        return self.mention(first, end)

    def mention(self, first: int, end: int, name: str = "", description=()) -> Mention:
        tokens = tuple(self.tokens[first:end])
        return Mention(tokens[0].start, tokens[-1].end, tokens, name, tuple(description))

    def frames(self) -> list[Frame]:
        accepted: list[Frame] = []
        for index, token in enumerate(self.tokens):
            if token.lower == "according" and not self.in_quote(token):
                frame = self.according_to(index)
            elif (token.lower in lexicon.CUES or token.lower == "quoted") and not self.in_quote(
                token
            ):
                frame = self.frame_at(index, accepted)
            else:
                continue
            if frame is None:
                continue
            accepted = self.admit(frame, accepted)
            if frame.pattern == "inverted":
                tail = self.tail(frame)
                if tail is not None:
                    accepted = self.admit(tail, accepted)
        return [frame for frame in accepted if frame.content.end > frame.content.start]

    def tail(self, frame: Frame) -> Frame | None:
        """ "P, it said, and Q": Q is a second statement of the same speaker."""
        tokens = self.tokens
        index = next(i for i, t in enumerate(tokens) if t.start == frame.cue.start) + 1
        while index < len(tokens) and tokens[index].text != ",":
            if tokens[index].text in (".", ";", '"') or tokens[index].lower == "that":
                return None
            index += 1
        if index + 2 >= len(tokens) or tokens[index + 1].lower not in ("and", "but"):
            return None
        rest = tokens[index + 2 :]
        if any(token.lower in lexicon.CUES for token in rest) or rest[0].lower in lexicon.CUES:
            return None
        content = self.trim(Span(rest[0].start, self.clause_end(index + 2)))
        return Frame(
            frame.cue, frame.lemma, frame.speakers, *self.mode_of(content), "inverted", True
        )

    def admit(self, frame: Frame, accepted: list[Frame]) -> list[Frame]:
        """Nested reports stay with the outer speaker; a second cue of the same speaker, or a
        new speaker after a comma, ends the content before it."""
        kept = []
        for other in accepted:
            if frame.pattern in ("inverted", "according_before") and frame.content.covers(
                Span(other.cue.start, other.cue.end)
            ):
                continue
            if frame.cue.start in other.content:
                if frame.pattern == "nested":
                    return accepted
                cut = self.break_before(frame)
                other = replace(other, content=self.trim(Span(other.content.start, cut)))
            kept.append(other)
        if frame.pattern == "nested":
            return accepted
        return [*kept, frame]

    def break_before(self, frame: Frame) -> int:
        start = frame.speakers[0].start if frame.speakers and not frame.carried else frame.cue.start
        index = next(i for i, t in enumerate(self.tokens) if t.start >= start)
        while index > 0 and self.tokens[index - 1].lower in SECOND_CUE_LEADERS:
            index -= 1
        return self.tokens[index].start if index < len(self.tokens) else frame.cue.start

    def frame_at(self, index: int, accepted: list[Frame]) -> Frame | None:
        token = self.tokens[index]
        word = token.lower
        lemma = lemma_of(word)
        inside = any(token.start in frame.content for frame in accepted)
        previous = self.tokens[index - 1] if index else None
        if word in lexicon.PARTICIPLE_CUES:
            if previous is None or previous.text != ",":
                return None
            speakers = self.carried_speakers(accepted)
            content = self.content_after(index, lemma)
            if not speakers or content is None:
                return None
            return Frame(token, lemma, speakers, *self.mode_of(content), "participle", True)
        if previous is not None and previous.text in ('"', ",") and word in lexicon.CLAUSE_CUES:
            inverted = self.verb_first(index)
            if inverted is not None:
                return inverted
        if word == "quoted":
            return self.quoted_as_saying(index)
        if previous is not None and previous.lower in BE_FORMS:
            return None
        last = index - 1
        while last >= 0 and (
            self.tokens[last].lower in lexicon.AUXILIARIES
            or (self.tokens[last].lower.endswith("ly") and not self.tokens[last].is_capitalised)
        ):
            last -= 1
        if last >= 0 and self.tokens[last].lower in NEGATIONS:
            return None
        last = self.skip_time_phrase(last)
        if last >= 0 and self.tokens[last].lower in ("and", "but"):
            if inside and any(t.lower in BACKSHIFT for t in self.tokens[last + 1 : index]):
                return self.nested(token, lemma)
            speakers = self.carried_speakers(accepted)
            content = self.content_after(index, lemma)
            if not speakers or content is None:
                return None
            return Frame(token, lemma, speakers, *self.mode_of(content), "coordinated", True)
        subject = self.subject_before(last)
        if subject is None and last >= 0 and self.tokens[last].text == "," and self.is_headline:
            # A headline's second verb: "Ostmark shuts airport, blames 'hostile state'".
            speakers = self.carried_speakers(accepted)
            content = self.content_after(index, lemma)
            if not speakers or content is None:
                return None
            return Frame(token, lemma, speakers, *self.mode_of(content), "coordinated", True)
        if subject is None:
            return self.nested(token, lemma) if inside else None
        speakers, first = subject
        before = self.tokens[first - 1] if first > 0 else None
        if inside and not (
            before is not None
            and before.text in (",", ";")
            and self.holds_noun_phrase(index, accepted)
        ):
            return self.nested(token, lemma)
        if before is not None and (
            before.text == '"' or (before.text in (",", ";") and self.closes_clause(index))
        ):
            content = self.content_before(first)
            if content is None:
                return None
            return Frame(token, lemma, speakers, *self.mode_of(content), "inverted")
        content = self.content_after(index, lemma)
        if content is None:
            return self.nested(token, lemma) if inside else None
        return Frame(token, lemma, speakers, *self.mode_of(content), "normal")

    def holds_noun_phrase(self, index: int, accepted: list[Frame]) -> bool:
        """Whether the frame whose content holds this cue reports a noun phrase ("blames the
        plant, Tarsova says"): a new speaker after a comma then starts a frame of its own."""
        cue = self.tokens[index]
        return any(
            cue.start in frame.content and frame.lemma in NOUN_PHRASE_LEMMAS for frame in accepted
        )

    def nested(self, token: Token, lemma: str) -> Frame:
        """A report inside another frame's content: it belongs to the outer speaker."""
        return Frame(token, lemma, (), Span(token.start, token.start), PARAPHRASE, "nested")

    def skip_time_phrase(self, last: int) -> int:
        """ "Russia on Saturday claimed", "Armenia this week called on"."""
        tokens = self.tokens
        while last >= 1 and tokens[last].lower in lexicon.TIME_WORDS:
            last -= 1
            while last >= 0 and tokens[last].lower in TIME_LEADERS:
                last -= 1
        return last

    def carried_speakers(self, accepted: list[Frame]) -> tuple[Mention, ...]:
        for frame in reversed(accepted):
            if frame.speakers:
                return frame.speakers
        return (self.subject,) if self.subject is not None else ()

    def subject_before(self, last: int) -> tuple[tuple[Mention, ...], int] | None:
        """The words naming the speaker that end at token `last`, split where they join two
        speakers, and the index of their first token."""
        tokens = self.tokens
        if last < 0:
            return None
        if tokens[last].lower in lexicon.PRONOUNS:
            return (self.mention(last, last + 1),), last
        last, name, description = self.without_asides(last)
        first = self.phrase_start(last)
        relative = self.relative_clause_start(min(first, last + 1), last)
        if relative is not None:
            last = relative - 1
            first = scan_left(tokens, last, 0, self.proper_words)
        if first > last:
            return None
        first = self.extend_over_prepositions(first)
        while first <= last and tokens[first].lower in lexicon.CONNECTORS | {"and"}:
            first += 1
        if first > last or tokens[last].lower.endswith(("'s", "s'")):
            return None
        if tokens[last].lower in lexicon.SOURCE_NOUNS and first == last:
            return None
        if tokens[first].lower == "both":
            first += 1
        if first > last or not any(
            token.lower not in lexicon.DETERMINERS for token in tokens[first : last + 1]
        ):
            return None
        parts = split_coordination(tokens[first : last + 1])
        mentions = []
        for part in parts:
            source = self.source_of(part)
            possessive = source != part and source[-1].lower.endswith("'s")
            mentions.append(
                Mention(
                    source[0].start,
                    source[-1].end - (2 if possessive else 0),
                    source,
                    name if len(parts) == 1 else "",
                    description,
                    from_source=source != part,
                )
            )
        return tuple(mentions), first

    def without_asides(self, last: int) -> tuple[int, str, tuple[Token, ...]]:
        """Drops the asides between a speaker and the cue ("Mira Tolic, the ombudswoman,"
        or ", which runs the port,"): the new last index, a name given in an aside, and a
        description given in one."""
        tokens = self.tokens
        name, description = "", ()
        for _ in range(2):
            if tokens[last].text != ",":
                break
            opening = last - 1
            while opening >= 0 and tokens[opening].text not in (",", '"', ";", ":"):
                opening -= 1
            if opening < 0 or tokens[opening].text != "," or opening + 1 == last:
                break
            inner = tokens[opening + 1 : last]
            if inner[0].is_capitalised and all(
                token.is_capitalised or token.lower in NAME_PARTICLES
                for token in inner
                if token.is_word
            ):
                name = " ".join(token.text for token in inner)
            elif inner[0].lower in ("a", "an", "the", "one"):
                description = tuple(inner)
            elif not (
                inner[0].lower in APPOSITION_OPENERS or inner[0].lower.endswith(("ing", "ed"))
            ):
                break
            last = opening - 1
        return last, name, description

    def phrase_start(self, last: int) -> int:
        """Where the noun phrase ending at `last` begins; for a statement ("Russia's
        statement", "A statement from the ministry") the phrase includes it."""
        tokens = self.tokens
        if tokens[last].lower not in lexicon.SOURCE_NOUNS or last == 0:
            return scan_left(tokens, last, 0, self.proper_words)
        first = scan_left(tokens, last - 1, 0, self.proper_words)
        if first > last - 1:
            return last - 1 if tokens[last - 1].lower in lexicon.DETERMINERS else last + 1
        if first > 0 and tokens[first - 1].lower in lexicon.DETERMINERS:
            return first - 1
        return first

    def extend_over_prepositions(self, first: int) -> int:
        """ "A farmer near Osti": the speaker is the farmer, not Osti."""
        tokens = self.tokens
        while first > 1 and tokens[first - 1].lower in lexicon.CONNECTORS - {"to"}:
            head = first - 2
            if not tokens[head].is_word or tokens[head].lower in lexicon.CUES:
                break
            if tokens[head].lower in lexicon.AUXILIARIES or tokens[head].lower in ("and", "but"):
                break
            modifiers = scan_left(self.tokens, head - 1, 0, self.proper_words)
            first = modifiers if modifiers <= head - 1 else head
            if first > 0 and tokens[first - 1].lower in lexicon.DETERMINERS:
                first -= 1
        return first

    def relative_clause_start(self, first: int, last: int) -> int | None:
        """For "The UN envoy who chaired the talks", the index of "who"."""
        tokens = self.tokens
        index = first - 1
        while index >= 0 and tokens[index].text not in (",", '"', ";", ":"):
            if tokens[index].lower in ("who", "which"):
                before = scan_left(tokens, index - 1, 0, self.proper_words)
                return index if before <= index - 1 else None
            index -= 1
        return None

    @staticmethod
    def source_of(part: tuple[Token, ...]) -> tuple[Token, ...]:
        """ "UN figures", "a ministry statement": the source stands for its author."""
        for index, token in enumerate(part[:-1]):
            if token.lower in lexicon.SOURCE_NOUNS and part[index + 1].lower in (
                "from",
                "by",
                "of",
            ):
                return part[index + 2 :] or part
        if len(part) > 1 and part[-1].lower in lexicon.SOURCE_NOUNS:
            return part[:-1]
        return part

    def verb_first(self, index: int) -> Frame | None:
        """'"Q," said X' and 'P, said the ministry'."""
        tokens = self.tokens
        end = scan_right(tokens, index + 1, len(tokens), self.proper_words)
        if end <= index + 1:
            return None
        speaker = self.mention(index + 1, end)
        if not speaker.tokens or all(t.lower in lexicon.DETERMINERS for t in speaker.tokens):
            return None
        if (
            end < len(tokens)
            and tokens[end].text not in (",", ".", ";", "!", "?")
            and not (self.closes_clause(end - 1))
        ):
            return None
        content = self.content_before(index)
        if content is None:
            return None
        token = tokens[index]
        return Frame(token, lemma_of(token.lower), (speaker,), *self.mode_of(content), "inverted")

    def quoted_as_saying(self, index: int) -> Frame | None:
        tokens = self.tokens
        for position in range(index + 1, min(index + 16, len(tokens) - 1)):
            if tokens[position].lower == "as" and tokens[position + 1].lower == "saying":
                subject = self.subject_before(position - 1)
                content = self.content_after(position + 1, "say")
                if subject is None or content is None or subject[1] <= index:
                    return None
                return Frame(tokens[index], "say", subject[0], *self.mode_of(content), "normal")
        return None

    def according_to(self, index: int) -> Frame | None:
        tokens = self.tokens
        if index + 1 >= len(tokens) or tokens[index + 1].lower != "to":
            return None
        end = scan_right(tokens, index + 2, len(tokens), self.proper_words)
        if end <= index + 2:
            return None
        if end < len(tokens) and tokens[end].lower in lexicon.SOURCE_NOUNS:
            end += 1
            if end + 1 < len(tokens) and tokens[end].lower in ("by", "from", "of"):
                end = scan_right(tokens, end + 1, len(tokens), self.proper_words)
        named = tuple(tokens[index + 2 : end])
        source = self.source_of(named)
        speaker = Mention(source[0].start, source[-1].end, source, from_source=source != named)
        token = tokens[index]
        if index == 0 and end < len(tokens) and tokens[end].text == ",":
            content = self.trim(Span(tokens[end].end, self.sentence.span.end))
            return Frame(token, "say", (speaker,), *self.mode_of(content), "according")
        if index > 0 and tokens[index - 1].text == ",":
            content = self.content_before(index)
            if content is None:
                return None
            return Frame(token, "say", (speaker,), *self.mode_of(content), "according_before")
        return None


def continuation_quotes(sentence: Sentence, frames: Sequence[Frame]) -> list[Span]:
    """Quotations outside every frame's content and cue: in a sentence with a frame, or alone
    in a sentence after one, they are the same speaker's words ('"Q1," he said. "Q2."')."""
    found = []
    for quote in sentence.quotes:
        if quote.start < sentence.span.start or quote.start >= sentence.span.end:
            continue
        if not frames and not is_whole_sentence(sentence, quote):
            continue
        if any(quote.start < f.content.end and f.content.start < quote.end for f in frames):
            continue
        if any(quote.start <= f.cue.start < quote.end for f in frames):
            continue
        found.append(quote)
    return found


def is_whole_sentence(sentence: Sentence, quote: Span) -> bool:
    """Whether the quotation is all the sentence holds, and not words quoted in narration."""
    return all(
        (token.start >= quote.start and token.end <= quote.end) or not token.is_word
        for token in sentence.tokens
    )
