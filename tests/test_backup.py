"""Backups: export_data and import_data round trips, and pg_dump/pg_restore on PostgreSQL."""

import io
import json
import re
import shutil
import subprocess

import pytest
import reversion
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from reversion.models import Version

from claims.models import Claim, Stance, Statement, Topic
from sources.models import Article, Capture, Party

from .production import database_url, production_environment, run

PASSWORD = "a long editor passphrase"
# The Content-Security-Policy nonce is new on every response.
NONCE = re.compile(r' nonce="[^"]*"')

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def curated_site(committed_seeds) -> User:
    """The seed article and an editor account, as curators would leave them."""
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    # Transactional tests empty every table afterwards, the groups migrate made included.
    group, _ = Group.objects.get_or_create(name="Editor")
    group.permissions.add(Permission.objects.get(codename="publish_claim"))
    editor.groups.add(group)
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Checked against the article")
        Claim.objects.published().first().save()
    return editor


def public_pages(client) -> dict[str, str]:
    paths = ["/", "/claims/", "/parties/", "/articles/"]
    for objects in (Claim.objects.published(), Party.objects.all(), Article.objects.all()):
        paths.extend(item.get_absolute_url() for item in objects)
    paths.extend(topic.get_absolute_url() for topic in Topic.objects.all())
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = NONCE.sub("", response.content.decode())
    return pages


def export(path) -> list[dict]:
    call_command("export_data", output=path)
    return json.loads(path.read_text())


def manage(database: str, *arguments: str, **options) -> subprocess.CompletedProcess:
    result = run(
        ["python", "manage.py", *arguments],
        production_environment(DATABASE_URL=database),
        **options,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_export_flush_import_shows_the_same_public_pages(client, curated_site, tmp_path):
    backup = tmp_path / "claimtrack.json"
    before = public_pages(client)
    history = list(Version.objects.values_list("revision__user__username", "serialized_data"))
    captures = list(Capture.objects.values_list("article__slug", "text", "sha256", "captured_at"))
    export(backup)

    call_command("flush", interactive=False, verbosity=0)
    assert not Claim.objects.exists()
    assert not User.objects.exists()
    call_command("import_data", str(backup), stdout=io.StringIO())

    assert public_pages(client) == before
    assert captures
    assert (
        list(Capture.objects.values_list("article__slug", "text", "sha256", "captured_at"))
        == captures
    )
    assert all(s.capture_id for s in Statement.objects.all())
    editor = User.objects.get(username="editor")
    assert editor.check_password(PASSWORD)
    assert editor.groups.get().permissions.filter(codename="publish_claim").exists()
    assert history
    assert list(Version.objects.values_list("revision__user__username", "serialized_data")) == (
        history
    )


def test_backup_restores_into_a_new_sqlite_database(curated_site, tmp_path):
    exported = export(tmp_path / "claimtrack.json")
    new_database = f"sqlite:///{tmp_path / 'restored.sqlite3'}"

    manage(new_database, "migrate", "--no-input", "-v", "0")
    manage(new_database, "import_data", "-", input=json.dumps(exported))
    restored = json.loads(manage(new_database, "export_data").stdout)

    assert [record for record in exported if record not in restored] == []
    # migrate made the new database's curator roles; this one lost its own to earlier tests.
    extra = [record for record in restored if record not in exported]
    assert {record["model"] for record in extra} <= {"auth.group"}


def test_pages_cached_before_a_restore_are_not_served_after_it(client, curated_site, tmp_path):
    backup = tmp_path / "claimtrack.json"
    export(backup)
    call_command("flush", interactive=False, verbosity=0)
    client.get("/claims/")
    assert client.get("/claims/")["X-Cache"] == "hit"

    call_command("import_data", str(backup), stdout=io.StringIO())

    restored = client.get("/claims/")
    assert restored["X-Cache"] == "miss"
    assert Claim.objects.published().first().text in restored.content.decode()


def test_import_refuses_a_database_that_already_holds_data(curated_site, tmp_path):
    backup = tmp_path / "claimtrack.json"
    export(backup)

    with pytest.raises(CommandError, match="already holds 1 user, 3 outlets"):
        call_command("import_data", str(backup))

    assert User.objects.count() == 1


def test_a_damaged_backup_changes_nothing(curated_site, tmp_path):
    records = export(tmp_path / "claimtrack.json")
    stance = next(record for record in records if record["model"] == "claims.stance")
    stance["fields"]["claim"] = 999_999
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(records))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="cannot be restored, nothing was changed"):
        call_command("import_data", str(damaged))

    assert not Claim.objects.exists()
    assert not Stance.objects.exists()
    assert not User.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL only")
def test_pg_dump_and_pg_restore_round_trip(curated_site, tmp_path):
    database = connection.settings_dict
    restored_name = f"{database['NAME']}_restored"
    server = ["--host", database["HOST"] or "127.0.0.1", "--port", str(database["PORT"] or 5432)]
    server += ["--username", database["USER"]]
    dump = tmp_path / "claimtrack.dump"
    exported = export(tmp_path / "claimtrack.json")

    run_client("pg_dump", *server, "--format=custom", f"--file={dump}", database["NAME"])
    run_client("createdb", *server, restored_name)
    try:
        run_client(
            "pg_restore",
            *server,
            f"--dbname={restored_name}",
            "--clean",
            "--if-exists",
            "--no-owner",
            str(dump),
        )
        restored_url = database_url({**database, "NAME": restored_name})
        restored = manage(restored_url, "export_data")
    finally:
        run_client("dropdb", *server, "--if-exists", restored_name)

    assert json.loads(restored.stdout) == exported


def run_client(program: str, *arguments: str) -> None:
    assert shutil.which(program), f"{program} (Debian's postgresql-client) is not installed."
    environment = production_environment(PGPASSWORD=connection.settings_dict["PASSWORD"] or "")
    result = run([program, *arguments], environment)
    assert result.returncode == 0, result.stderr
