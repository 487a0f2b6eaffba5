import os

from django.core.wsgi import get_wsgi_application

from config import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# gunicorn loads this module once, before forking (preload_app), so bad configuration stops
# the server with one line rather than a traceback from every worker.
load_settings_or_exit()
application = get_wsgi_application()
