"""Finding a statement's text in its article's body, and finding it again after the body changes.

A statement stores its offsets plus a little context on either side (prefix and suffix), the
way annotation tools anchor a quote: if the offsets no longer point at the text, the text is
searched for, and if the text itself was edited, the span between the old context is taken.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

CONTEXT_LENGTH = 32


class Found(StrEnum):
    EXACT = "exact"
    CONTEXT = "context"


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str
    text: str
    found: Found


class AnchorError(ValueError):
    """The text cannot be placed in the body; the message is written for curators."""


def _anchor(body: str, start: int, end: int, found: Found) -> Anchor:
    return Anchor(
        start=start,
        end=end,
        prefix=body[max(0, start - CONTEXT_LENGTH) : start],
        suffix=body[end : end + CONTEXT_LENGTH],
        text=body[start:end],
        found=found,
    )


def _whitespace_tolerant(text: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def _matches(body: str, text: str) -> list[tuple[int, int]]:
    """Every place the text occurs, allowing for differences in spacing and line breaks."""
    return [match.span() for match in _whitespace_tolerant(text).finditer(body)]


def _context_score(body: str, span: tuple[int, int], prefix: str, suffix: str) -> int:
    start, end = span
    score = 0
    if prefix and body[max(0, start - len(prefix)) : start] == prefix:
        score += 2
    if suffix and body[end : end + len(suffix)] == suffix:
        score += 2
    return score


def _excerpt(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def anchor_text(body: str, text: str, *, near: int | None = None) -> Anchor:
    """Place a pasted span in the body, or raise AnchorError quoting it.

    A span that occurs more than once needs `near` (an offset) to say which one is meant.
    """
    if not text.strip():
        raise AnchorError("The statement text is empty.")
    spans = _matches(body, text)
    if not spans:
        raise AnchorError(
            f"“{_excerpt(text)}” is not in the article’s body. Paste the words exactly as the "
            "article prints them."
        )
    if len(spans) > 1:
        if near is None:
            raise AnchorError(
                f"“{_excerpt(text)}” occurs {len(spans)} times in the article’s body. "
                "Paste a longer span so that it points at one place."
            )
        spans.sort(key=lambda span: abs(span[0] - near))
    start, end = spans[0]
    return _anchor(body, start, end, Found.EXACT)


def reanchor(
    body: str, *, text: str, start: int, end: int, prefix: str, suffix: str
) -> Anchor | None:
    """Find a stored span again in an edited body; None when it is gone.

    Exact text first (the occurrence whose context matches best, then the one nearest the old
    place); failing that, the span between the stored prefix and suffix, if both survive once.
    """
    if body[start:end] == text:
        return _anchor(body, start, end, Found.EXACT)
    spans = _matches(body, text) if text.strip() else []
    if spans:
        best = max(
            spans,
            key=lambda span: (_context_score(body, span, prefix, suffix), -abs(span[0] - start)),
        )
        return _anchor(body, *best, Found.EXACT)
    if not prefix.strip() or not suffix.strip():
        return None
    prefix_ends = [match.end() for match in re.finditer(re.escape(prefix), body)]
    suffix_starts = [match.start() for match in re.finditer(re.escape(suffix), body)]
    candidates = [
        (new_start, new_end)
        for new_start in prefix_ends
        for new_end in suffix_starts
        # The edited span must still be recognisably the same passage, not half the article.
        if new_start < new_end <= new_start + 2 * len(text) + CONTEXT_LENGTH
    ]
    if len(candidates) != 1:
        return None
    return _anchor(body, *candidates[0], Found.CONTEXT)


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
