"""Public rate limits (newsroom/ratelimit.py): search, preview links and feeds, per client."""

import os

import pytest
from django.test import Client
from django.utils import timezone

from articles.preview import DEFAULT_LIFETIME, PreviewLink
from newsroom import ratelimit
from tests.factories import make_article

pytestmark = pytest.mark.django_db


class Clock:
    """The limiter's clock, stopped mid-window: no test may straddle a window's edge."""

    def __init__(self):
        self.now = 1_000_040.0  # 20 s into a 60-second window

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    stopped = Clock()
    monkeypatch.setattr(ratelimit, "time", stopped)
    return stopped


@pytest.fixture
def limits(settings, clock):
    settings.RATE_LIMITS = {"search": "3/60", "preview": "2/60", "feeds": "2/60"}
    return settings


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_search_past_the_limit_is_429_with_retry_after_and_a_friendly_page(limits):
    make_article(headline="Cable")
    reader = client_at("203.0.113.7")
    for _ in range(3):
        assert reader.get("/search/", {"q": "cable"}).status_code == 200
    response = reader.get("/search/", {"q": "cable"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Slow down a little" in html
    assert f"wait {response['Retry-After']} second" in html


def test_the_limit_is_per_client(limits):
    first, second = client_at("203.0.113.7"), client_at("198.51.100.9")
    for _ in range(3):
        first.get("/search/", {"q": "x"})
    assert first.get("/search/", {"q": "x"}).status_code == 429
    assert second.get("/search/", {"q": "x"}).status_code == 200


def test_scopes_are_counted_apart(limits):
    reader = client_at("203.0.113.7")
    for _ in range(3):
        reader.get("/search/", {"q": "x"})
    assert reader.get("/search/", {"q": "x"}).status_code == 429
    assert reader.get("/feeds/rss/").status_code == 200
    assert reader.get("/").status_code == 200  # other pages are not limited


def test_the_window_ends_and_the_client_may_search_again(limits, clock):
    reader = client_at("203.0.113.7")
    for _ in range(3):
        reader.get("/search/", {"q": "x"})
    response = reader.get("/search/", {"q": "x"})
    assert response.status_code == 429
    assert response["Retry-After"] == "40"  # the window ends 40 s later
    clock.now += int(response["Retry-After"])
    assert reader.get("/search/", {"q": "x"}).status_code == 200


def test_forwarded_for_does_not_escape_the_limit_without_a_trusted_proxy(limits):
    reader = client_at("203.0.113.7")
    for number in range(3):
        reader.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = reader.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_reader_is_counted_apart(limits):
    limits.TRUSTED_PROXY_COUNT = 1
    proxy = client_at("127.0.0.1")
    for _ in range(3):
        proxy.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert proxy.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert proxy.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_guessing_preview_tokens_is_limited(limits):
    guesser = client_at("203.0.113.7")
    assert guesser.get("/preview/guess-1/").status_code == 404
    assert guesser.get("/preview/guess-2/").status_code == 404
    assert guesser.get("/preview/guess-3/").status_code == 429


def test_a_real_preview_link_opens_within_the_limit(limits):
    article = make_article(status="draft")
    link = PreviewLink.objects.create(article=article, expires_at=timezone.now() + DEFAULT_LIFETIME)
    assert client_at("203.0.113.7").get(link.get_absolute_url()).status_code == 200


def test_feeds_are_limited(limits):
    reader = client_at("203.0.113.7")
    assert reader.get("/feeds/rss/").status_code == 200
    assert reader.get("/feeds/atom/").status_code == 200
    assert reader.get("/feeds/rss/").status_code == 429


def test_every_feed_shares_the_feeds_limit(limits):
    reader = client_at("203.0.113.7")
    assert reader.get("/feeds/corrections/rss/").status_code == 200
    assert reader.get("/feeds/resolutions/atom/").status_code == 200
    assert reader.get("/feeds/rss/").status_code == 429


def test_a_limit_can_be_switched_off(limits):
    limits.RATE_LIMITS = {"search": "off"}
    reader = client_at("203.0.113.7")
    assert all(reader.get("/search/", {"q": "x"}).status_code == 200 for _ in range(10))


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("30/60", (30, 60)), ("5", (5, 60)), ("off", None), ("", None), (None, None), ("0", None)],
)
def test_rates_are_read_as_requests_per_seconds(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["-1/60", "5/0", "five/60"])
def test_nonsense_rates_are_refused(rate):
    with pytest.raises(ValueError):
        ratelimit.parse_rate(rate)


def test_client_addresses_are_not_kept_in_cache_keys(limits, monkeypatch):
    keys = []
    real_add = ratelimit.cache.add

    def add(key, *args, **kwargs):
        keys.append(key)
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(ratelimit.cache, "add", add)
    client_at("203.0.113.7").get("/search/", {"q": "x"})
    assert keys and not any("203.0.113.7" in key for key in keys)


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="set TEST_REDIS_URL=redis://127.0.0.1:6379/N to count in a real Redis",
)
def test_counts_are_shared_through_redis_as_in_production(limits):
    """The count lives in Redis, where every worker and server reads the same one."""
    from django.core.cache.backends.redis import RedisCache

    location = os.environ["TEST_REDIS_URL"]
    limits.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": location, "KEY_PREFIX": f"ratelimit-test-{os.getpid()}"}
    }  # fmt: skip
    from django.core.cache import cache

    try:
        reader = client_at("203.0.113.7")
        statuses = [reader.get("/search/", {"q": "x"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        other_worker = RedisCache(location, {"KEY_PREFIX": f"ratelimit-test-{os.getpid()}"})
        keys = other_worker._cache.get_client().keys("*ratelimit:search:*")
        assert len(keys) == 1
        assert int(other_worker._cache.get_client().get(keys[0])) == 4
    finally:
        cache.clear()


def test_a_cache_outage_serves_the_page_uncounted(limits, monkeypatch, caplog):
    class Down:
        def add(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        incr = add

    monkeypatch.setattr(ratelimit, "cache", Down())  # the limiter's cache only
    reader = client_at("203.0.113.7")
    assert all(reader.get("/search/", {"q": "x"}).status_code == 200 for _ in range(5))
    assert "not counted: the cache is unavailable" in caplog.text
