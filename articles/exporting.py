"""
Articles as plain text: the shape they arrive in (articles.plaintext), given back.

Re-importing an exported file gives the same article content. What the text shape
cannot hold is lost, by design, and documented here:
- a section's rich text becomes one paragraph per block (p, li, h3-h5, blockquote,
  pre, figcaption, and text between blocks); a list item becomes a paragraph that
  starts with "- "; a <br> becomes a space;
- inline markup (links and their addresses, emphasis, abbreviations, code) is
  dropped, its text kept;
- status, slug, sharing fields, images, corrections and revisions are not part of
  the text shape: the JSON export (articles.archive) holds everything.
"""

import datetime
from html.parser import HTMLParser

from django.db.models import Prefetch
from django.utils import timezone

from experts.models import Perspective

from .importing import DEFAULT_PUBLISH_HOUR
from .models import Article, Byline, split_paragraphs
from .plaintext import (
    ParsedArticle,
    ParsedCitation,
    ParsedPerspective,
    ParsedSection,
    render_article,
)

BLOCKS = frozenset(
    {"p", "li", "h3", "h4", "h5", "blockquote", "pre", "figcaption", "figure", "ul", "ol", "hr"}
)


class _Paragraphs(HTMLParser):
    """Block-level text of sanitized HTML, one string per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.prefix = ""

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
            self.prefix = "- " if tag == "li" else ""
        elif tag == "br":
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(self.prefix + text)
        self.current, self.prefix = [], ""


def html_to_paragraphs(html: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.paragraphs


def for_export(queryset=None):
    """Articles with every part the text shape holds, in a fixed number of queries."""
    queryset = Article.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("category")
        .prefetch_related(
            Prefetch("byline", queryset=Byline.objects.select_related("author")),
            "sections",
            Prefetch("perspectives", queryset=Perspective.objects.select_related("expert")),
            "citations",
            "watch_items",
            "topics",
        )
        .order_by("pk")
    )


def _published(value: datetime.datetime | None) -> datetime.date | datetime.datetime | None:
    """A date when the time is the importer's default hour (so it round-trips), else the time."""
    if value is None:
        return None
    local = timezone.localtime(value)
    if local.time() == datetime.time(DEFAULT_PUBLISH_HOUR):
        return local.date()
    return local


def to_parsed(article: Article) -> ParsedArticle:
    """The article as the parser would have read it (use a for_export() queryset)."""
    return ParsedArticle(
        headline=article.headline,
        authors=[entry.author.name for entry in article.byline.all()],
        published=_published(article.published_at),
        category=article.category.name if article.category else "",
        brief=article.brief,
        sections=[
            ParsedSection(section.heading, html_to_paragraphs(section.body))
            for section in article.sections.all()
        ],
        perspectives=[
            ParsedPerspective(p.expert.name, p.credential, p.quote)
            for p in article.perspectives.all()
        ],
        citations=[
            ParsedCitation(c.claim, c.source_name, c.source_url, c.source_date)
            for c in article.citations.all()
        ],
        looking_ahead_intro=article.looking_ahead_intro,
        watch_items=[item.text for item in article.watch_items.all()],
        bottom_line=split_paragraphs(article.bottom_line),
        topics=sorted((tag.name for tag in article.topics.all()), key=str.casefold),
        editors_comments=split_paragraphs(article.editors_comment),
    )


def article_text(article: Article) -> str:
    return render_article(to_parsed(article))
