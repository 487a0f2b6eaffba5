"""The seed fixture as it is read: its YAML files, the fields each kind of record has, and the
check of every value's kind, each problem a SeedError that names the file, the record and the
field. Loading the records into the database is seeds.py's.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from sources.models import Article, Outlet, Party, Place

from .models import Claim, Topic

# The kinds of value a fixture field holds.
TEXT, SLUG, SLUGS, TEXTS, DATE, RECORDS = "text", "slug", "slugs", "texts", "date", "records"
KIND_NAMES = {
    TEXT: "text",
    SLUG: "a slug",
    SLUGS: "a list of slugs",
    TEXTS: "a list of texts",
    DATE: "a date (YYYY-MM-DD)",
    RECORDS: "a list of records",
}


@dataclass(frozen=True)
class Spec:
    """A record's fields: each one's kind, and which must be given."""

    kinds: dict[str, str]
    required: frozenset[str]


def spec(required: dict[str, str], optional: dict[str, str]) -> Spec:
    return Spec({**required, **optional}, frozenset(required))


SECTIONS: dict[str, tuple[type[models.Model], Spec]] = {
    "outlets": (
        Outlet,
        spec({"slug": SLUG, "name": TEXT}, {"kind": TEXT, "country": TEXT, "url": TEXT}),
    ),
    "parties": (
        Party,
        spec(
            {"slug": SLUG, "name": TEXT, "side": TEXT, "kind": TEXT},
            {"parent": SLUG, "description": TEXT, "aliases": TEXTS},
        ),
    ),
    "places": (
        Place,
        spec(
            {"slug": SLUG, "name": TEXT},
            {"description": TEXT, "alternative_names": RECORDS},
        ),
    ),
    "topics": (
        Topic,
        spec({"slug": SLUG, "name": TEXT}, {"parent": SLUG, "description": TEXT}),
    ),
    "claims": (
        Claim,
        spec(
            {"slug": SLUG, "text": TEXT, "topic": SLUG},
            {
                "places": SLUGS,
                "event_date": DATE,
                "status": TEXT,
                "assessment": TEXT,
                "assessment_verdict": TEXT,
            },
        ),
    ),
    "articles": (
        Article,
        spec(
            {"slug": SLUG, "outlet": SLUG},
            {
                "text_file": TEXT,
                "title": TEXT,
                "standfirst": TEXT,
                "body": TEXT,
                "language": TEXT,
                "published_on": DATE,
                "url": TEXT,
                "byline": TEXT,
                "wire_credits": SLUGS,
                "statements": RECORDS,
            },
        ),
    ),
}
ALTERNATIVE_NAME = spec({"name": TEXT}, {"used_by": TEXT})
STATEMENT = spec(
    {"party": SLUG, "text": TEXT, "mode": TEXT, "speaker_label": TEXT},
    {"said_on": DATE, "stances": RECORDS},
)
STANCE = spec({"claim": SLUG, "stance": TEXT}, {"note": TEXT})
# Fixture keys that are spelled differently on the model.
MODEL_FIELD = {"stance": "value"}
FIXTURE_KEY = {model_field: key for key, model_field in MODEL_FIELD.items()}
# A hand-written fixture is small; a bigger file is a mistake, or an attack on memory.
MAX_FILE_BYTES = 5_000_000
# Control characters no curated text holds (and PostgreSQL refuses NUL in text).
FORBIDDEN_CHARACTERS = {chr(code) for code in range(32)} - {"\t", "\n", "\r"}


class SeedError(Exception):
    """A problem in a seed file; the message names the file, the record and the field."""


@dataclass
class Location:
    file: str
    record: str

    def child(self, record: str) -> "Location":
        return Location(self.file, f"{self.record} > {record}")

    def error(self, message: str, field: str | None = None) -> SeedError:
        where = f"{self.file}: {self.record}"
        if field:
            where += f", field '{FIXTURE_KEY.get(field, field)}'"
        return SeedError(f"{where}: {message}")


class FixtureReader(yaml.SafeLoader):
    """YAML without aliases: a hand-written fixture needs none, and a few nested aliases can
    stand for billions of values (the "billion laughs")."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


def read_fixtures(directory: Path) -> list[tuple[str, dict]]:
    """Every *.yaml / *.yml file in the directory, parsed, in name order."""
    if not directory.is_dir():
        raise SeedError(f"{directory}: no such directory.")
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not paths:
        raise SeedError(f"{directory}: no .yaml file to load.")
    fixtures = []
    for path in paths:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SeedError(f"{path.name}: larger than {MAX_FILE_BYTES:,} bytes.")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=FixtureReader)
        except UnicodeDecodeError as error:
            raise SeedError(f"{path.name}: not UTF-8 text ({error.reason}).") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            raise SeedError(f"{path.name}{where}: malformed YAML: {problem}.") from None
        if data is None:
            continue
        if not isinstance(data, dict):
            raise SeedError(f"{path.name}: expected sections ({', '.join(SECTIONS)}) at the top.")
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise SeedError(
                f"{path.name}: unknown section {sorted(unknown, key=str)[0]!r}; "
                f"expected {', '.join(SECTIONS)}."
            )
        fixtures.append((path.name, data))
    return fixtures


def check_text(value: Any, location: Location, key: str) -> str:
    if not isinstance(value, str):
        raise location.error(f"expected text, not {describe(value)}.", key)
    if forbidden := FORBIDDEN_CHARACTERS & set(value):
        character = min(forbidden)
        raise location.error(f"contains the control character U+{ord(character):04X}.", key)
    return value


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    return repr(value)


def check_value(value: Any, kind: str, location: Location, key: str) -> Any:
    """The value if it is of the kind the field holds; otherwise a SeedError naming the field."""
    if value is None:
        return None
    if kind in (TEXT, SLUG):
        return check_text(value, location, key)
    if kind == DATE:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(check_text(value, location, key))
            except ValueError:
                pass
        raise location.error(f"expected {KIND_NAMES[DATE]}, not {describe(value)}.", key)
    if not isinstance(value, list):
        raise location.error(f"expected {KIND_NAMES[kind]}, not {describe(value)}.", key)
    if kind in (SLUGS, TEXTS):
        return [check_text(item, location, key) for item in value]
    return value


def check_record(record: Any, location: Location, record_spec: Spec) -> dict[str, Any]:
    """The record with every value checked for its kind; required fields given."""
    if not isinstance(record, dict):
        raise location.error(
            f"expected a mapping of field names to values, not {describe(record)}."
        )
    for key in sorted(set(record) - set(record_spec.kinds), key=str):
        raise location.error("unknown field.", str(key))
    for key in sorted(record_spec.required):
        if record.get(key) in (None, ""):
            raise location.error("this field is required.", key)
    return {
        key: check_value(value, record_spec.kinds[key], location, key)
        for key, value in record.items()
    }
