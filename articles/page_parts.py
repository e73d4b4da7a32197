"""
The article page's parts that prefetch_related() cannot load in as few queries.

ArticleQuerySet.for_page() prefetches most parts with one query per relation. Three
relations cost less another way: one query for the first two, none for the third.

- Watch items, in both directions: the article's own Looking Ahead items and the items of
  earlier articles it resolved. One query fetches every watch item that belongs to, or was
  resolved by, one of the articles; Python splits them between the two relations.
- Corrections, rare and short: a JSON array in a subquery column of the article's own row
  (JSONRows), turned back into Correction objects with every field loaded (not deferred
  ones, which would each cost a query when read).

All three end up where prefetch_related() would have put them, so `article.watch_items.all()`,
`article.resolved_watch_items.all()` and `article.corrections.all()` run no query.
"""

import datetime
from collections import defaultdict
from operator import attrgetter

from django.conf import settings
from django.db import connections, models
from django.db.models import Aggregate, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from .corrections import Correction
from .models import Article, WatchItem

# The annotation on the article's row that carries its corrections.
CORRECTION_ROWS = "correction_rows"


class JSONRows(Aggregate):
    """The aggregated values as one JSON array: JSON_GROUP_ARRAY on SQLite, JSONB_AGG on
    PostgreSQL (jsonb, which Django's JSONField reads, where JSON_AGG's json is not)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def with_corrections(articles: models.QuerySet) -> models.QuerySet:
    """`articles` with each one's corrections as JSON rows, every column of the table."""
    columns = {field.attname: field.attname for field in Correction._meta.concrete_fields}
    rows = (
        Correction.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(rows=JSONRows(JSONObject(**columns)))
        .values("rows")
    )
    return articles.annotate(**{CORRECTION_ROWS: Subquery(rows)})


def attach_page_parts(articles: list[Article]) -> None:
    """Watch items (both directions, one query) and corrections (no query) for `articles`."""
    if not articles:
        return
    by_pk = {article.pk: article for article in articles}
    own, resolved = defaultdict(list), defaultdict(list)
    items = (
        WatchItem.objects.filter(Q(article__in=list(by_pk)) | Q(resolved_by__in=list(by_pk)))
        .select_related("article", "resolved_by")
        # As Article.objects does: the search vector is large and only the database reads it.
        .defer("article__search_vector", "resolved_by__search_vector")
        .order_by("position", "pk")
    )
    for item in items:
        if item.article_id in by_pk:
            item.article = by_pk[item.article_id]
            own[item.article_id].append(item)
        if item.resolved_by_id in by_pk:
            item.resolved_by = by_pk[item.resolved_by_id]
            resolved[item.resolved_by_id].append(item)
    for article in articles:
        set_prefetched(article, "watch_items", own[article.pk])
        set_prefetched(
            article, "resolved_watch_items", sorted(resolved[article.pk], key=attrgetter("pk"))
        )
        if hasattr(article, CORRECTION_ROWS):
            corrections = [
                model_from_json(Correction, row, article._state.db)
                for row in getattr(article, CORRECTION_ROWS) or []
            ]
            for correction in corrections:
                correction.article = article
            corrections.sort(key=attrgetter("created_at", "pk"))  # Correction.Meta.ordering
            set_prefetched(article, "corrections", corrections)


def set_prefetched(instance: models.Model, name: str, objects: list) -> None:
    """Store `objects` as prefetch_related(name) would: `instance.<name>.all()` gives them."""
    queryset = getattr(instance, name).get_queryset()  # lazy: runs nothing
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def model_from_json(model: type[models.Model], row: dict, db: str) -> models.Model:
    """
    A `model` instance, as loaded from the database, from a JSON object holding every
    column under its attname (text, numbers, dates). JSON has no datetimes: they come as
    text, with their offset from PostgreSQL, in the connection's time zone from SQLite.
    """
    fields = model._meta.concrete_fields
    values = []
    for field in fields:
        value = field.to_python(row[field.attname])
        if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, connections[db].timezone)
        values.append(value)
    return model.from_db(db, [field.attname for field in fields], values)
