"""An article's text as the rules read it: one plain typography, paragraphs, sentences,
quotations and word tokens, all with offsets into the original body.

Every rule runs on a plain copy of the body that has exactly the same length: each curly or
angled quotation mark, dash and unusual space is replaced by one plain character. Offsets found
in the copy are therefore offsets into the body, and spans are always cut from the body itself.
"""

import re
from dataclasses import dataclass
from functools import cache

import pysbd

DOUBLE_QUOTES = '"“”„‟«»″〝〞＂'
SINGLE_QUOTES = "'‘’‚‛′"
DASHES = "‐‑‒–—―−"
SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
OPENING_QUOTES = "“„‟«〝"
CLOSING_QUOTES = "”»″〞"

PLAIN = str.maketrans(
    {
        **dict.fromkeys(DOUBLE_QUOTES, '"'),
        **dict.fromkeys(SINGLE_QUOTES, "'"),
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(SPACES, " "),
        "\t": " ",
        "\r": "\n",
    }
)

# A word, with an apostrophe inside ("Russia's") or hyphens ("Nagorno-Karabakh"); the titles
# that end in a full stop count as one word so that "Dr. Lucia Ferro" stays one name.
TOKEN = re.compile(
    r"(?:Dr|Mr|Mrs|Ms|Gen|Col|Lt|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|Prof|St)\."
    r"|\w+(?:[-'.]\w+)*(?:'s?)?"
    r"|[^\w\s]"
)


def plain_copy(text: str) -> str:
    """The same text, one character for one, with plain quotes, hyphens and spaces."""
    return text.translate(PLAIN)


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __contains__(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def covers(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def tokens(plain: str, start: int, end: int) -> list[Token]:
    return [
        Token(match.group(), match.start(), match.end())
        for match in TOKEN.finditer(plain, start, end)
    ]


def paragraphs(plain: str) -> list[Span]:
    """Each non-empty line is a paragraph: wire copy puts one paragraph on a line."""
    found = []
    for match in re.finditer(r"[^\n]+", plain):
        start, end = match.start(), match.end()
        while start < end and plain[start] == " ":
            start += 1
        while end > start and plain[end - 1] == " ":
            end -= 1
        if start < end:
            found.append(Span(start, end))
    return found


def quotations(body: str, plain: str, paragraph: Span) -> list[Span]:
    """The spans of double quotations in a paragraph, marks included.

    Curly marks say which way they face; straight ones are paired in order. A quotation still
    open at the end of the paragraph runs to its end, as wire copy does when a quote goes on
    into the next paragraph.
    """
    marks = [i for i in range(paragraph.start, paragraph.end) if plain[i] == '"']
    found, opening = [], None
    for index in marks:
        character = body[index]
        if opening is None:
            if character not in CLOSING_QUOTES:
                opening = index
        elif character not in OPENING_QUOTES:
            found.append(Span(opening, index + 1))
            opening = None
    if opening is not None and paragraph.end - opening > 1:
        found.append(Span(opening, paragraph.end))
    return found


@cache
def segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# A dateline opens a report's first paragraph: "HALVIK, June 12 — ", "GENEVA, May 3 (Wire) - ".
DATELINE = re.compile(r"[A-Z][A-Z .'-]{1,40}, [A-Z][a-z]+\.? \d{1,2}(?: \([^)]{1,30}\))? -+ ")
# Sentence ends the segmenter may miss between two quotations: '"... overwhelming." "People'.
QUOTED_SENTENCE_END = re.compile(r'[.?!]" +(?=")|[.?!] +(?=")')


def sentences(plain: str, paragraph: Span, quoted: list[Span]) -> list[Span]:
    """The paragraph's sentences, without a dateline; a sentence never ends inside a
    quotation."""
    dateline = DATELINE.match(plain, paragraph.start, paragraph.end)
    if dateline:
        paragraph = Span(dateline.end(), paragraph.end)
    text = plain[paragraph.start : paragraph.end]
    boundaries = set()
    for piece in segmenter().segment(text):
        end = paragraph.start + piece.end
        while end > paragraph.start and plain[end - 1] == " ":
            end -= 1
        boundaries.add(end)
    for match in QUOTED_SENTENCE_END.finditer(plain, paragraph.start, paragraph.end):
        boundaries.add(match.start() + (2 if match.group().startswith(('."', '?"', '!"')) else 1))
    boundaries = sorted(boundaries)
    found, start = [], paragraph.start
    for end in boundaries:
        if end <= start or any(end in quote and end != quote.end for quote in quoted):
            continue
        found.append(Span(start, end))
        start = end
        while start < paragraph.end and plain[start] == " ":
            start += 1
    if start < paragraph.end:
        found.append(Span(start, paragraph.end))
    return found
