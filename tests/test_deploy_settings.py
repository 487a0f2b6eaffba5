"""Production settings from the environment: `check --deploy` is clean, mistakes are one line."""

import gc
import runpy

import pytest

from .production import BASE_DIR, SCRIPTS, free_port, production_environment, run

SHOW_HTTPS_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
)
HTTPS_VARIABLES = ["DEBUG", "HTTPS", "SECURE_HSTS_SECONDS", "TRUST_X_FORWARDED_PROTO"]


def manage(*arguments: str, **variables: str):
    return run(["python", "manage.py", *arguments], production_environment(**variables))


def test_check_deploy_finds_no_issue_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", ""),
        ("DATABASE_URL", "mysqlx://db/claimtrack"),
        ("DATABASE_URL", "postgres://claimtrack@db:fivefourthreetwo/claimtrack"),
        ("DEBUG", "maybe"),
        ("HTTPS", "sometimes"),
        ("CONN_MAX_AGE", "forever"),
        ("LOG_LEVEL", "loud"),
    ],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(variable, value):
    result = manage("check", **{variable: value})

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable} ")


def test_database_url_error_does_not_print_the_password():
    result = manage("check", DATABASE_URL="postgres://claimtrack:s3cr@t@db:port5432/claimtrack")

    assert "DATABASE_URL" in result.stderr
    assert "s3cr" not in result.stderr


def test_gunicorn_stops_at_once_with_one_line_on_bad_configuration():
    environment = production_environment(SECRET_KEY="", GUNICORN_BIND=f"127.0.0.1:{free_port()}")

    result = run(
        [str(SCRIPTS / "gunicorn"), "config.wsgi", "--config", "gunicorn.conf.py"],
        environment,
        timeout=60,
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set: export a long random value "
        "(`make run` writes one to .env for local use)."
    ]


def test_workers_are_forked_with_the_preloaded_app_beyond_the_collectors_reach():
    """Full collections in a worker leave what it shares with the master alone (gunicorn.conf.py):
    they take milliseconds, where scanning the whole preloaded app took a tenth of a second."""
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert config["preload_app"]
    gc.unfreeze()
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_without_https_no_setting_requires_it():
    environment = {
        key: value for key, value in production_environment().items() if key not in HTTPS_VARIABLES
    }

    result = run(
        ["python", "manage.py", "shell", "-v", "0", "-c", SHOW_HTTPS_SETTINGS], environment
    )

    assert result.stdout.split() == ["False", "False", "False", "False", "0", "None"]


def test_https_turns_on_redirects_secure_cookies_hsts_and_the_proxy_header():
    result = manage("shell", "-v", "0", "-c", SHOW_HTTPS_SETTINGS)

    assert result.stdout.strip() == (
        "False True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_the_server_logs_to_stdout():
    log = (
        "from config.wsgi import application; import logging; logging.getLogger('x').warning('hi')"
    )

    result = run(["python", "-c", log], production_environment())

    assert "WARNING x: hi" in result.stdout
    assert "hi" not in result.stderr


def test_a_commands_logs_stay_out_of_its_output():
    result = manage(
        "shell", "-v", "0", "-c", "import logging; logging.getLogger('x').warning('hi')"
    )

    assert "WARNING x: hi" in result.stderr
    assert "hi" not in result.stdout
