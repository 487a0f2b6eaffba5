from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing: what readers and reusers get"

    def ready(self) -> None:
        from .cache import connect_signals

        connect_signals()
