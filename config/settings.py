"""Claimtrack settings: one file, every value read from the environment.

Defaults make a fresh clone work on a laptop (SQLite, plain HTTP on 127.0.0.1);
production sets the variables listed in the README's "Deploy" section.
"""

import functools
import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# `make run` writes a generated SECRET_KEY here; real environment variables always win.
load_dotenv(BASE_DIR / ".env", override=False)


def env_str(name: str, default: str = "") -> str:
    # Empty counts as unset: docker compose passes an unset `${NAME:-}` on as an empty string.
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = env_str(name, default)
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")


def parse_database_url(url: str) -> dict:
    # The URL may hold a password, so the message names the variable, never its value.
    try:
        return dj_database_url.parse(
            url,
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
        )
    except dj_database_url.UnknownSchemeError:
        problem = "its scheme is unknown"
    except ValueError:
        problem = "it cannot be parsed (percent-encode any @ : / in the password)"
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a valid database URL: {problem}; "
        "expected postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH."
    )


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: export a long random value "
        "(`make run` writes one to .env for local use)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# The public address of the site, used in feeds, sitemaps and canonical links
# when a page is built outside a request. Unset, it is where `make run` serves (HOST, PORT).
SITE_URL = env_str(
    "SITE_URL", f"http://{env_str('HOST', '127.0.0.1')}:{env_str('PORT', '8000')}"
).rstrip("/")
# The site's own public address is trusted for forms by default; list others if a proxy
# serves the site under more than one.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "corsheaders",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "axes",
    "sources",
    "claims",
    "publishing",
    "bench",
]

# The header-setting middleware sits above WhiteNoise so that static files get the same
# headers as pages (a CSP on an SVG file, for one, stops scripts inside it).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Above the CSP middleware, so that it takes the policy away from XML it has just added it to.
    "config.middleware.NoPolicyForXmlMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.HeadWithoutBodyMiddleware",
    # Before anything reads the request: a NUL byte or broken UTF-8 is the client's error.
    "config.middleware.RejectMalformedInputMiddleware",
    # Around everything that may need the database: a safe request that found it restarting
    # is answered once it is back, or with the 503 page (config.views.server_error).
    "config.middleware.DatabaseRestartMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses on the way out what carries no secret: it sees the cookies set below it, and
    # the page cache below keeps pages as built, with a copy compressed for those who take gzip.
    "config.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # django-axes asks to come last: it turns a locked-out login into the lockout page. Logins
    # are never served from the page cache, so the two cache layers may still follow it.
    "axes.middleware.AxesMiddleware",
    # An address with a slug a record had before answers 301 with its current one.
    "publishing.former_addresses.FormerAddressMiddleware",
    # Last, so that everything above still adds its headers to pages served from the cache.
    "config.middleware.ApiThrottleMiddleware",
    "publishing.cache.PageCacheMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "publishing.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://USER@HOST:PORT/NAME) or a SQLite file in the project.
# Connections are kept for CONN_MAX_AGE seconds and checked before reuse, so a database
# restart costs one failed check, not a failed request.
DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are cheap and not safe to share across gunicorn threads.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database host that does not answer at all fails a connection in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters bound by the server, and a query run five times on a connection kept as a
        # prepared statement: PostgreSQL then plans it once, not on every page (planning the
        # claim page's stances, six tables joined, cost four times running them). Turn off
        # behind a pooler that shares connections between transactions (PgBouncer's
        # transaction mode), which cannot keep a statement for its client.
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
# How long a safe request (GET, HEAD) that found the database unreachable waits for it to come
# back before it is tried once more; past that it gets the 503 page with Retry-After.
DATABASE_RETRY_SECONDS = env_int("DATABASE_RETRY_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def public_page(name: str):
    """A model's public address (its `get_absolute_url`), by the name of its publishing URL:
    the models never name the views that show them, so `sources` and `claims` stay free of
    `publishing`."""

    def url(record) -> str:
        from django.urls import get_script_prefix, get_urlconf

        # Pages link to hundreds of records: the address is reversed once per URL
        # configuration, and each record's slug (letters, digits, - and _) put in its place.
        before, after = address_around_slug(name, get_urlconf())
        return f"{get_script_prefix()}{before}{record.slug}{after}"

    return url


SLUG_MARK = "slug-goes-here"


@functools.cache
def address_around_slug(name: str, urlconf: str | None) -> tuple[str, str]:
    """A publishing page's address, without the script prefix, split where the slug goes."""
    from django.urls import get_script_prefix, reverse

    path = reverse(f"publishing:{name}", kwargs={"slug": SLUG_MARK}, urlconf=urlconf)
    before, _, after = path.removeprefix(get_script_prefix()).partition(SLUG_MARK)
    return before, after


ABSOLUTE_URL_OVERRIDES = {
    "sources.article": public_page("article_detail"),
    "sources.party": public_page("party_detail"),
    "claims.topic": public_page("topic_detail"),
    "claims.claim": public_page("claim_detail"),
}


def cache_from_url(url: str) -> dict:
    """CACHE_URL: locmem:// (each process its own), redis://HOST:PORT/DB, or db://TABLE."""
    scheme, _, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    if scheme in ("redis", "rediss"):
        # Short timeouts: a Redis that does not answer costs a request a fraction of a second,
        # after which the page is built without the cache (publishing/cache.py).
        timeout = env_int("CACHE_SOCKET_TIMEOUT_MS", 250) / 1000
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": timeout, "SOCKET_TIMEOUT": timeout},
        }
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    raise ImproperlyConfigured(
        f"CACHE_URL must be locmem://, redis://HOST:PORT/DB or db://TABLE, not {url!r}."
    )


# Pages are cached with the content version they were built for and served only while it is
# current, so they are never stale (publishing/cache.py). With Redis, the workers and servers share
# the pages and the version; otherwise each process keeps its own pages and the version is read
# from the database.
CACHES = {
    "default": {
        **cache_from_url(env_str("CACHE_URL", "locmem://claimtrack")),
        "TIMEOUT": env_int("CACHE_TIMEOUT", 60 * 60),
    }
}
PAGE_CACHE_ALIAS = "default"
# After the cache fails to answer, each process serves pages without it for this many seconds
# before trying it again.
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 2)

# The full CSV exports, built after every write by `build_exports --watch` (which bin/serve
# starts beside gunicorn); the newest build is served from here as a file. Filtered exports,
# and full ones before the first build, are streamed live, at most EXPORT_LIVE_LIMIT at a time.


def default_export_root() -> str:
    """A folder of the system's temporary files for each database, so that two sites on one
    machine never share builds."""
    database = DATABASES["default"]
    identity = "|".join(str(database.get(key)) for key in ("ENGINE", "HOST", "PORT", "NAME"))
    digest = hashlib.blake2b(identity.encode(), digest_size=6).hexdigest()
    return str(Path(tempfile.gettempdir()) / f"claimtrack-exports-{digest}")


EXPORT_ROOT = Path(env_str("EXPORT_ROOT", default_export_root()))
EXPORT_LIVE_LIMIT = env_int("EXPORT_LIVE_LIMIT", 2)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# The site and the admin are in English only. Without the translation machinery, each date and
# label a page writes skips a lookup of the active language: a claim page writes dozens.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed file names change with their content, so browsers may keep them for a year.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# HTTPS: on in production, where a TLS-terminating proxy sets X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", False)
if env_bool("TRUST_X_FORWARDED_PROTO", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, refused to the site and to anything it might embed
# (django-permissions-policy sends the header: Django has no setting for it).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Open data: the read-only API, its schema and docs.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Throttled by config.middleware.ApiThrottleMiddleware, ahead of the page cache.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("API_ANON_RATE", "600/minute")},
    # How many proxies in front add to X-Forwarded-For: a client is told apart by the address
    # the nearest trusted one saw, never by an address the client claims for itself.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claimtrack open data API",
    "DESCRIPTION": (
        "Who said what, against each disputed claim: published claims with the stances of the "
        "parties' statements, and the articles that report them. Read-only; objects are "
        "identified by slug (statements by id); dates are ISO 8601."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "publishing.api.allow_empty_filters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StanceEnum": "claims.models.StanceValue",
        "OutletKindEnum": "sources.models.OutletKind",
        "PartyKindEnum": "sources.models.PartyKind",
        "ArticleKindEnum": "sources.models.ArticleKind",
    },
}
# Anyone may read the API from a browser on any site; nothing else is cross-origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# Only curators have sessions (readers are anonymous): closing the browser logs them out.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; a successful login resets the count.
# Pairing username and address keeps an attacker from locking a curator out everywhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
# The server logs to stdout, beside gunicorn's access log, for the container to collect.
# manage.py makes it stderr: a command's stdout can be its result (export_data's JSON).
LOG_STREAM = env_choice("LOG_STREAM", "stdout", ["stdout", "stderr"])


def refusal_in_one_line(record) -> bool:
    """A refused request (403) logs one line: a PermissionDenied's traceback tells nothing more."""
    if getattr(record, "status_code", None) == 403:
        record.exc_info = record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {
        "refusal_in_one_line": {
            "()": "django.utils.log.CallbackFilter",
            "callback": refusal_in_one_line,
        },
    },
    "handlers": {
        "stream": {
            "class": "logging.StreamHandler",
            "stream": f"ext://sys.{LOG_STREAM}",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stream"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"filters": ["refusal_in_one_line"]},
        # django-axes announces its version whenever Django starts, before a command's output.
        "axes.apps": {"level": "WARNING"},
    },
}
