from pathlib import Path

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

# Everything a curator or an editor enters, its history (the admin's log, the versions kept by
# django-reversion), and the accounts that enter it. Content types and permissions are not
# exported: migrate creates them, and the rest refers to them by name.
BACKUP_CONTENT = ["auth.group", "auth.user", "admin.logentry", "reversion", "sources", "claims"]
BACKUP_FORMAT = "claimtrack-json"
serializers.register_serializer(BACKUP_FORMAT, "claims.backup")


class Command(BaseCommand):
    help = (
        "Write every account, group, history entry, source and claim as JSON that "
        "import_data restores on any database, SQLite or PostgreSQL. The file holds password "
        "hashes: keep it as safe as the database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="File to write; .gz, .bz2 or .xz compresses it (default: standard output).",
        )

    def handle(self, *args, output: Path | None, **options) -> None:
        # dumpdata writes the JSON in pieces, which must reach standard output unchanged.
        self.stdout.ending = None
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # One snapshot for every table: a statement saved during the export must not
                # appear without its article, nor a stance without its statement.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            call_command(
                "dumpdata",
                *BACKUP_CONTENT,
                format=BACKUP_FORMAT,
                natural_foreign=True,
                # Accounts and groups are matched by name on import, so the groups that
                # migrate creates are updated rather than duplicated; the rest keep their
                # ids, and with them every link into the site (#statement-12).
                natural_primary=True,
                indent=2,
                output=str(output) if output else None,
                stdout=self.stdout,
                verbosity=0,
            )
