"""Shared fixtures for the tests, built in code: a small slice of the seed article's dispute,
the small invented site of tests/sites.py (`site`), the curated seeds (`seeded`), accounts by
role, and the production server. Pages are read as a reader reads them with tests/pages.py."""

import copy
import os
from collections.abc import Iterator
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse

from claims.models import Claim, StanceValue, Statement, Status, Topic
from claims.services import create_statement, save_article, set_stance
from sources.models import Article, Outlet, Party, PartyAlias, Place, PlaceName

from .production import COLLECT_STATIC, database_url, production_environment, run, serving
from .sites import Site, build_site

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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a write as a committed transaction would: its on-commit work (the page cache's
    mirror) done at once."""

    def run(write) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            write()

    return run


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
