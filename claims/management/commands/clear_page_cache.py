from django.core.cache import caches
from django.core.management.base import BaseCommand

from claims.caching import start_afresh


class Command(BaseCommand):
    help = (
        "Make every cached page stale on every server (a new content version), and empty the "
        "caches this process can reach. Run it after restoring a database dump."
    )

    def handle(self, *args, **options) -> None:
        start_afresh()
        for cache in caches.all():
            cache.clear()
        self.stdout.write(self.style.SUCCESS("Every cached page is stale now."))
