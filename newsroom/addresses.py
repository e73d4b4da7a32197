"""
reverse(), remembered.

A page links to its categories, authors, experts, topics and the site's own lists dozens
of times, and each reverse() costs tens of microseconds: a tenth of an uncached article
page went there. An address depends only on the URL name, its arguments, the script
prefix and the URLconf, so it is worked out once per process for each of them.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def address(name: str, *args, **kwargs) -> str:
    """reverse(name, args=args, kwargs=kwargs), from memory after the first time."""
    return _address(
        name,
        tuple(str(arg) for arg in args),
        tuple(sorted((key, str(value)) for key, value in kwargs.items())),
        get_script_prefix(),
        get_urlconf(settings.ROOT_URLCONF),
    )


@functools.lru_cache(maxsize=20_000)
def _address(name: str, args: tuple, kwargs: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)
