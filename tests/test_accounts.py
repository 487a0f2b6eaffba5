"""Accounts by role: `create_account` makes a Curator or an Editor and prints the password once;
Editors add Curators in the admin, reset their passwords and deactivate them, but make no Editor
or superuser; a refusal is an admin page, logged in one line."""

import logging
import os
import re
import sys
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from .conftest import PASSWORD, make_staff, run_action
from .pages import page_of
from .production import database_url, run

NEW_PASSWORD = "a new password for the curator"


def groups_of(user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def printed_password(output: str) -> str:
    return re.search(r"with the password (\S+)", output)[1]


def test_create_account_makes_a_curator_and_prints_the_password_once(db, settings):
    settings.SITE_URL = "https://claims.example.org"
    out = StringIO()
    call_command("create_account", "alice", role="curator", stdout=out)
    alice = User.objects.get(username="alice")
    assert (alice.is_staff, alice.is_superuser, groups_of(alice)) == (True, False, ["Curator"])
    assert "Log in at https://claims.example.org/admin/ with the password" in out.getvalue()
    assert alice.check_password(printed_password(out.getvalue()))

    again = StringIO()
    with pytest.raises(CommandError, match="The account “alice” already exists"):
        call_command("create_account", "alice", role="editor", stdout=again)
    assert again.getvalue() == ""
    assert groups_of(User.objects.get(username="alice")) == ["Curator"]


def test_create_editor_is_create_account_for_an_editor_and_leaves_an_existing_one(db):
    out = StringIO()
    call_command("create_editor", stdout=out)
    editor = User.objects.get(username="editor")
    assert groups_of(editor) == ["Editor"] and editor.check_password(
        printed_password(out.getvalue())
    )
    second = StringIO()
    call_command("create_editor", stdout=second)
    assert "already exists" in second.getvalue() and "with the password" not in second.getvalue()
    assert editor.password == User.objects.get(username="editor").password


def test_the_printed_address_follows_the_port_and_no_library_line_comes_first(as_migrated):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SITE_URL", "HOST", "PORT", "LOG_LEVEL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(PORT="8101", DATABASE_URL=database_url(connection.settings_dict))
    command = [sys.executable, "manage.py", "create_account", "bob", "--role", "editor"]
    result = run(command, environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Created the editor account 'bob'. Log in at ")
    assert "http://127.0.0.1:8101/admin/" in result.stdout
    assert result.stderr == ""


@pytest.fixture
def curator_account(db) -> User:
    return make_staff("carla", "Curator")


def add_account(client, role: Group, **extra) -> object:
    return client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": str(role.pk),
            **extra,
        },
    )


def test_an_editor_adds_a_curator(editor_client):
    response = add_account(editor_client, Group.objects.get(name="Curator"))
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert (newcomer.is_staff, newcomer.is_active, groups_of(newcomer)) == (True, True, ["Curator"])
    assert newcomer.check_password(PASSWORD)


def test_an_editor_cannot_create_an_editor_or_a_superuser(editor_client):
    form = page_of(editor_client.get(reverse("admin:auth_user_add")))
    roles = [
        label.text for label in form.find_all("label") if "role" in label.attributes.get("for", "")
    ]
    assert "Curator" in roles and "Editor" not in roles
    response = add_account(editor_client, Group.objects.get(name="Editor"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()

    add_account(editor_client, Group.objects.get(name="Curator"), is_superuser="on")
    newcomer = User.objects.get(username="newcomer")
    assert not newcomer.is_superuser and groups_of(newcomer) == ["Curator"]


def test_an_editor_cannot_raise_a_curator_above_curator(editor_client, curator_account):
    url = reverse("admin:auth_user_change", args=[curator_account.pk])
    data = {
        "username": "carla",
        "is_active": "on",
        "groups": [str(Group.objects.get(name="Editor").pk)],
        "is_superuser": "on",
        "user_permissions": ["1"],
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    data["groups"] = [str(Group.objects.get(name="Curator").pk)]
    assert editor_client.post(url, data).status_code == 302
    curator_account.refresh_from_db()
    assert not curator_account.is_superuser and groups_of(curator_account) == ["Curator"]
    assert not curator_account.user_permissions.exists()


def test_an_editor_resets_a_curators_password_and_deactivates_the_account(
    editor_client, curator_account
):
    url = reverse("admin:auth_user_password_change", args=[curator_account.pk])
    response = editor_client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302
    curator_account.refresh_from_db()
    assert curator_account.check_password(NEW_PASSWORD)

    run_action(editor_client, User, "deactivate", [curator_account])
    curator_account.refresh_from_db()
    assert not curator_account.is_active


def test_an_editor_only_looks_at_editors_and_superusers(editor_client, editor):
    other_editor = make_staff("erik", "Editor")
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    new_password = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for account in (other_editor, boss):
        screen = editor_client.get(reverse("admin:auth_user_change", args=[account.pk]))
        assert screen.status_code == 200 and not screen.context["has_change_permission"]
        url = reverse("admin:auth_user_password_change", args=[account.pk])
        assert editor_client.post(url, new_password).status_code == 403
        account.refresh_from_db()
        assert not account.check_password(NEW_PASSWORD)
    response = run_action(editor_client, User, "deactivate", [other_editor, boss])
    assert "2 accounts left as they were" in response.content.decode()
    assert all(
        User.objects.filter(username__in=["erik", "boss"]).values_list("is_active", flat=True)
    )


def test_a_refusal_is_an_admin_page_logged_in_one_line(curator_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = curator_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    page = page_of(response)
    assert "Your role does not allow this" in page.text
    assert "logged in as curator, with the role Curator" in page.text
    assert "Claimtrack curation" in page.text  # the admin's own header, with its links
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = logging.Formatter().format(record)
    assert line == "Forbidden (Permission denied): /admin/auth/user/"
