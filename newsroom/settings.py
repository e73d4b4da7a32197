"""
Newsroom settings: one file, every knob read from the environment.

Nothing needs to be set for local development: the database is SQLite under
var/, DEBUG is off unless asked for, and a secret key is generated once into
var/. Production sets NEWSROOM_PRODUCTION=1 plus SECRET_KEY, DATABASE_URL,
ALLOWED_HOSTS and SITE_URL; the README lists every variable.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("NEWSROOM_PRODUCTION")
DEBUG = env_bool("DEBUG") and not PRODUCTION


def read_secret_key() -> str:
    """SECRET_KEY from the environment; outside production, a key generated once into var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("NEWSROOM_PRODUCTION is set, so SECRET_KEY must be set too.")
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = read_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# The public address of the site. Canonical URLs, feeds and share links are
# built from it, never from the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search on PostgreSQL (articles/search.py); importing it is harmless on SQLite.
    "django.contrib.postgres",
    "taggit",
    "tinymce",
    "django.contrib.sitemaps",
    "axes",
    # Background tasks (link checks) kept in the database, run by `manage.py db_worker`.
    "django_tasks_db",
    "articles",
    "experts",
    "site_settings",
    "images",
    "sources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Readers' public pages from the cache; above the rest so a hit skips it all.
    "newsroom.caching.PageCacheMiddleware",
    # CSP and the headers Django lacks wrap everything below, static files included.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database outage in a view becomes a 503 page that keeps a failed save's text.
    "newsroom.resilience.DatabaseUnavailableMiddleware",
    # Turns a failed login into a lockout page once the limit is reached (must be last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another one
# (postgres://user@host:5432/name in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters, and a statement run 5 times on a connection is prepared:
    # PostgreSQL then stops re-planning the article page's queries, where planning cost
    # several times their execution. A pooler in transaction mode (PgBouncer older than
    # 1.21) cannot keep prepared statements: PG_PREPARE_THRESHOLD=off (docs/deploy.md).
    prepare_after = os.environ.get("PG_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=None if prepare_after == "off" else int(prepare_after),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (production), process memory otherwise. While Redis
# is unreachable the cache misses instead of failing pages (newsroom/cache.py).
if redis_url := os.environ.get("REDIS_URL"):
    redis_timeout = float(os.environ.get("REDIS_TIMEOUT", "1"))
    CACHES = {
        "default": {
            # Django's Redis backend: misses while Redis is down, one client per pool.
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": redis_timeout, "socket_timeout": redis_timeout},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The full-page cache (newsroom/caching.py): how long a stored page may live (0 turns the
# page cache and its public headers off), and what shared caches (nginx, a CDN) and
# browsers are told. Every stored page is dropped at once when public content changes,
# which needs a cache all server processes share: on by default only with REDIS_URL
# (each gunicorn worker has its own in-process cache, and would keep its stale pages).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if redis_url else "0"))
PAGE_SHARED_SECONDS = int(os.environ.get("PAGE_SHARED_SECONDS", "5"))
PAGE_STALE_SECONDS = int(os.environ.get("PAGE_STALE_SECONDS", "5"))
PAGE_BROWSER_SECONDS = int(os.environ.get("PAGE_BROWSER_SECONDS", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The newsroom's own time zone: editors read and enter times in it.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # The local disk, removing a partly written file when a write fails (a full disk).
    "default": {"BACKEND": "images.storage.MediaStorage"},
    "staticfiles": {
        # Hashed, compressed file names in production; plain files while developing.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# Uploaded media on S3 (or any S3-compatible store) when a bucket is named; the local
# file system under MEDIA_ROOT otherwise. Credentials come from the usual AWS_* variables
# or the machine's role, read by boto3 itself.
if bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # Public, permanent URLs: images are published material, and signed URLs
            # would change on every request and defeat caching.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# Images (images/validation.py): uploads over these limits are refused with a message.
IMAGES_MAX_BYTES = int(os.environ.get("IMAGES_MAX_BYTES", 20 * 1024 * 1024))
IMAGES_MAX_PIXELS = int(os.environ.get("IMAGES_MAX_PIXELS", 50_000_000))
# Store uploaded originals byte for byte (metadata included) instead of re-encoding them
# without EXIF/GPS. Renditions, which are what readers load, are stripped either way.
IMAGES_KEEP_ORIGINAL = env_bool("IMAGES_KEEP_ORIGINAL")

TAGGIT_CASE_INSENSITIVE = True

# TinyMCE 7 is bundled by django-tinymce and served from our own static files.
TINYMCE_JS_URL = STATIC_URL + "tinymce/tinymce.min.js"
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    # TinyMCE's built-in English: it has no en_GB language pack to fetch (that is a 404).
    "language": "en_US",
    "menubar": False,
    "height": 320,
    "plugins": "link lists autolink",
    "toolbar": "bold italic | link | bullist numlist | blockquote | removeformat",
    "branding": False,
    # No status bar: its resize handle carries ARIA that axe-core flags as prohibited.
    "statusbar": False,
    "promotion": False,
    "convert_urls": False,
    "entity_encoding": "raw",
}

# ---------------------------------------------------------------------------------------
# Security. Every knob and its default is listed in the README ("Deployment and security").

# Content Security Policy, enforced on every response (Django's own middleware). Scripts
# and styles come only from our own static files; the few inline scripts carry the
# per-request nonce ({{ csp_nonce }}). Images may also be data: URLs (the admin's and
# TinyMCE's icons). newsroom.security relaxes style-src for the admin only (see there).
CSP_IMG_SOURCES = [CSP.SELF, "data:"]
if MEDIA_URL.startswith(("https://", "http://")):  # media on another host (a CDN)
    CSP_IMG_SOURCES.append("/".join(MEDIA_URL.split("/")[:3]))  # its origin
if bucket:  # images served from S3: its custom domain, endpoint or bucket host
    media_options = STORAGES["default"]["OPTIONS"]
    if media_options["custom_domain"]:
        CSP_IMG_SOURCES.append(f"https://{media_options['custom_domain']}")
    elif media_options["endpoint_url"]:
        CSP_IMG_SOURCES.append("/".join(media_options["endpoint_url"].split("/")[:3]))
    else:
        CSP_IMG_SOURCES.append(f"https://{bucket}.s3.amazonaws.com")
        if media_options["region_name"]:
            CSP_IMG_SOURCES.append(
                f"https://{bucket}.s3.{media_options['region_name']}.amazonaws.com"
            )
# Any other image host, comma-separated origins (e.g. https://img.example.org).
CSP_IMG_SOURCES += env_list("CSP_IMG_HOSTS", "")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": CSP_IMG_SOURCES,
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Browser features no page of ours uses, switched off (newsroom.security sends it).
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "usb=()",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Django's SecurityMiddleware sends it; the admin's "+" popups are same-origin, so they work.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: the admin posts the form's token
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after this much idleness: every request moves the expiry forward
# (readers have no session, and an empty session is never saved).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("STAFF_IDLE_MINUTES", "120"))
SESSION_SAVE_EVERY_REQUEST = True

# The admin's address: "admin/" unless ADMIN_URL_PATH names another (e.g. "desk-7f3a/").
ADMIN_URL_PATH = os.environ.get("ADMIN_URL_PATH", "admin").strip().strip("/") + "/"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins from one address,
# or for one username, sign-in is refused for AXES_COOLOFF_MINUTES. Unlock earlier with
# `manage.py axes_reset_username NAME`, `axes_reset_ip ADDRESS` or `axes_reset` (everyone).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The client's address: REMOTE_ADDR, or the address our own proxies saw when
# TRUSTED_PROXY_COUNT says how many of them sit in front of the app.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"

# Public rate limits per client address (newsroom/ratelimit.py), "requests/seconds" or "off":
# searches, preview links (secret tokens: guessing them is the abuse) and feeds.
RATE_LIMITS = {
    "search": os.environ.get("RATE_LIMIT_SEARCH", "30/60"),
    "preview": os.environ.get("RATE_LIMIT_PREVIEW", "20/60"),
    "feeds": os.environ.get("RATE_LIMIT_FEEDS", "120/60"),
}
AXES_ALLOWED_CORS_ORIGINS = SITE_URL  # only for the JSON lockout answer to XHR sign-ins

# Production hardening: on with NEWSROOM_PRODUCTION=1, and `check --deploy` stays silent.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are sent only over HTTPS, only to this host, only with Path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Background tasks (django.tasks): stored in the database and run by a separate worker
# process, `manage.py db_worker` (not started by `make run`). Tests use the immediate
# backend (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The citation link checker (sources/linkcheck.py), run only by the worker or by
# `manage.py check_links`, never during a page request.
LINKCHECK_TIMEOUT = float(os.environ.get("LINKCHECK_TIMEOUT", "10"))  # seconds per request
LINKCHECK_HOST_INTERVAL = float(os.environ.get("LINKCHECK_HOST_INTERVAL", "5"))  # per host
LINKCHECK_MAX_REDIRECTS = int(os.environ.get("LINKCHECK_MAX_REDIRECTS", "5"))
LINKCHECK_RECHECK_DAYS = int(os.environ.get("LINKCHECK_RECHECK_DAYS", "30"))  # a healthy link
# Private, loopback and link-local addresses are refused (no probing of our own network);
# only tests, which check against 127.0.0.1, turn this on.
LINKCHECK_ALLOW_PRIVATE = env_bool("LINKCHECK_ALLOW_PRIVATE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
