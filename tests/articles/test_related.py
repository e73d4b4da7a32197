"""Related articles at the end of an article: shared topics, experts and category."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.related import compute_related_articles, related_articles
from experts.models import Perspective
from tests.factories import make_article, make_category, make_expert

pytestmark = pytest.mark.django_db


def loaded(article):
    """The article as the page loads it (topics and perspectives prefetched)."""
    return Article.objects.for_page().get(pk=article.pk)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def quote(article, expert):
    position = article.perspectives.count() + 1
    Perspective.objects.create(article=article, expert=expert, position=position, quote="Q.")


def test_more_shared_topics_and_experts_rank_higher_then_newest_first():
    world = make_category()
    expert = make_expert()
    article = make_article(category=world)
    article.topics.add("Energy", "Baltic")
    quote(article, expert)
    two_topics_and_expert = make_article(published_at=days_ago(30))
    two_topics_and_expert.topics.add("Energy", "Baltic")
    quote(two_topics_and_expert, expert)
    one_topic_old = make_article(published_at=days_ago(20))
    one_topic_old.topics.add("Energy")
    same_category_new = make_article(category=world, published_at=days_ago(2))
    expert_only_newest = make_article(published_at=days_ago(1))
    quote(expert_only_newest, expert)
    make_article()  # nothing in common
    assert compute_related_articles(loaded(article)) == [
        two_topics_and_expert,
        expert_only_newest,  # score 1, newest among the score-1 articles
        same_category_new,
        one_topic_old,
    ]


def test_at_most_four_and_never_itself_a_draft_or_the_future():
    world = make_category()
    article = make_article(category=world)
    make_article(category=world, status=Article.Status.DRAFT)
    make_article(category=world, published_at=timezone.now() + timedelta(days=1))
    others = [make_article(category=world, published_at=days_ago(n)) for n in range(2, 8)]
    related = compute_related_articles(loaded(article))
    assert related == others[:4]


def test_an_article_with_nothing_to_share_has_none_and_costs_no_query(
    django_assert_num_queries,
):
    article = loaded(make_article())
    with django_assert_num_queries(0):
        assert compute_related_articles(article) == []


def test_related_articles_cost_one_query_whatever_the_article_size(django_assert_num_queries):
    article = make_article(category=make_category())
    article.topics.add(*[f"Topic {n}" for n in range(15)])
    for _ in range(10):
        quote(article, make_expert())
    page_article = loaded(article)
    compute_related_articles(page_article)  # content type cache, as on any warm server
    with django_assert_num_queries(1):
        related_articles(page_article)
    with django_assert_num_queries(0):
        related_articles(page_article)


@pytest.mark.parametrize("change", ["publish", "unpublish", "save", "topics", "perspective"])
def test_cache_is_forgotten_when_anything_that_matters_changes(change):
    world = make_category()
    expert = make_expert()
    article = make_article(category=world)
    article.topics.add("Energy")
    other = make_article(published_at=days_ago(3))
    draft = make_article(category=world, status=Article.Status.DRAFT)
    visible = make_article(category=world, published_at=days_ago(5))
    before = related_articles(loaded(article))
    assert before == [visible]
    if change == "publish":
        draft.status = Article.Status.PUBLISHED
        draft.save()
        expected = [draft, visible]
    elif change == "unpublish":
        visible.status = Article.Status.DRAFT
        visible.save()
        expected = []
    elif change == "save":
        visible.headline = "Renamed"
        visible.save()
        expected = [visible]
    elif change == "topics":
        other.topics.add("Energy")
        expected = [other, visible]
    else:
        quote(article, expert)
        quote(other, expert)
        expected = [other, visible]
    after = related_articles(loaded(article))
    assert after == expected
    assert [a.headline for a in after] == [a.headline for a in expected]


def test_article_page_shows_related_articles(client):
    world = make_category()
    article = make_article(category=world)
    related = make_article(category=world, headline="A related story")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Related analysis" in html
    assert f'href="{related.get_absolute_url()}"' in html
