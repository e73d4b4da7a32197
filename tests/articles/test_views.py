import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.corrections import Correction
from articles.models import Article, Citation, Section, WatchItem
from sources.models import LinkState, Source
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_full_article,
    make_user,
)
from tests.images.pictures import make_image

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


def make_article_with_every_part(parts: int) -> Article:
    """`parts` of every kind the page shows, each with what it links to: section images,
    cited sources with a dead link and an archived copy, watch items resolved by later
    articles, items of earlier articles this one resolved, corrections and topics."""
    image = make_image()
    article = make_full_article(parts=parts, authors=[make_author(), make_author()])
    Section.objects.filter(article=article).update(image=image)
    for n in range(1, parts + 1):
        Citation.objects.filter(article=article, position=n).update(
            source=Source.objects.create(name=f"Organisation {n}"),
            archived_url=f"https://archive.example/{n}",
            link_state=LinkState.DEAD,
            link_checked_at=timezone.now(),
        )
        item = WatchItem.objects.get(article=article, position=n)
        item.resolve(WatchItem.Status.HAPPENED, by=make_article(), note=f"Outcome {n}")
        item.save()
        earlier = make_article(published_at=timezone.now() - timedelta(days=30))
        earlier_item = WatchItem(article=earlier, text=f"Earlier watch {n}")
        earlier_item.resolve(WatchItem.Status.DID_NOT_HAPPEN, by=article)
        earlier_item.save()
        Correction.objects.create(article=article, text=f"Correction {n}", part=f"Part {n}")
    return article


@pytest.mark.parametrize("parts", [1, 20])
def test_article_page_query_count_does_not_grow_with_its_parts(
    client, django_assert_num_queries, parts
):
    article = make_article_with_every_part(parts)
    make_full_article(parts=1, category=article.category)  # something related to show
    client.get("/")  # fills the navigation cache, as any earlier visitor would have
    # 1 the article, with its category, editor and lead image
    # 2 all its parts at once (articles/page_parts.py): byline and authors, sections and
    #   their images, perspectives and experts, citations and their sources, watch items
    #   both ways (its own with the later articles that resolved them, and those of
    #   earlier articles it resolved with those articles), corrections, topics
    # 3 the related articles: the first view computes them, later ones take them cached.
    with django_assert_num_queries(3):
        cold = client.get(article.get_absolute_url())
    with django_assert_num_queries(2):
        warm = client.get(article.get_absolute_url())
    assert len(cold.context["related_articles"]) == len(warm.context["related_articles"]) == 1
    html = warm.content.decode()
    # Every part, and what each links to, is on the page: the budget left nothing out.
    assert html.count("<h2>Section ") == html.count('alt="A red and blue test picture"') == parts
    assert html.count('class="source-page"') == html.count('class="archived-copy"') == parts
    assert html.count('class="watch-outcome outcome-happened"') == parts
    assert html.count(" — read <a href=") == parts  # the later, public, resolving article
    assert html.count('id="resolves-') == html.count("Earlier watch ") == parts
    assert html.count('class="correction correction-') == parts


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


def test_articles_loaded_together_each_get_their_own_parts_complete_and_in_order(
    client, django_assert_num_queries
):
    article = make_full_article(parts=3)
    Citation.objects.filter(article=article, position=2).update(
        source_date=datetime.date(2025, 10, 2)
    )
    # Added newest first on purpose: the page lists corrections oldest first.
    newer = Correction.objects.create(article=article, text="Second", created_by=make_user())
    older = Correction.objects.create(
        article=article,
        kind=Correction.Kind.UPDATE,
        text="First",
        part="Claim 2",
        created_at=timezone.now() - timedelta(hours=3, microseconds=7),
    )
    # `later` resolves the article's second item; the article resolves one of `earlier`'s.
    later = make_full_article(parts=1)
    resolved_item = WatchItem.objects.get(article=article, position=2)
    resolved_item.resolve(WatchItem.Status.HAPPENED, by=later)
    resolved_item.save()
    earlier = make_article(headline="Earlier analysis")
    earlier_item = WatchItem(article=earlier, position=1, text="Earlier watch")
    earlier_item.resolve(WatchItem.Status.SUPERSEDED, by=article)
    earlier_item.save()

    loaded = {a.pk: a for a in Article.objects.for_page().filter(pk__in=[article.pk, later.pk])}
    with django_assert_num_queries(0):  # everything came with the two articles
        page, other = loaded[article.pk], loaded[later.pk]
        citations = list(page.citations.all())
        watch_items = list(page.watch_items.all())
        resolved = list(page.resolved_watch_items.all())
        corrections = list(page.corrections.all())
        assert [item.text for item in other.watch_items.all()] == ["Watch 1"]
        assert list(other.resolved_watch_items.all()) == [resolved_item]
        assert list(other.corrections.all()) == []
        # Each object holds the loaded articles it links to: no query to reach them.
        assert other.resolved_watch_items.all()[0].article is page
        assert watch_items[1].resolved_by is other
        assert all(item.article is page for item in watch_items)
        assert resolved[0].article.headline == "Earlier analysis"
        assert all(correction.article is page for correction in corrections)
    assert all(isinstance(citation, Citation) for citation in citations)
    assert [(c.position, c.claim, c.source_name) for c in citations] == [
        (n, f"Claim {n}", f"Source {n}") for n in (1, 2, 3)
    ]
    assert citations[1].source_date == datetime.date(2025, 10, 2)
    assert all(isinstance(item, WatchItem) for item in watch_items)
    assert [item.text for item in watch_items] == ["Watch 1", "Watch 2", "Watch 3"]
    assert resolved == [earlier_item]
    # Corrections rebuilt from JSON equal what the database holds, field for field.
    fields = ["pk", "article_id", "kind", "text", "part", "created_at", "created_by_id"]
    assert [[getattr(c, name) for name in fields] for c in corrections] == [
        [getattr(c, name) for name in fields] for c in Correction.objects.filter(article=article)
    ]
    assert [c.pk for c in corrections] == [older.pk, newer.pk]
    assert corrections[0].created_at.tzinfo is not None
    assert all(not c._state.adding and not c.get_deferred_fields() for c in corrections)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2025-10-02">2 October 2025</time>' in html


def test_a_page_querysets_rows_as_values_load_no_parts():
    article = make_full_article(parts=1)
    assert list(Article.objects.for_page().values_list("headline", flat=True)) == [article.headline]


def test_page_topics_come_in_name_order_with_their_addresses(client):
    article = make_article()
    article.topics.add("Energy", "Climate", "bonds")
    page = Article.objects.for_page().get(pk=article.pk)
    assert [topic.name for topic in page.topics.all()] == ["bonds", "Climate", "Energy"]
    html = client.get(article.get_absolute_url()).text
    assert html.index('href="/topics/climate/"') < html.index('href="/topics/energy/"')


def test_topics_loaded_with_the_rows_stay_the_articles_own_when_queried_further():
    article, other = make_article(), make_article()
    article.topics.add("Energy", "Climate")
    other.topics.add("Energy", "Bonds")
    loaded = Article.objects.with_topics().get(pk=article.pk)
    assert [topic.name for topic in loaded.topics.all()] == ["Climate", "Energy"]
    assert sorted(loaded.topics.names()) == ["Climate", "Energy"]
    assert [tag.name for tag in loaded.topics.all().filter(name__startswith="B")] == []
