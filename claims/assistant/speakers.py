"""Who speaks: deciding whether the words naming a speaker (phrases.py finds them) name a
party, and resolving pronouns ("it"), descriptions ("the ministry") and surnames to the party
meant.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import lexicon
from .text import Token

PARTY_KINDS = ("ministry", "government", "armed_forces", "person", "international_body", "other")
INTERNATIONAL_NAMES = re.compile(
    r"\b(?:UN|U\.N\.|United Nations|NATO|EU|European Union|European Commission|OSCE|IAEA|"
    r"UNHCR|UNICEF|WHO|IMO|ICRC|Red Cross|World \w+ Organi[sz]ation|World Food Programme|"
    r"International [A-Z]\w+(?: [A-Z]\w+)*|Security Council|African Union|Arab League)\b"
)
ARMED_WORDS = lexicon.words(
    "army military forces force navy guard command staff brigade front troops"
)
GOVERNMENT_WORDS = lexicon.words("government cabinet presidency kremlin administration junta")
NOT_PLACES = (
    lexicon.BODY_NOUNS
    | lexicon.ROLE_NOUNS
    | lexicon.MODIFIERS
    | lexicon.TITLES
    | lexicon.PLACE_NOUNS
    | lexicon.PLURAL_GROUPS
    | lexicon.DETERMINERS
)
TITLED_NAME = re.compile(
    r"\b(?:President|Prime Minister|Premier|Minister|Secretary|Secretary-General|General|"
    r"Colonel|Major|Lieutenant Colonel|Captain|Admiral|Commander|Ambassador|Governor|Mayor|"
    r"Chairman|Dr\.|Gen\.|Col\.|Maj\.|Lt\.)((?: [A-Z][\w'-]+)+)"
)


@dataclass(frozen=True)
class KnownParty:
    """A party already in the database, with every name it is known by.

    `speaker_labels` are the names curators gave the speaker on this party's statements: the
    strongest evidence that a name means this party rather than another that shares it.
    """

    slug: str
    name: str
    side: str
    kind: str
    names: tuple[str, ...] = ()
    speaker_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """Words naming a speaker; `name` is a proper name given beside them ("Mira Tolic" in
    "Kadria's human rights ombudswoman, Mira Tolic, said") and `description` the words of a
    description given beside them ("a farmer")."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    name: str = ""
    description: tuple[Token, ...] = ()
    # Named through its statement or figures ("a ministry statement", "UN figures").
    from_source: bool = False

    @property
    def words(self) -> list[str]:
        return [token.lower for token in self.tokens]


@dataclass
class Entity:
    """Someone the article speaks of: a party or not, a person or a body."""

    name: str
    is_party: bool
    is_person: bool
    head: str
    side: str | None = None
    kind: str = "other"
    known: KnownParty | None = None
    surnames: set[str] = field(default_factory=set)

    @classmethod
    def party(cls, name: str, head: str, side: str | None = None, kind: str = "other") -> "Entity":
        return cls(name, True, kind == "person", head, side, kind)

    @classmethod
    def person(
        cls, name: str, head: str, side: str | None = None, *, surname: str = ""
    ) -> "Entity":
        entity = cls(name, True, True, head, side, "person")
        if surname:
            entity.surnames.add(surname)
        return entity

    @classmethod
    def nobody(cls, name: str, head: str, *, person: bool = False) -> "Entity":
        """Someone who is not a party: "a doctor", "residents", "state television"."""
        return cls(name, False, person, head)


DESCRIPTIVE_FIRST_WORDS = lexicon.words(
    "it he she they its his her their the a an this one ministry"
)


def is_proper_name(name: str) -> bool:
    """Whether a name can stand for one party wherever it appears: "Moscow" and "the Russian
    Defense Ministry" can, "It" and "the ministry" cannot (they are resolved in context)."""
    words = re.sub(r"\(.*?\)", " ", name).split()
    if not words:
        return False
    if words[0].lower() in DESCRIPTIVE_FIRST_WORDS:
        return any(word[:1].isupper() for word in words[1:])
    return any(word[:1].isupper() for word in words)


def normalise_name(name: str) -> str:
    """Names compared without case, punctuation, typographic quotes or a leading article."""
    words = re.sub(r"[^\w' -]", " ", name.lower().replace("’", "'").replace("‘", "'")).split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


class KnownParties:
    """Looks up a mention among the known parties' names, aliases and speaker labels."""

    def __init__(self, parties: Sequence[KnownParty]) -> None:
        self.by_name: dict[str, list[tuple[int, KnownParty]]] = {}
        for party in parties:
            weighted = [(2, label) for label in party.speaker_labels]
            weighted += [(1, name) for name in (party.name, *party.names)]
            for weight, name in weighted:
                if not is_proper_name(name):
                    continue
                key = normalise_name(re.sub(r"\(.*?\)", " ", name))
                if key:
                    self.by_name.setdefault(key, []).append((weight, party))
        self.keys = list(self.by_name)

    def find(self, mention: str) -> KnownParty | None:
        key = normalise_name(mention)
        if not key:
            return None
        candidates = self.by_name.get(key)
        if candidates is None and len(key) > 6:
            # Spelling variants: "Defense" and "Defence", "Azeri" and "Azerbaijani".
            best = max(
                (
                    (fuzz.ratio(key, other), other)
                    for other in self.keys
                    if abs(len(other) - len(key)) < 4
                ),
                default=(0, ""),
            )
            if best[0] >= 92:
                candidates = self.by_name[best[1]]
        if not candidates:
            return None
        totals: dict[str, list] = {}
        for weight, party in candidates:
            totals.setdefault(party.slug, [0, party])[0] += weight
        # The party most often called so wins; on a tie, the more specific body (a ministry
        # rather than its government) is the likelier speaker.
        order = {kind: index for index, kind in enumerate(PARTY_KINDS)}
        return max(totals.values(), key=lambda item: (item[0], -order.get(item[1].kind, 9)))[1]


def head_of(tokens: Sequence[Token]) -> tuple[int, Token]:
    """The head word: the last word before a preposition ("forces" in "separatist forces in
    the eastern Lyra region")."""
    head = 0
    for index, token in enumerate(tokens):
        if index and token.lower in lexicon.CONNECTORS:
            break
        if token.is_word:
            head = index
    return head, tokens[head]


def demonym_side(word: str, places: set[str]) -> str:
    """ "Marenian" gives "Marenia" when the article names Marenia; otherwise the word itself."""
    stem = word.removesuffix("'s").removesuffix("'")
    if stem in places:
        return stem
    candidates = [
        place
        for place in places
        if len(place) >= 4
        and place != stem
        and stem.startswith(place[:-1])
        and len(stem) - len(place) <= 3
    ]
    return max(candidates, key=len) if candidates else stem


@dataclass(frozen=True)
class Reading:
    """A mention taken apart: its head word, the names in it and the body it hangs on."""

    text: str
    words: list[str]
    tokens: tuple[Token, ...]
    head_index: int
    head: Token
    proper: list[Token]
    capitalised: list[Token]
    first: str
    anchor: "Entity | None"

    @property
    def head_word(self) -> str:
        return self.head.lower.removesuffix("'s")

    @property
    def is_bare(self) -> bool:
        return not self.head.is_capitalised and self.first not in lexicon.DETERMINERS

    @classmethod
    def of(cls, mention: Mention, text: str, words: list[str], discourse: "Discourse") -> "Reading":
        tokens = mention.tokens
        head_index, head = head_of(tokens)
        before_head = tokens[: head_index + 1]
        proper = [
            token
            for token in before_head
            if token.is_capitalised
            and token.text in discourse.proper_words
            and token.lower not in lexicon.TITLES
        ]
        first = words[0]
        if mention.from_source and first in ("a", "an"):
            first = "the"
        return cls(
            text,
            words,
            tokens,
            head_index,
            head,
            proper,
            [token for token in before_head if token.is_capitalised],
            first,
            discourse.anchor(tokens[:head_index]),
        )


class Discourse:
    """What the article has said so far about who is who, in reading order."""

    def __init__(self, plain: str, known: KnownParties, proper_words: set[str]) -> None:
        self.plain = plain
        self.known = known
        self.proper_words = proper_words
        self.places = {word.removesuffix("'s") for word in proper_words}
        self.entities: list[Entity] = []
        self.resolved: dict[tuple[int, int], Entity | None] = {}
        self.people: dict[str, Entity] = {}
        for match in TITLED_NAME.finditer(plain):
            names = match.group(1).split()
            name = " ".join(names)
            if names[-1][:1].isupper():
                self.people.setdefault(names[-1], Entity.person(name, names[-1], surname=names[-1]))

    def remember(self, entity: Entity) -> Entity:
        self.entities.append(entity)
        if entity.is_person:
            for surname in entity.surnames:
                self.people[surname] = entity
        return entity

    def antecedent(self, *, person: bool | None, head: str | None = None) -> Entity | None:
        for entity in reversed(self.entities):
            if person is not None and entity.is_person != person:
                continue
            if head is None or head in entity.head.split() or head_matches(head, entity):
                return entity
        return None

    def resolve(self, mention: Mention) -> Entity | None:
        """The entity the mention refers to; None when it names no one this can tell."""
        where = (mention.start, mention.end)
        if where not in self.resolved:
            self.resolved[where] = self.first_resolution(mention)
        return self.resolved[where]

    def first_resolution(self, mention: Mention) -> Entity | None:
        text = self.plain[mention.start : mention.end]
        words = mention.words
        found = self.known.find(text)
        if found is not None:
            return self.remember(entity_of_known(found, mention))
        if len(words) == 1 and words[0] in lexicon.PRONOUNS:
            sort = lexicon.PRONOUNS[words[0]]
            return self.antecedent(person={"person": True, "thing": False}.get(sort))
        if mention.name:
            found = self.known.find(mention.name)
            if found is not None:
                return self.remember(entity_of_known(found, mention))
        if mention.description and not describes_party(mention.description):
            return self.remember(Entity.nobody(text, words[-1], person=True))
        return self.remember(self.describe(mention, text, words))

    def describe(self, mention: Mention, text: str, words: list[str]) -> Entity:
        """Who the words name, from the words themselves and from what came before."""
        reading = Reading.of(mention, text, words, self)
        if len(mention.tokens) == 1 and reading.head.text in self.people:
            return self.people[reading.head.text]
        titled = self.titled_person(mention.tokens[: reading.head_index + 1])
        if titled is not None:
            return titled
        head_word = reading.head_word
        is_role = head_word in lexicon.ROLE_NOUNS or head_word == "owner"
        is_body = head_word in lexicon.BODY_NOUNS
        if (is_role or is_body) and reading.is_bare and head_word not in lexicon.PLURAL_GROUPS:
            # Headlines drop the article: "ministry denies it", "army blames insurgents".
            side = self.side_of(reading.capitalised)
            if is_role:
                return Entity.person(text, head_word, side)
            return Entity.party(text, head_word, side, kind_of(words, text))
        if head_word in lexicon.PLURAL_GROUPS and not (is_body and reading.head.is_capitalised):
            return self.group(reading)
        if is_role:
            return self.role(reading, mention.name)
        if is_body:
            return self.body(reading)
        if reading.head.is_capitalised and (reading.proper or reading.head_index == 0):
            return self.proper_name(reading, mention)
        return Entity.nobody(text, head_word)

    def group(self, reading: "Reading") -> Entity:
        """ "Kostrel officials" speak for Kostrel; "local officials" and "residents" for no
        party."""
        anchor = reading.anchor
        side = self.side_of(reading.capitalised) or (anchor.side if anchor else None)
        party = bool(reading.proper) or (anchor is not None and anchor.is_party)
        return Entity(reading.text, party, False, reading.head_word, side, "government")

    def role(self, reading: "Reading", name: str) -> Entity:
        """A person by role: named ("Foreign Minister Ane Brekke"), anchored ("its
        president", "a ministry spokesman"), or an office ("the president")."""
        head_word, anchor = reading.head_word, reading.anchor
        name = name or trailing_name(reading.tokens[reading.head_index + 1 :])
        is_spokesperson = head_word in lexicon.SPOKESPEOPLE
        party = bool(
            name
            or reading.proper
            or anchor
            or is_spokesperson
            or (reading.first == "the" and head_word in lexicon.OFFICE_ROLES)
        )
        if anchor is None and is_spokesperson:
            anchor = self.antecedent(person=False)
        side = self.side_of(reading.capitalised) or (anchor.side if anchor else None)
        if name:
            return Entity.person(name, head_word, side, surname=name.split()[-1])
        if anchor is not None and is_spokesperson and anchor.is_party:
            return anchor
        return Entity(self.named(reading.text, anchor), party, True, head_word, side, "person")

    def body(self, reading: "Reading") -> Entity:
        """A body: "a group" names no party; "the ministry" the last ministry spoken of; "its
        Energy Ministry" one that belongs to the last body."""
        text, words, head_word = reading.text, reading.words, reading.head_word
        if reading.first in ("a", "an", "one") and not reading.proper:
            return Entity.nobody(text, head_word)
        if reading.first in lexicon.POSSESSIVE_PRONOUNS:
            owner = reading.anchor
            name = self.named(text, owner)
            side = owner.side if owner else None
            party = owner.is_party if owner else True
            return Entity(name, party, False, head_word, side, kind_of(words, name))
        if not reading.proper and reading.first in ("the", "this"):
            previous = self.antecedent(person=False, head=head_word)
            if previous is not None:
                return previous
        anchor = reading.anchor
        side = self.side_of(reading.capitalised) or (anchor.side if anchor else None)
        return Entity.party(text, head_word, side, kind_of(words, text))

    def proper_name(self, reading: "Reading", mention: Mention) -> Entity:
        """A name: a person's ("Vera Lindqvist"), a body's ("Medics Across Borders"), or a
        country or capital standing for its government ("Moscow")."""
        tokens, text, head_word = reading.tokens, reading.text, reading.head_word
        if mention.name or len([token for token in tokens if token.is_capitalised]) >= 2:
            if len(tokens) == 2 and all(token.is_capitalised for token in tokens):
                return Entity.person(text, head_word, surname=tokens[-1].text)
            side = self.side_of(reading.capitalised)
            return Entity.party(text, head_word, side, kind_of(reading.words, text))
        side = demonym_side(reading.head.text, self.places)
        return Entity.party(text, head_word, side, "government")

    def titled_person(self, tokens: Sequence[Token]) -> Entity | None:
        """ "Marenian President Silvia Moren": a title, then a name of capitalised words."""
        titles = [i for i, token in enumerate(tokens) if token.lower in lexicon.TITLES]
        if not titles:
            return None
        names = tokens[titles[-1] + 1 :]
        if not names or not all(
            token.is_capitalised
            and token.is_word
            and token.lower not in lexicon.BODY_NOUNS
            and token.lower not in lexicon.ROLE_NOUNS
            for token in names
        ):
            return None
        name = " ".join(token.text for token in names)
        capitalised = [token for token in tokens[: titles[0]] if token.is_capitalised]
        side = self.side_of(capitalised)
        return Entity.person(name, names[-1].lower, side, surname=names[-1].text)

    def anchor(self, modifiers: Sequence[Token]) -> Entity | None:
        """The body a description hangs on: "its" or "the ministry's" in "its spokesman"."""
        for token in modifiers:
            word = token.lower.removesuffix("'s").removesuffix("'")
            if word in lexicon.POSSESSIVE_PRONOUNS:
                return self.antecedent(person=word in ("his", "her"))
            if word in lexicon.BODY_NOUNS or word in ("city", "country"):
                found = self.antecedent(person=False, head=word)
                return found or Entity.party(word, word)
            if token.lower.endswith("s'") and word in lexicon.PARTY_PLURALS:
                return Entity.party(word, word)
            if token.lower.endswith("'s") and token.is_capitalised:
                return Entity.party(word, word, demonym_side(token.text[:-2], self.places))
            if token.lower.endswith("'s") and word not in lexicon.MODIFIERS:
                return Entity.party(word, word)
        return None

    def side_of(self, proper: Sequence[Token]) -> str | None:
        """The country or side named first: "Marenia" in "Marenian President Silvia Moren"."""
        for token in proper:
            word = token.text.removesuffix("'s")
            lower = word.lower()
            if INTERNATIONAL_NAMES.fullmatch(word) or lower in NOT_PLACES:
                continue
            return demonym_side(word, self.places)
        return None

    @staticmethod
    def named(text: str, owner: Entity | None) -> str:
        words = text.split(" ", 1)
        if owner is None or len(words) < 2 or words[0].lower() not in lexicon.POSSESSIVE_PRONOUNS:
            return text
        return f"{owner.name}'s {words[1]}"


def head_matches(head: str, entity: Entity) -> bool:
    related = {
        "organisation": {
            "agency",
            "organisation",
            "organization",
            "group",
            "committee",
            "programme",
        },
        "organization": {
            "agency",
            "organisation",
            "organization",
            "group",
            "committee",
            "programme",
        },
        "group": {"group", "movement", "brigade", "front", "watch", "organisation", "party"},
        "company": {"company", "operator", "owner", "group", "shipping", "mining", "tankers"},
        "army": {"army", "forces", "military", "staff", "command"},
        "military": {"army", "forces", "military", "staff", "command"},
        "government": {"government", "cabinet", "presidency"},
        "bloc": {"union", "commission"},
        "alliance": {"nato"},
    }
    return entity.head in related.get(head, ())


def trailing_name(tokens: Sequence[Token]) -> str:
    names = [token.text for token in tokens if token.is_capitalised and token.is_word]
    if len(names) >= 2 and len(names) == len([t for t in tokens if t.is_word]):
        return " ".join(names)
    return ""


def describes_party(description: Sequence[Token]) -> bool:
    """Whether an apposition such as "a spokesman for the army" (not "a farmer") makes a
    person a party's speaker."""
    words = [token.lower.removesuffix("'s") for token in description]
    return any(
        word in lexicon.ROLE_NOUNS or word in lexicon.BODY_NOUNS or word in lexicon.TITLES
        for word in words
    ) or any(token.is_capitalised for token in description[1:])


def kind_of(words: Sequence[str], name: str) -> str:
    if INTERNATIONAL_NAMES.search(name):
        return "international_body"
    plain = {word.removesuffix("'s") for word in words}
    if plain & {"ministry", "treasury", "department"}:
        return "ministry"
    if plain & ARMED_WORDS:
        return "armed_forces"
    if plain & GOVERNMENT_WORDS:
        return "government"
    return "other"


def entity_of_known(party: KnownParty, mention: Mention) -> Entity:
    return Entity(
        party.name,
        True,
        party.kind == "person",
        party.name.split()[-1].lower() if party.name else "",
        side=party.side,
        kind=party.kind,
        known=party,
        surnames={mention.tokens[-1].text} if party.kind == "person" else set(),
    )
