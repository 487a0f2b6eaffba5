from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims: topics, claims, statements and stances"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects re-anchoring and the stance counters)
        from .caching import connect_content_signals

        connect_content_signals()
