from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.seed_fixture import SeedError
from claims.seeds import SeedLoader


class Command(BaseCommand):
    help = (
        "Load the curated seed fixture (every .yaml file in seeds/): create what is missing and "
        "leave what exists as it is, reporting where it differs from the fixture. Checks every "
        "record, then writes in one transaction."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=settings.BASE_DIR / "seeds",
            help="Directory with the .yaml fixture and the article text files (default: seeds/).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Write the fixture's values over records that differ from it, each change a "
            "revision in the history.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and report what would change, but write nothing.",
        )

    def handle(
        self, *args, path: Path, update: bool, dry_run: bool, verbosity: int, **options
    ) -> None:
        try:
            report = SeedLoader(path, update=update).load(dry_run=dry_run)
        except SeedError as error:
            raise CommandError(str(error)) from None
        if verbosity == 0:
            return
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS(f"Loaded the seeds from {path}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Nothing changed: nothing is missing from {path}.")
            )
