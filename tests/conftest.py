"""Shared objects for the tests, built in code: a small slice of the seed article's dispute, a
small invented site (`site`), and pages read as a reader reads them (`page_of`)."""

import copy
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from importlib import import_module
from io import StringIO
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse

from claims.models import Claim, Stance, StanceValue, Statement, Status, Topic
from claims.services import create_statement, save_article, set_stance
from sources.models import Article, Outlet, Party, PartyAlias, Place, PlaceName

from .production import COLLECT_STATIC, database_url, production_environment, run, serving

BODY = (
    "Russia on Saturday claimed that soldiers from Azerbaijan have entered a zone that is the "
    "responsibility of Moscow's peacekeepers.\n\n"
    '"An appeal has been sent to the Azerbaijani side to withdraw its troops," the Russian '
    "Defense Ministry said.\n\n"
    "Azerbaijan's Defence Ministry refuted Moscow's version of events and described Russia's "
    'statement as "one-sided."'
)


PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """The slow default hasher is for real passwords; the tests log in a great many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff(username: str, group: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def curator(db) -> User:
    return make_staff("curator", "Curator")


@pytest.fixture
def editor(db) -> User:
    return make_staff("editor", "Editor")


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def deutsche_welle(db) -> Outlet:
    return Outlet.objects.create(slug="deutsche-welle", name="Deutsche Welle", country="Germany")


@pytest.fixture
def afp(db) -> Outlet:
    return Outlet.objects.create(slug="afp", name="AFP", kind="wire_agency", country="France")


@pytest.fixture
def article(deutsche_welle, afp) -> Article:
    article = Article(
        slug="dw-peacekeeping-zone",
        title="Russia says Azeri troops entered peacekeeping zone",
        outlet=deutsche_welle,
        body=BODY,
        byline="mm/wd",
    )
    save_article(article=article)
    article.wire_credits.add(afp)
    return article


@pytest.fixture
def russian_mod(db) -> Party:
    party = Party.objects.create(
        slug="russian-defence-ministry",
        name="Russian Defence Ministry",
        side="Russia",
        kind="ministry",
    )
    PartyAlias.objects.create(party=party, name="Moscow")
    return party


@pytest.fixture
def azerbaijani_mod(db) -> Party:
    return Party.objects.create(
        slug="azerbaijani-defence-ministry",
        name="Azerbaijani Defence Ministry",
        side="Azerbaijan",
        kind="ministry",
    )


@pytest.fixture
def farukh(db) -> Place:
    place = Place.objects.create(slug="farukh", name="Farukh")
    PlaceName.objects.create(place=place, name="Parukh", used_by="Armenian sources")
    return place


@pytest.fixture
def incident_topic(db) -> Topic:
    parent = Topic.objects.create(
        slug="nagorno-karabakh-conflict", name="Nagorno-Karabakh conflict"
    )
    return Topic.objects.create(
        slug="farukh-parukh-incident-2022", name="Farukh/Parukh incident, March 2022", parent=parent
    )


def make_statement(article: Article, party: Party, text: str, **fields) -> Statement:
    return create_statement(
        article=article,
        party=party,
        text=text,
        mode=fields.pop("mode", "paraphrase"),
        speaker_label=fields.pop("speaker_label", party.name),
        **fields,
    )


@pytest.fixture
def zone_claim(incident_topic, farukh) -> Claim:
    claim = Claim.objects.create(
        slug="azerbaijani-troops-entered-peacekeeping-zone",
        text="Azerbaijani troops entered the zone of responsibility of the Russian peacekeepers.",
        topic=incident_topic,
        status=Status.PUBLISHED,
    )
    claim.places.add(farukh)
    return claim


@pytest.fixture
def russian_statement(article, russian_mod) -> Statement:
    return make_statement(
        article,
        russian_mod,
        "Russia on Saturday claimed that soldiers from Azerbaijan have entered a zone",
        speaker_label="Russia",
    )


@pytest.fixture
def azerbaijani_statement(article, azerbaijani_mod) -> Statement:
    return make_statement(
        article,
        azerbaijani_mod,
        "Azerbaijan's Defence Ministry refuted Moscow's version of events",
        speaker_label="Azerbaijan's Defence Ministry",
    )


@pytest.fixture
def disputed_zone_claim(zone_claim, russian_statement, azerbaijani_statement) -> Claim:
    """The zone claim, supported by the Russian ministry and refuted by the Azerbaijani one."""
    set_stance(claim=zone_claim, statement=russian_statement, value=StanceValue.SUPPORTS)
    set_stance(claim=zone_claim, statement=azerbaijani_statement, value=StanceValue.REFUTES)
    return zone_claim


DISPUTE_SIZE = 50


@pytest.fixture
def dispute(deutsche_welle, afp, incident_topic):
    """A growing dispute: one article; per row k, a party's sentence k bearing on the main claim
    and a prolific party's words "thing k" bearing on claim k of its own."""
    body = "\n\n".join(f"Party {k} said thing {k} today." for k in range(DISPUTE_SIZE))
    article = Article(slug="long", title="Long", outlet=deutsche_welle, body=body)
    save_article(article=article)
    article.wire_credits.add(afp)
    main = Claim.objects.create(
        slug="main", text="The main claim", topic=incident_topic, status=Status.PUBLISHED
    )
    prolific = Party.objects.create(
        slug="prolific", name="Prolific", side="Russia", kind="ministry"
    )

    def grow(start: int, stop: int) -> None:
        for k in range(start, stop):
            party = Party.objects.create(
                slug=f"party-{k}", name=f"Party {k}", side=f"Side {k % 3}", kind="person"
            )
            sentence = make_statement(
                article, party, f"Party {k} said thing {k} today.", said_on=None
            )
            set_stance(claim=main, statement=sentence, value=StanceValue.values[k % 4])
            words = make_statement(article, prolific, f"thing {k} today")
            claim = Claim.objects.create(
                slug=f"claim-{k}", text=f"Claim {k}", topic=incident_topic, status=Status.PUBLISHED
            )
            set_stance(claim=claim, statement=words, value=StanceValue.SUPPORTS)
            set_stance(claim=main, statement=words, value=StanceValue.REFUTES)

    return grow


# A small invented dispute, built the way curators build one, for the tests that read pages,
# lists and the API. Tests take what they expect from it (`len(site.published_claims)`,
# `site.denier.slug`) rather than from literals, and never from the curated seed, which stays
# free to change.
SITE_BODY = (
    "Valdoria on Sunday accused Korvenian soldiers of crossing into the buffer zone around Lake "
    "Miren that its border guards patrol.\n\n"
    '"Korvenian units must return to their positions at once," the Valdorian Defence Ministry '
    "said. Valdoria's Defense Ministry later repeated its call for a withdrawal.\n\n"
    "The ministry said Korvenian troops had also set up an observation post near the village of "
    "Tarsk, which Korvenian maps call Tarskoye.\n\n"
    "Korvenia's Defence Ministry rejected Valdor's account of events and called the statement "
    '"a fabrication."\n\n'
    "Korvenia's Foreign Ministry said fishing boats had been turned away from the lake for a "
    "week.\n\n"
    "Valdorian officials said engineers had been sent to repair the dam at Miren.\n\n"
    "About 300 border guards serve in the zone, which was set up after the 2019 ceasefire."
)
CLOSURE_BODY = (
    "Korvenia's Interior Ministry said the border crossing at Tarsk would close on Monday.\n\n"
    "Traffic at the crossing had been light for days."
)


@dataclass
class Site:
    """Who is in the dispute and what they said, by the part each plays: the accuser and the
    government above it, the denier, a foreign ministry alone on the wider topic, and a party
    heard only on a claim still in review."""

    outlet: Outlet
    wire_agencies: list[Outlet]
    broadcaster: Outlet
    government: Party
    accuser: Party
    denier: Party
    foreign_ministry: Party
    unpublished_speaker: Party
    place: Place
    place_name: PlaceName
    parent_topic: Topic
    topic: Topic
    article: Article
    unpublished_article: Article
    accusation: Statement
    demand: Statement
    repeated_demand: Statement
    post_report: Statement
    rejection: Statement
    fabrication: Statement
    fishing_report: Statement
    draft_only_statement: Statement
    in_review_only_statement: Statement
    contested_claim: Claim
    post_claim: Claim
    one_sided_claim: Claim
    parent_topic_claim: Claim
    draft_claim: Claim
    claim_in_review: Claim
    stances: list[Stance]

    @property
    def published_claims(self) -> list[Claim]:
        return [
            self.contested_claim,
            self.post_claim,
            self.one_sided_claim,
            self.parent_topic_claim,
        ]

    @property
    def unpublished_claims(self) -> list[Claim]:
        return [self.draft_claim, self.claim_in_review]

    @property
    def public_parties(self) -> list[Party]:
        """Those who speak on a published claim, and the government above one of them."""
        return [self.government, self.accuser, self.denier, self.foreign_ministry]

    def stances_on(self, claim: Claim) -> list[Stance]:
        return [stance for stance in self.stances if stance.claim_id == claim.pk]

    @property
    def public_stances(self) -> list[Stance]:
        published = {claim.pk for claim in self.published_claims}
        return [stance for stance in self.stances if stance.claim_id in published]

    @property
    def public_statements(self) -> list[Statement]:
        """The statements on published claims, in the order of the article's text."""
        public = {stance.statement_id for stance in self.public_stances}
        statements = {stance.statement.pk: stance.statement for stance in self.stances}
        return sorted((statements[pk] for pk in public), key=lambda statement: statement.start)

    def claims_of(self, party: Party) -> list[Claim]:
        """The published claims the party speaks on."""
        spoken = {stance.claim_id for stance in self.stances if stance.statement.party == party}
        return [claim for claim in self.published_claims if claim.pk in spoken]


def published_fields(minute: int) -> dict:
    """A published claim's fields: published `minute` minutes past nine, so that lists ordered
    by publication are ordered the same on every run."""
    return {
        "status": Status.PUBLISHED,
        "published_at": datetime(2024, 5, 16, 9, minute, tzinfo=UTC),
    }


def build_site() -> Site:
    outlet = Outlet.objects.create(slug="lakeside-herald", name="Lakeside Herald")
    wire_agencies = [
        Outlet.objects.create(slug="coastline-wire", name="Coastline Wire", kind="wire_agency"),
        Outlet.objects.create(
            slug="meridian-press", name="Meridian Press Agency", kind="wire_agency"
        ),
    ]
    broadcaster = Outlet.objects.create(
        slug="border-radio", name="Border Radio", kind="broadcaster"
    )
    government = Party.objects.create(
        slug="valdorian-government", name="Valdorian government", side="Valdoria", kind="government"
    )
    accuser = Party.objects.create(
        slug="valdorian-defence-ministry",
        name="Valdorian Defence Ministry",
        side="Valdoria",
        kind="ministry",
        parent=government,
    )
    PartyAlias.objects.create(party=accuser, name="Valdor")
    PartyAlias.objects.create(party=accuser, name="Valdoria's Defense Ministry")
    denier = Party.objects.create(
        slug="korvenian-defence-ministry",
        name="Korvenian Defence Ministry",
        side="Korvenia",
        kind="ministry",
    )
    foreign_ministry = Party.objects.create(
        slug="korvenian-foreign-ministry",
        name="Korvenian Foreign Ministry",
        side="Korvenia",
        kind="ministry",
    )
    unpublished_speaker = Party.objects.create(
        slug="korvenian-interior-ministry",
        name="Korvenian Interior Ministry",
        side="Korvenia",
        kind="ministry",
    )
    place = Place.objects.create(slug="tarsk", name="Tarsk")
    place_name = PlaceName.objects.create(place=place, name="Tarskoye", used_by="Korvenian maps")
    parent_topic = Topic.objects.create(slug="lake-miren-dispute", name="Lake Miren dispute")
    topic = Topic.objects.create(
        slug="tarsk-incident-2024", name="Tarsk incident, May 2024", parent=parent_topic
    )

    article = Article(
        slug="valdoria-accuses-korvenia-over-buffer-zone",
        title="Valdoria accuses Korvenia of sending troops into the Lake Miren buffer zone",
        outlet=outlet,
        standfirst="Border guards on both shores of the lake were put on alert.",
        body=SITE_BODY,
        byline="jk/lm",
    )
    save_article(article=article)
    article.wire_credits.add(*wire_agencies)
    unpublished_article = Article(
        slug="korvenia-to-close-tarsk-crossing",
        title="Korvenia to close the Tarsk border crossing",
        outlet=broadcaster,
        body=CLOSURE_BODY,
        published_on=date(2024, 5, 15),
    )
    save_article(article=unpublished_article)

    def said(
        party: Party, text: str, mode: str, speaker_label: str, said_on: date | None = None
    ) -> Statement:
        return create_statement(
            article=article,
            party=party,
            text=text,
            mode=mode,
            speaker_label=speaker_label,
            said_on=said_on,
        )

    accusation = said(
        accuser,
        "Valdoria on Sunday accused Korvenian soldiers of crossing into the buffer zone",
        "paraphrase",
        "Valdoria",
        date(2024, 5, 12),
    )
    demand = said(
        accuser,
        "Korvenian units must return to their positions at once",
        "direct_quote",
        "the Valdorian Defence Ministry",
        date(2024, 5, 13),
    )
    repeated_demand = said(
        accuser,
        "repeated its call for a withdrawal",
        "paraphrase",
        "Valdoria's Defense Ministry",
    )
    post_report = said(
        accuser,
        "Korvenian troops had also set up an observation post near the village of Tarsk",
        "paraphrase",
        "The ministry",
    )
    rejection = said(
        denier,
        "Korvenia's Defence Ministry rejected Valdor's account of events",
        "paraphrase",
        "Korvenia's Defence Ministry",
        date(2024, 5, 13),
    )
    fabrication = said(denier, "a fabrication", "direct_quote", "Korvenia's Defence Ministry")
    fishing_report = said(
        foreign_ministry,
        "fishing boats had been turned away from the lake for a week",
        "paraphrase",
        "Korvenia's Foreign Ministry",
        date(2024, 5, 14),
    )
    draft_only_statement = said(
        accuser,
        "engineers had been sent to repair the dam at Miren",
        "paraphrase",
        "Valdorian officials",
        date(2024, 5, 13),
    )
    in_review_only_statement = create_statement(
        article=unpublished_article,
        party=unpublished_speaker,
        text="the border crossing at Tarsk would close on Monday",
        mode="paraphrase",
        speaker_label="Korvenia's Interior Ministry",
        said_on=date(2024, 5, 15),
    )

    contested_claim = Claim.objects.create(
        slug="korvenian-troops-crossed-into-the-buffer-zone",
        text="Korvenian troops crossed into the buffer zone around Lake Miren.",
        topic=topic,
        event_date=date(2024, 5, 11),
        **published_fields(0),
    )
    contested_claim.places.add(place)
    post_claim = Claim.objects.create(
        slug="korvenian-troops-set-up-an-observation-post",
        text="Korvenian troops set up an observation post near Tarsk.",
        topic=topic,
        **published_fields(5),
    )
    post_claim.places.add(place)
    one_sided_claim = Claim.objects.create(
        slug="valdoria-demanded-a-withdrawal",
        text="Valdoria demanded that Korvenian units withdraw from the buffer zone.",
        topic=topic,
        **published_fields(10),
    )
    parent_topic_claim = Claim.objects.create(
        slug="fishing-boats-were-turned-away",
        text="Fishing boats were turned away from Lake Miren for a week.",
        topic=parent_topic,
        **published_fields(15),
    )
    draft_claim = Claim.objects.create(
        slug="engineers-were-sent-to-the-miren-dam",
        text="Valdorian engineers were sent to repair the Miren dam.",
        topic=topic,
    )
    claim_in_review = Claim.objects.create(
        slug="the-tarsk-crossing-will-close",
        text="The border crossing at Tarsk will close.",
        topic=topic,
        status=Status.IN_REVIEW,
    )
    stances = [
        set_stance(claim=claim, statement=statement, value=value)
        for claim, statement, value in [
            (contested_claim, accusation, StanceValue.SUPPORTS),
            (contested_claim, demand, StanceValue.SUPPORTS),
            (contested_claim, rejection, StanceValue.REFUTES),
            (contested_claim, fabrication, StanceValue.DISPUTES),
            (post_claim, post_report, StanceValue.SUPPORTS),
            (post_claim, rejection, StanceValue.REFUTES),
            (one_sided_claim, demand, StanceValue.SUPPORTS),
            (one_sided_claim, repeated_demand, StanceValue.SUPPORTS),
            (parent_topic_claim, fishing_report, StanceValue.SUPPORTS),
            (draft_claim, draft_only_statement, StanceValue.SUPPORTS),
            (claim_in_review, in_review_only_statement, StanceValue.SUPPORTS),
        ]
    ]
    claims = [
        contested_claim,
        post_claim,
        one_sided_claim,
        parent_topic_claim,
        draft_claim,
        claim_in_review,
    ]
    for claim in claims:
        claim.refresh_from_db()  # the stance counters the services keep
    return Site(
        outlet=outlet,
        wire_agencies=wire_agencies,
        broadcaster=broadcaster,
        government=government,
        accuser=accuser,
        denier=denier,
        foreign_ministry=foreign_ministry,
        unpublished_speaker=unpublished_speaker,
        place=place,
        place_name=place_name,
        parent_topic=parent_topic,
        topic=topic,
        article=article,
        unpublished_article=unpublished_article,
        accusation=accusation,
        demand=demand,
        repeated_demand=repeated_demand,
        post_report=post_report,
        rejection=rejection,
        fabrication=fabrication,
        fishing_report=fishing_report,
        draft_only_statement=draft_only_statement,
        in_review_only_statement=in_review_only_statement,
        contested_claim=contested_claim,
        post_claim=post_claim,
        one_sided_claim=one_sided_claim,
        parent_topic_claim=parent_topic_claim,
        draft_claim=draft_claim,
        claim_in_review=claim_in_review,
        stances=stances,
    )


@pytest.fixture(scope="module")
def site_of_module(django_db_setup, django_db_blocker) -> Iterator[Site]:
    """The site, built once for the module in a transaction that each test's own runs inside
    and rolls back to, as `seeds_of_module` holds the seeds."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            yield build_site()
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.fixture
def site(site_of_module, db) -> Site:
    """The module's site, as objects of the test's own: what a test changes, in memory or in the
    database, is gone for the next (as with Django's setUpTestData)."""
    return copy.deepcopy(site_of_module)


def load_seeds() -> None:
    call_command("load_seeds", stdout=StringIO())


@pytest.fixture
def seeded(seeds_of_module, db) -> None:
    """The curated seed article, loaded as `make run` loads it, once for the whole module."""


@pytest.fixture(scope="module")
def seeds_of_module(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The seeds, in a transaction that stays open until the module is done: each test runs in
    a savepoint inside it (pytest-django's `db`), so what a test changes is rolled back for the
    next, and the seeds themselves are rolled back at the end. Tests whose data another process
    must read use `committed_seeds` instead."""
    with django_db_blocker.unblock():
        # Django's own class-wide test transaction, as TestCase.setUpTestData runs in.
        atomics = TestCase._enter_atomics()
        try:
            load_seeds()
            yield
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.fixture(scope="session")
def migrated_state(django_db_setup, django_db_blocker):
    """The models as the migrations leave them, for running their data functions again."""
    from django.db.migrations.executor import MigrationExecutor

    with django_db_blocker.unblock():
        return MigrationExecutor(connection).loader.project_state().apps


@pytest.fixture
def as_migrated(transactional_db, migrated_state) -> None:
    """A transactional test's database as migrate left it: an earlier transactional test
    emptied every table, and the Curator and Editor groups are made again by the migrations
    that made them."""
    roles = import_module("claims.migrations.0002_roles")
    desk = import_module("claims.migrations.0011_desk")
    roles.create_roles(migrated_state, None)  # neither uses the schema editor
    desk.grant(migrated_state, None)


@pytest.fixture
def committed_seeds(as_migrated) -> None:
    """The seeds committed, for a server in another thread or process to read."""
    load_seeds()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache: versions restart with every test database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    """Django's test client, addressed to a host the settings allow."""
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


def pytest_configure() -> None:
    # Static files straight from the source folders, as in development: no collectstatic before
    # the tests. Only the tests of the production server collect them, as the image does.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


def form_data(response) -> dict:
    """What a browser sends back from a rendered admin change form, left as it is."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            keys = [form.add_prefix(name)]
            if field.show_hidden_initial:
                keys.append(form.add_initial_prefix(name))
            for key in keys:
                if value is None or value is False:
                    continue
                if value is True:
                    data[key] = "on"
                elif isinstance(value, list | tuple):
                    data[key] = [str(item) for item in value]
                else:
                    data[key] = str(value)
    return data


def run_action(client: Client, model: type, action: str, objects: list) -> object:
    """Select objects on a model's admin list and run one of its actions."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(
        url,
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Reading a page as a reader does: its text, links, regions, tables and facts, so that tests
# assert what is shown rather than the markup that shows it.
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
INLINE_ELEMENTS = {
    "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "label", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "time", "u",
}  # fmt: skip
UNREAD_ELEMENTS = {"script", "style", "template"}


class Link(NamedTuple):
    href: str
    text: str


@dataclass
class Element:
    tag: str
    attributes: dict[str, str | None]
    children: list["Element | str"]

    def descendants(self) -> Iterator["Element"]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def find_all(self, *tags: str) -> list["Element"]:
        return [element for element in self.descendants() if element.tag in tags]

    @property
    def text(self) -> str:
        """The words as a reader meets them, spaces collapsed: what assistive technology reads
        (parts marked aria-hidden, such as icons, left out; scripts are not text)."""
        return " ".join("".join(self._pieces()).split())

    def _pieces(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag in UNREAD_ELEMENTS or child.attributes.get("aria-hidden") == "true":
                continue
            elif child.tag in INLINE_ELEMENTS:
                yield from child._pieces()
            else:
                yield " "
                yield from child._pieces()
                yield " "

    @property
    def links(self) -> list[Link]:
        return [
            Link(a.attributes["href"], a.text) for a in self.find_all("a") if "href" in a.attributes
        ]

    def region(self, name: str) -> "Element":
        """The part of the page named `name`, or a name starting with it ("Refutes" for
        "Refutes 2 statements"): by aria-label, by the heading its aria-labelledby points at,
        or, for a table, by its caption."""
        by_id = {
            element.attributes["id"]: element
            for element in self.descendants()
            if element.attributes.get("id")
        }
        names = []
        for element in self.descendants():
            labels = (element.attributes.get("aria-labelledby") or "").split()
            label = element.attributes.get("aria-label") or " ".join(
                by_id[i].text for i in labels if i in by_id
            )
            if not label and element.tag == "table":
                label = " ".join(caption.text for caption in element.find_all("caption")[:1])
            if label == name or label.startswith(f"{name} "):
                return element
            names.append(label)
        raise LookupError(f"No region named {name!r}; the named ones: {[n for n in names if n]}")

    def item_linking_to(self, href: str, tag: str = "li") -> "Element":
        """The innermost `tag` (a row of a list, by default) holding a link to `href`."""
        holding = [
            element
            for element in self.find_all(tag)
            if href in (link.href for link in element.links)
        ]
        if not holding:
            raise LookupError(f"No {tag} links to {href}")
        return holding[-1]

    @property
    def rows(self) -> list[list["Element"]]:
        """A table's rows, each a list of its header and data cells."""
        return [row.find_all("th", "td") for row in self.find_all("tr")]

    @property
    def facts(self) -> dict[str, str]:
        """The terms of the description lists within, each with its description."""
        facts, term = {}, ""
        for element in self.find_all("dt", "dd"):
            if element.tag == "dt":
                term = element.text
            else:
                facts[term] = element.text
        return facts

    @property
    def form_values(self) -> dict[str, str]:
        """What the fields within would send: text as typed, the option chosen in each list."""
        values = {}
        for element in self.find_all("input", "select", "textarea"):
            name = element.attributes.get("name")
            if not name or element.attributes.get("type") in {"submit", "button"}:
                continue
            if element.tag == "select":
                options = element.find_all("option")
                chosen = [o for o in options if "selected" in o.attributes] or options[:1]
                values[name] = next((o.attributes.get("value", o.text) for o in chosen), "")
            elif element.tag == "textarea":
                values[name] = "".join(
                    child for child in element.children if isinstance(child, str)
                )
            else:
                values[name] = element.attributes.get("value") or ""
        return values


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Element("#document", {}, [])
        self.open = [self.document]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), [])
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        # Closes what is open inside too, as browsers do; a closing tag with nothing open to
        # close is dropped.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


CLAIM_PAGE = re.compile(r"/claims/([^/]+)/")


def claims_listed(element: Element) -> list[str]:
    """The slugs of the claims an element lists, in its order: its links to claim pages."""
    return [match[1] for link in element.links if (match := CLAIM_PAGE.fullmatch(link.href))]


def page_of(response) -> Element:
    """The HTML document a response holds, to read as a reader would."""
    builder = TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.document


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A test database of this run's own, so that two runs in one checkout cannot meet. On
    SQLite it is a file rather than in memory, so that a server started in another process (the
    production server below) reads what the tests write."""
    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
    else:
        test["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """Static files collected as the Docker image collects them."""
    root = tmp_path_factory.mktemp("staticfiles")
    result = run(COLLECT_STATIC, production_environment(STATIC_ROOT=str(root)))
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def production_server(django_db_setup, collected_static, tmp_path_factory) -> Iterator[str]:
    """Claimtrack started as the Docker image starts it, with production settings, on a
    loopback port, against the test database; yields its base URL."""
    environment = production_environment(
        DATABASE_URL=database_url(connection.settings_dict), STATIC_ROOT=str(collected_static)
    )
    with serving(environment, tmp_path_factory.mktemp("server") / "server.log") as base_url:
        yield base_url
