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
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from experts.models import Expert, Perspective
from sources.models import Source

from .models import Article, Author, Byline, Category, Citation, Section, WatchItem
from .plaintext import ParsedArticle, PlainTextError, normalize_name, parse_article
from .sanitizer import sanitize_html

# Articles dated without a time are placed at this hour of the newsroom's day.
DEFAULT_PUBLISH_HOUR = 9
# Articles written per transaction. A batch that the database refuses is written again
# file by file, so the file at fault is found and reported and the others still land.
BATCH_SIZE = 100
# Characters sanitize_html() rewrites in text (control characters other than tab).
CLEANER_REWRITES = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


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

    def create_missing(self, names: list[str], defaults: dict[str, dict] | None = None) -> None:
        """Create the rows not yet indexed in one insert (no save(), no post_save signal)."""
        new: dict[str, str] = {}
        for name in names:
            new.setdefault(normalize_name(name), name.strip())
        new = {key: name for key, name in new.items() if key not in self.by_name}
        if not new:
            return
        slugify_ = Tag().slugify if self.model is Tag else slugify
        slugs = free_slugs(self.model, [slugify_(name) for name in new.values()])
        defaults = defaults or {}
        rows = [
            self.model(name=name, slug=slug, **defaults.get(key, {}))
            for (key, name), slug in zip(new.items(), slugs, strict=True)
        ]
        for key, row in zip(new, self.model.objects.bulk_create(rows), strict=True):
            self.by_name[key] = row
            self.pending.append(key)

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
        self.sources = NameIndex(Source)  # a claim's source name links it to its Source

    @property
    def indexes(self) -> list[NameIndex]:
        return [self.authors, self.experts, self.categories, self.topics, self.sources]

    def commit(self) -> None:
        for index in self.indexes:
            index.commit()

    def forget_pending(self) -> None:
        for index in self.indexes:
            index.forget_pending()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain paragraphs as HTML, escaped the way the cleaner writes text (quotes left as is)."""
    return "\n".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def section_html(paragraphs: list[str]) -> str:
    """A section body as Section.save() would store it: what sanitize_html() returns.

    Escaped plain text in <p> tags is already what the cleaner outputs, except for
    control characters, which it rewrites; tests/articles/test_importing.py checks the
    equality with Hypothesis. Skipping bleach for such text halves the import's time."""
    body = paragraphs_to_html(paragraphs)
    if any(CLEANER_REWRITES.search(paragraph) for paragraph in paragraphs):
        return sanitize_html(body)
    return body


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
    created_by=None,
) -> Article:
    """Create an article with all its parts from `parsed`; all or nothing."""
    return create_articles(
        [parsed], slugs=[slug], status=status, lookups=lookups, created_by=created_by
    )[0]


def create_articles(
    batch: list[ParsedArticle],
    *,
    slugs: list[str] | None = None,
    status: str = Article.Status.DRAFT,
    lookups: Lookups | None = None,
    created_by=None,
) -> list[Article]:
    """Create the articles of `batch` in one transaction, each kind of part in one query.

    Rows are inserted with bulk_create, so Article.save() and Section.save() do not run:
    what they do (a free slug, a publishing time, sanitized bodies, the credential
    fallback) is done here, and no post_save signal is sent for the new rows."""
    lookups = lookups or Lookups()
    try:
        with transaction.atomic():
            articles = _write_articles(
                batch, slugs or [""] * len(batch), status, lookups, created_by
            )
    except BaseException:
        lookups.forget_pending()
        raise
    lookups.commit()
    return articles


def _write_articles(
    batch: list[ParsedArticle], slugs: list[str], status: str, lookups: Lookups, created_by=None
) -> list[Article]:
    free = free_slugs(
        Article,
        [slugify(parsed.headline) for parsed, slug in zip(batch, slugs, strict=True) if not slug],
    )
    # New people and topics in one insert per kind (categories are few, and saved one by
    # one so that their post_save signal refreshes the cached navigation).
    lookups.authors.create_missing([name for parsed in batch for name in parsed.authors])
    lookups.experts.create_missing(
        [p.expert_name for parsed in batch for p in parsed.perspectives],
        {normalize_name(p.expert_name): {"credential": p.credential}
         for parsed in reversed(batch) for p in reversed(parsed.perspectives)},
    )  # fmt: skip
    lookups.topics.create_missing([name for parsed in batch for name in parsed.topics])
    lookups.sources.create_missing(
        [c.source_name for parsed in batch for c in parsed.citations if c.source_name]
    )
    now = timezone.now()
    articles = []
    for parsed, slug in zip(batch, slugs, strict=True):
        published_at = publish_time(parsed.published)
        if status == Article.Status.PUBLISHED and published_at is None:
            published_at = now
        articles.append(
            Article(
                headline=parsed.headline,
                slug=slug or next(free),
                brief=parsed.brief,
                category=(
                    lookups.categories.get_or_create(parsed.category) if parsed.category else None
                ),
                looking_ahead_intro=parsed.looking_ahead_intro,
                bottom_line="\n\n".join(parsed.bottom_line),
                editors_comment="\n\n".join(parsed.editors_comments),
                status=status,
                published_at=published_at,
                created_by=created_by,
            )
        )
    Article.objects.bulk_create(articles)
    pairs = list(zip(batch, articles, strict=True))
    Byline.objects.bulk_create(
        Byline(article=article, author=lookups.authors.get_or_create(name), position=number)
        for parsed, article in pairs
        for number, name in enumerate(_unique(parsed.authors), start=1)
    )
    # What the admin's Section.save() stores: imported text is never trusted.
    Section.objects.bulk_create(
        Section(
            article=article,
            position=number,
            heading=section.heading,
            body=section_html(section.paragraphs),
        )
        for parsed, article in pairs
        for number, section in enumerate(parsed.sections, start=1)
    )
    Perspective.objects.bulk_create(
        _perspective(article, number, perspective, lookups)
        for parsed, article in pairs
        for number, perspective in enumerate(parsed.perspectives, start=1)
    )
    Citation.objects.bulk_create(
        Citation(
            article=article,
            position=number,
            claim=citation.claim,
            source=lookups.sources.get_or_create(citation.source_name)
            if citation.source_name
            else None,
            source_name=citation.source_name,
            source_url=citation.source_url,
            source_date=citation.source_date,
        )
        for parsed, article in pairs
        for number, citation in enumerate(parsed.citations, start=1)
    )
    WatchItem.objects.bulk_create(
        WatchItem(article=article, position=number, text=text)
        for parsed, article in pairs
        for number, text in enumerate(parsed.watch_items, start=1)
    )
    # Tagged in one query (article.topics.add() costs three per article). The topic names
    # are distinct by normalized name (the parser drops repeats), so are their tags.
    content_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tag, content_type=content_type, object_id=article.pk)
        for parsed, article in pairs
        for tag in {t.pk: t for t in map(lookups.topics.get_or_create, parsed.topics)}.values()
    )
    return articles


def _perspective(article: Article, number: int, perspective, lookups: Lookups) -> Perspective:
    expert = lookups.experts.get_or_create(
        perspective.expert_name, credential=perspective.credential
    )
    return Perspective(
        article=article,
        expert=expert,
        position=number,
        # As Perspective.save() would: the expert's current credential when none is printed.
        credential=perspective.credential or expert.credential,
        quote=perspective.quote,
    )


def free_slugs(model, wanted: list[str]) -> Iterator[str]:
    """Each wanted slug made free in `model` and distinct from the others (one query)."""
    max_length = model._meta.get_field("slug").max_length
    bases = [slug[:max_length].strip("-") or "untitled" for slug in wanted]
    taken: set[str] = set()
    for start in range(0, len(bases), 500):
        query = Q()
        for base in set(bases[start : start + 500]):
            query |= Q(slug__startswith=base)
        if query:
            taken.update(model._default_manager.filter(query).values_list("slug", flat=True))
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            suffix = f"-{counter}"
            slug = base[: max_length - len(suffix)] + suffix
            counter += 1
        taken.add(slug)
        yield slug


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
    sources: Iterable[tuple[str, bytes | str]], *, dry_run: bool = False, created_by=None
) -> list[ImportResult]:
    """Import each (name, content) as a draft; a refused file is reported, not fatal.

    Every file is parsed first; the parsed ones are then written BATCH_SIZE at a time.
    Each file is all or nothing: if the database refuses a batch, its files are written
    again one transaction each, and the one at fault is reported with the reason."""
    lookups = Lookups()
    results: list[ImportResult] = []
    pending: list[tuple[ImportResult, ParsedArticle]] = []
    for name, content in sources:
        result = ImportResult(name)
        results.append(result)
        try:
            parsed = parse_article(content)
        except PlainTextError as error:
            result.error = f"{name}: {error}"
            continue
        if dry_run:
            result.plan = describe(parsed, lookups)
        else:
            pending.append((result, parsed))
        if len(pending) >= BATCH_SIZE:
            _write_batch(pending, lookups, created_by)
            pending = []
    if pending:
        _write_batch(pending, lookups, created_by)
    return results


def _write_batch(
    pending: list[tuple[ImportResult, ParsedArticle]], lookups: Lookups, created_by
) -> None:
    try:
        articles = create_articles(
            [parsed for _, parsed in pending], lookups=lookups, created_by=created_by
        )
    except DatabaseError:
        for result, parsed in pending:  # one by one, to find the file at fault
            try:
                result.article = create_article(parsed, lookups=lookups, created_by=created_by)
            except DatabaseError as error:
                result.error = f"{result.name}: the database refused it: {error}"
        return
    for (result, _), article in zip(pending, articles, strict=True):
        result.article = article


def describe(parsed: ParsedArticle, lookups: Lookups) -> list[str]:
    """What importing `parsed` would create or reuse, as lines for a person; writes nothing."""

    def names(index: NameIndex, values: list[str]) -> str:
        marked = [f"{v} ({'existing' if index.find(v) else 'new'})" for v in values]
        return ", ".join(marked) or "none"

    experts = _unique([p.expert_name for p in parsed.perspectives])
    lines = [
        f"draft {parsed.headline!r} at /{next(free_slugs(Article, [slugify(parsed.headline)]))}/",
        f"authors: {names(lookups.authors, _unique(parsed.authors))}",
        f"category: {names(lookups.categories, [parsed.category] if parsed.category else [])}",
        f"experts: {names(lookups.experts, experts)}",
        f"topics: {names(lookups.topics, parsed.topics)}",
        f"{len(parsed.sections)} sections, {len(parsed.perspectives)} perspectives, "
        f"{len(parsed.citations)} citations, {len(parsed.watch_items)} watch items",
    ]
    return lines
