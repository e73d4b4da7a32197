"""
Turn parsed plain-text articles into rows, one file at a time.

The parser (articles.plaintext) knows the text format; this module knows the
models. Experts, authors, categories and topics that already exist are reused,
matched by normalized name (articles.plaintext.normalize_name), so importing
never duplicates a person or a topic.

`import_texts()` is the one code path behind `manage.py import_articles`, the
admin's "Import from text" form and `manage.py bench_import`: each file is parsed,
then written in its own transaction, so a refused file writes nothing of itself
and does not stop the others. Lookups of existing names are loaded once per
batch, and the parts of an article are inserted with one query per kind.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from experts.models import Expert, Perspective

from .models import Article, Author, Byline, Category, Citation, Section, WatchItem, unique_slug
from .plaintext import ParsedArticle, PlainTextError, normalize_name, parse_article
from .sanitizer import sanitize_html

# Articles dated without a time are placed at this hour of the newsroom's day.
DEFAULT_PUBLISH_HOUR = 9


class NameIndex:
    """Existing rows of a model by normalized name, so lookups cost no query per name.

    Rows created inside a file's transaction are remembered as pending until the
    file is committed; `forget_pending()` drops them when the file is rolled back,
    so a refused file never leaves the index pointing at rows that do not exist."""

    def __init__(self, model):
        self.model = model
        self.by_name = {normalize_name(obj.name): obj for obj in model.objects.all()}
        self.pending: list[str] = []

    def find(self, name: str):
        return self.by_name.get(normalize_name(name))

    def get_or_create(self, name: str, **defaults):
        key = normalize_name(name)
        if key not in self.by_name:
            self.by_name[key] = self.model.objects.create(name=name.strip(), **defaults)
            self.pending.append(key)
        return self.by_name[key]

    def commit(self) -> None:
        self.pending.clear()

    def forget_pending(self) -> None:
        for key in self.pending:
            del self.by_name[key]
        self.pending.clear()


class Lookups:
    """The name indexes one batch shares: authors, experts, categories and topics."""

    def __init__(self):
        self.authors = NameIndex(Author)
        self.experts = NameIndex(Expert)
        self.categories = NameIndex(Category)
        self.topics = NameIndex(Tag)

    @property
    def indexes(self) -> list[NameIndex]:
        return [self.authors, self.experts, self.categories, self.topics]

    def commit(self) -> None:
        for index in self.indexes:
            index.commit()

    def forget_pending(self) -> None:
        for index in self.indexes:
            index.forget_pending()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def publish_time(value: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    naive = datetime.datetime.combine(value, datetime.time(DEFAULT_PUBLISH_HOUR))
    return timezone.make_aware(naive)


def create_article(
    parsed: ParsedArticle,
    *,
    slug: str = "",
    status: str = Article.Status.DRAFT,
    lookups: Lookups | None = None,
) -> Article:
    """Create an article with all its parts from `parsed`; all or nothing."""
    lookups = lookups or Lookups()
    try:
        with transaction.atomic():
            article = _write_article(parsed, slug=slug, status=status, lookups=lookups)
    except BaseException:
        lookups.forget_pending()
        raise
    lookups.commit()
    return article


def _write_article(parsed: ParsedArticle, *, slug: str, status: str, lookups: Lookups) -> Article:
    category = lookups.categories.get_or_create(parsed.category) if parsed.category else None
    article = Article.objects.create(
        headline=parsed.headline,
        slug=slug or unique_slug(Article, parsed.headline),
        brief=parsed.brief,
        category=category,
        looking_ahead_intro=parsed.looking_ahead_intro,
        bottom_line="\n\n".join(parsed.bottom_line),
        editors_comment="\n\n".join(parsed.editors_comments),
        status=status,
        published_at=publish_time(parsed.published),
    )
    Byline.objects.bulk_create(
        Byline(article=article, author=lookups.authors.get_or_create(name), position=number)
        for number, name in enumerate(_unique(parsed.authors), start=1)
    )
    # The same cleaner as the admin's Section.save(): imported text is never trusted.
    Section.objects.bulk_create(
        Section(
            article=article,
            position=number,
            heading=section.heading,
            body=sanitize_html(paragraphs_to_html(section.paragraphs)),
        )
        for number, section in enumerate(parsed.sections, start=1)
    )
    perspectives = []
    for number, perspective in enumerate(parsed.perspectives, start=1):
        expert = lookups.experts.get_or_create(
            perspective.expert_name, credential=perspective.credential
        )
        perspectives.append(
            Perspective(
                article=article,
                expert=expert,
                position=number,
                credential=perspective.credential or expert.credential,
                quote=perspective.quote,
            )
        )
    Perspective.objects.bulk_create(perspectives)
    Citation.objects.bulk_create(
        Citation(
            article=article,
            position=number,
            claim=citation.claim,
            source_name=citation.source_name,
            source_url=citation.source_url,
            source_date=citation.source_date,
        )
        for number, citation in enumerate(parsed.citations, start=1)
    )
    WatchItem.objects.bulk_create(
        WatchItem(article=article, position=number, text=text)
        for number, text in enumerate(parsed.watch_items, start=1)
    )
    if parsed.topics:
        article.topics.add(*[lookups.topics.get_or_create(name) for name in parsed.topics])
    return article


def _unique(names: list[str]) -> list[str]:
    """Names in order, each normalized name once ("By Ann Lee and ann lee" is one author)."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(normalize_name(name), name)
    return list(seen.values())


# --- Batches ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What became of one file: an article, a plan (dry run), or an error."""

    name: str
    article: Article | None = None
    plan: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def import_texts(
    sources: Iterable[tuple[str, bytes | str]], *, dry_run: bool = False
) -> list[ImportResult]:
    """Import each (name, content) as a draft; a refused file is reported, not fatal."""
    lookups = Lookups()
    results = []
    for name, content in sources:
        try:
            parsed = parse_article(content)
            if dry_run:
                results.append(ImportResult(name, plan=describe(parsed, lookups)))
            else:
                results.append(ImportResult(name, article=create_article(parsed, lookups=lookups)))
        except PlainTextError as error:
            results.append(ImportResult(name, error=f"{name}: {error}"))
    return results


def describe(parsed: ParsedArticle, lookups: Lookups) -> list[str]:
    """What importing `parsed` would create or reuse, as lines for a person; writes nothing."""

    def names(index: NameIndex, values: list[str]) -> str:
        marked = [f"{v} ({'existing' if index.find(v) else 'new'})" for v in values]
        return ", ".join(marked) or "none"

    experts = _unique([p.expert_name for p in parsed.perspectives])
    lines = [
        f"draft {parsed.headline!r} at /{unique_slug(Article, parsed.headline)}/",
        f"authors: {names(lookups.authors, _unique(parsed.authors))}",
        f"category: {names(lookups.categories, [parsed.category] if parsed.category else [])}",
        f"experts: {names(lookups.experts, experts)}",
        f"topics: {names(lookups.topics, parsed.topics)}",
        f"{len(parsed.sections)} sections, {len(parsed.perspectives)} perspectives, "
        f"{len(parsed.citations)} citations, {len(parsed.watch_items)} watch items",
    ]
    return lines
