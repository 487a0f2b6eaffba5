import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver

from config import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def load_before_forking() -> None:
    """Load what every worker would otherwise load on its first request: the URL configuration
    (and with it the API's code) and the readers' templates, parsed. gunicorn forks its workers
    from the process that imported this module (preload_app), so they share all of it; loaded
    by each worker, it made a new worker's first page take 300 ms of CPU instead of 30, and
    five workers starting together kept readers waiting over a second."""
    get_resolver().url_patterns  # noqa: B018  (imports every URL module)
    templates = settings.BASE_DIR / "templates"
    for path in sorted([*templates.glob("*.html"), *templates.glob("publishing/*.html")]):
        get_template(path.relative_to(templates).as_posix())


# gunicorn loads this module once, before forking (preload_app), so bad configuration stops
# the server with one line rather than a traceback from every worker.
load_settings_or_exit()
application = get_wsgi_application()
load_before_forking()
