"""
Redis as a cache whose outage is not an outage of the site.

The navigation, the site settings and related articles are cached; Django's RedisCache
raises when Redis is unreachable, so a Redis restart made every page a 500. Here, while
Redis cannot be reached (refused, reset or timed out), reads miss and writes are skipped:
pages are built from the database as if nothing were cached, a warning is logged, and
the cache is used again as soon as Redis answers. Short socket timeouts (settings.py,
REDIS_TIMEOUT) keep a hung Redis from hanging requests. `incr` still raises: a count
cannot be faked (the rate limiter serves uncounted then, see newsroom/ratelimit.py).
And one redis client per connection pool, not one per operation (below).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _warn(operation: str, error: Exception) -> None:
    logger.warning("Cache unavailable (%s skipped): %s", operation, error)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis (with its ~170 response callbacks) for
    every operation: a third of a cached page's time. One per connection pool serves
    every thread (redis.Redis is thread-safe); the pools are Django's own."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            _warn("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as error:
            _warn("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as error:
            _warn("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            _warn("add", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            _warn("set", error)
            return None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as error:
            _warn("set_many", error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as error:
            _warn("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as error:
            _warn("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as error:
            _warn("delete_many", error)
            return None

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as error:
            _warn("clear", error)
            return None
