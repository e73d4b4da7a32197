from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from experts.models import Perspective
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_expert,
    make_full_article,
)

pytestmark = pytest.mark.django_db


def parse(client, url, **params):
    response = client.get(url, params, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return response, feed


def subject_feed_urls(category, author, expert):
    return {
        "category": [
            reverse("articles:subject-feed", args=["category", category.slug, f])
            for f in ("rss", "atom")
        ],
        "topic": [
            reverse("articles:subject-feed", args=["topic", "energy", f]) for f in ("rss", "atom")
        ],
        "author": [
            reverse("articles:subject-feed", args=["author", author.slug, f])
            for f in ("rss", "atom")
        ],
        "expert": [
            reverse("articles:subject-feed", args=["expert", expert.slug, f])
            for f in ("rss", "atom")
        ],
    }


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_site_feed_has_published_articles_newest_first(client, format):
    now = timezone.now()
    older = make_article(headline="Older", published_at=now - timedelta(days=2))
    newer = make_article(headline="Newer <b>& bold</b>", published_at=now - timedelta(hours=1))
    make_article(headline="A draft", status=Article.Status.DRAFT)
    make_article(headline="Scheduled", published_at=now + timedelta(hours=5))
    response, feed = parse(client, f"/feeds/{format}/")
    assert feed.version == ("rss20" if format == "rss" else "atom10")
    assert [entry.title for entry in feed.entries] == ["Newer <b>& bold</b>", "Older"]
    assert feed.entries[0].link == "https://news.example.org" + newer.get_absolute_url()
    assert feed.entries[1].id == f"urn:uuid:{older.uuid}"
    assert feed.feed.link == "https://news.example.org/"
    assert "127.0.0.1" not in response.content.decode()
    # RFC 822 dates in RSS, RFC 3339 in Atom: feedparser parses both into a struct.
    assert feed.entries[0].published_parsed is not None


def test_guid_survives_a_slug_change_and_an_update(client):
    article = make_article(headline="First title")
    _, before = parse(client, "/feeds/rss/")
    article.headline, article.slug = "Second title", "second-title"
    article.save()
    _, after = parse(client, "/feeds/rss/")
    assert before.entries[0].id == after.entries[0].id == f"urn:uuid:{article.uuid}"
    assert after.entries[0].link.endswith("/articles/second-title/")


def test_entries_carry_authors_and_categories(client):
    category = make_category(name="World")
    article = make_article(category=category, authors=[make_author(name="Sarah Johnson")])
    article.topics.add("Diplomacy")
    _, feed = parse(client, "/feeds/atom/")
    entry = feed.entries[0]
    assert entry.author == "Sarah Johnson"
    assert {tag.term for tag in entry.tags} == {"World", "Diplomacy"}


def test_summary_by_default_full_text_on_request(client):
    article = make_full_article(parts=2, brief="The brief.")
    _, summary = parse(client, "/feeds/rss/")
    assert "The brief." in summary.entries[0].summary
    assert "Body 1" not in summary.entries[0].summary
    _, full = parse(client, "/feeds/rss/", content="full")
    text = full.entries[0].summary
    for fragment in [
        "The brief.",
        "Section 1",
        "Body 2",
        "Quote 1",
        "Claim 2",
        "Watch 1",
        "The talks changed little.",
    ]:
        assert fragment in text
    assert f'href="https://news.example.org{article.get_absolute_url()}"' in text
    _, full_atom = parse(client, "/feeds/atom/", content="full")
    assert "Body 2" in full_atom.entries[0].summary


def test_subject_feeds_list_only_their_articles(client):
    category, author, expert = make_category(), make_author(), make_expert()
    theirs = make_article(category=category, authors=[author])
    theirs.topics.add("Energy")
    Perspective.objects.create(article=theirs, expert=expert, quote="A quote.")
    make_article()  # about none of them
    hidden = make_article(category=category, authors=[author], status=Article.Status.DRAFT)
    hidden.topics.add("Energy")
    Perspective.objects.create(article=hidden, expert=expert, quote="Unpublished.")
    for kind, urls in subject_feed_urls(category, author, expert).items():
        for url in urls:
            _, feed = parse(client, url)
            assert [entry.id for entry in feed.entries] == [f"urn:uuid:{theirs.uuid}"], kind


@pytest.mark.parametrize(
    "url", ["/feeds/json/", "/feeds/category/nowhere/rss/", "/feeds/planet/x/rss/"]
)
def test_unknown_feeds_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_feed_queries_do_not_grow_with_entries(client, django_assert_num_queries, count):
    category, author, expert = make_category(), make_author(), make_expert()
    for _ in range(count):
        article = make_full_article(parts=2, category=category, authors=[author, make_author()])
        article.topics.add("Energy")
        Perspective.objects.create(article=article, expert=expert, position=9, quote="Q")
    client.get("/")  # site settings cached, as after any earlier visitor
    with django_assert_num_queries(3):
        client.get("/feeds/rss/")
    # Full text uses for_page(): the articles, then every part of every one of them
    # (articles/page_parts.py).
    with django_assert_num_queries(2):
        client.get("/feeds/atom/", {"content": "full"})
    for urls in subject_feed_urls(category, author, expert).values():
        with django_assert_num_queries(4):
            client.get(urls[0])


def test_every_page_head_announces_its_feeds(client):
    category, author, expert = make_category(), make_author(), make_expert()
    article = make_article(category=category, authors=[author])
    article.topics.add("Energy")
    Perspective.objects.create(article=article, expert=expert, quote="A quote.")
    site_feeds = [
        'type="application/rss+xml" title="The Newsroom: latest (RSS)" '
        'href="https://news.example.org/feeds/rss/"',
        'type="application/atom+xml" title="The Newsroom: latest (Atom)" '
        'href="https://news.example.org/feeds/atom/"',
    ]
    pages = {
        "/": [],
        article.get_absolute_url(): [],
        category.get_absolute_url(): subject_feed_urls(category, author, expert)["category"],
        "/topics/energy/": subject_feed_urls(category, author, expert)["topic"],
        author.get_absolute_url(): subject_feed_urls(category, author, expert)["author"],
        expert.get_absolute_url(): subject_feed_urls(category, author, expert)["expert"],
        "/experts/": [],
    }
    for page, own_feeds in pages.items():
        html = client.get(page).content.decode()
        head = html[: html.index("</head>")]
        for link in site_feeds:
            assert link in head, page
        for url in own_feeds:
            assert f'href="https://news.example.org{url}"' in head, page
