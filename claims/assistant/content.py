"""A frame's content: the clause its cue reports, after the cue or before the frame, trimmed
of what is not the speaker's, and whether it is a direct quote or a paraphrase.

ContentReader is the part of a sentence's reader (SentenceReader, frames.py) that finds where
content begins and ends.
"""

from . import lexicon
from .phrases import scan_right
from .text import Span, Token

DIRECT_QUOTE = "direct_quote"
PARAPHRASE = "paraphrase"
CLOSING_PUNCTUATION = " .,;:!?-"
ADVERBIAL_WORDS = (
    lexicon.CONNECTORS
    | lexicon.DETERMINERS
    | lexicon.TIME_WORDS
    | lexicon.RECIPIENTS
    | lexicon.MODIFIERS
    | lexicon.BODY_NOUNS
    | lexicon.PLACE_NOUNS
    | lexicon.words(
        """
        statement interview address speech message email e-mail briefing video post posted
        televised short brief joint written social official nation telephone phone by during
        via through late early last next this earlier later also again separately account
        online x platform broadcast phone-in appearance session meeting call publicly
        privately repeatedly
        """
    )
)


class ContentReader:
    """Finds the content of the frames of one sentence: the reader's `plain` text, `sentence`,
    `tokens` and `proper_words`."""

    def in_quote(self, token: Token) -> bool:
        return self.sentence.quote_at(token.start) is not None

    def closes_clause(self, index: int) -> bool:
        """Whether only adverbials follow the cue up to the next comma or the sentence end:
        "P, their union said on Monday, after talks broke down"."""
        following = [token.text for token in self.tokens[index + 1 : index + 3]]
        if following[:1] == [":"] or following == [",", '"']:
            return False
        for token in self.tokens[index + 1 :]:
            if token.text in (",", ".", ";", '"', "!", "?", ":"):
                return True
            if token.lower == "that":
                return False
            if not (token.is_capitalised or token.lower in ADVERBIAL_WORDS or token.text.isdigit()):
                return False
        return True

    def content_before(self, first: int) -> Span | None:
        """The clause before a closing frame, from the sentence start or the last ";"."""
        tokens = self.tokens
        start = self.sentence.span.start
        for token in tokens[:first]:
            if token.text == ";":
                start = token.end
        end = tokens[first - 1].start if first > 0 else start
        while first > 0 and tokens[first - 1].text in (",", ":"):
            first -= 1
            end = tokens[first].start
        if first > 0 and tokens[first - 1].text == '"':
            quote = self.sentence.quote_at(tokens[first - 1].start)
            if quote is not None:
                end = quote.end
                if not self.plain[start : quote.start].strip(" ,"):
                    start = quote.start
        span = self.trim(Span(start, end))
        return span if span.end > span.start else None

    def content_after(self, index: int, lemma: str) -> Span | None:
        tokens = self.tokens
        position = index + 1
        following = [token.lower for token in tokens[position : position + 3]]
        if lemma == "call":
            if following[:1] == ["on"] or following[:1] == ["for"]:
                position += 1
            elif not self.quote_follows(position):
                return None
        elif lemma == "warn" and following[:1] == ["of"]:
            position += 1
        elif (lemma in ("urge", "ask") and not self.has_infinitive(position)) or (
            lemma == "describe" and "as" not in [t.lower for t in tokens[position:]]
        ):
            return None
        elif lemma == "tell":
            position = self.after_recipient(position)
        position = self.after_adverbials(position)
        if self.tokens[index].lower in lexicon.THAT_CUES and not (
            position < len(tokens)
            and (tokens[position].lower == "that" or self.quote_follows(position))
        ):
            return None
        if (
            position < len(tokens)
            and tokens[position].text in (":", ",")
            and self.quote_follows(position + 1)
        ):
            position += 1
        if position < len(tokens) and tokens[position].lower == "that":
            position += 1
        if position >= len(tokens):
            return None
        span = self.trim(Span(tokens[position].start, self.clause_end(position)))
        return span if span.end > span.start else None

    def clause_end(self, position: int) -> int:
        for token in self.tokens[position:]:
            if token.text == ";" and not self.in_quote(token):
                return token.start
        return self.sentence.span.end

    def quote_follows(self, position: int) -> bool:
        return any(token.text == '"' for token in self.tokens[position : position + 8]) or (
            position < len(self.tokens) and self.in_quote(self.tokens[position])
        )

    def has_infinitive(self, position: int) -> bool:
        for token in self.tokens[position : position + 14]:
            if token.lower == "to":
                return True
            if token.text in (",", ";", '"') or token.lower in ("about", "whether", "if"):
                return False
        return False

    def after_recipient(self, position: int) -> int:
        """ "told reporters in Pesh that P", "told state television (that) P", "told residents
        to stay" (the recipient is then part of the content, as with "urged")."""
        tokens = self.tokens
        for offset, token in enumerate(tokens[position : position + 14]):
            if token.lower == "that":
                return position + offset
            if token.text in (",", ";", '"'):
                break
        if self.has_infinitive(position) and not any(
            token.lower in lexicon.RECIPIENTS for token in tokens[position : position + 3]
        ):
            return position
        index = position
        while index < len(tokens) and (
            tokens[index].lower in ADVERBIAL_WORDS or tokens[index].is_capitalised
        ):
            if tokens[index].lower in ("that",):
                break
            index += 1
            if tokens[index - 1].lower in lexicon.RECIPIENTS:
                while index < len(tokens) and tokens[index].lower in ("in", "at", "outside", "by"):
                    index = scan_right(tokens, index + 1, len(tokens), self.proper_words)
                break
        return index

    def after_adverbials(self, position: int) -> int:
        """Skips "on Saturday", "in a statement on its Telegram channel", "later" after a cue;
        a "that" within a few words shows where the content begins."""
        tokens = self.tokens
        if position >= len(tokens):
            return position
        for offset, token in enumerate(tokens[position : position + 14]):
            if token.lower == "that":
                if all(
                    t.lower in ADVERBIAL_WORDS or t.is_capitalised or t.text.isdigit()
                    for t in tokens[position : position + offset]
                ):
                    return position + offset
                break
            if token.text in (",", ";", '"', ":"):
                break
        while position < len(tokens):
            word = tokens[position].lower
            if (
                word in ("on", "late", "early", "this", "last")
                and position + 1 < len(tokens)
                and (
                    tokens[position + 1].lower in lexicon.TIME_WORDS
                    or tokens[position + 1].lower in ("on",)
                )
            ):
                position += 2
                while position < len(tokens) and tokens[position].lower in lexicon.TIME_WORDS:
                    position += 1
            elif word in ("later", "also", "again", "earlier", "separately", "publicly", "then"):
                position += 1
            else:
                break
        return position

    def trim(self, span: Span) -> Span:
        """No leading "that", no closing punctuation outside quotation marks."""
        plain = self.plain
        start, end = span.start, span.end
        while start < end and plain[start] in " ,:":
            start += 1
        while end > start and plain[end - 1] in CLOSING_PUNCTUATION:
            end -= 1
        if plain[start : start + 5].lower() == "that ":
            start += 5
        return Span(start, end)

    def mode_of(self, content: Span) -> tuple[Span, str]:
        """A content that is one whole quotation is a direct quote: the words inside the marks,
        without a trailing comma."""
        quote = self.sentence.quote_at(content.start)
        if quote is not None and quote.start == content.start and quote.end >= content.end - 0:
            inner_end = quote.end - 1 if self.plain[quote.end - 1] == '"' else quote.end
            if content.end >= inner_end:
                start, end = quote.start + 1, inner_end
                while end > start and self.plain[end - 1] in " ,":
                    end -= 1
                while start < end and self.plain[start] == " ":
                    start += 1
                return Span(start, end), DIRECT_QUOTE
        return content, PARAPHRASE
