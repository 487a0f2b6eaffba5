"""Loading the curated seed fixture (YAML, records named by slug) into the database.

Every record is checked with the models' own validation before it is written, everything is
written in one transaction, and the first problem stops the load with a message that names the
file, the record and the field. Loading is idempotent: records are matched by slug (statements
by article, party and span), only differences are written, and nothing is ever deleted.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction

from sources.models import Article, Outlet, Party, PartyAlias, Place, PlaceName, normalize_text

from .models import Claim, Stance, Statement, Topic
from .services import recount_stances, save_article

# For each section: its model, the keys a record must have, the keys it may have, and how a
# key is spelled on the model when the two differ.
SECTIONS: dict[str, dict[str, Any]] = {
    "outlets": {
        "model": Outlet,
        "required": {"slug", "name"},
        "optional": {"kind", "country", "url"},
    },
    "parties": {
        "model": Party,
        "required": {"slug", "name", "side", "kind"},
        "optional": {"parent", "description", "aliases"},
    },
    "places": {
        "model": Place,
        "required": {"slug", "name"},
        "optional": {"description", "alternative_names"},
    },
    "topics": {
        "model": Topic,
        "required": {"slug", "name"},
        "optional": {"parent", "description"},
    },
    "claims": {
        "model": Claim,
        "required": {"slug", "text", "topic"},
        "optional": {"places", "event_date", "status", "assessment", "assessment_verdict"},
    },
    "articles": {
        "model": Article,
        "required": {"slug", "outlet"},
        "optional": {
            "text_file",
            "title",
            "standfirst",
            "body",
            "language",
            "published_on",
            "url",
            "byline",
            "wire_credits",
            "statements",
        },
    },
}
ALTERNATIVE_NAME_KEYS = ({"name"}, {"used_by"})
STATEMENT_KEYS = ({"party", "text", "mode", "speaker_label"}, {"said_on", "stances"})
STANCE_KEYS = ({"claim", "stance"}, {"note"})
# Fixture keys that are spelled differently on the model.
MODEL_FIELD = {"stance": "value"}
FIXTURE_KEY = {model_field: key for key, model_field in MODEL_FIELD.items()}


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


@dataclass
class LoadReport:
    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, model: type[models.Model], outcome: str) -> None:
        label = str(model._meta.verbose_name_plural).capitalize()
        self.counts.setdefault(label, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{label}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for label, c in self.counts.items()
        ]


def read_fixtures(directory: Path) -> list[tuple[str, dict]]:
    """Every *.yaml / *.yml file in the directory, parsed, in name order."""
    if not directory.is_dir():
        raise SeedError(f"{directory}: no such directory.")
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not paths:
        raise SeedError(f"{directory}: no .yaml file to load.")
    fixtures = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
                f"{path.name}: unknown section {sorted(unknown)[0]!r}; "
                f"expected {', '.join(SECTIONS)}."
            )
        fixtures.append((path.name, data))
    return fixtures


def check_keys(record: Any, location: Location, required: set[str], optional: set[str]) -> None:
    if not isinstance(record, dict):
        raise location.error("expected a mapping of field names to values.")
    for key in sorted(required):
        if record.get(key) in (None, ""):
            raise location.error("this field is required.", key)
    for key in sorted(set(record) - required - optional):
        raise location.error("unknown field.", str(key))


def check_list(record: dict, key: str, location: Location) -> list:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise location.error("expected a list.", key)
    return value


class SeedLoader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.report = LoadReport()
        self.stanced_claims: set[int] = set()

    def load(self, *, dry_run: bool = False) -> LoadReport:
        fixtures = read_fixtures(self.directory)
        records = self.collect(fixtures)
        with transaction.atomic():
            for section in SECTIONS:
                for location, record in self.in_dependency_order(section, records[section]):
                    getattr(self, f"load_{section}")(record, location)
            recount_stances(claims=self.stanced_claims)
            if dry_run:
                transaction.set_rollback(True)
        return self.report

    def collect(self, fixtures: list[tuple[str, dict]]) -> dict[str, list]:
        """Check the shape of every record and that no slug is given twice, before any write."""
        records: dict[str, list] = {section: [] for section in SECTIONS}
        seen: dict[tuple[str, str], Location] = {}
        for file_name, data in fixtures:
            for section, spec in SECTIONS.items():
                entries = data.get(section) or []
                if not isinstance(entries, list):
                    raise Location(file_name, section).error("expected a list of records.")
                for index, record in enumerate(entries):
                    slug = record.get("slug") if isinstance(record, dict) else None
                    location = Location(
                        file_name, f"{section}[{index}]" + (f" ({slug})" if slug else "")
                    )
                    check_keys(record, location, spec["required"], spec["optional"])
                    if not isinstance(slug, str):
                        raise location.error("expected text.", "slug")
                    if record.get("parent") is not None and not isinstance(record["parent"], str):
                        raise location.error("expected the parent's slug.", "parent")
                    if (section, slug) in seen:
                        first = seen[(section, slug)]
                        raise location.error(
                            f"duplicate slug {slug!r}, also used by {first.file}: {first.record}.",
                            "slug",
                        )
                    seen[(section, slug)] = location
                    records[section].append((location, record))
        return records

    def in_dependency_order(self, section: str, entries: list) -> list:
        """Parents before their children, so a record may name a parent listed after it."""
        by_slug = {record["slug"]: (location, record) for location, record in entries}
        ordered, placed = [], set()

        def place(slug: str, chain: tuple[str, ...]) -> None:
            if slug in placed:
                return
            location, record = by_slug[slug]
            parent = record.get("parent")
            if parent in chain:
                raise location.error(
                    f"parents form a loop: {' > '.join((*chain, parent))}.", "parent"
                )
            if parent in by_slug:
                place(parent, (*chain, slug))
            placed.add(slug)
            ordered.append((location, record))

        for slug in by_slug:
            place(slug, (slug,))
        return ordered

    # Writing -----------------------------------------------------------------------------

    def resolve(self, model: type[models.Model], slug: Any, location: Location, key: str):
        if not isinstance(slug, str):
            raise location.error("expected a slug.", key)
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            label = model._meta.verbose_name
            raise location.error(f"no {label} with slug {slug!r}.", key) from None

    def resolve_many(self, model, record: dict, key: str, location: Location) -> set[int]:
        return {
            self.resolve(model, slug, location, key).pk
            for slug in check_list(record, key, location)
        }

    def upsert(
        self,
        instance: models.Model,
        values: dict[str, Any],
        location: Location,
        m2m: dict[str, set[int]] | None = None,
    ) -> models.Model:
        """Write `values` onto the instance if they differ from what is stored; count it."""
        model = type(instance)
        tracked = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        ]
        before = {name: getattr(instance, name) for name in tracked}
        for name, value in values.items():
            setattr(instance, MODEL_FIELD.get(name, name), value)
        try:
            instance.full_clean()
        except ValidationError as error:
            raise self.validation_error(error, location) from None
        except (TypeError, ValueError):
            # A value of a kind a field cannot even read (a list where a date belongs).
            raise self.unreadable_value(instance, values, location) from None
        after = {name: getattr(instance, name) for name in tracked}
        m2m = m2m or {}
        is_new = instance.pk is None
        m2m_changed = not is_new and any(
            set(getattr(instance, name).values_list("pk", flat=True)) != pks
            for name, pks in m2m.items()
        )
        if is_new or before != after:
            self.save(instance)
        for name, pks in m2m.items():
            getattr(instance, name).set(pks)
        outcome = (
            "created" if is_new else "updated" if before != after or m2m_changed else "unchanged"
        )
        self.report.count(model, outcome)
        return instance

    def save(self, instance: models.Model) -> None:
        """Checked already; saved as the services save, stances counted once at the end."""
        if isinstance(instance, Article):
            save_article(article=instance)
        else:
            instance.save()
        if isinstance(instance, Stance):
            self.stanced_claims.add(instance.claim_id)

    @staticmethod
    def unreadable_value(instance, values: dict[str, Any], location: Location) -> SeedError:
        for name, value in values.items():
            field = instance._meta.get_field(MODEL_FIELD.get(name, name))
            try:
                field.clean(value, instance)
            except (ValidationError, TypeError, ValueError):
                return location.error(f"{value!r} is not a valid value here.", name)
        return location.error("a value of the wrong kind.")

    @staticmethod
    def validation_error(error: ValidationError, location: Location) -> SeedError:
        if hasattr(error, "error_dict"):
            name, errors = next(iter(error.error_dict.items()))
            message = " ".join(str(m) for e in errors for m in e.messages)
            return location.error(message, None if name == "__all__" else name)
        return location.error(" ".join(error.messages))

    @staticmethod
    def existing(model: type[models.Model], **lookup) -> models.Model:
        return model.objects.filter(**lookup).first() or model(**lookup)

    def load_outlets(self, record: dict, location: Location) -> None:
        values = {key: record[key] for key in ("name", "kind", "country", "url") if key in record}
        self.upsert(self.existing(Outlet, slug=record["slug"]), values, location)

    def load_parties(self, record: dict, location: Location) -> None:
        values = {
            key: record[key] for key in ("name", "side", "kind", "description") if key in record
        }
        values["parent"] = (
            self.resolve(Party, record["parent"], location, "parent")
            if record.get("parent")
            else None
        )
        party = self.upsert(self.existing(Party, slug=record["slug"]), values, location)
        for index, name in enumerate(check_list(record, "aliases", location)):
            alias_location = location.child(f"aliases[{index}]")
            if not isinstance(name, str):
                raise alias_location.error("expected the alias as text.")
            self.upsert(self.existing(PartyAlias, party=party, name=name), {}, alias_location)

    def load_places(self, record: dict, location: Location) -> None:
        values = {key: record[key] for key in ("name", "description") if key in record}
        place = self.upsert(self.existing(Place, slug=record["slug"]), values, location)
        for index, entry in enumerate(check_list(record, "alternative_names", location)):
            name_location = location.child(f"alternative_names[{index}]")
            check_keys(entry, name_location, *ALTERNATIVE_NAME_KEYS)
            name = self.existing(PlaceName, place=place, name=entry["name"])
            self.upsert(name, {"used_by": entry.get("used_by", "")}, name_location)

    def load_topics(self, record: dict, location: Location) -> None:
        values = {key: record[key] for key in ("name", "description") if key in record}
        values["parent"] = (
            self.resolve(Topic, record["parent"], location, "parent")
            if record.get("parent")
            else None
        )
        self.upsert(self.existing(Topic, slug=record["slug"]), values, location)

    def load_claims(self, record: dict, location: Location) -> None:
        keys = ("text", "event_date", "status", "assessment", "assessment_verdict")
        values = {key: record[key] for key in keys if key in record}
        values["topic"] = self.resolve(Topic, record["topic"], location, "topic")
        places = self.resolve_many(Place, record, "places", location)
        self.upsert(self.existing(Claim, slug=record["slug"]), values, location, {"places": places})

    def load_articles(self, record: dict, location: Location) -> None:
        keys = ("title", "standfirst", "body", "language", "published_on", "url", "byline")
        values = {key: record[key] for key in keys if key in record}
        if record.get("text_file"):
            values = {**self.read_article_file(record["text_file"], location), **values}
        elif "body" not in record:
            raise location.error("give the article's text as 'body' or 'text_file'.", "body")
        values["outlet"] = self.resolve(Outlet, record["outlet"], location, "outlet")
        wire_credits = self.resolve_many(Outlet, record, "wire_credits", location)
        article = self.upsert(
            self.existing(Article, slug=record["slug"]),
            values,
            location,
            {"wire_credits": wire_credits},
        )
        for index, entry in enumerate(check_list(record, "statements", location)):
            self.load_statement(article, entry, location.child(f"statements[{index}]"))

    def read_article_file(self, name: Any, location: Location) -> dict[str, str]:
        """A text file laid out as published: headline, outlet line, standfirst, then the body."""
        path = self.directory / str(name)
        if not isinstance(name, str) or path.resolve().parent != self.directory.resolve():
            raise location.error("expected the name of a file in the seeds directory.", "text_file")
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise location.error(f"no file {name!r} in {self.directory}.", "text_file") from None
        except UnicodeDecodeError:
            raise location.error(f"{name!r} is not UTF-8 text.", "text_file") from None
        blocks = normalize_text(text).split("\n\n")
        if len(blocks) < 4:
            raise location.error(
                f"{name!r} should hold a headline, an outlet line, a standfirst and a body, "
                "separated by blank lines.",
                "text_file",
            )
        return {"title": blocks[0], "standfirst": blocks[2], "body": "\n\n".join(blocks[3:])}

    def load_statement(self, article: Article, record: Any, location: Location) -> None:
        check_keys(record, location, *STATEMENT_KEYS)
        party = self.resolve(Party, record["party"], location, "party")
        if not isinstance(record["text"], str):
            raise location.error("expected the statement as text.", "text")
        probe = Statement(article=article, party=party, text=record["text"])
        try:
            probe.anchor()
        except ValidationError as error:
            raise self.validation_error(error, location) from None
        statement = self.existing(
            Statement, article=article, party=party, start=probe.start, end=probe.end
        )
        values = {key: record[key] for key in ("text", "mode", "speaker_label") if key in record}
        values["said_on"] = record.get("said_on")
        statement = self.upsert(statement, values, location)
        for index, entry in enumerate(check_list(record, "stances", location)):
            stance_location = location.child(f"stances[{index}]")
            check_keys(entry, stance_location, *STANCE_KEYS)
            claim = self.resolve(Claim, entry["claim"], stance_location, "claim")
            stance = self.existing(Stance, statement=statement, claim=claim)
            values = {"stance": entry["stance"], "note": entry.get("note", "")}
            self.upsert(stance, values, stance_location)
