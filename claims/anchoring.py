"""Finding a statement's words in its article's body, and finding them again after it changes.

Finding treats as equal what copying and pasting changes without changing the words: curly and
straight quotes and apostrophes, the dashes, non-breaking and other spaces, the ellipsis
character, Unicode normalisation forms, and any run of spaces and line breaks. What is stored is
always the body's own characters.

A statement stores its offsets and a little context on either side (prefix and suffix), the way
annotation tools anchor a quote. When the body changes it is found again word for word, the
context choosing between several occurrences, or not at all: its words are never rewritten.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

CONTEXT_LENGTH = 32
# Characters a word processor or a web page puts where a keyboard has another.
TYPOGRAPHIC = {
    **dict.fromkeys("‘’‚‛′‹›`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−⁃", "-"),
}
PUNCTUATION = ".,;:!?'\"()[]"
# Below this similarity (0 to 100) nothing in the body is "the nearest passage" worth showing.
NEAREST_PASSAGE_SCORE = 60


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str
    text: str


class AnchorError(ValueError):
    """The text cannot be placed in the body; the message is written for curators."""


@lru_cache(maxsize=4096)
def fold_character(character: str) -> str:
    if character.isspace():
        return " "
    if character in TYPOGRAPHIC:
        return TYPOGRAPHIC[character]
    # Compatibility decomposition: "…" is "...", "é" is "e" and its accent however it was typed.
    return unicodedata.normalize("NFKD", character)


@dataclass(frozen=True)
class Folded:
    """A text in the form that finding compares, with the offset in the original text of each
    character of it."""

    text: str
    origin: tuple[int, ...]

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    characters, origin = [], []
    for offset, character in enumerate(text):
        for folded in fold_character(character):
            characters.append(folded)
            origin.append(offset)
    return Folded("".join(characters), tuple(origin))


def words_pattern(text: str) -> re.Pattern[str] | None:
    words = fold(text).text.split()
    return re.compile(" +".join(re.escape(word) for word in words)) if words else None


def occurrences(body: str, text: str) -> list[tuple[int, int]]:
    """Every place the text's words occur in the body, as offsets into the body."""
    pattern = words_pattern(text)
    if pattern is None:
        return []
    folded = fold(body)
    return [folded.span_in_original(*match.span()) for match in pattern.finditer(folded.text)]


def anchored(body: str, start: int, end: int) -> Anchor:
    return Anchor(
        start=start,
        end=end,
        prefix=body[max(0, start - CONTEXT_LENGTH) : start],
        suffix=body[end : end + CONTEXT_LENGTH],
        text=body[start:end],
    )


def excerpt(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def anchor_text(body: str, text: str, *, near: int | None = None) -> Anchor:
    """Place pasted words in the body, or raise AnchorError quoting them and, when they are
    not there, the nearest passage and how the two differ.

    Words that occur more than once need `near` (an offset) to say which place is meant.
    """
    if not text.strip():
        raise AnchorError("The statement text is empty.")
    spans = occurrences(body, text)
    if not spans:
        raise AnchorError(not_found_message(body, text))
    if len(spans) > 1:
        if near is None:
            raise AnchorError(
                f"“{excerpt(text)}” occurs {len(spans)} times in the article’s body. "
                "Paste a longer span so that it points at one place."
            )
        spans.sort(key=lambda span: abs(span[0] - near))
    return anchored(body, *spans[0])


def find_again(body: str, *, text: str, start: int, prefix: str, suffix: str) -> Anchor | None:
    """A stored span in an edited body: its words where they occur, the occurrence whose
    context matches best (then the one nearest the old place); None when they are gone."""
    spans = occurrences(body, text)
    if not spans:
        return None

    def context_score(span: tuple[int, int]) -> int:
        begin, end = span
        score = 0
        if prefix and body[max(0, begin - len(prefix)) : begin] == prefix:
            score += 1
        if suffix and body[end : end + len(suffix)] == suffix:
            score += 1
        return score

    best = max(spans, key=lambda span: (context_score(span), -abs(span[0] - start)))
    return anchored(body, *best)


@dataclass(frozen=True)
class Passage:
    """The stretch of the body most like some pasted words, as offsets into the body."""

    start: int
    end: int
    score: float


def nearest_passage(body: str, text: str) -> Passage | None:
    """The passage of the body most like the text, widened to whole words; None if nothing is
    close enough to be worth showing."""
    folded_body, folded_text = fold(body), fold(text)
    wanted = " ".join(folded_text.text.split())
    if not wanted or not folded_body.text:
        return None
    alignment = fuzz.partial_ratio_alignment(wanted, folded_body.text)
    if alignment is None or alignment.score < NEAREST_PASSAGE_SCORE:
        return None
    start, end = folded_body.span_in_original(alignment.dest_start, alignment.dest_end)
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    while end < len(body) and not body[end].isspace():
        end += 1
    return Passage(start, end, alignment.score)


def differences(pasted: str, passage: str) -> list[str]:
    """How the pasted words differ from the passage's, word by word, for curators."""
    ours, theirs = pasted.split(), passage.split()
    # Words compared as folded, and without the punctuation that clings to them.
    keys = [[fold(word).text.strip(PUNCTUATION) for word in words] for words in (ours, theirs)]
    found = []
    matcher = difflib.SequenceMatcher(a=keys[0], b=keys[1], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pasted_words, body_words = " ".join(ours[i1:i2]), " ".join(theirs[j1:j2])
        if tag == "replace":
            found.append(f"the body has “{body_words}” where you pasted “{pasted_words}”")
        elif tag == "delete":
            found.append(f"the body does not have “{pasted_words}”")
        elif tag == "insert":
            found.append(f"the body also has “{body_words}”")
    return found


def not_found_message(body: str, text: str) -> str:
    message = f"“{excerpt(text)}” is not in the article’s body."
    passage = nearest_passage(body, text)
    if passage is None:
        return message + " Paste the words exactly as the article prints them."
    words = body[passage.start : passage.end]
    found = differences(text, words)
    message += f" The nearest passage is “{excerpt(words, 200)}”"
    return message + (": " + "; ".join(found[:3]) + "." if found else ".")


@dataclass
class Segment:
    """A run of body text covered by the same spans; `starts` and `ends` are the spans whose
    first and last characters fall in it."""

    text: str
    covering: list
    starts: list
    ends: list


def highlight(body: str, spans: list[tuple[int, int, object]]) -> list[list[Segment]]:
    """Cut the body into paragraphs of segments, so that spans (which may overlap or cross
    paragraphs) can be marked up without nesting."""
    paragraphs = []
    for paragraph in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body):
        first, last = paragraph.span()
        cuts = {first, last}
        for start, end, _item in spans:
            cuts.update(point for point in (start, end) if first < point < last)
        points = sorted(cuts)
        segments = []
        for a, b in pairwise(points):
            segments.append(
                Segment(
                    text=body[a:b],
                    covering=[item for start, end, item in spans if start <= a and end >= b],
                    starts=[item for start, _end, item in spans if start == a],
                    ends=[item for _start, end, item in spans if end == b],
                )
            )
        paragraphs.append(segments)
    return paragraphs
