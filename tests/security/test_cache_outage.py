"""
A Redis outage is not an outage of the site (newsroom/cache.py): with the cache's Redis
refusing connections, pages are built from the database and a warning is logged.
"""

import os
import socket

import pytest
from django.test import Client

from newsroom.cache import ResilientRedisCache
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    return settings


def test_pages_answer_while_redis_is_down(redis_down, caplog):
    article = make_article(category=make_category(name="World"))
    reader = Client()
    for path in ["/", article.get_absolute_url(), "/search/?q=headline", "/feeds/rss/"]:
        response = reader.get(path)
        assert response.status_code == 200, path
    assert "World" in reader.get("/").content.decode()  # the navigation, from the database
    assert "Cache unavailable" in caplog.text


def test_reads_miss_and_writes_are_skipped(redis_down):
    from django.core.cache import cache

    cache.set("k", 1)
    assert cache.get("k", "missing") == "missing"
    assert cache.get_or_set("k", lambda: "computed") == "computed"
    assert cache.add("k", 1) is False
    assert cache.get_many(["k"]) == {}
    assert cache.delete("k") is False


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="set TEST_REDIS_URL=redis://127.0.0.1:6379/N to check the cache against Redis",
)
def test_with_redis_up_it_is_an_ordinary_cache():
    cache = ResilientRedisCache(os.environ["TEST_REDIS_URL"], {"KEY_PREFIX": "resilient-test"})
    try:
        cache.set("k", {"a": 1}, 30)
        assert cache.get("k") == {"a": 1}
        assert cache.add("k", 2) is False
        assert cache.get_or_set("other", lambda: 3) == 3
        assert cache.get("other") == 3
    finally:
        cache.delete_many(["k", "other"])
