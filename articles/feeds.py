"""
RSS 2.0 and Atom feeds: the whole site, and each category, topic, author and expert.

Only `Article.objects.published()`: drafts and scheduled articles never appear.
Each entry's id is the article's UUID (urn:uuid:…), so it stays the same when the
article is updated or its slug changes and readers do not see it twice. Links are
absolute, built from SITE_URL rather than the request's Host. Entries carry the
brief, or the whole article with `?content=full`. Queries are a fixed number
whatever the number of entries (the querysets prefetch what entries show).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from newsroom.ratelimit import rate_limited

from .models import Article, Author, Category, absolute_url

FEED_LENGTH = 30


@dataclass(frozen=True)
class FeedSubject:
    """What one feed is about (None: the whole site), and whether entries are full text."""

    kind: str
    subject: Model | None
    full_text: bool

    @property
    def title(self) -> str:
        from site_settings.models import SiteSettings

        site_name = SiteSettings.load().name
        if self.subject is None:
            return site_name
        return f"{site_name}: {self.subject}"

    @property
    def page_url(self) -> str:
        if self.subject is None:
            return absolute_url(reverse("articles:home"))
        if self.kind == "topic":
            return absolute_url(reverse("articles:topic", args=[self.subject.slug]))
        return absolute_url(self.subject.get_absolute_url())


def subject_for(kind: str, slug: str):
    """The category, topic, author or expert a feed follows; 404 for anything else."""
    from experts.models import Expert

    models = {"category": Category, "topic": Tag, "author": Author, "expert": Expert}
    if kind not in models:
        raise Http404("No such kind of feed.")
    return get_object_or_404(models[kind], slug=slug)


def articles_about(kind: str, subject) -> "ArticleQuerySet":  # noqa: F821
    articles = Article.objects.published()
    if subject is None:
        return articles
    if kind == "category":
        return articles.in_category(subject)
    if kind == "topic":
        return articles.with_topic(subject)
    if kind == "author":
        return articles.by_author(subject)
    return articles.filter(perspectives__expert=subject).distinct()


def feed_url(format: str, kind: str = "", slug: str = "") -> str:
    if not kind:
        return absolute_url(reverse("articles:feed", args=[format]))
    return absolute_url(reverse("articles:subject-feed", args=[kind, slug, format]))


def feed_links(kind: str, subject) -> list[dict]:
    """The <link rel=alternate> entries for a page about `subject`."""
    from site_settings.models import SiteSettings

    return [
        {
            "title": f"{SiteSettings.load().name}: {subject}",
            "rss": feed_url("rss", kind, subject.slug),
            "atom": feed_url("atom", kind, subject.slug),
        }
    ]


class ArticleFeed:
    """One Feed class per format (see `feed_view`); `obj` is a FeedSubject."""

    description_template = "articles/feed_entry.html"

    def get_object(self, request, kind="", slug="", format="rss"):
        subject = subject_for(kind, slug) if kind else None
        return FeedSubject(kind, subject, request.GET.get("content") == "full")

    def title(self, obj: FeedSubject) -> str:
        return obj.title

    def link(self, obj: FeedSubject) -> str:
        return obj.page_url

    def description(self, obj: FeedSubject) -> str:
        if obj.subject is None:
            return f"The latest analysis from {obj.title}."
        return f"The latest analysis on {obj.subject} from {obj.title.split(':')[0]}."

    subtitle = description

    def feed_url(self, obj: FeedSubject) -> str:
        slug = obj.subject.slug if obj.subject is not None else ""
        url = feed_url(self.format, obj.kind, slug)
        return url + "?content=full" if obj.full_text else url

    def feed_guid(self, obj: FeedSubject) -> str:
        return self.feed_url(obj)

    def items(self, obj: FeedSubject):
        articles = articles_about(obj.kind, obj.subject)
        # Full text: every part, topics included; a summary: the card's parts and topics.
        articles = articles.for_page() if obj.full_text else articles.for_cards().with_topics()
        return articles.order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, article: Article) -> str:
        return article.headline

    def item_link(self, article: Article) -> str:
        return absolute_url(article.get_absolute_url())

    def item_guid(self, article: Article) -> str:
        return f"urn:uuid:{article.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article: Article) -> str:
        return ", ".join(author.name for author in article.byline_authors)

    def item_author_link(self, article: Article) -> str | None:
        authors = article.byline_authors
        return absolute_url(authors[0].get_absolute_url()) if authors else None

    def item_categories(self, article: Article) -> list[str]:
        categories = [article.category.name] if article.category_id else []
        return categories + [topic.name for topic in article.topics.all()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["full_text"] = kwargs["obj"].full_text
        context["site_url"] = settings.SITE_URL
        context["site_name"] = kwargs["obj"].title.split(":")[0]
        return context


class RssArticleFeed(ArticleFeed, Feed):
    feed_type = Rss201rev2Feed
    format = "rss"


class AtomArticleFeed(ArticleFeed, Feed):
    feed_type = Atom1Feed
    format = "atom"


FEEDS = {"rss": RssArticleFeed(), "atom": AtomArticleFeed()}


def feed_view_for(feeds: dict):
    """The view of a feed offered as {"rss": …, "atom": …}: the format comes from the URL,
    and every feed shares one rate limit (newsroom/ratelimit.py)."""

    @rate_limited("feeds")
    def view(request, format: str, **kwargs):
        if format not in feeds:
            raise Http404("Feeds come as rss or atom.")
        return feeds[format](request, **kwargs)

    return view


# /feeds/rss/, /feeds/atom/, /feeds/<kind>/<slug>/<format>/ (kind: category, topic…).
feed_view = feed_view_for(FEEDS)
