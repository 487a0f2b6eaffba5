"""Failed admin logins are throttled per username and address; admin sessions end."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD

LOGIN = reverse("admin:login")


def log_in(client: Client, username: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def locked_out_curator(curator) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(Client(), "curator", "wrong password").status_code == 200
    assert log_in(Client(), "curator", "wrong password").status_code == 429


def test_the_right_password_logs_a_curator_in(curator):
    response = log_in(Client(), "curator", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_repeated_failures_lock_that_username_out_from_that_address(locked_out_curator):
    response = log_in(Client(), "curator", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_the_lockout_spares_other_addresses_and_other_usernames(locked_out_curator, editor):
    assert log_in(Client(), "curator", PASSWORD, address="198.51.100.7").status_code == 302
    assert log_in(Client(), "editor", PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(curator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), "curator", "wrong password")
    assert log_in(Client(), "curator", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), "curator", "wrong password")
    assert log_in(Client(), "curator", PASSWORD).status_code == 302


def test_the_admin_session_ends_with_the_browser_and_after_a_working_day(curator):
    client = Client()
    response = log_in(client, "curator", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
