from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

STDIN = "-"
# loaddata tells the format from the name; export_data writes JSON, perhaps compressed.
NAME_ENDINGS = (".json", ".json.gz", ".json.bz2", ".json.xz")


def held_records() -> list[str]:
    """What the database already holds among the records a backup restores."""
    models = [get_user_model()]
    for app_label in ("sources", "claims"):
        models.extend(apps.get_app_config(app_label).get_models())
    return [
        f"{count} {model._meta.verbose_name_plural if count > 1 else model._meta.verbose_name}"
        for model in models
        if (count := model._default_manager.count())
    ]


def fixture_name(backup: str) -> str:
    """The name to give loaddata, which would search fixture folders for a relative path."""
    if backup == STDIN:
        return STDIN
    path = Path(backup).resolve()
    if not path.is_file():
        raise CommandError(f"{backup}: no such file.")
    if not path.name.endswith(NAME_ENDINGS):
        raise CommandError(f"{backup}: the name must end in {', '.join(NAME_ENDINGS)}.")
    return str(path)


class Command(BaseCommand):
    help = (
        "Restore a file written by export_data into an empty database: one just migrated, or "
        "one emptied with `python manage.py flush`. Everything is loaded in one transaction, "
        "so a damaged file changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "backup",
            help="The file export_data wrote (.json, or compressed .json.gz), or - to read JSON "
            "from standard input.",
        )

    @transaction.atomic
    def handle(self, *args, backup: str, **options) -> None:
        fixture = fixture_name(backup)
        held = held_records()
        if held:
            raise CommandError(
                f"The database already holds {', '.join(held)}. A backup is restored into an "
                "empty database: a new one after `python manage.py migrate`, or this one after "
                "`python manage.py flush`."
            )
        try:
            call_command("loaddata", fixture, format="json", verbosity=0, stdout=self.stdout)
        except (DeserializationError, DatabaseError, ValueError) as error:
            # The JSON parser's own message (line and column) is the cause of the one raised.
            cause = f" ({error.__cause__})" if error.__cause__ else ""
            raise CommandError(
                f"{backup} cannot be restored, nothing was changed: {str(error).strip()}{cause}"
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored {', '.join(held_records()) or 'nothing'} from {backup}.")
        )
