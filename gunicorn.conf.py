"""gunicorn settings for every Claimtrack server: `make run`, Docker and the benchmark.

Each value can be overridden from the environment (GUNICORN_WORKERS, ...) or the command line.
"""

import gc
import os


def env(name: str, default: str) -> str:
    # Empty counts as unset: docker compose passes an unset `${NAME:-}` on as an empty string.
    return os.environ.get(name) or default


bind = env("GUNICORN_BIND", "0.0.0.0:8000")
# The usual 2 x cores + 1: requests mostly wait on PostgreSQL, so a core serves two workers.
# process_cpu_count (Python 3.13) counts only the cores this process may run on, such as a
# container's cpuset, where cpu_count counts the whole machine.
cores = getattr(os, "process_cpu_count", os.cpu_count)() or 1
workers = int(env("GUNICORN_WORKERS", str(cores * 2 + 1)))
threads = int(env("GUNICORN_THREADS", "1"))
timeout = int(env("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Import the app once in the master before forking: workers share its memory, and a
# configuration error stops the server at once with one message (config/wsgi.py) instead of
# every worker failing in turn.
preload_app = True


def pre_fork(server, worker) -> None:
    """Put what the master has loaded (Django, the app, their modules) beyond the garbage
    collector's reach, in the workers forked from it. Its full collections then go through what a
    worker made itself, not the whole preloaded app: every worker serves alike, so all of them
    ran one at about the same moment, each 100 to 220 ms long on two cores, and every request in
    flight waited (`make bench`: the p99 of searches). They now take 3 to 35 ms. The collector
    no longer writes to the objects the workers share with the master either, so more of their
    memory stays shared (reference counts still write to them)."""
    gc.freeze()


# Recycle workers now and then so a slow leak cannot grow a worker without bound, but rarely:
# while a worker is replaced its share of the requests waits, and at a few thousand requests a
# second a few thousand requests would mean a replacement every second (`make bench`: p99 of
# cached pages 450 ms with 2,000, 15 ms without).
max_requests = int(env("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
loglevel = env("GUNICORN_LOG_LEVEL", "info")
# No control socket in the home directory: the container's is read-only and nothing uses it.
control_socket_disable = True
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS", "127.0.0.1")
