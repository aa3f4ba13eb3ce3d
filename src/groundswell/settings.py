"""Groundswell settings: every value comes from an environment variable (see README.md, "Configuration")."""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("GROUNDSWELL_DATA_DIR") or "var").resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into the data folder (mode 0600)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("GROUNDSWELL_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in emails are built from this, never from the request's Host header.
BASE_URL = os.environ.get("GROUNDSWELL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "groundswell.core",
    "groundswell.accounts",
    "groundswell.campaigns",
    "groundswell.organizations",
    "groundswell.actions",
    "groundswell.participation",
    "groundswell.reports",
    "groundswell.public",
    "groundswell.dashboard",
    "groundswell.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages and data from the cache, before sessions, language, CSRF and the rest.
    "groundswell.public.middleware.SharedDocumentMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "groundswell.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "groundswell.urls"
WSGI_APPLICATION = "groundswell.wsgi.application"
ASGI_APPLICATION = "groundswell.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "groundswell.core.context_processors.site",
            ],
        },
    }
]

# Database: SQLite in the data folder unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'groundswell.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
        # with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("GROUNDSWELL_DB_POOL", True):
        DATABASES["default"]["OPTIONS"] = {"pool": True}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The page cache fails open: with Redis down or slow, requests render (after at most a short timeout) instead
# of failing. Rate limits keep their own alias and settings.
REDIS_PAGE_CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "groundswell",
            "OPTIONS": REDIS_PAGE_CACHE_OPTIONS,
        },
        # Rate limits have an alias of their own, so no cache entry anyone can cause (a page, a fragment)
        # shares a namespace or a size limit with them. In Redis that is the same server: Redis drops keys
        # only under its maxmemory policy, never because another key was written.
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "groundswell-ratelimit",
            "OPTIONS": {"IGNORE_EXCEPTIONS": False},
        },
    }
else:
    # Files in the data folder, shared by every process of this machine: a per-process memory cache would
    # multiply each rate limit by the number of gunicorn workers. Several machines need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "groundswell.core.cache.SharedFileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": "groundswell",
            # Every write lists the folder (Django's culling), so keep it to a few thousand entries.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Rate-limit counters in a folder of their own: a full page cache culls its entries at random, and
        # must never take a counter with them (anonymous visitors could then reset their own limits).
        # Counters are small and short-lived; expired ones are culled first.
        "ratelimit": {
            "BACKEND": "groundswell.core.cache.SharedFileCache",
            "LOCATION": str(DATA_DIR / "ratelimit"),
            "KEY_PREFIX": "groundswell",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        },
    }

# Sessions (only staff log in: public pages set no cookie) are kept in the database and, with Redis, read
# through the cache: a Redis restart or eviction logs nobody out, and a Redis that is down only makes session
# reads go to the database (the page cache's client fails open).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)

TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("GROUNDSWELL_TASKS", "database")]
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "dashboard:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("de", _("German")),
    ("ar", _("Arabic")),
]
LANGUAGE_COOKIE_NAME = "groundswell_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Built by `make assets` (frontend/build.mjs) from npm packages and frontend/src.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("GROUNDSWELL_STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
# Media (report-back photos) on S3-compatible object storage when a bucket is named, so that every app server
# sees the same files. Objects stay private (no ACL is sent: the bucket's default, which is private); the
# photo view checks that a photo is public and streams it, so a visitor's browser contacts no other host and
# a photo that stops being public is gone at once (a signed URL would outlive that). Credentials come from
# boto3's usual chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role.
S3_BUCKET = os.environ.get("GROUNDSWELL_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("GROUNDSWELL_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("GROUNDSWELL_S3_REGION") or None,
            # Path-style (endpoint/bucket/key) works with every S3-compatible server without DNS per bucket.
            "addressing_style": os.environ.get("GROUNDSWELL_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "location": os.environ.get("GROUNDSWELL_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,  # a name taken gets a new one, as on the file system
        },
    }

# Mail: SMTP when EMAIL_HOST is set, else every message is written to files in the data folder
# (so a local demo shows the organizer's secret link without a mail server).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Groundswell <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Security. GROUNDSWELL_HTTPS=1 when served behind TLS (production): secure cookies, HSTS, redirect.
HTTPS = env_bool("GROUNDSWELL_HTTPS")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("GROUNDSWELL_BEHIND_PROXY") else None
)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("GROUNDSWELL_HSTS_PRELOAD", True)
if HTTPS and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # the operator chose not to join the preload list
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Only the organizer's report-back form uploads files: at most 10 photos (MAX_PHOTOS_PER_REPORT).
DATA_UPLOAD_MAX_NUMBER_FILES = 10

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# An operator may choose map tiles from another host; only then may browsers contact it.
MAP_TILE_URL = os.environ.get("GROUNDSWELL_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("GROUNDSWELL_MAP_TILE_ATTRIBUTION", "")
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "groundswell.core.log_redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("GROUNDSWELL_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Privacy: how many days after an action ends the personal data of its RSVPs (names, emails) is erased.
RETENTION_DAYS = int(os.environ.get("GROUNDSWELL_RETENTION_DAYS", "30"))
# Hours an RSVP waits for its email confirmation before it is deleted.
RSVP_CONFIRM_HOURS = int(os.environ.get("GROUNDSWELL_RSVP_CONFIRM_HOURS", "48"))
# Days an endorsement waits for its email verification before it (and its private email) is deleted.
ENDORSEMENT_CONFIRM_DAYS = int(os.environ.get("GROUNDSWELL_ENDORSEMENT_CONFIRM_DAYS", "7"))
# Public submissions per client (by hashed address) per hour before the form refuses more.
SUBMISSIONS_PER_HOUR = int(os.environ.get("GROUNDSWELL_SUBMISSIONS_PER_HOUR", "20"))
# Confirmation emails one address may receive from the action form per day.
SUBMISSIONS_PER_EMAIL_PER_DAY = int(os.environ.get("GROUNDSWELL_SUBMISSIONS_PER_EMAIL_PER_DAY", "10"))
# Actions one API token may submit per hour.
API_SUBMISSIONS_PER_HOUR = int(os.environ.get("GROUNDSWELL_API_SUBMISSIONS_PER_HOUR", "120"))
# Failed dashboard logins per client address per 15 minutes before login is refused for a while.
LOGIN_FAILURES_PER_15_MIN = int(os.environ.get("GROUNDSWELL_LOGIN_FAILURES_PER_15_MIN", "10"))
# Map data built rather than served from the cache (text searches, new filter combinations), per client
# address per minute: beyond it, 429. Building a large campaign's data takes the better part of a second.
MAP_BUILDS_PER_MINUTE = int(os.environ.get("GROUNDSWELL_MAP_BUILDS_PER_MINUTE", "60"))
# Report-back photos: the largest upload accepted (bytes) and the most pixels (width × height) decoded.
PHOTO_MAX_BYTES = int(os.environ.get("GROUNDSWELL_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
PHOTO_MAX_PIXELS = int(os.environ.get("GROUNDSWELL_PHOTO_MAX_PIXELS", "40000000"))
