import logging
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.http import QueryDict

from publishing.cache import DATABASE_FAILURES
from publishing.exports import EXPORTS, build, discard_older_builds, filtered_claims
from publishing.models import ContentVersion

log = logging.getLogger(__name__)
# How much lower than the server's the builder's CPU priority is (nice(2): 0 to 19).
WATCH_NICENESS = 10


class Command(BaseCommand):
    help = (
        "Build the full CSV exports (claims, stances) of the current content version into "
        "EXPORT_ROOT, gzipped, to be served as files. With --watch, build them again after "
        "every write, until the process that started this one ends (bin/serve starts it "
        "beside gunicorn)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--watch", action="store_true", help="Keep building after every write.")
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="Seconds between two looks at the content version with --watch (default 2).",
        )

    def handle(self, *args, watch: bool, interval: float, **options) -> None:
        if not watch:
            for path in self.build_all():
                self.stdout.write(f"Built {path}")
            return
        # Background work: a build takes seconds of CPU after every write, and readers' pages
        # come first. At a lower priority it takes longer only while the server is busy (a
        # full export asked meanwhile is streamed live, as before the first build).
        os.nice(WATCH_NICENESS)
        parent = os.getppid()
        built_for = None
        # A parent gone means the server stopped: this process is then an orphan and ends too.
        while os.getppid() == parent:
            close_old_connections()
            try:
                version = ContentVersion.current()
                if version != built_for:
                    self.build_all()
                    discard_older_builds()
                    built_for = version
            except DATABASE_FAILURES as error:
                log.warning("Exports not built, the database cannot be reached: %r", error)
            time.sleep(interval)

    @staticmethod
    def build_all() -> list[Path]:
        claims = filtered_claims(QueryDict()).qs
        return [build(export, claims) for export in EXPORTS.values()]
