from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article, make_author, make_category, make_full_article

pytestmark = pytest.mark.django_db


def test_home_lists_newest_published_articles_first(client):
    now = timezone.now()
    older = make_article(headline="Older", published_at=now - timedelta(days=2))
    newer = make_article(headline="Newer", published_at=now - timedelta(hours=1))
    make_article(headline="A draft", status=Article.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]
    assert b"A draft" not in response.content


def test_article_page_shows_every_part_in_order(client):
    article = make_full_article(parts=2, headline="Talks end without a deal")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    expected_in_order = [
        "<h1>Talks end without a deal</h1>",
        article.byline_authors[0].name,
        "<time datetime=",
        article.brief,
        "<h2>Section 1</h2>",
        "<p>Body 1</p>",
        "<h2>Section 2</h2>",
        "Expert Perspectives",
        "<blockquote",
        "Quote 1",
        "senior fellow",
        "Data &amp; Evidence",
        "Claim 1",
        'href="https://example.org/1"',
        "Looking Ahead",
        "Key developments to watch include:",
        "Watch 1",
        "The Bottom Line",
        "<p>The talks changed little.</p>",
        "<p>The war goes on.</p>",
        "Topics",
        "Topic 1",
        "Editor's Comments",
        "A striking meeting.",
        "Share this article",
    ]
    cursor = html.index("<main")
    for fragment in expected_in_order:
        cursor = html.index(fragment, cursor)  # raises if missing or out of order
    assert "<article" in html and "<cite>" in html


def test_plain_text_fields_are_escaped_on_the_page(client):
    article = make_full_article(brief="<script>alert(1)</script>", bottom_line="<b>bold?</b>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


def test_draft_article_is_404_for_readers(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_changed_slug_redirects_permanently_to_the_new_address(client):
    article = make_article(headline="First headline")
    old_url = article.get_absolute_url()
    article.slug = "second-headline"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/second-headline/"


def test_old_slug_of_a_draft_does_not_reveal_it(client):
    article = make_article(headline="Secret plan")
    article.slug = "renamed-plan"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get("/articles/secret-plan/").status_code == 404


def test_category_page_lists_only_its_published_articles(client):
    world, economy = make_category(name="World"), make_category(name="Economy")
    in_world = make_article(category=world)
    make_article(category=economy)
    make_article(category=world, status=Article.Status.DRAFT)
    response = client.get(world.get_absolute_url())
    assert list(response.context["articles"]) == [in_world]


def test_topic_page_lists_articles_with_the_topic(client):
    tagged = make_article()
    tagged.topics.add("Energy Security")
    make_article()
    response = client.get(reverse("articles:topic", args=["energy-security"]))
    assert response.status_code == 200
    assert list(response.context["articles"]) == [tagged]
    assert Tag.objects.get().name == "Energy Security"


def test_author_page_lists_their_bylines(client):
    author = make_author(name="Sarah Johnson", bio="Covers diplomacy.")
    theirs = make_article(authors=[author])
    make_article()
    response = client.get(author.get_absolute_url())
    assert list(response.context["articles"]) == [theirs]
    assert b"Covers diplomacy." in response.content


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1'--", "%00"])
def test_bad_page_numbers_show_a_page_instead_of_an_error(client, page):
    make_article()
    response = client.get("/", {"page": page})
    assert response.status_code == 200


def test_unknown_category_is_404(client):
    assert client.get("/category/nowhere/").status_code == 404


def test_lists_paginate(client):
    for _ in range(13):
        make_article()
    first = client.get("/")
    second = client.get("/", {"page": 2})
    assert len(first.context["articles"]) == 12
    assert len(second.context["articles"]) == 1


@pytest.mark.parametrize("parts", [1, 20])
def test_article_page_query_count_does_not_grow_with_its_parts(
    client, django_assert_num_queries, parts
):
    article = make_full_article(parts=parts)
    make_full_article(parts=1, category=article.category)  # something related to show
    client.get("/")  # fills the navigation cache, as any earlier visitor would have
    # 9 warm: the 8th query is the article's corrections (issue 3), the 9th the earlier
    # watch items it resolves (issue 10), the budget's last one.
    # The first view also computes the related articles (one query, then cached): 10 cold.
    with django_assert_num_queries(10):
        cold = client.get(article.get_absolute_url())
    with django_assert_num_queries(9):
        warm = client.get(article.get_absolute_url())
    assert len(cold.context["related_articles"]) == len(warm.context["related_articles"]) == 1


@pytest.mark.parametrize("count", [2, 12])
def test_list_pages_query_count_does_not_grow_with_articles_shown(
    client, django_assert_num_queries, count
):
    category = make_category()
    author = make_author()
    for _ in range(count):
        article = make_article(category=category, authors=[author, make_author()])
        article.topics.add("Shared")
    client.get("/")
    with django_assert_num_queries(3):
        client.get("/")
    with django_assert_num_queries(4):
        client.get(category.get_absolute_url())
    with django_assert_num_queries(4):
        client.get(reverse("articles:topic", args=["shared"]))
    with django_assert_num_queries(4):
        client.get(author.get_absolute_url())


def test_citations_and_watch_items_arrive_together_complete_and_in_order(
    client, django_assert_num_queries
):
    import datetime

    from articles.models import Citation, WatchItem

    article = make_full_article(parts=3)
    Citation.objects.filter(article=article, position=2).update(
        source_date=datetime.date(2025, 10, 2)
    )
    other = make_full_article(parts=1)
    loaded = {a.pk: a for a in Article.objects.for_page().filter(pk__in=[article.pk, other.pk])}
    with django_assert_num_queries(0):  # both came with the article, in one query
        citations = list(loaded[article.pk].citations.all())
        watch_items = list(loaded[article.pk].watch_items.all())
        assert len(loaded[other.pk].citations.all()) == len(loaded[other.pk].watch_items.all())
    assert all(isinstance(citation, Citation) for citation in citations)
    assert [(c.position, c.claim, c.source_name) for c in citations] == [
        (n, f"Claim {n}", f"Source {n}") for n in (1, 2, 3)
    ]
    assert citations[1].source_date == datetime.date(2025, 10, 2)
    assert all(isinstance(item, WatchItem) for item in watch_items)
    assert [item.text for item in watch_items] == ["Watch 1", "Watch 2", "Watch 3"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2025-10-02">2 October 2025</time>' in html
