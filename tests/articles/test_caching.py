"""The full-page cache (newsroom/caching.py): fast for readers, never stale after a change."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.autosave import Autosave
from articles.corrections import Correction
from articles.models import Article, Citation, Section, WatchItem
from articles.preview import PreviewLink
from articles.revisions import Revision
from experts.models import Perspective
from newsroom import caching
from site_settings.models import SiteSettings
from sources.models import Source
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_expert,
    make_full_article,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_SHARED_SECONDS = 5
    settings.PAGE_STALE_SECONDS = 5
    settings.PAGE_BROWSER_SECONDS = 0


def travel(monkeypatch, seconds: float) -> None:
    """Move the clock of the site and of the cache `seconds` ahead (never back)."""
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + seconds)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=seconds))


def fetch(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def html(client, url) -> str:
    return fetch(client, url).content.decode()


def test_a_readers_second_visit_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    article = make_full_article()
    first = fetch(client, article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = fetch(client, article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def public_pages(article):
    expert = article.perspectives.first().expert
    topic = article.topics.first()
    return [
        "/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        reverse("articles:topic", args=[topic.slug]),
        article.byline_authors[0].get_absolute_url(),
        reverse("experts:list"),
        expert.get_absolute_url(),
        reverse("articles:feed", args=["rss"]),
        reverse("articles:feed", args=["atom"]) + "?content=full",
        reverse("articles:subject-feed", args=["category", article.category.slug, "rss"]),
        reverse("articles:sitemap-index"),
        reverse("articles:sitemap", args=["articles"]),
        reverse("articles:sitemap-news"),
        reverse("articles:robots"),
        reverse("articles:watching"),
        reverse("articles:topic-watching", args=[topic.slug]),
        reverse("articles:resolutions-feed", args=["rss"]),
        reverse("articles:corrections"),
        reverse("articles:corrections-feed", args=["atom"]),
        reverse("sources:list"),
    ]


def test_every_public_page_is_cached_and_the_same_as_rendered(client):
    article = make_full_article()
    for url in public_pages(article):
        first = fetch(client, url)
        second = fetch(client, url)
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit"), url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url


def test_tracking_parameters_share_the_page_and_unknown_ones_are_not_stored(client):
    article = make_article()
    url = article.get_absolute_url()
    fetch(client, url)
    assert fetch(client, url + "?utm_source=x&utm_medium=social")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in fetch(client, url + "?anything=1")
    assert "X-Page-Cache" not in fetch(client, url + "?anything=1")
    # Pages of a list are pages of their own; nonsense page numbers are not stored.
    assert fetch(client, "/?page=2")["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in fetch(client, "/?page=abc")
    assert "X-Page-Cache" not in fetch(client, "/?page=101")  # past the archive's depth


def test_search_pages_get_public_headers_but_are_never_stored(client):
    make_article(headline="Grain corridor talks")
    for _ in range(2):
        response = fetch(client, reverse("articles:search"), data={"q": "grain"})
        assert "X-Page-Cache" not in response
        assert "public" in response["Cache-Control"]


# Invalidation: every change a reader could see ----------------------------------------


def test_editing_an_article_shows_at_once(client):
    article = make_full_article(headline="Old headline")
    for url in ["/", article.get_absolute_url()]:
        assert "Old headline" in html(client, url)
    article.headline = "New headline"
    article.save()
    for url in ["/", article.get_absolute_url(), reverse("articles:feed", args=["rss"])]:
        assert "New headline" in html(client, url)


def test_publishing_and_unpublishing_show_at_once(client):
    draft = make_full_article(headline="Soon public", status=Article.Status.DRAFT)
    assert "Soon public" not in html(client, "/")
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert "Soon public" in html(client, "/")
    assert fetch(client, draft.get_absolute_url())
    draft.status = Article.Status.UNPUBLISHED
    draft.save()
    assert "Soon public" not in html(client, "/")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_deleting_an_article_shows_at_once(client):
    article = make_article(headline="Going away")
    assert "Going away" in html(client, "/")
    article.delete()
    assert "Going away" not in html(client, "/")


def test_a_correction_shows_on_the_article_at_once(client):
    article = make_full_article()
    url = article.get_absolute_url()
    assert "The figure was 12, not 21." not in html(client, url)
    Correction.objects.create(article=article, text="The figure was 12, not 21.")
    assert "The figure was 12, not 21." in html(client, url)


def rename_section(article, heading):
    section = Section.objects.get(article=article)
    section.heading = heading
    section.save()


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda a: rename_section(a, "A retitled section"), "A retitled section"),
        (lambda a: Citation.objects.create(article=a, position=9, claim="New claim"), "New claim"),
        (lambda a: WatchItem.objects.create(article=a, position=9, text="New watch"), "New watch"),
        (lambda a: a.topics.add("Fresh topic"), "Fresh topic"),
        (
            lambda a: Perspective.objects.create(
                article=a, expert=make_expert(name="Dr Newcomer"), position=9, quote="Q"
            ),
            "Dr Newcomer",
        ),  # fmt: skip
    ],
    ids=["section", "citation", "watch-item", "topic", "perspective"],
)
def test_a_change_to_any_part_of_an_article_shows_at_once(client, change, expected):
    article = make_full_article()
    url = article.get_absolute_url()
    assert expected not in html(client, url)
    change(article)
    assert expected in html(client, url)


def test_renaming_the_category_author_or_expert_shows_on_the_article(client):
    article = make_full_article()
    url = article.get_absolute_url()
    html(client, url)
    category = article.category
    category.name = "Renamed category"
    category.save()
    assert "Renamed category" in html(client, url)
    author = article.byline_authors[0]
    author.name = "Renamed Author"
    author.save()
    assert "Renamed Author" in html(client, url)
    expert = article.perspectives.first().expert
    expert.name = "Renamed Expert"
    expert.save()
    assert "Renamed Expert" in html(client, url)


def test_renaming_a_source_shows_on_the_article(client):
    article = make_full_article()
    citation = article.citations.first()
    citation.source = Source.objects.create(name="Harbour Institute", slug="harbour-institute")
    citation.save()
    url = article.get_absolute_url()
    assert "More claims from Harbour Institute" in html(client, url)
    source = citation.source
    source.name = "Harbour Research Institute"
    source.save()
    assert "More claims from Harbour Research Institute" in html(client, url)


def test_changing_the_byline_shows_at_once(client):
    article = make_article()
    url = article.get_absolute_url()
    html(client, url)
    article.authors.add(make_author(name="Second Writer"), through_defaults={"position": 2})
    assert "Second Writer" in html(client, url)


def test_site_settings_show_on_every_page_at_once(client):
    article = make_article()
    html(client, article.get_absolute_url())
    SiteSettings(site_name="The Renamed Gazette").save()
    assert "The Renamed Gazette" in html(client, article.get_absolute_url())


def test_a_scheduled_article_goes_live_on_time_with_nothing_running(client, monkeypatch):
    out = make_full_article(headline="Already out")
    scheduled = make_full_article(
        headline="Due in two minutes",
        category=out.category,  # so it is related to the article already out
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(minutes=2),
    )
    home = fetch(client, "/")
    assert "Due in two minutes" not in home.content.decode()
    assert fetch(client, "/")["X-Page-Cache"] == "hit"
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert "Due in two minutes" not in html(client, out.get_absolute_url())

    travel(monkeypatch, 60)  # not yet: still the stored page
    assert fetch(client, "/")["X-Page-Cache"] == "hit"

    travel(monkeypatch, 121)  # past the publish time: no write happened, yet it is there
    assert "Due in two minutes" in html(client, "/")
    assert fetch(client, scheduled.get_absolute_url())
    # …in the feed, and among the related articles of the article already out.
    assert "Due in two minutes" in html(client, reverse("articles:feed", args=["rss"]))
    assert "Due in two minutes" in html(client, out.get_absolute_url())


def test_an_unpublish_time_takes_the_article_down_on_time(client, monkeypatch):
    article = make_article(
        headline="Until noon", unpublish_at=timezone.now() + timedelta(minutes=5)
    )
    assert "Until noon" in html(client, "/")
    fetch(client, article.get_absolute_url())
    travel(monkeypatch, 5 * 60 + 1)
    assert "Until noon" not in html(client, "/")
    assert client.get(article.get_absolute_url()).status_code == 404


def test_shared_caches_are_never_told_to_keep_a_page_past_a_scheduled_change(client, settings):
    settings.PAGE_SHARED_SECONDS = 3600
    make_article(status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(60))
    assert "s-maxage=3600" in fetch(client, "/")["Cache-Control"]
    make_article(
        status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(seconds=90)
    )
    for _ in range(2):  # stored, then from the cache
        control = fetch(client, "/")["Cache-Control"]
        shared = int(control.split("s-maxage=")[1].split(",")[0])
        assert 80 <= shared <= 90


def test_editorial_records_do_not_flush_the_cache(client, admin_user):
    article = make_article()
    url = article.get_absolute_url()
    fetch(client, url)
    generation = cache.get(caching.GENERATION_KEY)
    Autosave.objects.create(user=admin_user, article=article, data={"headline": ["Draft"]})
    Revision.capture(article, admin_user, note="checkpoint")
    PreviewLink.objects.create(article=article, expires_at=timezone.now() + timedelta(days=1))
    admin_user.last_login = timezone.now()
    admin_user.save(update_fields=["last_login"])
    client.force_login(admin_user)  # a session row
    client.logout()
    assert cache.get(caching.GENERATION_KEY) == generation
    assert fetch(client, url)["X-Page-Cache"] == "hit"


def test_the_generation_is_replaced_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        make_category()
    assert caching.new_generation in callbacks


# Staff ---------------------------------------------------------------------------------


def test_signed_in_staff_are_never_served_or_stored_and_never_cached(client):
    article = make_article(headline="Public text")
    url = article.get_absolute_url()
    fetch(client, url)  # stored for readers
    client.force_login(make_staff("Editor"))
    response = fetch(client, url)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"
    # Their own visit stored nothing a reader could get.
    Article.objects.filter(pk=article.pk).update(headline="Changed behind the cache")
    caching.forget_public_pages()
    client.logout()
    assert fetch(client, url)["X-Page-Cache"] == "miss"


def test_the_admin_is_never_stored(client):
    client.force_login(make_staff("Editor"))
    assert "X-Page-Cache" not in client.get(reverse("admin:index"))
    client.logout()
    assert "X-Page-Cache" not in client.get(reverse("admin:index"))


def test_pages_that_fail_are_not_stored(client):
    assert "X-Page-Cache" not in client.get("/articles/no-such-article/")
    category = make_category()
    assert "X-Page-Cache" not in client.get(category.get_absolute_url() + "?page=1&x=")


# Redis, as production runs it ---------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/1"


@pytest.fixture
def redis_cache(settings):
    """Our Redis backend (newsroom/cache.py), as settings.py configures it."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error})")
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom-tests",
        }
    }
    cache.clear()
    yield redis.Redis.from_url(REDIS_URL)
    cache.clear()


def test_the_page_cache_works_in_redis(client, redis_cache, django_assert_num_queries):
    article = make_full_article(headline="Stored in Redis")
    url = article.get_absolute_url()
    assert fetch(client, url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert fetch(client, url)["X-Page-Cache"] == "hit"
    assert any(b"page-cache:page:" in key for key in redis_cache.keys("newsroom-tests:*"))
    assert cache._cache.get_client() is cache._cache.get_client()  # one client, reused
    article.headline = "Changed in Redis"
    article.save()
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Changed in Redis" in response.content


def test_deploy_check_warns_when_workers_could_not_share_the_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 600
    assert [warning.id for warning in caching.check_shared_cache()] == ["newsroom.W001"]
    settings.PAGE_CACHE_SECONDS = 0
    assert caching.check_shared_cache() == []


def test_content_kept_in_the_generation_lives_no_longer_than_the_next_scheduled_change(
    monkeypatch,
):
    make_article(
        status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(minutes=2)
    )
    kept = {}
    set_in_cache = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout=None: (
            kept.update({key: timeout}) or set_in_cache(key, value, timeout)
        ),
    )
    computed = []
    assert caching.cached_in_generation("names", lambda: computed.append(1) or ["a"], 600) == ["a"]
    assert caching.cached_in_generation("names", lambda: computed.append(1) or ["b"], 600) == ["a"]
    assert computed == [1]
    (timeout,) = [timeout for key, timeout in kept.items() if key.startswith("names:")]
    assert 100 <= timeout <= 120  # the article goes live in two minutes, not ten
    caching.forget_public_pages()
    assert caching.cached_in_generation("names", lambda: ["c"], 600) == ["c"]
