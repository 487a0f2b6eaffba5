"""Loading the curated seed fixture (YAML, records named by slug) into the database.

Seeds never override curators. A record missing from the database is created; one that is there
already is left as it is, and if it differs from the fixture the difference is reported (`make
run` loads the seeds on every start, and must never republish a claim an editor unpublished nor
undo a curator's edit). `update=True` (`load_seeds --update`) writes the fixture's values over
them instead, each change a revision in the history. Nothing is ever deleted.

Every value is checked (its kind, then the models' own validation) before anything is written,
everything is written in one transaction, and the first problem stops the load with a message
that names the file, the record and the field.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction

from sources.models import Article, Outlet, Party, PartyAlias, Place, PlaceName, normalize_text

from .anchoring import AnchorError, anchor_text
from .models import Claim, Stance, Statement, Topic
from .seed_fixture import (
    ALTERNATIVE_NAME,
    FIXTURE_KEY,
    MODEL_FIELD,
    SECTIONS,
    STANCE,
    STATEMENT,
    Location,
    SeedError,
    check_record,
    check_text,
    describe,
    read_fixtures,
)
from .services import recount_stances, refresh_search_of, save_article

UPDATE_COMMENT = "Set to the seed fixture's values by load_seeds --update."


@dataclass
class LoadReport:
    counts: dict[str, Counter] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    update: bool = False

    def count(self, model: type[models.Model], outcome: str) -> None:
        label = str(model._meta.verbose_name_plural).capitalize()
        self.counts.setdefault(label, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        lines = []
        for label, c in self.counts.items():
            line = f"{label}: {c['created']} created, {c['unchanged']} unchanged"
            if c["updated"]:
                line += f", {c['updated']} updated"
            if c["differing"]:
                line += f", {c['differing']} differing from the fixture (left as they are)"
            lines.append(line)
        return [*lines, *self.differences]


class SeedLoader:
    def __init__(self, directory: Path, *, update: bool = False) -> None:
        self.directory = directory
        self.update = update
        self.report = LoadReport(update=update)
        self.stanced_claims: set[int] = set()
        # What the claims' search words come from, written by this load: ids by kind.
        self.searched: dict[str, set[int]] = {"parties": set(), "places": set()}
        self.known: dict[tuple[type[models.Model], Any], models.Model] = {}

    def load(self, *, dry_run: bool = False) -> LoadReport:
        records = self.collect(read_fixtures(self.directory))
        with transaction.atomic():
            for section in SECTIONS:
                entries = self.in_dependency_order(records[section])
                self.preload(SECTIONS[section][0], [record["slug"] for _, record in entries])
                for location, record in entries:
                    getattr(self, f"load_{section}")(record, location)
            recount_stances(claims=self.stanced_claims)
            refresh_search_of(**self.searched)
            if dry_run:
                transaction.set_rollback(True)
        return self.report

    def collect(self, fixtures: list[tuple[str, dict]]) -> dict[str, list]:
        """Check every record's fields, and that no slug is given twice, before any write."""
        records: dict[str, list] = {section: [] for section in SECTIONS}
        seen: dict[tuple[str, str], Location] = {}
        for file_name, data in fixtures:
            for section, (_, record_spec) in SECTIONS.items():
                entries = data.get(section) or []
                if not isinstance(entries, list):
                    raise Location(file_name, section).error("expected a list of records.")
                for index, entry in enumerate(entries):
                    slug = entry.get("slug") if isinstance(entry, dict) else None
                    named = f" ({slug})" if isinstance(slug, str) else ""
                    location = Location(file_name, f"{section}[{index}]{named}")
                    record = check_record(entry, location, record_spec)
                    if (section, slug) in seen:
                        first = seen[(section, slug)]
                        raise location.error(
                            f"duplicate slug {slug!r}, also used by {first.file}: {first.record}.",
                            "slug",
                        )
                    seen[(section, slug)] = location
                    records[section].append((location, record))
        return records

    def in_dependency_order(self, entries: list) -> list:
        """Parents before their children, so a record may name a parent listed after it."""
        by_slug = {record["slug"]: (location, record) for location, record in entries}
        ordered, placed = [], set()

        def place(slug: str, below: tuple[str, ...]) -> None:
            if slug in placed:
                return
            location, record = by_slug[slug]
            chain = (*below, slug)
            parent = record.get("parent")
            if parent in chain:
                loop = (*chain[chain.index(parent) :], parent)
                raise location.error(f"parents form a loop: {' > '.join(loop)}.", "parent")
            if parent in by_slug:
                place(parent, chain)
            placed.add(slug)
            ordered.append((location, record))

        for slug in by_slug:
            place(slug, ())
        return ordered

    # Reading what the database holds ---------------------------------------------------------

    def preload(self, model: type[models.Model], slugs: list[str]) -> None:
        """The section's records that exist already, in one query."""
        for instance in model.objects.filter(slug__in=slugs):
            self.known[(model, instance.slug)] = instance

    def resolve(self, model: type[models.Model], slug: str, location: Location, key: str):
        if (model, slug) not in self.known:
            instance = model.objects.filter(slug=slug).first()
            if instance is None:
                label = model._meta.verbose_name
                raise location.error(f"no {label} with slug {slug!r}.", key)
            self.known[(model, slug)] = instance
        return self.known[(model, slug)]

    def resolve_many(self, model, slugs: list[str] | None, location: Location, key: str) -> set:
        return {self.resolve(model, slug, location, key).pk for slug in slugs or []}

    def existing(self, model: type[models.Model], **lookup) -> models.Model:
        if "slug" in lookup:
            return self.known.get((model, lookup["slug"])) or model(**lookup)
        return model.objects.filter(**lookup).first() or model(**lookup)

    # Writing -------------------------------------------------------------------------------

    def upsert(
        self,
        instance: models.Model,
        values: dict[str, Any],
        location: Location,
        m2m: dict[str, set[int]] | None = None,
    ) -> models.Model:
        """Create the record if it is missing; report, or with --update write, how an existing
        one differs from the fixture."""
        model = type(instance)
        stored = {name: getattr(instance, name) for name in self.compared_fields(model, values)}
        for name, value in values.items():
            setattr(instance, MODEL_FIELD.get(name, name), value)
        is_new = instance.pk is None
        # The fixture's values are checked whether or not they are written; the constraints,
        # which take queries, only for what is written.
        self.validate(instance, values, location, constraints=is_new or self.update)
        differences = self.differences(instance, stored, m2m or {})
        if is_new:
            self.save(instance, m2m)
            self.report.count(model, "created")
        elif not differences:
            self.report.count(model, "unchanged")
        elif self.update:
            with reversion.create_revision():
                reversion.set_comment(UPDATE_COMMENT)
                self.save(instance, m2m)
            self.report.count(model, "updated")
            self.report.differences.append(f"{location.record}: updated {differences}.")
        else:
            instance.refresh_from_db()
            self.report.count(model, "differing")
            self.report.differences.append(
                f"{location.record}: differs from the fixture in {differences}; "
                "left as it is (--update writes the fixture's values)."
            )
        return instance

    @staticmethod
    def compared_fields(model: type[models.Model], values: dict[str, Any]) -> list[str]:
        """The stored attributes the fixture gives values for (foreign keys by their id)."""
        names = []
        for name in values:
            model_field = model._meta.get_field(MODEL_FIELD.get(name, name))
            names.append(model_field.attname)
        return names

    def differences(self, instance, stored: dict[str, Any], m2m: dict[str, set[int]]) -> str:
        changed = [
            FIXTURE_KEY.get(name.removesuffix("_id"), name.removesuffix("_id"))
            for name, value in stored.items()
            if getattr(instance, name) != value
        ]
        if instance.pk is not None:
            changed += [
                name
                for name, pks in m2m.items()
                if set(getattr(instance, name).values_list("pk", flat=True)) != pks
            ]
        return ", ".join(changed)

    def validate(
        self,
        instance: models.Model,
        values: dict[str, Any],
        location: Location,
        *,
        constraints: bool,
    ) -> None:
        """The models' own validation, without the queries that cannot fail here: foreign keys
        were resolved by the loader, records are matched by what makes them unique, and a value
        outside a field's choices is refused by the field before its database constraint."""
        fields = instance._meta.concrete_fields
        relations = {f.name for f in fields if f.is_relation}
        with_choices = {f.name for f in fields if f.choices}
        try:
            instance.clean_fields(exclude=relations)
            instance.clean()
            if constraints:
                instance.validate_constraints(exclude=relations | with_choices)
        except ValidationError as error:
            raise self.validation_error(error, location) from None
        except (TypeError, ValueError):
            # A value a field cannot read: a mapping where an address belongs.
            raise self.unreadable_value(instance, values, location) from None

    def save(self, instance: models.Model, m2m: dict[str, set[int]] | None) -> None:
        """Checked already; saved as the services save, stances counted and search
        words written once at the end."""
        changed = instance.pk is not None
        if isinstance(instance, Article):
            save_article(article=instance)
        else:
            instance.save()
        for name, pks in (m2m or {}).items():
            getattr(instance, name).set(pks)
        if isinstance(instance, (Stance, Claim)):
            self.stanced_claims.add(getattr(instance, "claim_id", instance.pk))
        elif isinstance(instance, Statement) and changed:
            self.stanced_claims.update(instance.stances.values_list("claim", flat=True))
        elif isinstance(instance, (Party, PartyAlias)):
            self.searched["parties"].add(getattr(instance, "party_id", instance.pk))
        elif isinstance(instance, (Place, PlaceName)):
            self.searched["places"].add(getattr(instance, "place_id", instance.pk))

    @staticmethod
    def unreadable_value(instance, values: dict[str, Any], location: Location) -> SeedError:
        for name, value in values.items():
            model_field = instance._meta.get_field(MODEL_FIELD.get(name, name))
            try:
                model_field.clean(value, instance)
            except (ValidationError, TypeError, ValueError):
                return location.error(f"{describe(value)} is not a valid value here.", name)
        return location.error("a value of the wrong kind.")

    @staticmethod
    def validation_error(error: ValidationError, location: Location) -> SeedError:
        if hasattr(error, "error_dict"):
            name, errors = next(iter(error.error_dict.items()))
            message = " ".join(str(m) for e in errors for m in e.messages)
            return location.error(message, None if name == "__all__" else name)
        return location.error(" ".join(error.messages))

    # The sections --------------------------------------------------------------------------

    @staticmethod
    def given(record: dict, *keys: str) -> dict[str, Any]:
        return {key: record[key] for key in keys if key in record}

    def parent(self, model: type[models.Model], record: dict, location: Location):
        slug = record.get("parent")
        return self.resolve(model, slug, location, "parent") if slug else None

    def load_outlets(self, record: dict, location: Location) -> None:
        values = self.given(record, "name", "kind", "country", "url")
        self.upsert(self.existing(Outlet, slug=record["slug"]), values, location)

    def load_parties(self, record: dict, location: Location) -> None:
        values = self.given(record, "name", "side", "kind", "description")
        values["parent"] = self.parent(Party, record, location)
        party = self.upsert(self.existing(Party, slug=record["slug"]), values, location)
        self.known[(Party, party.slug)] = party
        aliases = {alias.name: alias for alias in PartyAlias.objects.filter(party=party)}
        for index, name in enumerate(record.get("aliases") or []):
            alias = aliases.get(name) or PartyAlias(party=party, name=name)
            self.upsert(alias, {}, location.child(f"aliases[{index}]"))

    def load_places(self, record: dict, location: Location) -> None:
        values = self.given(record, "name", "description")
        place = self.upsert(self.existing(Place, slug=record["slug"]), values, location)
        names = {name.name: name for name in PlaceName.objects.filter(place=place)}
        for index, entry in enumerate(record.get("alternative_names") or []):
            name_location = location.child(f"alternative_names[{index}]")
            entry = check_record(entry, name_location, ALTERNATIVE_NAME)
            name = names.get(entry["name"]) or PlaceName(place=place, name=entry["name"])
            self.upsert(name, {"used_by": entry.get("used_by") or ""}, name_location)

    def load_topics(self, record: dict, location: Location) -> None:
        values = self.given(record, "name", "description")
        values["parent"] = self.parent(Topic, record, location)
        topic = self.upsert(self.existing(Topic, slug=record["slug"]), values, location)
        self.known[(Topic, topic.slug)] = topic

    def load_claims(self, record: dict, location: Location) -> None:
        values = self.given(record, "text", "event_date", "status", "assessment")
        values |= self.given(record, "assessment_verdict")
        values["topic"] = self.resolve(Topic, record["topic"], location, "topic")
        places = self.resolve_many(Place, record.get("places"), location, "places")
        claim = self.upsert(
            self.existing(Claim, slug=record["slug"]), values, location, {"places": places}
        )
        self.known[(Claim, claim.slug)] = claim

    def load_articles(self, record: dict, location: Location) -> None:
        values = self.given(
            record, "title", "standfirst", "body", "language", "published_on", "url", "byline"
        )
        if record.get("text_file"):
            values = {**self.read_article_file(record["text_file"], location), **values}
        elif "body" not in record:
            raise location.error("give the article's text as 'body' or 'text_file'.", "body")
        values["outlet"] = self.resolve(Outlet, record["outlet"], location, "outlet")
        wire_credits = self.resolve_many(
            Outlet, record.get("wire_credits"), location, "wire_credits"
        )
        article = self.upsert(
            self.existing(Article, slug=record["slug"]),
            values,
            location,
            {"wire_credits": wire_credits},
        )
        statements = {(s.party_id, s.start, s.end): s for s in article.statements.all()}
        spans: dict[tuple[int, int, int], Location] = {}
        for index, entry in enumerate(record.get("statements") or []):
            statement_location = location.child(f"statements[{index}]")
            self.load_statement(
                article, values["body"], entry, statement_location, statements, spans
            )

    def read_article_file(self, name: str, location: Location) -> dict[str, str]:
        """A text file laid out as published: headline, outlet line, standfirst, then the body."""
        path = self.directory / name
        if path.resolve().parent != self.directory.resolve():
            raise location.error("expected the name of a file in the seeds directory.", "text_file")
        try:
            text = check_text(path.read_text(encoding="utf-8"), location, "text_file")
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

    def load_statement(
        self,
        article: Article,
        fixture_body: str,
        entry: Any,
        location: Location,
        statements: dict[tuple[int, int, int], Statement],
        spans: dict[tuple[int, int, int], Location],
    ) -> None:
        record = check_record(entry, location, STATEMENT)
        party = self.resolve(Party, record["party"], location, "party")
        try:
            anchor_text(normalize_text(fixture_body), record["text"])
        except AnchorError as error:
            raise location.error(str(error), "text") from None
        try:
            anchor = anchor_text(article.body, record["text"])
        except AnchorError:
            # In the fixture's text, not in the article's: curators have edited its body since.
            self.report.count(Statement, "differing")
            self.report.differences.append(
                f"{location.record}: not created, its words are not in the article's current body."
            )
            return
        span = (party.pk, anchor.start, anchor.end)
        if span in spans:
            first = spans[span]
            raise location.error(
                f"the same party and words as {first.file}: {first.record}.", "text"
            )
        spans[span] = location
        statement = statements.get(span) or Statement(
            article=article, party=party, start=anchor.start, end=anchor.end
        )
        values = self.given(record, "mode", "speaker_label", "said_on")
        values["text"] = anchor.text
        statement = self.upsert(statement, values, location)
        stances = {stance.claim_id: stance for stance in statement.stances.all()}
        for index, stance_entry in enumerate(record.get("stances") or []):
            stance_location = location.child(f"stances[{index}]")
            stance_record = check_record(stance_entry, stance_location, STANCE)
            claim = self.resolve(Claim, stance_record["claim"], stance_location, "claim")
            stance = stances.get(claim.pk) or Stance(statement=statement, claim=claim)
            values = {"stance": stance_record["stance"], "note": stance_record.get("note") or ""}
            self.upsert(stance, values, stance_location)
