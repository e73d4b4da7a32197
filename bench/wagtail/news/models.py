"""
Newsroom's analysis article as a Wagtail site would model it: pages in the tree for the
home page, the articles index and each article; snippets for categories, authors and
experts; StreamField blocks for the ordered parts; tags for topics.
"""

import uuid

from django.core.cache import cache
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.snippets.models import register_snippet

from .blocks import CitationBlock, PerspectiveBlock, SectionBlock, WatchItemBlock

RELATED_LIMIT = 4
RELATED_CACHE_SECONDS = 10 * 60  # as Newsroom's articles/related.py
# The key Newsroom uses too, so newsroom/bench_probe.py counts both sides' queries with
# the related list cold.
GENERATION_KEY = "related-articles:generation"


@register_snippet
class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)

    def __str__(self):
        return self.name


@register_snippet
class Expert(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credential = models.CharField(max_length=200, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return self.name


class HomePage(Page):
    """The front page: the newest articles as cards, newest first."""

    max_count = 1
    subpage_types = ["news.ArticleIndexPage"]
    page_size = 12

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        try:
            number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            number = 1
        start = (number - 1) * self.page_size
        # One row more than a page tells whether there is a next page, without a COUNT
        # over the whole archive (Newsroom's pagination is bounded the same way).
        articles = list(
            ArticlePage.objects.live()
            .order_by("-date", "-pk")
            .select_related("category")
            .prefetch_related("byline__author")[start : start + self.page_size + 1]
        )
        context["articles"] = articles[: self.page_size]
        context["next_page"] = number + 1 if len(articles) > self.page_size else None
        context["previous_page"] = number - 1 if number > 1 else None
        return context


class ArticleIndexPage(Page):
    """/articles/: the parent of every article, so articles live at /articles/<slug>/."""

    max_count = 1
    subpage_types = ["news.ArticlePage"]


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePageAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="byline")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("author")]


class ArticlePage(Page):
    """An analysis article; the page's title is its headline."""

    date = models.DateTimeField("published", db_index=True)
    brief = models.TextField()
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField([("section", SectionBlock())])
    perspectives = StreamField([("perspective", PerspectiveBlock())], blank=True)
    citations = StreamField([("citation", CitationBlock())], blank=True)
    looking_ahead_intro = models.TextField(blank=True)
    watch_items = StreamField([("watch_item", WatchItemBlock())], blank=True)
    bottom_line = models.TextField(blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    parent_page_types = ["news.ArticleIndexPage"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("brief"),
        FieldPanel("category"),
        InlinePanel("byline", label="Authors"),
        FieldPanel("body"),
        FieldPanel("perspectives"),
        FieldPanel("citations"),
        FieldPanel("looking_ahead_intro"),
        FieldPanel("watch_items"),
        FieldPanel("bottom_line"),
        FieldPanel("tags"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = [entry.author for entry in self.byline.select_related("author")]
        context["topics"] = list(self.tags.all())
        context["related_articles"] = self.related_articles(context["topics"])
        words = sum(len(str(block.value["body"]).split()) for block in self.body)
        context["reading_minutes"] = max(1, round(words / 230))
        return context

    def related_articles(self, topics):
        """Up to four newer-first live articles sharing a topic, cached for 10 minutes."""
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            cache.set(GENERATION_KEY, generation, None)
        key = f"related-articles:{generation}:{self.pk}"
        related = cache.get(key)
        if related is None:
            related = list(
                ArticlePage.objects.live()
                .filter(tags__in=[topic.pk for topic in topics])
                .exclude(pk=self.pk)
                .select_related("category")
                .distinct()
                .order_by("-date", "-pk")[:RELATED_LIMIT]
            )
            cache.set(key, related, RELATED_CACHE_SECONDS)
        return related

    def paragraphs(self, text):
        return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]

    def bottom_line_paragraphs(self):
        return self.paragraphs(self.bottom_line)

    def looking_ahead_paragraphs(self):
        return self.paragraphs(self.looking_ahead_intro)
