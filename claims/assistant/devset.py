"""The development set: annotated articles, read from `devset/` beside this module.

Each article is a `.txt` file with a `.yaml` file of the same name listing every statement by
the attribution guideline. An annotation may instead name its article by `article:`, a path
from the project root (the seed article is read where the seed fixture keeps it).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DIRECTORY = Path(__file__).resolve().parent / "devset"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODES = ("direct_quote", "paraphrase")


class DevsetError(Exception):
    """An annotation that does not fit its article; the message names file and statement."""


@dataclass(frozen=True)
class AnnotatedParty:
    name: str
    side: str
    kind: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class AnnotatedStatement:
    party: str
    mention: str
    text: str
    start: int
    end: int
    mode: str


@dataclass(frozen=True)
class AnnotatedArticle:
    name: str
    body: str
    held_out: bool
    parties: tuple[AnnotatedParty, ...]
    statements: tuple[AnnotatedStatement, ...]

    @property
    def words(self) -> int:
        return len(self.body.split())


def locate(body: str, text: str, occurrence: int) -> tuple[int, int] | None:
    """Where the annotated words stand; line breaks and spacing may differ from the body's."""
    pattern = r"\s+".join(re.escape(word) for word in text.split())
    if text[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if text[-1:].isalnum():
        pattern += r"(?!\w)"
    matches = list(re.finditer(pattern, body))
    if len(matches) < occurrence:
        return None
    match = matches[occurrence - 1]
    return match.start(), match.end()


def load_article(annotation: Path, root: Path = PROJECT_ROOT) -> AnnotatedArticle:
    record = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    source = root / record["article"] if "article" in record else annotation.with_suffix(".txt")
    body = source.read_text(encoding="utf-8")
    parties = tuple(
        AnnotatedParty(party["name"], party["side"], party["kind"], tuple(party["names"]))
        for party in record["parties"]
    )
    party_names = {party.name for party in parties}
    statements = []
    for number, item in enumerate(record["statements"], start=1):
        where = f"{annotation.name}, statement {number}"
        if item["party"] not in party_names:
            raise DevsetError(f"{where}: party {item['party']!r} is not listed under parties.")
        if item["mode"] not in MODES:
            raise DevsetError(f"{where}: mode must be one of {', '.join(MODES)}.")
        found = locate(body, item["text"], item.get("occurrence", 1))
        if found is None:
            raise DevsetError(f"{where}: the text {item['text']!r} is not in {source.name}.")
        statements.append(
            AnnotatedStatement(
                item["party"], item["mention"], body[found[0] : found[1]], *found, item["mode"]
            )
        )
    return AnnotatedArticle(
        annotation.stem, body, bool(record["held_out"]), parties, tuple(statements)
    )


def load_devset(directory: Path = DIRECTORY, root: Path = PROJECT_ROOT) -> list[AnnotatedArticle]:
    return [load_article(path, root) for path in sorted(directory.glob("*.yaml"))]
