"""
Watch items that close the loop: what readers were told to watch, and how it turned out.

A Looking Ahead item (WatchItem) is open until an editor records its outcome, usually
from the later article that reports it ("This article resolves…" in the article form,
articles/admin_watching.py). The original article then shows the outcome beside the
item, the later one lists what it resolved, and the outcome appears in the resolutions
feed. /watching/ lists the open items site-wide with their age, /topics/<slug>/watching/
those of one topic.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.views.generic import ListView
from taggit.models import Tag

from .feeds import feed_view_for
from .models import WatchItem, absolute_url, public_condition
from .views import ArchivePaginationMixin

FEED_LENGTH = 30


def public_items():
    """Watch items of articles readers may see."""
    return WatchItem.objects.filter(public_condition("article__"))


def open_items():
    """Still open, oldest article first: what the newsroom has been watching longest."""
    return (
        public_items()
        .filter(status=WatchItem.Status.OPEN)
        .select_related("article")
        .order_by("article__published_at", "article_id", "position")
    )


def resolutions():
    """Resolved items, newest outcome first; the resolving article must be public too."""
    return (
        public_items()
        .exclude(status=WatchItem.Status.OPEN)
        .filter(Q(resolved_by__isnull=True) | public_condition("resolved_by__"))
        .select_related("article", "resolved_by")
        .order_by("-resolved_on", "-pk")
    )


def overdue_items(today=None):
    """Open items whose check-by date has passed: what editors should look at."""
    today = today or timezone.localdate()
    return WatchItem.objects.filter(status=WatchItem.Status.OPEN, check_by__lt=today)


class WatchingView(ArchivePaginationMixin, ListView):
    """What we are watching: open items across the site, or in one topic."""

    template_name = "articles/watching.html"
    context_object_name = "items"
    paginate_by = 30

    def get_queryset(self):
        self.topic = None
        items = open_items()
        if slug := self.kwargs.get("slug"):
            self.topic = get_object_or_404(Tag, slug=slug)
            items = items.filter(article__topics=self.topic)
        return items

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topic=self.topic,
            today=timezone.localdate(),
            recent_resolutions=resolutions()[:5] if self.topic is None else [],
            feed_links=[
                {
                    "title": "Resolutions: how what we watched turned out",
                    "rss": absolute_url(reverse("articles:resolutions-feed", args=["rss"])),
                    "atom": absolute_url(reverse("articles:resolutions-feed", args=["atom"])),
                }
            ],
            **kwargs,
        )


class ResolutionsFeed:
    """Each entry: a watch item's outcome, linking to the article that reported it."""

    title = "What we watched, and how it turned out"
    description = "Outcomes of the developments our analysis told readers to watch."

    def link(self):
        return absolute_url(reverse("articles:watching"))

    def items(self):
        return resolutions()[:FEED_LENGTH]

    def item_title(self, item: WatchItem) -> str:
        return f"{item.get_status_display()}: {item.text}"

    def item_description(self, item: WatchItem) -> str:
        parts = [f"From “{item.article.headline}”."]
        if item.resolution_note:
            parts.append(item.resolution_note)
        if item.resolved_by_id:
            parts.append(f"Reported in “{item.resolved_by.headline}”.")
        return " ".join(parts)

    def item_link(self, item: WatchItem) -> str:
        target = item.resolved_by if item.resolved_by_id else item.article
        return absolute_url(target.get_absolute_url()) + f"#watch-{item.pk}"

    def item_guid(self, item: WatchItem) -> str:
        return f"urn:uuid:{item.article.uuid}:watch:{item.pk}:{item.status}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: WatchItem):
        from datetime import datetime, time

        return timezone.make_aware(datetime.combine(item.resolved_on, time(12)))


class RssResolutionsFeed(ResolutionsFeed, Feed):
    feed_type = Rss201rev2Feed


class AtomResolutionsFeed(ResolutionsFeed, Feed):
    feed_type = Atom1Feed
    subtitle = ResolutionsFeed.description


resolutions_feed = feed_view_for({"rss": RssResolutionsFeed(), "atom": AtomResolutionsFeed()})
