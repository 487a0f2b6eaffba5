from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims: topics, claims, statements and stances"

    def ready(self) -> None:
        # The `among` lookup (claims/compiled.py) is there for every queryset once apps load.
        from . import compiled  # noqa: F401
