from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.services import ROLES, create_account


class Command(BaseCommand):
    help = (
        "Create a Curator's or an Editor's account with a generated password, and print how to "
        "log in: the password is shown only this once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)

    def handle(self, *args, username: str, role: str, **options) -> None:
        try:
            _, password = create_account(username=username, role=role)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the {role} account {username!r}. Log in at {settings.SITE_URL}/admin/ "
                f"with the password {password}\n"
                "It is shown only this once; to change it: "
                f"python manage.py changepassword {username}"
            )
        )
