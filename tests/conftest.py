import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_and_isolated(settings, tmp_path):
    """Each test: a fast password hasher, its own media folder and an empty cache."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://news.example.org"
    cache.clear()
    yield
    cache.clear()
