"""
Per-client rate limits for the public pages that cost the most to answer.

A search runs full-text queries; a preview link is a secret token worth guessing; a feed
is built from many articles. None needs a session, so nothing else stops one client from
asking thousands of times a minute. Each is limited per client address (the same address
login throttling uses, `newsroom.security.client_ip`, which trusts X-Forwarded-For only as
far as TRUSTED_PROXY_COUNT says), in fixed windows counted in the cache: Redis in
production, so every worker and server shares the count; the in-process cache otherwise.
Past the limit the client gets 429 Too Many Requests, a Retry-After header and a short
page saying when to come back.

Fixed windows (one INCR per request) are cheap and enough against abuse; their one
softness is that a client can send up to twice the limit across a window's edge.

Limits are "requests/seconds" in settings.RATE_LIMITS, each read from the environment
(RATE_LIMIT_SEARCH and so on); "off" switches one off. The proxy in front (nginx's
`limit_req`) is the first line against floods; this one keeps working without it, and
per scope. Addresses are hashed before they become cache keys. While the cache is
unreachable requests are served uncounted (and logged): a Redis restart must not take
search down with it.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

from .security import client_ip

logger = logging.getLogger(__name__)


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """ "30/60" → (30 requests, per 60 seconds); "off", "" or None → None (no limit)."""
    if not rate or rate.strip().lower() in {"off", "0", "none"}:
        return None
    count, _, seconds = rate.partition("/")
    limit, window = int(count), int(seconds or 60)
    if limit < 1 or window < 1:
        raise ValueError(f"A rate limit is 'requests/seconds', both at least 1: {rate!r}")
    return limit, window


def hit(scope: str, request) -> int | None:
    """Count one request of `scope` for its client; the seconds to wait if over the limit."""
    rate = parse_rate(settings.RATE_LIMITS.get(scope))
    client = client_ip(request)
    if rate is None or not client:
        return None
    limit, window = rate
    now = time.time()
    current = int(now // window)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client}".encode()).hexdigest()[:24]
    key = f"ratelimit:{scope}:{digest}:{current}"
    try:
        # add() then incr(): atomic on Redis, so concurrent workers never lose a count.
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window + 1)
            count = 1
    except Exception:  # the cache is down (a Redis restart): serve, do not fail the page
        logger.warning("Rate limit for %s not counted: the cache is unavailable", scope,
                       exc_info=True)  # fmt: skip
        return None
    if count <= limit:
        return None
    return max(1, int((current + 1) * window - now + 0.999))


def too_many_requests(request, retry_after: int) -> HttpResponse:
    html = render_to_string("429.html", {"retry": retry_after})
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope: str):
    """Decorate a view: past the scope's limit, a client gets the 429 page instead."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            retry_after = hit(scope, request)
            if retry_after is not None:
                return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
