"""`make faults`: Claimtrack under load while its dependencies fail.

Starts a PostgreSQL and a Redis of its own (on loopback ports, in a temporary directory; Redis
with its append-only file, so that it comes back with its data), fills the database with demo
data, and serves the site as bin/serve does (gunicorn under production settings, the exports
builder beside it). Then it runs a bounded load on loopback (wrk, or Python threads without
it: claim pages, lists, search, API, feeds, sitemap), in phases:

    steady       the load alone
    postgresql   PostgreSQL restarted a third of the way in (pg_ctl restart -m fast)
    redis        Redis stopped a third of the way in, started again with its data
    exports      six exports downloaded at once beside the load (full and filtered, plain and
                 gzipped), each checked complete

All along, an editor changes one claim's text every few seconds (committed through the ORM, as
the admin does) and readers keep fetching that claim's page and API entry: a reader who gets
a version older than the last write committed before it asked saw a stale page, unless the
page was being rebuilt by another worker (`X-Cache: stale`) and is no older than what was
current a second before the request, which the page cache allows. Prints, for each phase, the
requests, the 5xx, the p99 latency, the stale pages seen and the pages served while rebuilt.

Environment: FAULTS_SECONDS (per phase, default 20), FAULTS_CONNECTIONS (16),
FAULTS_CLAIMS and FAULTS_STATEMENTS (demo data, default 10,000 and 100,000),
FAULTS_WRITE_SECONDS (between two edits, default 5), FAULTS_QUICK=1 for the suite's quick run
(small data, short phases). Exits non-zero if any target is missed: a 5xx in any phase, a stale
page, an export not complete, or a page p99 of 500 ms or more while the exports run (not in
the quick run, whose timings on a busy test machine say little).
"""

import glob
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUICK = os.environ.get("FAULTS_QUICK") == "1"
PHASE_SECONDS = int(os.environ.get("FAULTS_SECONDS", "6" if QUICK else "20"))
CONNECTIONS = int(os.environ.get("FAULTS_CONNECTIONS", "4" if QUICK else "16"))
CLAIMS = int(os.environ.get("FAULTS_CLAIMS", "200" if QUICK else "10000"))
STATEMENTS = int(os.environ.get("FAULTS_STATEMENTS", "2000" if QUICK else "100000"))
WRITE_SECONDS = float(os.environ.get("FAULTS_WRITE_SECONDS", "2" if QUICK else "5"))
REDIS_DOWN_SECONDS = PHASE_SECONDS / 3
EXPORTS_P99_TARGET_MS = 500
HEADERS = {"X-Forwarded-Proto": "https"}
MARKER = re.compile(r"\[edit (\d+)\]")


def free_port() -> int:
    """A free loopback port below 32768, where the kernel's ephemeral ports start."""
    for port in random.sample(range(20000, 32768), 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port on 127.0.0.1 between 20000 and 32767.")


def postgres_tool(name: str) -> str:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"make faults needs PostgreSQL's {name} (Debian: apt-get install postgresql).")
    return found if isinstance(found, str) else found[-1]


class PostgreSQL:
    """A cluster of this run's own, to restart at will (never the machine's own server)."""

    def __init__(self, directory: Path) -> None:
        self.data = directory / "postgresql"
        self.port = free_port()
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/claimtrack_faults"
        self.log = str(self.data / "server.log")

    def run(self, *command: str) -> None:
        # Not captured: a postmaster started by pg_ctl would hold the pipes open.
        subprocess.run(
            [*self.as_owner, *command],
            check=True,
            cwd=self.data.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self.data.mkdir()
        if self.as_owner:
            shutil.chown(self.data, "postgres", "postgres")
        self.run(postgres_tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}"
        self.run(postgres_tool("pg_ctl"), "-D", str(self.data), "-o", options, "-l", self.log,
                 "-w", "start")  # fmt: skip
        self.run(postgres_tool("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                 "postgres", "claimtrack_faults")  # fmt: skip

    def restart(self) -> None:
        self.run(postgres_tool("pg_ctl"), "-D", str(self.data), "-l", self.log, "-m", "fast",
                 "-w", "restart")  # fmt: skip

    def stop(self) -> None:
        self.run(postgres_tool("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")


class Redis:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        directory.mkdir()
        self.command = [
            "redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir",
            str(directory), "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: answers("127.0.0.1", self.port), "Redis did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_until(condition: Callable[[], bool], message: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(message)
        time.sleep(0.1)


def get(base: tuple[str, int], path: str, timeout: float = 60) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection(*base, timeout=timeout)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


# The editor and the readers who watch for stale pages -----------------------------------------


@dataclass
class Watch:
    """Writes committed (edit number, when) and what readers saw."""

    committed: list[tuple[int, float]] = field(default_factory=list)
    checks: int = 0
    stale: int = 0
    # Pages one write behind, served while another worker rebuilt them, each within a second
    # of the write (publishing.cache.STALE_WHILE_BUILDING): allowed, and counted apart.
    rebuilding: int = 0
    reader_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def latest_before(self, moment: float) -> int:
        with self.lock:
            return max((number for number, at in self.committed if at <= moment), default=0)


def editor(watch: Watch, slug: str, stop: threading.Event) -> None:
    from django.db import close_old_connections, transaction

    from claims.models import Claim
    from publishing.cache import DATABASE_FAILURES

    number = 0
    while not stop.wait(WRITE_SECONDS):
        close_old_connections()
        try:
            with transaction.atomic():
                claim = Claim.objects.select_for_update().get(slug=slug)
                claim.text = MARKER.sub("", claim.text).strip() + f" [edit {number + 1}]"
                claim.save()
        except DATABASE_FAILURES:
            continue  # the database is restarting: nothing was committed
        number += 1
        with watch.lock:
            watch.committed.append((number, time.monotonic()))


def reader(watch: Watch, base: tuple[str, int], slug: str, stop: threading.Event) -> None:
    from publishing.cache import STALE_WHILE_BUILDING

    paths = [f"/claims/{slug}/", f"/api/v1/claims/{slug}/"]
    while not stop.is_set():
        for path in paths:
            asked = time.monotonic()
            try:
                status, content, headers = get(base, path)
            except OSError:
                with watch.lock:
                    watch.reader_errors += 1
                continue
            if status != 200:
                with watch.lock:
                    watch.reader_errors += status >= 500
                continue
            found = MARKER.search(content.decode(errors="replace"))
            seen = int(found.group(1)) if found else 0
            expected = watch.latest_before(asked)
            # A page being rebuilt may be served as it was up to a second before the request.
            rebuilding = headers.get("X-Cache") == "stale"
            allowed = watch.latest_before(asked - STALE_WHILE_BUILDING) if rebuilding else expected
            with watch.lock:
                watch.checks += 1
                watch.stale += seen < allowed
                watch.rebuilding += allowed <= seen < expected
        time.sleep(0.05)


# The load --------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    server_errors: int
    p99_ms: float


WRK_SCRIPT = """
local paths = {}
for line in io.lines("PATHS_FILE") do paths[#paths + 1] = line end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) server_errors = 0; math.randomseed(os.time() + math.random(1000)) end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["X-Forwarded-Proto"] = "https"})
end
response = function(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do errors = errors + thread:get("server_errors") end
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format('{"requests": %d, "server_errors": %d, "p99_us": %d}\\n',
    summary.requests, errors + failed, latency:percentile(99)))
end
"""


def run_wrk(base: tuple[str, int], paths: list[str], seconds: int) -> Load:
    with tempfile.TemporaryDirectory() as directory:
        listing = Path(directory) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(directory) / "load.lua"
        script.write_text(WRK_SCRIPT.replace("PATHS_FILE", str(listing)))
        output = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "-s",
             str(script), f"http://{base[0]}:{base[1]}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    summary = json.loads(output.strip().splitlines()[-1])
    return Load(summary["requests"], summary["server_errors"], summary["p99_us"] / 1000)


def run_threads(base: tuple[str, int], paths: list[str], seconds: int) -> Load:
    """The same load from Python threads, for machines without wrk."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def load() -> None:
        nonlocal errors
        rng = random.Random()
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _, _ = get(base, rng.choice(paths), timeout=30)
            except OSError:
                status = 599
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors += status >= 500

    threads = [threading.Thread(target=load) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(len(latencies), errors, quantiles(latencies, n=100)[98])


# Exports ----------------------------------------------------------------------------------------


@dataclass
class Download:
    path: str
    status: int
    size: int
    seconds: float
    complete: bool


def download(base: tuple[str, int], path: str, gzip_accepted: bool) -> Download:
    """One export, read to its end; complete only if the server said it was (its length, or
    the last chunk of a chunked answer: http.client raises IncompleteRead otherwise)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(*base, timeout=300)
    headers = {**HEADERS, **({"Accept-Encoding": "gzip"} if gzip_accepted else {})}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        length = response.getheader("Content-Length")
        complete = response.status == 200 and (length is None or int(length) == size)
        status = response.status
    except (OSError, http.client.HTTPException):
        status, size, complete = 0, 0, False
    finally:
        connection.close()
    return Download(path, status, size, time.monotonic() - started, complete)


# The run ----------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    fault: Callable[[], None] | None = None
    load: Load | None = None
    checks: int = 0
    stale: int = 0
    downloads: list[Download] = field(default_factory=list)


def page_paths(slugs: list[str], parties: list[str], topics: list[str]) -> list[str]:
    rng = random.Random(3)
    words = ["troops", "drones", "artillery", "shelled", "withdrew", "depot"]
    places = ["Aldon", "Brisk", "Corran", "Dunmere", "Farrow", "Hallam"]
    paths = []
    for _ in range(400):
        paths += [
            f"/claims/{rng.choice(slugs)}/",
            f"/claims/{rng.choice(slugs)}/",
            f"/claims/?topic={rng.choice(topics)}",
            f"/claims/?party={rng.choice(parties)}&ordering=contested",
            f"/claims/?q={rng.choice(words)}+{rng.choice(places)}",
            f"/api/v1/claims/{rng.choice(slugs)}/",
            f"/api/v1/claims/?page={rng.randint(1, 20)}",
            f"/feeds/topics/{rng.choice(topics)}/",
            rng.choice(["/", "/claims/", "/feeds/claims/", "/sitemap.xml", "/parties/"]),
        ]
    return paths


def main() -> int:
    # Stopped from outside (Ctrl-C, a timeout), it still stops what it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        sys.exit("make faults runs PostgreSQL as the postgres user, and needs runuser for it.")
    for tool in ("redis-server",):
        if shutil.which(tool) is None:
            sys.exit(f"make faults needs {tool}.")
    directory = Path(tempfile.mkdtemp(prefix="claimtrack-faults-"))
    directory.chmod(0o755)
    postgresql, redis = PostgreSQL(directory), Redis(directory / "redis")
    port = free_port()
    base = ("127.0.0.1", port)
    environment = {
        **os.environ,
        # bin/serve runs the virtualenv's python and gunicorn, as the image runs its own.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": postgresql.url,
        "CACHE_URL": redis.url,
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "API_ANON_RATE": "100000000/minute",
        "EXPORT_ROOT": str(directory / "exports"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_CMD_ARGS": "--access-logfile /dev/null",
        "LOG_LEVEL": "ERROR",
    }
    server = None
    try:
        print(f"Starting PostgreSQL and Redis of this run's own in {directory}")
        postgresql.start()
        redis.start()
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
                       cwd=ROOT, env=environment, check=True)  # fmt: skip
        print(f"Generating demo data ({CLAIMS} claims, {STATEMENTS} statements)…")
        subprocess.run(
            [sys.executable, "manage.py", "generate_demo_data", "--claims", str(CLAIMS),
             "--statements", str(STATEMENTS), "--parties", str(max(30, CLAIMS // 50)),
             "--topics", str(max(12, CLAIMS // 500))],
            cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                       cwd=ROOT, env={**environment, "STATIC_ROOT": str(directory / "static")},
                       check=True)  # fmt: skip
        environment["STATIC_ROOT"] = str(directory / "static")
        log = (directory / "server.log").open("w")
        server = subprocess.Popen(["bin/serve"], cwd=ROOT, env=environment, stdout=log,
                                  stderr=subprocess.STDOUT)  # fmt: skip
        try:
            wait_until(lambda: answers(*base) and get(base, "/healthz")[0] == 200,
                       "The server did not start.")  # fmt: skip
            met = run_phases(base, environment, postgresql, redis)
        except BaseException:
            met = False
            raise
        finally:
            if not met:
                errors = [
                    line for line in (directory / "server.log").read_text().splitlines()
                    if "Error" in line or "error" in line
                ]  # fmt: skip
                print("\nThe server's last errors:\n" + "\n".join(errors[-20:]), file=sys.stderr)
        return 0 if met else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
        if redis.process is not None and redis.process.poll() is None:
            redis.stop()
        if postgresql.data.exists():
            with suppress(subprocess.CalledProcessError):
                postgresql.stop()
        shutil.rmtree(directory, ignore_errors=True)


def run_phases(base, environment, postgresql: PostgreSQL, redis: Redis) -> bool:
    """Runs every phase and prints its figures; whether every target was met."""
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from claims.models import Claim, Topic
    from sources.models import Party

    published = Claim.objects.published().filter(slug__startswith="demo-")
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:2000])
    marked = slugs[0]
    parties = list(Party.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    topics = list(Topic.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    paths = page_paths(slugs, parties, topics)
    runner = run_wrk if shutil.which("wrk") else run_threads
    wait_until(lambda: list((Path(environment["EXPORT_ROOT"])).glob("claimtrack-*.gz")),
               "The exports were not built.", timeout=600)  # fmt: skip

    def restart_redis() -> None:
        redis.stop()
        time.sleep(REDIS_DOWN_SECONDS)
        redis.start()

    exports = [
        ("/claims/stances.csv", True),
        ("/claims/stances.csv", False),
        ("/claims/stances.csv.gz", False),
        ("/claims/export.csv", True),
        ("/claims/export.csv.gz", False),
        (f"/claims/stances.csv?party={parties[0]}", False),
    ]
    phases = [
        Phase("steady"),
        Phase("postgresql restart", postgresql.restart),
        Phase("redis restart", restart_redis),
        Phase("six exports", None),
    ]
    print(
        f"\nLoad: {'wrk' if runner is run_wrk else 'Python threads'}, {CONNECTIONS} connections, "
        f"{PHASE_SECONDS} s a phase, an edit every {WRITE_SECONDS:g} s, gunicorn with "
        f"production settings on {base[0]}:{base[1]}, page cache in Redis\n"
    )
    for phase in phases:
        watch, stop = Watch(), threading.Event()
        helpers = [threading.Thread(target=editor, args=(watch, marked, stop))] + [
            threading.Thread(target=reader, args=(watch, base, marked, stop)) for _ in range(2)
        ]
        for helper in helpers:
            helper.start()
        timers = []
        if phase.fault is not None:
            timers.append(threading.Timer(PHASE_SECONDS / 3, phase.fault))
        if phase.name == "six exports":

            def run_exports(phase: Phase = phase) -> None:
                results: list[Download] = []
                threads = [
                    threading.Thread(target=lambda p=p, g=g: results.append(download(base, p, g)))
                    for p, g in exports
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                phase.downloads = results

            timers.append(threading.Timer(1, run_exports))
        for timer in timers:
            timer.start()
        phase.load = runner(base, paths, PHASE_SECONDS)
        for timer in timers:
            timer.join()
        stop.set()
        for helper in helpers:
            helper.join()
        phase.checks, phase.stale = watch.checks, watch.stale
        phase.load.server_errors += watch.reader_errors
        print(
            f"{phase.name:<20} {phase.load.requests:>8} requests {phase.load.server_errors:>5} "
            f"× 5xx   p99 {phase.load.p99_ms:>8.1f} ms   stale pages: {phase.stale} of "
            f"{phase.checks} checks after {len(watch.committed)} edits "
            f"({watch.rebuilding} served while being rebuilt, at most 1 s behind)"
        )
        for item in phase.downloads:
            print(
                f"    {item.path:<45} {item.status} {item.size / 1e6:>8.1f} MB "
                f"in {item.seconds:>5.1f} s  {'complete' if item.complete else 'NOT COMPLETE'}"
            )
    missed = []
    if any(phase.load.server_errors for phase in phases):
        missed.append("a 5xx answer")
    if any(phase.stale for phase in phases):
        missed.append("a stale page")
    exports_phase = phases[-1]
    if len(exports_phase.downloads) != len(exports) or not all(
        item.complete for item in exports_phase.downloads
    ):
        missed.append("an export not complete")
    if not QUICK and exports_phase.load.p99_ms >= EXPORTS_P99_TARGET_MS:
        missed.append(f"page p99 of {EXPORTS_P99_TARGET_MS} ms or more while exports ran")
    print("\nTargets: " + ("all met." if not missed else "missed: " + "; ".join(missed) + "."))
    return not missed


if __name__ == "__main__":
    sys.exit(main())
