"""docker-compose.yml and the Dockerfile, checked without a Docker engine."""

import shlex
import subprocess

import yaml

from .production import BASE_DIR, COLLECT_STATIC, SCRIPTS, SERVE

COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DCLINT = BASE_DIR / "node_modules" / "dclint"
COMPOSE_SCHEMA = DCLINT / "schemas" / "compose.schema.json"


def check(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) for each line of the Dockerfile, continuations joined."""
    text = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(maxsplit=1)[0], line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_compose_file_is_valid_against_the_compose_schema():
    assert COMPOSE_SCHEMA.is_file(), "npm ci installs dclint, which ships the Compose schema."

    result = check(
        [str(SCRIPTS / "check-jsonschema"), "--schemafile", str(COMPOSE_SCHEMA), str(COMPOSE_FILE)]
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_follows_dclints_rules():
    result = check([str(BASE_DIR / "node_modules" / ".bin" / "dclint"), str(COMPOSE_FILE)])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout


def test_web_starts_once_postgresql_is_healthy_and_data_lives_in_a_named_volume():
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    database, web = compose["services"]["db"], compose["services"]["web"]

    assert database["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(database["healthcheck"]["test"])
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    volume = database["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_the_image_runs_the_steps_the_tests_run():
    instructions = dockerfile_instructions()
    runs = [arguments for instruction, arguments in instructions if instruction == "RUN"]

    assert instructions[0] == ("FROM", "python:3.13-slim")
    assert any(shlex.join(COLLECT_STATIC) in step for step in runs)
    assert ("CMD", f'["{SERVE[0]}"]') in instructions
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}


def test_the_image_leaves_local_secrets_and_databases_out():
    ignored = (BASE_DIR / ".dockerignore").read_text().splitlines()

    assert {".env", ".venv", "db.sqlite3", ".git"} <= set(ignored)
