"""
The full-page cache for the public site, and the HTTP caching headers that go with it.

A public page (PUBLIC_PAGES: home, article, category, topic, author, experts, feeds,
sitemaps) rendered for a reader is kept in the cache under its address, together with
the *content generation* it was rendered in. The generation is a token in the cache,
replaced whenever public content changes (any save or delete of a model of PUBLIC_APPS,
except PRIVATE_MODELS: see `content_changed`), so one write makes every stored page
stale at once, with no list of keys to purge. A new model in a public app is covered
without anyone remembering to add it; an editorial model that must not flush the cache
(autosaves every 30 seconds) goes into PRIVATE_MODELS.

Time alone changes what readers may see too (a scheduled article going live, an
unpublish time passing). No write happens then, so a stored page lives at most until the
next such moment (`Article.objects.next_visibility_change()`) and is rendered anew on
time, with no job running. The same cap bounds the `s-maxage` a CDN or nginx is given.

Signed-in staff are never served from, nor stored into, the cache: a request with a
session cookie skips it, and a signed-in user's page says `Cache-Control: private,
no-store`. Search pages get the public headers (so nginx may micro-cache them for a few
seconds) but are never stored here: their addresses are unbounded.

Every public page carries an ETag and Last-Modified and answers a matching conditional
GET with 304, cached or not.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from articles.pagination import ARCHIVE_MAX_PAGES

# The views whose pages depend only on their address and on public content.
PUBLIC_PAGES = {
    "articles:home",
    "articles:detail",
    "articles:category",
    "articles:topic",
    "articles:author",
    "articles:feed",
    "articles:subject-feed",
    "articles:sitemap-index",
    "articles:sitemap",
    "articles:sitemap-news",
    "articles:robots",
    "experts:list",
    "experts:detail",
    # Editorial trust (issue 10).
    "articles:watching",
    "articles:topic-watching",
    "articles:resolutions-feed",
    "articles:corrections",
    "articles:corrections-feed",
    "sources:list",
    "sources:detail",
}
# Public, so they get the public headers, but never stored: any text makes a new address.
PUBLIC_UNSTORED_PAGES = {"articles:search"}

# Query parameters that change a public page (?page= on lists, ?p= on sitemaps,
# ?content=full on feeds), with the values that make a bounded set of addresses: a
# crawler walking ?page=1…99999 must not fill the cache with copies of the last page.
KEY_PARAMETERS = {
    "page": lambda value: value.isdigit() and 1 <= int(value) <= ARCHIVE_MAX_PAGES,
    "p": lambda value: value.isdigit() and 1 <= int(value) <= 1000,
    "content": lambda value: value == "full",
}
# Parameters no page reads: shared links carry them, and they must not split the cache.
IGNORED_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ref"}

# Apps whose models readers see; a change to any of their rows bumps the generation…
PUBLIC_APPS = {"articles", "experts", "images", "site_settings", "sources", "taggit"}
# …except these editorial records, which readers never see.
PRIVATE_MODELS = {
    "articles.autosave",
    "articles.revision",
    "articles.previewlink",
    "articles.transition",
}

GENERATION_KEY = "page-cache:generation"


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(**kwargs):
    """Several server processes with their own in-process caches would each keep their
    stale pages after a change: the page cache needs Redis (or another shared cache)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "PAGE_CACHE_SECONDS is set but the cache is each process's own memory: "
                "with several gunicorn workers, a change would not reach the pages the "
                "other workers stored.",
                hint="Set REDIS_URL, or PAGE_CACHE_SECONDS=0.",
                id="newsroom.W001",
            )
        ]
    return []


# The content generation ----------------------------------------------------------------


def new_generation() -> str:
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    return generation


def current_generation() -> str:
    return cache.get(GENERATION_KEY) or new_generation()


def lifetime_until(next_change: float | None, now: float, seconds: int) -> int:
    """`seconds`, cut short at the next visibility change (if any)."""
    return seconds if next_change is None else min(seconds, int(next_change - now))


def cached_in_generation(name: str, compute, seconds: int):
    """
    compute(), kept in the cache under the content generation for at most `seconds` and
    never past the next visibility change: for a piece of public content shared by many
    pages (as the search page's expert and topic names), forgotten with the pages.
    """
    generation = current_generation()
    key = f"{name}:{generation}"
    value = cache.get(key)
    if value is None:
        value = compute()
        now = time.time()
        lifetime = lifetime_until(next_visibility_change(generation, now), now, seconds)
        if lifetime >= 1:
            cache.set(key, value, lifetime)
    return value


def forget_public_pages() -> None:
    """Make every stored page stale: now, and again when the transaction commits.

    Now, so the writer's own next request sees its change; at commit, because a reader
    who read the new token before the commit rendered the old rows under it."""
    new_generation()
    transaction.on_commit(new_generation)


def is_public_model(model) -> bool:
    meta = model._meta
    return meta.app_label in PUBLIC_APPS and meta.label_lower not in PRIVATE_MODELS


@receiver(post_save, dispatch_uid="page-cache-save")
@receiver(post_delete, dispatch_uid="page-cache-delete")
def content_changed(sender, update_fields=None, **kwargs):
    if is_public_model(sender):
        forget_public_pages()


@receiver(m2m_changed, dispatch_uid="page-cache-m2m")
def relation_changed(sender, action, **kwargs):
    if action.startswith("post_") and is_public_model(sender):
        forget_public_pages()


def next_change_key(generation: str) -> str:
    return f"page-cache:next-change:{generation}"


def next_visibility_change(generation: str, now: float) -> float | None:
    """The next moment (a timestamp) visibility changes by time alone, known per generation.

    Every write that could move it (saving an article) makes a new generation; the moment
    itself is asked again once it has passed."""
    from articles.models import Article

    key = next_change_key(generation)
    moment = cache.get(key)
    if moment and moment <= now:
        # It has come: an article went live or away. Related-article lists may hold
        # it (or miss it) too: forget them with the pages.
        from articles.related import forget_related_articles

        forget_related_articles()
    if moment is None or (moment and moment <= now):
        when = Article.objects.next_visibility_change()
        moment = when.timestamp() if when else 0.0
        cache.set(key, moment, settings.PAGE_CACHE_SECONDS or 60)
    return moment or None


# Addresses -------------------------------------------------------------------------------


def page_key(request) -> str | None:
    """The cache key for this request's page, or None when its address is not cacheable."""
    kept = []
    for name, values in request.GET.lists():
        check = KEY_PARAMETERS.get(name)
        if check is not None:
            if len(values) != 1 or not check(values[0]):
                return None
            kept.append(f"{name}={values[0]}")
        elif not (name.startswith("utm_") or name in IGNORED_PARAMETERS):
            return None
    address = request.path + "?" + "&".join(sorted(kept))
    return "page-cache:page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def view_name(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


# Headers -----------------------------------------------------------------------------


def shared_seconds(next_change: float | None, now: float) -> int:
    """How long a shared cache (nginx, a CDN) may keep the page: never past the next change."""
    seconds = settings.PAGE_SHARED_SECONDS
    if next_change is not None:
        seconds = min(seconds, int(next_change - now))
    return max(0, seconds)


def add_validators(response) -> None:
    """ETag from the body, and Last-Modified: the view's own, else the time it was rendered."""
    # One chunk: a feed is written element by element, and each chunk would be a write to
    # the socket on every hit.
    response.content = response.content
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response.headers["Last-Modified"] = http_date()


def make_public(response, next_change: float | None, now: float) -> None:
    # Browsers revalidate every time (a 304 costs little); shared caches keep the page a
    # few seconds, and may serve it stale a little longer while they fetch the new one.
    shared = shared_seconds(next_change, now)
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PAGE_BROWSER_SECONDS, shared),
        s_maxage=shared,
        stale_while_revalidate=settings.PAGE_STALE_SECONDS if shared else 0,
    )


def make_private(response) -> None:
    response.headers.pop("Cache-Control", None)
    patch_cache_control(response, private=True, no_store=True)


def is_storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
    )


# The middleware ------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serves readers' public pages from the cache and stores them there.

    Sits right under SecurityMiddleware: a stored page carries every header the layers
    below added (its CSP among them), and a hit skips them all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if settings.PAGE_CACHE_SECONDS and request.method == "GET" and not has_session(request):
            key = page_key(request)
        generation = next_change = None
        if key is not None:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or new_generation()
            entry = found.get(key)
            now = time.time()
            if entry is not None and entry[0] == generation and entry[1] > now:
                _, expires, response = entry
                # A shared cache may keep it no longer than this copy lives (its end is
                # never past the next scheduled change).
                make_public(response, expires, now)
                response.headers["X-Page-Cache"] = "hit"
                return conditional(request, response)
            next_change = next_visibility_change(generation, time.time())

        response = self.get_response(request)
        return self.finish(request, response, key, generation, next_change)

    def finish(self, request, response, key, generation, next_change):
        name = view_name(request)
        public = name in PUBLIC_PAGES or name in PUBLIC_UNSTORED_PAGES
        if not public:
            return response
        user = getattr(request, "user", None)
        if has_session(request) and user is not None and user.is_authenticated:
            make_private(response)
            return response
        if response.status_code != 200 or response.streaming or response.cookies:
            return response  # a page that sets a cookie is for its reader alone
        add_validators(response)
        now = time.time()
        if not settings.PAGE_CACHE_SECONDS:
            # No page cache, so no knowledge of the next scheduled change: let every cache
            # revalidate each time (ETag and Last-Modified keep that cheap).
            patch_cache_control(response, no_cache=True)
        else:
            if next_change is None and generation is None:
                generation = current_generation()
                next_change = next_visibility_change(generation, now)
            make_public(response, next_change, now)
            lifetime = lifetime_until(next_change, now, settings.PAGE_CACHE_SECONDS)
            if key is not None and name in PUBLIC_PAGES and lifetime >= 1:
                if is_storable(response):
                    response.headers["X-Page-Cache"] = "miss"
                    cache.set(key, (generation, now + lifetime, response), lifetime)
        return conditional(request, response)


def conditional(request, response):
    """The response, or 304 Not Modified when the reader's copy matches it."""
    return get_conditional_response(
        request,
        etag=response.headers.get("ETag"),
        last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
        response=response,
    )
