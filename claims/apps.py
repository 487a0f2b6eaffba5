from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims: topics, claims, statements and stances"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the re-anchoring receiver)
