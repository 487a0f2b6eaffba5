from django.contrib.auth import get_user_model

from . import create_account


class Command(create_account.Command):
    help = (
        "create_account --role editor, named 'editor' unless --username says otherwise. Does "
        "nothing if the account exists, so that `make run` can ask for it every time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username: str, **options) -> None:
        if get_user_model().objects.filter(username=username).exists():
            self.stdout.write(
                f"The account {username!r} already exists. To set a new password: "
                f"python manage.py changepassword {username}"
            )
            return
        super().handle(username=username, role="editor")
