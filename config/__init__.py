import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def load_settings_or_exit() -> None:
    """Load the settings now, so that a missing or bad environment variable stops the process
    with its one-line message instead of a traceback whose last line is the only useful one."""
    try:
        settings.SECRET_KEY  # noqa: B018  (the first access imports config.settings)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
