from django.core.cache import caches
from django.core.management.base import BaseCommand

from publishing.cache import start_afresh


class Command(BaseCommand):
    help = (
        "Make every cached page stale on every server (a new content version), and empty the "
        "caches this process can reach. Run it after restoring a database dump."
    )

    def handle(self, *args, **options) -> None:
        # Emptied first: clearing Redis would take the new version number with it.
        for cache in caches.all():
            cache.clear()
        start_afresh()
        self.stdout.write(self.style.SUCCESS("Every cached page is stale now."))
