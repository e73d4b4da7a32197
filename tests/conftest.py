import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_and_isolated(settings, tmp_path):
    """Each test: a fast password hasher, its own media folder and an empty cache.

    The full-page cache is off, so query budgets measure rendering; the tests of the page
    cache (tests/articles/test_caching.py) turn it on."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://news.example.org"
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` are skipped, with the reason, when the database is SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Background tasks run at once, in the test's own transaction (no worker needed)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
