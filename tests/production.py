"""Claimtrack run as in production, in other processes: the commands the Docker image runs,
with production settings, against the test database."""

import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# The virtualenv's scripts (gunicorn, check-jsonschema) and its python, first on the PATH,
# as the image's are.
SCRIPTS = Path(sys.executable).parent
# The Dockerfile's build step and its command, run here exactly as written there.
COLLECT_STATIC = ["python", "manage.py", "collectstatic", "--no-input"]
SERVE = ["bin/serve"]


def production_environment(**overrides: str) -> dict[str, str]:
    """The variables of a production server behind a TLS proxy, on a loopback address."""
    # The browser tests allow Django's ORM in Playwright's event loop; production must not.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}",
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://127.0.0.1",
        # The exports builder would race the tests that empty the database after each test
        # (their TRUNCATE against its long reads); the quick `make faults` runs it, with a
        # database of its own.
        "BUILD_EXPORTS": "false",
        **overrides,
    }


def run(command: list[str], environment: dict[str, str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=options.pop("timeout", 180),
        **options,
    )


def database_url(settings_dict: dict) -> str:
    """The DATABASE_URL of a database Django is connected to: the test database, here."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}" if password else user
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def free_port() -> int:
    """A free loopback port below 32768, where the kernel's ephemeral ports start, so that no
    outgoing connection takes it before the server binds it."""
    for port in random.sample(range(20000, 32768), 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port on 127.0.0.1 between 20000 and 32767.")


@contextmanager
def serving(environment: dict[str, str], log: Path) -> Iterator[str]:
    """bin/serve (migrate, then gunicorn) on a loopback port; yields the server's base URL."""
    port = free_port()
    environment = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    with log.open("w") as output:
        process = subprocess.Popen(
            SERVE, cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(process, port, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_port(process: subprocess.Popen, port: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server exited ({process.returncode}):\n{log.read_text()}")
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"The server did not listen on port {port} in {timeout} s:\n{log.read_text()}"
    )


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


def fetch(base_url: str, path: str, headers: dict[str, str] | None = None) -> Response:
    """One GET, redirects not followed, as the TLS proxy in front of the server would send it
    unless the headers say otherwise."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()
