"""
The JSON archive: every article with every field and relation, and its way back in.

One document (FORMAT, VERSION) holds the people and places articles point to
(users by username, categories, authors, experts and sources by slug, topics by name,
merged experts' former slugs) and
the articles (by uuid), each with its ordered parts nested inside it. SPEC lists,
model by model, the fields written: tests/articles/test_archive.py fails when a
model gains a concrete field or a relation SPEC does not know, so the archive
cannot silently fall behind the models.

Values: text, numbers, booleans and JSON as they are; dates, times and uuids as
ISO strings (Field.value_to_string); files by their stored name (the bytes stay in
MEDIA_ROOT and are copied separately); relations by the natural key of the row they
point to. Primary keys are not written: they mean nothing in another database.

Restoring (`restore_document`) is all or nothing: an article whose uuid already
exists refuses the whole document. Users, categories, authors, experts and topics
that already exist (same natural key) are reused; missing users are created
without a usable password and inactive, to carry the reference, not a login.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from taggit.models import Tag

from experts.models import Expert, ExpertRedirect, Perspective
from images.models import Image
from sources.models import LINK_FIELDS, Source

from .corrections import Correction
from .models import Article, Author, Byline, Category, Citation, Section, SlugRedirect, WatchItem
from .revisions import Revision
from .workflow import Transition

FORMAT = "newsroom-articles"
VERSION = 1


class ArchiveError(ValueError):
    """The document cannot be restored; nothing of it was written."""


@dataclass(frozen=True)
class Part:
    """A model written to the archive: its fields, and where its rows sit in the document."""

    model: type[models.Model]
    fields: tuple[str, ...]
    key: str = ""  # the natural key of a top-level model
    parent: str = ""  # the foreign key to Article of a nested part
    related_name: str = ""  # Article.<related_name> holds the nested parts


User = get_user_model()
# Top-level collections, in the order they are restored (what is pointed to comes first).
TOP = {
    "users": Part(User, ("username", "first_name", "last_name", "email"), key="username"),
    "categories": Part(Category, ("name", "slug", "description", "position"), key="slug"),
    # Images by their stored file name: the bytes and renditions stay in MEDIA_ROOT.
    "images": Part(
        Image,
        (
            "file",
            "alt_text",
            "caption",
            "credit",
            "licence",
            "focal_x",
            "focal_y",
            "width",
            "height",
            "format",
            "renditions",
            "uploaded_by",
            "uploaded_at",
        ),
        key="file",
    ),  # fmt: skip
    "authors": Part(Author, ("name", "slug", "bio", "user", "portrait"), key="slug"),
    "experts": Part(
        Expert,
        ("name", "slug", "credential", "affiliation", "bio", "url", "portrait"),
        key="slug",
    ),
    # A merged expert's former slug, so its old page keeps redirecting.
    "expert_redirects": Part(ExpertRedirect, ("old_slug", "expert", "created_at"), key="old_slug"),
    "topics": Part(Tag, ("name", "slug"), key="name"),
    "sources": Part(Source, ("name", "slug", "url", "description"), key="slug"),
    "articles": Part(
        Article,
        (
            "uuid",
            "headline",
            "slug",
            "brief",
            "category",
            "looking_ahead_intro",
            "bottom_line",
            "editors_comment",
            "editors_comment_by",
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "social_title",
            "social_description",
            "social_image",
            "social_image_width",
            "social_image_height",
            "social_image_alt",
            "lead_image",
            "unpublish_at",
            "modified_at",
            "created_by",
            "version",
        ),
        key="uuid",
    ),  # fmt: skip
}
NESTED = {
    "byline": Part(Byline, ("author", "position"), parent="article", related_name="byline"),
    "sections": Part(
        Section,
        ("position", "heading", "body", "image"),
        parent="article",
        related_name="sections",
    ),
    "perspectives": Part(
        Perspective,
        ("expert", "position", "credential", "quote", "disclosure"),
        parent="article",
        related_name="perspectives",
    ),
    # With what the link checker last found, so a restore need not check again.
    "citations": Part(
        Citation,
        (
            "position",
            "claim",
            "source",
            "source_name",
            "source_url",
            "source_date",
            "archived_url",
            *LINK_FIELDS,
        ),
        parent="article",
        related_name="citations",
    ),
    # resolved_by is another article (by uuid), linked once every article exists.
    "watch_items": Part(
        WatchItem,
        ("position", "text", "status", "check_by", "resolved_on", "resolution_note", "resolved_by"),
        parent="article",
        related_name="watch_items",
    ),  # fmt: skip
    "corrections": Part(
        Correction,
        ("kind", "text", "part", "created_at", "created_by"),
        parent="article",
        related_name="corrections",
    ),
    "transitions": Part(
        Transition,
        ("name", "from_status", "to_status", "note", "by", "at"),
        parent="article",
        related_name="transitions",
    ),
    # restored_from points to another revision of the same article: written as its number.
    "revisions": Part(
        Revision,
        (
            "number",
            "created_at",
            "created_by",
            "status",
            "article_version",
            "note",
            "restored_from",
            "snapshot",
        ),
        parent="article",
        related_name="revisions",
    ),  # fmt: skip
    "old_slugs": Part(
        SlugRedirect, ("old_slug", "created_at"), parent="article", related_name="old_slugs"
    ),
}
# Users are written only as far as articles and authors point to them: accounts,
# passwords and permissions are not newsroom content.
USER_FIELDS_SKIPPED = "accounts: only username and names are archived"
# Rows related to an article that are deliberately not archived, and why.
NOT_ARCHIVED = {
    "Autosave": "an editor's unsaved form, kept two weeks at most, for that editor only",
    "PreviewLink": "secret, expiring preview addresses: never valid in another database",
}
# Derived columns the database rebuilds from the content (PostgreSQL triggers): not archived.
DERIVED = {Article: {"search_vector"}}
KEYS = {part.model: part.key for part in TOP.values()}


# --- Values -------------------------------------------------------------------------------


def dump_value(field: models.Field, obj: models.Model, keys: dict) -> object:
    if field.is_relation:
        target_id = getattr(obj, field.attname)
        return None if target_id is None else keys[field.related_model][target_id]
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return value.name or ""
    if value is None or isinstance(value, str | bool | int | float | list | dict):
        return value
    return field.value_to_string(obj)


def load_value(field: models.Field, raw: object, resolve) -> object:
    if field.is_relation:
        return None if raw is None else resolve(field.related_model, raw)
    if raw is None or isinstance(field, models.FileField):
        return raw
    return field.to_python(raw)


# --- Export -------------------------------------------------------------------------------


def export_document(articles: Iterable[Article] | None = None) -> dict:
    """Every article (or those given) and everything they point to, as JSON-ready data."""
    queryset = Article.objects.all() if articles is None else articles
    articles = list(
        Article.objects.filter(pk__in=[a.pk for a in queryset])
        .prefetch_related(*(part.related_name for part in NESTED.values()), "topics")
        .order_by("pk")
    )
    # Everything an article can point to, by primary key -> natural key, in one query each.
    keys = {
        model: dict(model._default_manager.values_list("pk", key)) for model, key in KEYS.items()
    }
    for mapping in keys.values():
        for pk, value in mapping.items():
            mapping[pk] = str(value)
    keys[Revision] = dict(Revision.objects.values_list("pk", "number"))  # within one article
    used = _referenced(articles)
    document = {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat()}
    for name, part in TOP.items():
        if name == "articles":
            continue
        rows = part.model._default_manager.filter(pk__in=used[part.model]).order_by(part.key)
        document[name] = [_row(part, obj, keys) for obj in rows]
    document["articles"] = [_article(obj, keys) for obj in articles]
    return document


def _referenced(articles: list[Article]) -> dict:
    """Primary keys of the rows the articles point to, model by model."""
    used = {model: set() for model in KEYS}

    def note(part: Part, obj: models.Model) -> None:
        for name in part.fields:
            field = part.model._meta.get_field(name)
            if field.is_relation and field.related_model in used:
                used[field.related_model].add(getattr(obj, field.attname))

    for article in articles:
        note(TOP["articles"], article)
        for part in NESTED.values():
            for obj in getattr(article, part.related_name).all():
                note(part, obj)
        used[Tag].update(tag.pk for tag in article.topics.all())
    # What those point to in turn: authors' accounts and portraits, experts' portraits,
    # images' uploaders (in this order, so each step sees what the previous one added).
    for part in (TOP["authors"], TOP["experts"], TOP["images"]):
        for obj in part.model._default_manager.filter(pk__in=used[part.model] - {None}):
            note(part, obj)
    used[ExpertRedirect].update(
        ExpertRedirect.objects.filter(expert__in=used[Expert] - {None}).values_list("pk", flat=True)
    )
    return {model: pks - {None} for model, pks in used.items()}


def _row(part: Part, obj: models.Model, keys: dict) -> dict:
    return {name: dump_value(part.model._meta.get_field(name), obj, keys) for name in part.fields}


def _article(article: Article, keys: dict) -> dict:
    row = _row(TOP["articles"], article, keys)
    for name, part in NESTED.items():
        row[name] = [_row(part, obj, keys) for obj in getattr(article, part.related_name).all()]
    row["topics"] = sorted(tag.name for tag in article.topics.all())
    return row


def dumps(document: dict) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1) + "\n"


# --- Restore ------------------------------------------------------------------------------


def loads(text: str | bytes) -> dict:
    try:
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(f"not a JSON document: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError(f'not a {FORMAT} document (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise ArchiveError(f"unsupported version {document.get('version')!r}; expected {VERSION}")
    return document


@transaction.atomic
def restore_document(document: dict) -> list[Article]:
    """Create everything in `document`; all or nothing. Returns the articles created."""
    try:
        return _Restorer().restore(document)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, ArchiveError):
            raise
        raise ArchiveError(f"malformed document: {error!r}") from None


class _Restorer:
    def __init__(self):
        self.pks: dict = {model: {} for model in KEYS}  # natural key -> pk

    def resolve(self, model, key) -> int:
        key = str(key)
        if key not in self.pks[model]:
            raise ArchiveError(f"{model._meta.verbose_name} {key!r} is referred to but not found")
        return self.pks[model][key]

    def restore(self, document: dict) -> list[Article]:
        for name, part in TOP.items():
            if name != "articles":
                self.restore_top(part, document.get(name, []))
        uuids = [str(row["uuid"]) for row in document.get("articles", [])]
        existing = set(Article.objects.filter(uuid__in=uuids).values_list("uuid", flat=True))
        if existing:
            found = ", ".join(sorted(str(u) for u in existing))
            raise ArchiveError(f"articles already in the database (uuid): {found}")
        restored = [self.restore_article(row) for row in document.get("articles", [])]
        self.link_resolutions(document.get("articles", []))
        return restored

    def restore_top(self, part: Part, rows: list[dict]) -> None:
        known = self.pks[part.model]
        for obj in part.model._default_manager.all().only("pk", part.key):
            known[str(getattr(obj, part.key))] = obj.pk
        for row in rows:
            key = str(row[part.key])
            if key in known:
                continue  # reuse what exists: same slug, username or topic name
            obj = self.build(part, row)
            if part.model is User:
                obj.set_unusable_password()
                obj.is_active = False
            # No save(): Image.save() would remake renditions the archive already lists.
            [obj] = part.model._default_manager.bulk_create([obj])
            if obj.pk is None:
                obj = part.model._default_manager.get(**{part.key: getattr(obj, part.key)})
            _keep_auto_times(part, obj, row)
            known[key] = obj.pk

    def build(self, part: Part, row: dict, **extra) -> models.Model:
        values = {}
        for name in part.fields:
            field = part.model._meta.get_field(name)
            value = load_value(field, row.get(name, _default(field)), self.resolve)
            values[field.attname] = value
        return part.model(**values, **extra)

    def restore_article(self, row: dict) -> Article:
        part = TOP["articles"]
        article = self.build(part, row)
        Article.objects.bulk_create([article])  # no save(): slug and dates are kept as given
        article = Article.objects.get(uuid=article.uuid)
        _keep_auto_times(part, article, row)
        for name, nested in NESTED.items():
            rows = row.get(name, [])
            if nested.model is Revision:  # restored_from is a revision number of this article
                rows = [r | {"restored_from": None} for r in rows]
            if nested.model is WatchItem:  # resolved_by may be restored after this article
                rows = [r | {"resolved_by": None} for r in rows]
            objs = [self.build(nested, r, article_id=article.pk) for r in rows]
            created = nested.model.objects.bulk_create(objs)
            for obj, r in zip(created, rows, strict=True):
                _keep_auto_times(nested, obj, r)
        self.link_restored_revisions(article, row.get("revisions", []))
        topics = [self.resolve(Tag, name) for name in row.get("topics", [])]
        article.topics.add(*Tag.objects.filter(pk__in=topics))
        return article

    def link_resolutions(self, rows: list[dict]) -> None:
        """Watch items resolved by another article: linked once all articles exist."""
        for row in rows:
            for item in row.get("watch_items", []):
                if item.get("resolved_by") is None:
                    continue
                later = Article.objects.filter(uuid=item["resolved_by"]).values("pk").first()
                if later is None:
                    raise ArchiveError(
                        f"article {item['resolved_by']!r} is referred to but not found"
                    )
                WatchItem.objects.filter(
                    article__uuid=row["uuid"], position=int(item["position"])
                ).update(resolved_by=later["pk"])

    def link_restored_revisions(self, article: Article, rows: list[dict]) -> None:
        by_number = dict(article.revisions.values_list("number", "pk"))
        for r in rows:
            if r.get("restored_from") is not None:
                source = by_number.get(int(r["restored_from"]))
                if source is None:
                    raise ArchiveError(
                        f"revision {r['restored_from']} is referred to but not found"
                    )
                Revision.objects.filter(pk=by_number[int(r["number"])]).update(restored_from=source)


def _default(field: models.Field) -> object:
    """An old archive may lack a field added later: the field's own default fills it."""
    if field.has_default():
        return dump_value(field, field.model(**{field.attname: field.get_default()}), {})
    return None if field.null else ""


def _keep_auto_times(part: Part, obj: models.Model, row: dict) -> None:
    """auto_now and auto_now_add overwrite what is given on insert; put the archived times back."""
    times = {
        name: load_value(part.model._meta.get_field(name), row[name], None)
        for name in part.fields
        if name in row
        and (
            getattr(part.model._meta.get_field(name), "auto_now", False)
            or getattr(part.model._meta.get_field(name), "auto_now_add", False)
        )
    }
    if times:
        part.model._default_manager.filter(pk=obj.pk).update(**times)
