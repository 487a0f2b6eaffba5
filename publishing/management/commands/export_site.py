from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.test.utils import override_settings

from publishing.mirror import Mirror


class Command(BaseCommand):
    help = (
        "Write the public site (every page readers can reach, with its feeds, CSV exports, "
        "sitemaps and static files) to DIR as plain files any static server can serve. Run "
        "again, it rewrites only what changed and removes what is no longer public."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--base-url",
            default="",
            help="The address the mirror is served at, for feeds, sitemaps and canonical links "
            "(default: SITE_URL).",
        )

    def handle(self, *args, directory: Path, base_url: str, **options) -> None:
        if base_url:
            try:
                URLValidator(schemes=["http", "https"])(base_url)
            except ValidationError:
                raise CommandError(
                    f"--base-url must be an http(s) address, not {base_url!r}."
                ) from None
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        host = urlsplit(base_url or settings.SITE_URL).hostname or "127.0.0.1"
        # The mirror's pages are built as if asked at its own address.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host]):
            report = Mirror(directory, base_url=base_url).export()
        self.stdout.write(
            f"{report.files} files in {directory}: {len(report.written)} written, "
            f"{report.unchanged} unchanged, {len(report.removed)} removed."
        )
        for missing in report.missing:
            self.stderr.write(f"Linked but not found: {missing}")
