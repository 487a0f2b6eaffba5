"""`make bench`: Claimtrack under load, on PostgreSQL with 100,000 claims and 1,000,000
statements, served by gunicorn with production settings on loopback.

Prints, for each page type, requests/s, p50 and p99 latency, the ratio to a baseline view that
does no work, measured in the same run, and the CPU time serving took per request; then the
spike (readers on the claim in the news, the home page and the claim list while a curator saves
once a second, first an unrelated claim, then that claim); the same claim page served from a
static mirror; a worker's peak memory, the queries each page makes, and whether any hot query
scans a large table sequentially.
"""

import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/claimtrack_bench")
PORT = int(os.environ.get("BENCH_PORT", "8321"))
BASE = f"http://127.0.0.1:{PORT}"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CLAIMS = int(os.environ.get("BENCH_CLAIMS", "100000"))
STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "1000000"))
# The spike: as many readers as a claim in the news brings to a small deployment.
SPIKE_CONNECTIONS = int(os.environ.get("BENCH_SPIKE_CONNECTIONS", "32"))
SPIKE_SECONDS = int(os.environ.get("BENCH_SPIKE_SECONDS", "15"))
MIRROR_PORT = PORT + 1
LARGE_TABLES = ("claims_claim", "claims_statement", "claims_stance", "sources_article")


def shared_cache() -> str:
    """Redis when it answers on this machine (each gunicorn worker then shares one page cache,
    as a production deployment should); otherwise each worker's own memory."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return "locmem://bench"
    return "redis://127.0.0.1:6379/15"


CACHE_URL = os.environ.get("BENCH_CACHE_URL") or shared_cache()
ENVIRONMENT = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": BASE,
    "CACHE_URL": CACHE_URL,
    # The load generator is one client; it must not be throttled like one.
    "API_ANON_RATE": "100000000/minute",
    # Each worker keeps its database connection for the whole run: a PostgreSQL backend that
    # closed mid-run (every minute by default) would take the CPU time it used out of the sums
    # the CPU column is made of.
    "CONN_MAX_AGE": "36000",
}
os.environ.update(ENVIRONMENT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENVIRONMENT, check=True)


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    settings = _parse(DATABASE_URL)
    with psycopg.connect(**{**settings, "dbname": "postgres"}, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [settings["dbname"]]
        ).fetchone()
        if not found:
            print(f"Creating the database {settings['dbname']}")
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["dbname"]))
            )


def _parse(url: str) -> dict:
    import dj_database_url

    parsed = dj_database_url.parse(url)
    if parsed["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME")
    return {
        "host": parsed["HOST"] or "127.0.0.1",
        "port": parsed["PORT"] or 5432,
        "user": parsed["USER"] or "postgres",
        "password": parsed["PASSWORD"] or None,
        "dbname": parsed["NAME"],
    }


def prepare() -> None:
    ensure_database()
    manage("migrate", "--no-input", "--verbosity", "0")
    import django

    django.setup()
    from claims.models import Claim, Statement

    claims = Claim.objects.filter(slug__startswith="demo-").count()
    statements = Statement.objects.filter(article__slug__startswith="demo-").count()
    if claims < CLAIMS or statements < STATEMENTS:
        print(f"Generating demo data ({CLAIMS} claims, {STATEMENTS} statements)…")
        manage(
            "generate_demo_data",
            "--replace",
            "--claims",
            str(CLAIMS),
            "--statements",
            str(STATEMENTS),
        )
    else:
        print(f"Demo data present: {claims} claims, {statements} statements.")
    manage("collectstatic", "--no-input", "--verbosity", "0")


@dataclass
class Scenario:
    name: str
    paths: list[str]
    cold: bool = False  # every cache entry is made stale before the run
    headers: tuple[str, ...] = ()  # sent with every request, as "Name: value"


def scenarios() -> list[Scenario]:

    from bench import demo
    from claims.models import Claim, Topic
    from sources.models import Party

    rng = random.Random(1)
    published = Claim.objects.published().filter(slug__startswith="demo-")
    claim_slugs = list(published.order_by("?").values_list("slug", flat=True)[:20000])
    busiest = published.order_by("-statement_count").values_list("slug", flat=True).first()
    parties = list(
        Party.objects.filter(slug__startswith="demo-party-").values_list("slug", flat=True)
    )
    topics = list(Topic.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    leaf_topics = list(
        Topic.objects.filter(slug__startswith="demo-incident-").values_list("slug", flat=True)
    )
    # The words of the demo data: its sides, what was done, and where (bench/demo.py).
    sides = demo.SIDES
    words = sorted({word for phrase in demo.SUBJECTS + demo.ACTIONS for word in phrase.split()})
    places = demo.PLACES
    stances = ["supports", "refutes", "disputes"]

    def filtered(count: int) -> list[str]:
        return [
            rng.choice(
                [
                    f"/claims/?topic={rng.choice(topics)}",
                    f"/claims/?topic={rng.choice(leaf_topics)}&contested=true",
                    f"/claims/?party={rng.choice(parties)}&stance={rng.choice(stances)}",
                    f"/claims/?party={rng.choice(parties)}&ordering=contested",
                    f"/claims/?contested=true&ordering=statements&page={rng.randint(1, 50)}",
                ]
            )
            for _ in range(count)
        ]

    def searches(count: int) -> list[str]:
        """Two or three words: a place and what happened there, maybe who did it."""
        return [
            rng.choice(
                [
                    f"/claims/?q={rng.choice(words)}+{rng.choice(places)}",
                    f"/claims/?q={rng.choice(sides)}+{rng.choice(words)}+{rng.choice(places)}",
                ]
            )
            for _ in range(count)
        ]

    return [
        Scenario("baseline (no work)", ["/ping"]),
        Scenario("claim page, cold", [f"/claims/{slug}/" for slug in claim_slugs], cold=True),
        Scenario("claim page, warm", [f"/claims/{busiest}/"]),
        # As browsers ask for it: the page kept gzipped with it, where it was compressed anew
        # for every request.
        Scenario(
            "claim page, warm, gzip", [f"/claims/{busiest}/"], headers=("Accept-Encoding: gzip",)
        ),
        Scenario("filtered claim list (50 popular)", filtered(50)),
        Scenario("filtered claim list, cold", filtered(20000), cold=True),
        Scenario("search (50 popular)", searches(50)),
        Scenario("search, cold", searches(20000), cold=True),
        Scenario("party page", [f"/parties/{rng.choice(parties)}/" for _ in range(50)]),
        Scenario("topic matrix", [f"/topics/{rng.choice(topics)}/" for _ in range(50)]),
        Scenario(
            "API claim list",
            [f"/api/v1/claims/?page={rng.randint(1, 100)}" for _ in range(50)],
        ),
    ]


def spike_claims() -> tuple[str, str]:
    """The claim in the news (the published one with the most statements) and one no one reads."""
    from claims.models import Claim

    published = Claim.objects.published().filter(slug__startswith="demo-")
    hot = published.order_by("-statement_count", "pk").values_list("slug", flat=True).first()
    unrelated = published.order_by("statement_count", "pk").values_list("slug", flat=True).first()
    return hot, unrelated


def stale_caches() -> None:
    from publishing.cache import start_afresh

    start_afresh()


# Every table and index of the schema, with the TOAST tables holding their long values and
# those tables' indexes.
PREWARM = """
    WITH tables AS (
        SELECT c.oid, c.reltoastrelid FROM pg_class c
        WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
          AND c.relkind = 'r'
    ), relations AS (
        SELECT oid FROM tables
        UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM tables)
        UNION SELECT reltoastrelid FROM tables WHERE reltoastrelid <> 0
        UNION SELECT indexrelid FROM pg_index
            WHERE indrelid IN (SELECT reltoastrelid FROM tables WHERE reltoastrelid <> 0)
    )
    SELECT count(pg_prewarm(oid, 'read')) FROM relations
"""


def database_in_memory() -> bool:
    """Read every table and index of the database into the operating system's cache
    (PostgreSQL's pg_prewarm, `read`), as a database server that has been serving holds them:
    a kernel that pages out files no one read for a while (this machine's pages out the
    database's after a minute) would otherwise have a page type built afresh measure reads
    from disk, more or fewer as the page types before it happened to touch the same pages.
    False, and nothing read, where the extension cannot be had (a user who may not create it)."""
    from django.db import DatabaseError, connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(PREWARM)
            (read,) = cursor.fetchone()
    except DatabaseError:
        return False
    return read > 0


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def warm(paths: list[str], headers: tuple[str, ...] = ()) -> None:
    sent = dict(header.split(": ", 1) for header in headers)
    for path in paths:
        request = urllib.request.Request(BASE + path, headers=sent)
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()


def run_wrk(
    paths: list[str],
    connections: int = CONNECTIONS,
    duration: int = DURATION,
    base: str = BASE,
    headers: tuple[str, ...] = (),
) -> Result:
    with tempfile.TemporaryDirectory() as directory:
        listing = Path(directory) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(directory) / "paths.lua"
        script.write_text(WRK_SCRIPT.replace("PATHS_FILE", str(listing)))
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "2s",
                "--latency",
                *(argument for header in headers for argument in ("-H", header)),
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    )


def run_python(
    paths: list[str],
    connections: int = CONNECTIONS,
    duration: int = DURATION,
    base: str = BASE,
    headers: tuple[str, ...] = (),
) -> Result:
    """A load generator for machines without wrk: one thread per connection, kept alive."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(base)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    rng = random.Random(2)
    sent = dict(header.split(": ", 1) for header in headers)

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        while time.monotonic() < deadline:
            path = rng.choice(paths)
            started = time.perf_counter()
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += response.status >= 400

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = quantiles(latencies, n=100)
    return Result(len(latencies) / (time.monotonic() - started), cuts[49], cuts[98], errors)


WRK_SCRIPT = """
local paths = {}
for line in io.lines("PATHS_FILE") do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


class Curator(threading.Thread):
    """Saves one claim once a second as the admin does (a history revision, the claim, its
    counters and search words, in one transaction) until stopped."""

    def __init__(self, slug: str) -> None:
        super().__init__(daemon=True)
        self.slug = slug
        self.saves = 0
        self.slowest = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        import reversion
        from django.db import connection, models, transaction

        from claims.models import Claim
        from claims.services import recount_stances

        while not self.stopped.wait(1.0):
            started = time.perf_counter()
            with transaction.atomic(), reversion.create_revision():
                # Loaded as its admin screen loads it (history.admin.HistoryAdmin).
                claims = Claim.objects.select_for_update().fetch_mode(models.FETCH_PEERS)
                claim = claims.get(slug=self.slug)
                claim.assessment = f"Checked again against the sources ({self.saves + 1})."
                claim.save()
                recount_stances(claims=[claim])
            self.saves += 1
            self.slowest = max(self.slowest, time.perf_counter() - started)
        connection.close()


@dataclass
class Spike:
    baseline: Result
    phases: dict[str, tuple[Result, int, float]]  # the load, the saves, the slowest save (s)


def spike(hot: str, unrelated: str, runner: Callable[..., Result]) -> Spike:
    """Readers on the hot claim (six in ten requests), the home page and the claim list, with
    no writes, then while a curator saves an unrelated claim once a second, then the hot one."""
    paths = [f"/claims/{hot}/"] * 6 + ["/"] * 2 + ["/claims/"] * 2
    load = {"connections": SPIKE_CONNECTIONS, "duration": SPIKE_SECONDS}
    baseline = runner(["/ping"], **load)
    phases = {}
    for label, slug in (
        ("none", None),
        ("one save a second of an unrelated claim", unrelated),
        ("one save a second of the hot claim", hot),
    ):
        warm(sorted(set(paths)))
        curator = Curator(slug) if slug else None
        if curator:
            curator.start()
        try:
            result = runner(paths, **load)
        finally:
            if curator:
                curator.stopped.set()
                curator.join()
        phases[label] = (result, curator.saves if curator else 0, curator.slowest if curator else 0)
    return Spike(baseline, phases)


def print_spike(hot: str, outcome: Spike) -> None:
    print(
        f"\nSpike: {SPIKE_CONNECTIONS} connections for {SPIKE_SECONDS} s each, six requests in "
        f"ten on /claims/{hot}/ (the most-stated claim), two on the home page, two on the list"
    )
    header = ("curator writes", "req/s", "x no-write", "x baseline", "p50 ms", "p99 ms", "errors")
    print("{:52} {:>7} {:>10} {:>10} {:>7} {:>7} {:>6}".format(*header))
    quiet = outcome.phases["none"][0].requests_per_second
    slowest = max(slow for _, _, slow in outcome.phases.values())
    base = outcome.baseline
    print(
        f"{'(baseline: /ping, no work)':52} {base.requests_per_second:7.0f} {'':>10} "
        f"{1:10.2f} {base.p50_ms:7.1f} {base.p99_ms:7.1f} {base.errors:6d}"
    )
    for label, (result, saves, _) in outcome.phases.items():
        name = f"{label} ({saves} saves)" if saves else label
        print(
            f"{name:52} {result.requests_per_second:7.0f} "
            f"{result.requests_per_second / quiet:10.2f} "
            f"{result.requests_per_second / base.requests_per_second:10.2f} "
            f"{result.p50_ms:7.1f} {result.p99_ms:7.1f} {result.errors:6d}"
        )
    print(
        f"The curator's slowest save (history revision, claim, counters, search words): "
        f"{slowest * 1000:.0f} ms"
    )


def mirror_of(hot: str, runner: Callable[..., Result], directory: Path) -> Result | None:
    """The hot claim's page exported as a plain file (export_site's Mirror, that page alone)
    and served by nginx, as a mirror or a CDN would: requests/s at CONNECTIONS connections."""
    from publishing.mirror import Mirror

    nginx = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )
    if nginx is None:
        return None
    page = f"/claims/{hot}/"
    address = f"http://127.0.0.1:{MIRROR_PORT}"
    Mirror(directory / "site", base_url=address, start=[page], follow=False).export()
    # nginx's workers run as an unprivileged user: the files must be readable by anyone.
    for path in [directory, *directory.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    config = directory / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(root=directory / "site", port=MIRROR_PORT, run=directory))
    server = subprocess.Popen(
        [nginx, "-c", str(config), "-p", str(directory), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                with urllib.request.urlopen(address + page, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            errors = directory / "error.log"
            log = errors.read_text() if errors.exists() else ""
            sys.exit(f"The mirror's copy of {page} could not be served.\n{log}")
        return runner([page], base=address)
    finally:
        server.terminate()
        server.wait(timeout=10)


NGINX_CONFIG = """
worker_processes 1;
error_log {run}/error.log;
pid {run}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {run}/body;
  proxy_temp_path {run}/proxy;
  fastcgi_temp_path {run}/fastcgi;
  uwsgi_temp_path {run}/uwsgi;
  scgi_temp_path {run}/scgi;
  types {{ text/html html; }}
  server {{
    listen 127.0.0.1:{port};
    root {root};
    index index.html;
  }}
}}
"""


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=ENVIRONMENT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not start:\n{server.stderr.read()}")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def serving_cpu_seconds(master: int) -> float:
    """CPU time used so far by what serves a request: the gunicorn workers, PostgreSQL and
    Redis (wrk excluded). Per request, it is what a page costs, whatever else the machine's
    cores are busy with, where latency is not."""
    tick = os.sysconf("SC_CLK_TCK")
    servers = {str(pid) for pid in worker_pids(master)}
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone since the listing
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
        if stat.parent.name in servers or name in ("postgres", "redis-server"):
            total += int(fields[11]) + int(fields[12])  # utime and stime
    return total / tick


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def query_report(scenario_list: list[Scenario]) -> list[tuple[str, int, list[str]]]:
    """Each page type's queries, cold, and any sequential scan of a large table in their plans."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_redis.cache import RedisCache

    client = Client()
    rows = []
    for scenario in scenario_list[1:]:
        if isinstance(cache, RedisCache):
            # Without waiting for Redis to free the run's pages (a gigabyte after a few runs
            # within the cache's hour): a flush that waits outlasts the client's timeout.
            cache.client.get_client(write=True).flushdb(asynchronous=True)
        else:
            cache.clear()
        path = scenario.paths[0]
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        scans = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(line for (line,) in cursor.fetchall())
                scans += [
                    table for table in LARGE_TABLES if re.search(rf"Seq Scan on {table}\b", plan)
                ]
        rows.append((scenario.name, len(captured.captured_queries), sorted(set(scans))))
    return rows


def main() -> None:
    prepare()
    scenario_list = scenarios()
    runner: Callable[[list[str]], Result] = run_wrk if shutil.which("wrk") else run_python
    print(
        f"\nLoad: {'wrk' if runner is run_wrk else 'Python threads'}, {CONNECTIONS} connections, "
        f"{DURATION} s per page type, gunicorn with production settings on {BASE}, "
        f"page cache {CACHE_URL}\n"
    )
    server = start_server()
    results: dict[str, Result] = {}
    cpu_ms: dict[str, float] = {}
    in_memory = True
    try:
        for scenario in scenario_list:
            if scenario.cold:
                stale_caches()
                in_memory = database_in_memory() and in_memory
            else:
                if scenario.headers:
                    # Built afresh as these readers ask for it: a page is kept gzipped only when
                    # it was built for a reader who takes gzip.
                    stale_caches()
                warm(scenario.paths, scenario.headers)
            before = serving_cpu_seconds(server.pid)
            results[scenario.name] = result = runner(scenario.paths, headers=scenario.headers)
            served = max(1.0, result.requests_per_second * DURATION)
            cpu_ms[scenario.name] = (serving_cpu_seconds(server.pid) - before) * 1000 / served
        hot, unrelated = spike_claims()
        spiked = spike(hot, unrelated, runner)
        workers = worker_pids(server.pid)
        memory = max((peak_memory_mb(pid) for pid in workers), default=0.0)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    with tempfile.TemporaryDirectory() as directory:
        mirrored = mirror_of(hot, runner, Path(directory))

    baseline = results[scenario_list[0].name].requests_per_second
    header = ("page type", "req/s", "x baseline", "p50 ms", "p99 ms", "errors", "CPU ms")
    print("{:36} {:>9} {:>11} {:>8} {:>8} {:>7} {:>7}".format(*header))
    for name, result in results.items():
        print(
            f"{name:36} {result.requests_per_second:9.0f} "
            f"{result.requests_per_second / baseline:11.2f} {result.p50_ms:8.1f} "
            f"{result.p99_ms:8.1f} {result.errors:7d} {cpu_ms[name]:7.2f}"
        )
    print(
        "(CPU ms: CPU time of the gunicorn workers, PostgreSQL and Redis per request served, "
        "wrk excluded)"
    )
    print(
        "(cold: every cached page made stale first, and the database read into the operating "
        "system's cache)"
        if in_memory
        else "(cold: every cached page made stale first; the database could not be read into "
        "memory first, pg_prewarm being unavailable, so it may be read from disk)"
    )
    print_spike(hot, spiked)
    if mirrored:
        print(
            f"\nStatic mirror (export_site, served by nginx), /claims/{hot}/ at {CONNECTIONS} "
            f"connections: {mirrored.requests_per_second:.0f} req/s "
            f"({mirrored.requests_per_second / baseline:.2f} x baseline), "
            f"p50 {mirrored.p50_ms:.1f} ms, p99 {mirrored.p99_ms:.1f} ms, {mirrored.errors} errors"
        )
    else:
        print("\nStatic mirror: not measured (nginx is not installed).")
    print(f"\nPeak memory of a worker (VmHWM, {len(workers)} workers): {memory:.0f} MB")
    print("\nQueries per page (cold cache) and sequential scans of large tables in their plans:")
    for name, count, scans in query_report(scenario_list):
        verdict = "no sequential scan" if not scans else "SEQUENTIAL SCAN of " + ", ".join(scans)
        print(f"  {name:36} {count:3d} queries   {verdict}")


if __name__ == "__main__":
    main()
