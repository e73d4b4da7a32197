"""
Related articles: up to four published articles that share topics, experts or the category.

Score = shared topics + shared experts + 1 for the same category; newest first among
equals. Computed in one query from what the article page has already prefetched (its
topics and perspectives), then cached. The cache is keyed by a generation number that
every change able to alter a result bumps (an article saved or deleted, topics or
perspectives changed: see signals.py), and expires after RELATED_CACHE_SECONDS so that a
scheduled article, which becomes public without any save, shows up within that time.
"""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from experts.models import Perspective

from .models import Article

RELATED_LIMIT = 4
RELATED_CACHE_SECONDS = 10 * 60
GENERATION_KEY = "related-articles:generation"


def forget_related_articles() -> None:
    """Make every cached list of related articles stale at once."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def related_articles(article: Article) -> list[Article]:
    """The related articles for `article`, from the cache or in at most one query."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        forget_related_articles()
        generation = cache.get(GENERATION_KEY)
    key = f"related-articles:{generation}:{article.pk}"
    related = cache.get(key)
    if related is None:
        related = compute_related_articles(article)
        cache.set(key, related, RELATED_CACHE_SECONDS)
    return related


def _count(queryset, column: str):
    """A correlated COUNT(*) subquery over `queryset`, grouped by `column`."""
    counted = queryset.order_by().values(column).annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def compute_related_articles(article: Article) -> list[Article]:
    """One query; uses `article.topics.all()` and `article.perspectives.all()` as prefetched."""
    topic_ids = [topic.pk for topic in article.topics.all()]
    expert_ids = sorted({perspective.expert_id for perspective in article.perspectives.all()})
    if not (topic_ids or expert_ids or article.category_id):
        return []
    article_type = ContentType.objects.get_for_model(Article)  # cached after the first call
    shared_topics = TaggedItem.objects.filter(
        content_type=article_type, object_id=OuterRef("pk"), tag_id__in=topic_ids
    )
    shared_experts = Perspective.objects.filter(article=OuterRef("pk"), expert_id__in=expert_ids)
    candidates = Q(category_id=article.category_id) if article.category_id else Q(pk__in=[])
    if topic_ids:
        tagged = TaggedItem.objects.filter(content_type=article_type, tag_id__in=topic_ids)
        candidates |= Q(pk__in=tagged.values("object_id"))
    if expert_ids:
        quoting = Perspective.objects.filter(expert_id__in=expert_ids)
        candidates |= Q(pk__in=quoting.values("article_id"))
    same_category = Case(
        When(category_id=article.category_id, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    score = same_category
    if topic_ids:
        score = score + _count(shared_topics, "object_id")
    if expert_ids:
        score = score + _count(shared_experts, "article_id")
    return list(
        Article.objects.published()
        .filter(candidates)
        .exclude(pk=article.pk)
        .select_related("category")
        .annotate(relatedness=score)
        .order_by("-relatedness", "-published_at", "-pk")[:RELATED_LIMIT]
    )
