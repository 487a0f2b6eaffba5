"""What gunicorn's workers share: loaded once before they fork, not by each on its first page."""

import importlib

from django.template import engines
from django.urls import clear_url_caches, get_resolver

from config import wsgi


def test_the_urls_and_the_readers_templates_are_loaded_before_workers_fork():
    clear_url_caches()
    [loader] = engines["django"].engine.template_loaders
    loader.reset()
    importlib.reload(wsgi)  # as gunicorn imports it, before forking
    assert "url_patterns" in vars(get_resolver())
    loaded = set(loader.get_template_cache)
    pages = {"claim_detail", "claim_list", "home", "party_detail", "topic_detail", "about"}
    assert {f"publishing/{page}.html" for page in pages} <= loaded
    assert {"base.html", "404.html", "500.html", "503.html"} <= loaded
