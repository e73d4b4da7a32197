"""
Settings of the Wagtail site that `make bench-wagtail` measures Newsroom against.

A minimal Wagtail 8 project, set up as the Wagtail documentation and `wagtail start` set
one up, serving the same articles as Newsroom's benchmark database, copied into Wagtail
pages by `manage.py seed_from_newsroom` (news/management/commands/seed_from_newsroom.py).

What is equal on both sides:
- the machine, the PostgreSQL server, Django (6.1.3), psycopg and gunicorn (same pins as
  requirements.txt), Python, 2 sync gunicorn workers, wrk's load (newsroom/bench_wagtail.py);
- the content: every article's headline, slug, brief, byline, date, category, body
  sections (the same cleaned HTML), expert perspectives (expert, credential, quote,
  disclosure), citations, looking-ahead intro and watch items, bottom line and topics;
- production settings: DEBUG off, the cached template loader, CONN_MAX_AGE 60 with
  health checks, an in-process (local memory) cache, the same middleware a production
  Django site runs (security, sessions, CSRF, auth, messages, clickjacking);
- the page: news/templates/news/article_page.html renders what
  templates/articles/article_detail.html renders for these articles (header, byline,
  brief, sections, perspectives, evidence, looking ahead, bottom line, topics, share
  links, up to four related articles cached for 10 minutes as Newsroom caches them,
  Open Graph tags, category navigation in the header and footer); the home page shows
  the 12 newest articles as cards with a link to the next page.

What differs, the idiomatic Wagtail way:
- articles are pages in Wagtail's tree (Home > Articles index > article), served by
  Wagtail's own view: it finds the site, walks the tree by slug and checks view
  restrictions on every request (Newsroom: one URL pattern and one query per part);
- sections, perspectives, citations and watch items are StreamField blocks stored as JSON
  on the page's row (Newsroom: rows of their own); experts, authors and categories are
  snippets (experts chosen in the perspective block, authors through an Orderable byline,
  the category a ForeignKey); topics are tags through ClusterTaggableManager;
- Wagtail re-renders rich text on every view (expand_db_html), Newsroom's is stored clean;
- the category navigation is one query a request here (Newsroom caches it);
- no revisions, search index or reference index are written by the bulk seed (a page
  saved in the admin would have them), and nothing here is measured that reads them;
- Newsroom's extras that these articles do not use (images, corrections, editor's
  comments, resolved watch items, source pages) are not modelled; Newsroom's server-side
  prepared statements (a Newsroom setting) are not used: Wagtail's default is kept.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "wagtail-bench-only-not-secret-" + "k" * 40)
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "news",
    # What `wagtail start` installs, less search promotions and the styleguide.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Wagtail's database search backend on PostgreSQL needs it.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "wagtailbench.urls"
WSGI_APPLICATION = "wagtailbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Compiled templates are kept in memory, as Newsroom's production settings do.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/nr_bench_wagtail"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR.parent.parent / "var" / "bench-wagtail" / "static"
MEDIA_ROOT = BASE_DIR.parent.parent / "var" / "bench-wagtail" / "media"
MEDIA_URL = "/media/"

WAGTAIL_SITE_NAME = "Newsroom on Wagtail"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
