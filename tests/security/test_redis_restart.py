"""
A real Redis stopped and started again under the site (newsroom/cache.py): pages keep
answering while it is down, and the cache is used again by itself once it is back.

A throwaway redis-server of our own on a free port (never a shared one); skipped, with the
reason, where redis-server is not installed.
"""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.test import Client

from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    def __init__(self, binary: str, folder):
        self.binary, self.folder, self.port = binary, folder, free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def keys(self) -> int:
        return redis.Redis(port=self.port).dbsize()


@pytest.fixture
def throwaway_redis(tmp_path, settings):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server to run this")
    server = ThrowawayRedis(binary, tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.stop()


def test_pages_answer_through_a_redis_restart_and_the_cache_comes_back(throwaway_redis):
    article = make_article(category=make_category(name="World"))
    reader = Client()
    paths = ["/", article.get_absolute_url(), "/search/?q=headline"]
    assert all(reader.get(path).status_code == 200 for path in paths)
    assert throwaway_redis.keys() > 0  # the navigation and settings were cached

    throwaway_redis.stop()
    started = time.monotonic()
    for path in paths:
        response = reader.get(path)
        assert response.status_code == 200, path
        assert "World" in response.content.decode()  # the navigation, from the database
    assert time.monotonic() - started < 10  # refused at once: nothing waits on Redis

    throwaway_redis.start()  # empty, on the same port
    for _ in range(3):  # the first request may meet a connection that died with it
        assert reader.get("/").status_code == 200
    assert throwaway_redis.keys() > 0  # cached again, with no restart of the site
