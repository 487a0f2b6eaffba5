"""PostgreSQL plans a query the site runs often once per connection, not on every page, and a
deployment behind a transaction pooler can turn that off."""

import time

import pytest
from django.db import connection

from claims.models import Claim
from publishing.models import ContentVersion

from .production import production_environment, run

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
SHOW_OPTIONS = (
    "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
    "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
)


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@on_postgresql
@pytest.mark.django_db
def test_a_query_run_often_is_planned_once_per_connection():
    for pk in range(1, 8):
        Claim.objects.filter(text__startswith=f"Only this test asks {pk}").first()

    prepared = [sql for sql in prepared_statements() if "LIKE $1" in sql and "claims_claim" in sql]
    # Its values bound by the server, so one plan serves every value.
    assert len(prepared) == 1


@on_postgresql
@pytest.mark.django_db
def test_a_big_number_keeps_every_digit_when_bound_by_the_server():
    ContentVersion.objects.update_or_create(pk=1, defaults={"number": 1})
    microseconds_since_1970 = time.time_ns() // 1000

    assert ContentVersion.bump() >= microseconds_since_1970


@on_postgresql
@pytest.mark.parametrize(("value", "expected"), [("true", "True 5"), ("false", "None None")])
def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(value, expected):
    result = run(
        ["python", "manage.py", "shell", "--no-imports", "-c", SHOW_OPTIONS],
        production_environment(DATABASE_PREPARED_STATEMENTS=value),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
