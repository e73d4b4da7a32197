"""
The article page's parts, for any number of articles, in one query.

An article page shows seven kinds of rows besides the article's own: byline, sections,
perspectives, citations, watch items in both directions (its own, and those of earlier
articles it resolved), corrections and topics. prefetch_related() costs a query per kind,
and Django spends more CPU building each query (0.4 to 0.75 ms) than PostgreSQL spends
running it once prepared (about 0.1 ms): over half of an uncached article page went there
(issue 9). Here the SQL is written once per process from the models' own field lists:
one row per article, each part a JSON array of rows that carry the fields of the objects
select_related() would have joined (sections their images, perspectives their experts,
and so on). Python turns the rows back into model instances, sorted as the models'
Meta.ordering sorts them, and puts them where prefetch_related() would have:
`article.sections.all()` and the rest run no query.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.utils import timezone

from .corrections import Correction
from .models import Article, Byline, Citation, Section, WatchItem


@dataclass(frozen=True)
class Part:
    relation: str  # the article's side: article.<relation>.all()
    model: type[models.Model]
    link: str  # the model's foreign key to the article
    joined: tuple[str, ...] = ()  # foreign keys whose objects come with each row
    order: tuple[str, ...] = ()  # sort keys when not the model's Meta.ordering


@cache
def parts() -> dict[str, Part]:
    from experts.models import Perspective  # experts imports articles: not at import time

    return {
        part.relation: part
        for part in [
            Part("byline", Byline, "article", joined=("author",)),
            Part("sections", Section, "article", joined=("image",)),
            Part("perspectives", Perspective, "article", joined=("expert",)),
            Part("citations", Citation, "article", joined=("source",)),
            Part("watch_items", WatchItem, "article", joined=("resolved_by",)),
            Part(
                "resolved_watch_items", WatchItem, "resolved_by", joined=("article",), order=("pk",)
            ),
            Part("corrections", Correction, "article"),
        ]
    }


# Topics come through taggit's generic table, not a foreign key: a query of their own.
TOPICS = "topics"
PAGE_PARTS = (
    "byline",
    "sections",
    "perspectives",
    "citations",
    "watch_items",
    "resolved_watch_items",
    "corrections",
    TOPICS,
)


def loaded_fields(model: type[models.Model]) -> list[models.Field]:
    # As Article.objects does: the search vector is large and only the database reads it.
    return [field for field in model._meta.concrete_fields if field.attname != "search_vector"]


class PartsQuery:
    """The SQL loading the parts `names` on one database's vendor: see parts_query()."""

    def __init__(self, connection, names: tuple[str, ...]):
        self.names = names
        self.vendor = connection.vendor
        self.quote = connection.ops.quote_name
        postgres = self.vendor == "postgresql"
        self.json_object = "jsonb_build_object" if postgres else "json_object"
        self.json_array = "jsonb_agg" if postgres else "json_group_array"
        columns = [f"{self.quote('a')}.{self.quote('id')}"]
        columns += [
            f"({self.topics_sql() if name == TOPICS else self.part_sql(parts()[name])})"
            for name in names
        ]
        article_ids = "= ANY(%s)" if postgres else "IN (SELECT value FROM json_each(%s))"
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {self.quote(Article._meta.db_table)} "
            f"{self.quote('a')} WHERE {self.quote('a')}.{self.quote('id')} {article_ids}"
        )

    def json_value(self, field: models.Field, table: str) -> str:
        column = f"{self.quote(table)}.{self.quote(field.column)}"
        # SQLite keeps JSON columns as text: json() makes them JSON inside the object.
        if isinstance(field, models.JSONField) and self.vendor == "sqlite":
            return f"json({column})"
        return column

    def row_object(self, model, table: str, joined: list[tuple[str, type, str]]) -> str:
        # PostgreSQL functions take at most 100 arguments: 50 fields a row, joins included
        # (a watch item with its resolving article has 34).
        pairs = [
            f"'{field.attname}', {self.json_value(field, table)}" for field in loaded_fields(model)
        ]
        for name, related, alias in joined:
            pairs += [
                f"'{name}__{field.attname}', {self.json_value(field, alias)}"
                for field in loaded_fields(related)
            ]
        return f"{self.json_object}({', '.join(pairs)})"

    def part_sql(self, part: Part) -> str:
        meta = part.model._meta
        joined, joins = [], []
        for number, name in enumerate(part.joined):
            field = meta.get_field(name)
            alias = f"j{number}"
            joined.append((name, field.related_model, alias))
            joins.append(
                f"LEFT JOIN {self.quote(field.related_model._meta.db_table)} {self.quote(alias)} "
                f"ON {self.quote(alias)}.{self.quote(field.target_field.column)} = "
                f"{self.quote('p')}.{self.quote(field.column)}"
            )
        link = meta.get_field(part.link).column
        return (
            f"SELECT {self.json_array}({self.row_object(part.model, 'p', joined)}) "
            f"FROM {self.quote(meta.db_table)} {self.quote('p')} {' '.join(joins)} "
            f"WHERE {self.quote('p')}.{self.quote(link)} = {self.quote('a')}.{self.quote('id')}"
        )

    def topics_sql(self) -> str:
        through = Article._meta.get_field(TOPICS).remote_field.through
        tag_field = through._meta.get_field("tag")
        tag_model = tag_field.related_model
        quote = self.quote
        # taggit's object_id column is an integer, the article id a bigint: PostgreSQL
        # widens one to the other and still uses the (content_type_id, object_id) index.
        object_id = quote(through._meta.get_field("object_id").column)
        return (
            f"SELECT {self.json_array}({self.row_object(tag_model, 't', [])}) "
            f"FROM {quote(through._meta.db_table)} {quote('i')} "
            f"JOIN {quote(tag_model._meta.db_table)} {quote('t')} "
            f"ON {quote('t')}.{quote(tag_model._meta.pk.column)} = "
            f"{quote('i')}.{quote(tag_field.column)} "
            f"WHERE {quote('i')}.{object_id} = {quote('a')}.{quote('id')} "
            f"AND {quote('i')}.{quote('content_type_id')} = %s"
        )


@cache
def parts_query(alias: str, names: tuple[str, ...]) -> PartsQuery:
    return PartsQuery(connections[alias], names)


def attach_page_parts(articles: list[Article], names: tuple[str, ...] = PAGE_PARTS) -> None:
    """Load the parts `names` of `articles` in one query and put each where
    prefetch_related() would have put it."""
    if not articles:
        return
    db = articles[0]._state.db
    query = parts_query(db, names)
    by_pk = {article.pk: article for article in articles}
    ids = list(by_pk)
    params = [ids if query.vendor == "postgresql" else json.dumps(ids)]
    if TOPICS in names:  # taggit's rows name the model they tag
        params.insert(0, ContentType.objects.get_for_model(Article).pk)
    with connections[db].cursor() as cursor:
        cursor.execute(query.sql, params)
        rows = cursor.fetchall()
    for article_id, *columns in rows:
        article = by_pk[article_id]
        for name, column in zip(names, columns, strict=True):
            if name == TOPICS:
                objects = topics_from(json_rows(column), db)
            else:
                part = parts()[name]
                objects = [part_object(part, row, article, by_pk) for row in json_rows(column)]
                objects.sort(key=sort_key(part))
            set_prefetched(article, name, objects)


def topics_from(rows: list[dict], db: str) -> list[models.Model]:
    tag_model = Article._meta.get_field(TOPICS).remote_field.model
    topics = [model_from_json(tag_model, row, db) for row in rows]
    return sorted(topics, key=lambda topic: (topic.name.casefold(), topic.pk))


def json_rows(column) -> list[dict]:
    """A part's column: NULL when the article has none of it, JSON text or decoded JSON."""
    if column is None:
        return []
    return json.loads(column) if isinstance(column, str) else column


def part_object(part: Part, row: dict, article: Article, loaded: dict) -> models.Model:
    """A part's row as its model, linked to `article` and to the objects joined with it;
    an article among the `loaded` ones (by pk) is that same object, as prefetching gives."""
    db = article._state.db
    instance = model_from_json(part.model, row, db)
    setattr(instance, part.link, article)
    for name in part.joined:
        related = part.model._meta.get_field(name).related_model
        prefix = f"{name}__"
        pk = row[f"{prefix}{related._meta.pk.attname}"]
        if pk is None:
            setattr(instance, name, None)
        elif related is Article and pk in loaded:
            setattr(instance, name, loaded[pk])
        else:
            setattr(instance, name, model_from_json(related, row, db, prefix=prefix))
    return instance


def sort_key(part: Part):
    names = part.order or (*part.model._meta.ordering, "pk")
    return attrgetter(*(name.removeprefix("-") for name in names))


def set_prefetched(instance: models.Model, name: str, objects: list) -> None:
    """Store `objects` as prefetch_related(name) would: `instance.<name>.all()` gives them."""
    if name == TOPICS:
        # The same tags, named by id: taggit's own queryset for an article joins through
        # its generic table, and building it cost more than the rest of a feed's items.
        queryset = Article._meta.get_field(TOPICS).remote_field.model.objects.filter(
            pk__in=[tag.pk for tag in objects]
        )
    else:
        queryset = getattr(instance, name).get_queryset()  # lazy: runs nothing
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def model_from_json(
    model: type[models.Model], row: dict, db: str, prefix: str = ""
) -> models.Model:
    """
    A `model` instance, as loaded from the database, from a JSON object holding its
    columns under `prefix` + attname (text, numbers, dates). JSON has no datetimes: they
    come as text, with their offset from PostgreSQL, in the connection's time zone from
    SQLite.
    """
    fields = loaded_fields(model)
    values = []
    for field in fields:
        value = field.to_python(row[prefix + field.attname])
        if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, connections[db].timezone)
        values.append(value)
    return model.from_db(db, [field.attname for field in fields], values)
