"""
Turn a parsed plain-text article into rows.

The parser (articles.plaintext) knows the text format; this module knows the
models. Experts, authors, categories and topics that already exist are reused,
matched by normalized name, so importing never duplicates a person.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from experts.models import Expert, Perspective

from .models import Article, Author, Byline, Category, Citation, Section, WatchItem
from .plaintext import ParsedArticle, normalize_name

# Articles dated without a time are placed at this hour of the newsroom's day.
DEFAULT_PUBLISH_HOUR = 9


class NameIndex:
    """Existing rows of a model by normalized name, so lookups cost no query per name."""

    def __init__(self, model):
        self.model = model
        self.by_name = {normalize_name(obj.name): obj for obj in model.objects.all()}

    def get_or_create(self, name: str, **defaults):
        key = normalize_name(name)
        if key not in self.by_name:
            self.by_name[key] = self.model.objects.create(name=name.strip(), **defaults)
        return self.by_name[key]


def paragraphs_to_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def publish_time(value: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    naive = datetime.datetime.combine(value, datetime.time(DEFAULT_PUBLISH_HOUR))
    return timezone.make_aware(naive)


@transaction.atomic
def create_article(
    parsed: ParsedArticle, *, slug: str = "", status: str = Article.Status.DRAFT
) -> Article:
    """Create an article with all its parts from `parsed`; all or nothing."""
    authors, experts = NameIndex(Author), NameIndex(Expert)
    category = NameIndex(Category).get_or_create(parsed.category) if parsed.category else None
    article = Article.objects.create(
        headline=parsed.headline,
        slug=slug,
        brief=parsed.brief,
        category=category,
        looking_ahead_intro="\n\n".join(
            [parsed.looking_ahead_intro] if parsed.looking_ahead_intro else []
        ),
        bottom_line="\n\n".join(parsed.bottom_line),
        editors_comment="\n\n".join(parsed.editors_comments),
        status=status,
        published_at=publish_time(parsed.published),
    )
    Byline.objects.bulk_create(
        Byline(article=article, author=authors.get_or_create(name), position=number)
        for number, name in enumerate(parsed.authors, start=1)
    )
    for number, section in enumerate(parsed.sections, start=1):
        # save() sanitizes the body, so imported text passes the same cleaner as the admin's.
        Section(
            article=article,
            position=number,
            heading=section.heading,
            body=paragraphs_to_html(section.paragraphs),
        ).save()
    for number, perspective in enumerate(parsed.perspectives, start=1):
        expert = experts.get_or_create(perspective.expert_name, credential=perspective.credential)
        Perspective.objects.create(
            article=article,
            expert=expert,
            position=number,
            credential=perspective.credential,
            quote=perspective.quote,
        )
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
        article.topics.add(*parsed.topics)
    return article
