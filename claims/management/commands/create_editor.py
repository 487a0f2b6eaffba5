import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create an account in the Editor group with a random password and print how to log in. "
        "Does nothing if the account already exists."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="editor")

    @transaction.atomic
    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"The account {username!r} already exists. To set a new password: "
                f"python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(18)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name="Editor"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the editor account. Log in at {settings.SITE_URL}/admin/ as "
                f"{username!r} with the password {password}\n"
                "It is shown only this once; to change it: "
                f"python manage.py changepassword {username}"
            )
        )
