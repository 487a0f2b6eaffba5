"""The quick version of `make faults`: the site under load while PostgreSQL and then Redis
restart and six exports run, with no 5xx, no stale page and every export complete."""

import glob
import os
import shutil
import subprocess
import sys

import pytest
from django.db import connection

from .production import BASE_DIR

pytestmark = [
    pytest.mark.skipif(
        not shutil.which("redis-server")
        or not (shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        reason="make faults needs redis-server and PostgreSQL's server programs",
    ),
    # It brings its own PostgreSQL: once per suite run is enough, in the PostgreSQL one.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="runs in the suite's PostgreSQL pass"
    ),
]


def test_a_quick_fault_run_has_no_5xx_no_stale_page_and_every_export_complete():
    result = subprocess.run(
        [sys.executable, "bench/faults.py"],
        cwd=BASE_DIR,
        env={**os.environ, "FAULTS_QUICK": "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    phases = [line for line in result.stdout.splitlines() if "requests" in line]
    assert len(phases) == 4, output
    for line in phases:
        assert " 0 × 5xx" in line and "stale pages: 0 of" in line, line
    assert "NOT COMPLETE" not in output
