"""Noun phrases: where the words that may name a speaker begin and end in a sentence, and
where they name two speakers rather than one.

The words are those of a name, a body or a role ("the Russian Defense Ministry", "a ministry
spokesman", "Kadria and Sorvenia"); which party they name is for speakers.py to decide.
"""

from collections.abc import Sequence

from . import lexicon
from .text import Token


def is_np_word(token: Token, proper_words: set[str]) -> bool:
    word = token.lower
    if token.is_capitalised and token.is_word:
        return word not in lexicon.SENTENCE_OPENERS or token.text in proper_words
    return (
        word in lexicon.MODIFIERS
        or word in lexicon.BODY_NOUNS
        or word in lexicon.ROLE_NOUNS
        or word in lexicon.PLURAL_GROUPS
        or word in lexicon.PLACE_NOUNS
        or word.endswith(("'s", "s'"))
        or (word.endswith(("ern", "ian", "ese", "ish")) and word.isalpha())
    )


def scan_left(tokens: Sequence[Token], last: int, first: int, proper_words: set[str]) -> int:
    """The index where the noun phrase ending at `last` begins, or `last + 1` for none."""
    start = last + 1
    index = last
    while index >= first:
        token = tokens[index]
        word = token.lower
        if word in lexicon.DETERMINERS and word not in ("that", "this", "these", "those"):
            if start > last:
                return last + 1
            # "the International Committee of the Red Cross", "Corvania and the rebel authority"
            if (
                index - 2 >= first
                and tokens[index - 1].lower in ("of", "for", "and")
                and is_np_word(tokens[index - 2], proper_words)
            ):
                start = index
                index -= 2
                continue
            return index
        if is_np_word(token, proper_words):
            start = index
            index -= 1
            continue
        if start <= last and compound_modifiers(tokens, index, first):
            # "the airport operator", "the European Union's aviation safety agency"
            start = index
            index -= 1
            continue
        if (word in lexicon.CONNECTORS or word == "and") and start <= last and index > first:
            before = tokens[index - 1]
            if is_np_word(before, proper_words) or (
                word != "and" and before.lower in lexicon.DETERMINERS
            ):
                index -= 1
                continue
        break
    return start


def is_plain_word(token: Token) -> bool:
    word = token.lower
    return (
        word.isalpha()
        and not token.is_capitalised
        and word not in lexicon.CUES
        and word not in lexicon.AUXILIARIES
        and word not in lexicon.CONNECTORS
        and word not in ("and", "but", "or", "that", "who", "which", "as", "than")
    )


def compound_modifiers(tokens: Sequence[Token], index: int, first: int) -> bool:
    """Whether the unknown word at `index` modifies the noun after it, as one or two words
    between an article or a possessive and the head do."""
    for width in (1, 2):
        opener = index - width + 1
        before = opener - 1
        if before < first or not all(is_plain_word(t) for t in tokens[opener : index + 1]):
            return False
        word = tokens[before].lower
        if word in lexicon.DETERMINERS or word.endswith(("'s", "s'")):
            return True
    return False


def scan_right(tokens: Sequence[Token], first: int, limit: int, proper_words: set[str]) -> int:
    """The index just after the noun phrase that begins at `first`."""
    index = first
    if index < limit and tokens[index].lower in lexicon.CONNECTORS:
        return first
    if index < limit and tokens[index].lower in lexicon.DETERMINERS:
        index += 1
    end = index
    while index < limit:
        token = tokens[index]
        if is_np_word(token, proper_words) or token.lower in lexicon.DETERMINERS:
            index += 1
            if token.lower not in lexicon.DETERMINERS:
                end = index
            continue
        if token.lower in lexicon.CONNECTORS and index + 1 < limit:
            index += 1
            continue
        break
    return end


def split_coordination(tokens: Sequence[Token]) -> list[tuple[Token, ...]]:
    """ "Kadria and Sorvenia" names two speakers; "Ministry of Trade and Industry" one."""
    parts, current = [], []
    for token in tokens:
        if token.lower == "and" and current and "of" not in [t.lower for t in current]:
            parts.append(tuple(current))
            current = []
        else:
            current.append(token)
    parts.append(tuple(current))
    return [part for part in parts if part]
