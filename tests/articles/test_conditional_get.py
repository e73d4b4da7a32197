"""Conditional GET and Cache-Control on public pages: 304 when the reader's copy is current."""

import pytest
from django.urls import reverse

from tests.factories import make_full_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[600, 0], ids=["page-cache-on", "page-cache-off"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param
    settings.PAGE_SHARED_SECONDS = 5
    settings.PAGE_STALE_SECONDS = 5
    settings.PAGE_BROWSER_SECONDS = 0
    return request.param


def urls(article):
    return [
        article.get_absolute_url(),
        reverse("articles:feed", args=["rss"]),
        reverse("articles:feed", args=["atom"]),
        reverse("articles:sitemap-index"),
        reverse("articles:sitemap", args=["articles"]),
        reverse("articles:sitemap-news"),
    ]


def test_articles_feeds_and_sitemaps_answer_304_to_a_matching_etag(client, page_cache):
    article = make_full_article()
    for url in urls(article):
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"] and first["Last-Modified"], url
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]


def test_a_matching_last_modified_answers_304(client, page_cache):
    article = make_full_article()
    for url in urls(article):
        first = client.get(url)
        again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
        assert again.status_code == 304, url


def test_a_changed_article_answers_200_with_a_new_etag(client, page_cache):
    article = make_full_article(headline="Before")
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    article.headline = "After"
    article.save()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"After" in response.content


def test_public_pages_tell_shared_caches_how_long_to_keep_them(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_SHARED_SECONDS, settings.PAGE_STALE_SECONDS = 5, 7
    settings.PAGE_BROWSER_SECONDS = 0
    article = make_full_article()
    for url in [*urls(article), "/", article.category.get_absolute_url()]:
        for _ in range(2):  # rendered, then from the cache
            directives = {part.strip() for part in client.get(url)["Cache-Control"].split(",")}
            assert directives == {
                "public",
                "max-age=0",
                "s-maxage=5",
                "stale-while-revalidate=7",
            }, url


def test_without_the_page_cache_every_cache_revalidates(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = make_full_article()
    assert client.get(article.get_absolute_url())["Cache-Control"] == "no-cache"


def test_signed_in_staff_get_private_no_store_and_no_304_from_the_readers_copy(client, page_cache):
    article = make_full_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    client.force_login(make_staff("Editor"))
    response = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
