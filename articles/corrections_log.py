"""
The corrections log: every correction, clarification and update to a published article,
newest first, at /corrections/ and in its feeds (/feeds/corrections/<rss|atom>/).
Publishing our mistakes in one place is part of why readers can trust the rest.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.views.generic import ListView

from .corrections import Correction
from .feeds import feed_view_for
from .models import absolute_url
from .views import ArchivePaginationMixin

FEED_LENGTH = 30


def corrections_log():
    return Correction.objects.public().select_related("article").order_by("-created_at", "-pk")


def feed_links() -> list[dict]:
    return [
        {
            "title": "Corrections and updates",
            "rss": absolute_url(reverse("articles:corrections-feed", args=["rss"])),
            "atom": absolute_url(reverse("articles:corrections-feed", args=["atom"])),
        }
    ]


class CorrectionsView(ArchivePaginationMixin, ListView):
    template_name = "articles/corrections_log.html"
    context_object_name = "corrections"
    paginate_by = 20

    def get_queryset(self):
        return corrections_log()

    def get_context_data(self, **kwargs):
        return super().get_context_data(feed_links=feed_links(), **kwargs)


class CorrectionsFeed:
    title = "Corrections and updates"
    description = "Every correction, clarification and update to our published articles."

    def link(self):
        return absolute_url(reverse("articles:corrections"))

    def items(self):
        return corrections_log()[:FEED_LENGTH]

    def item_title(self, correction: Correction) -> str:
        return f"{correction.get_kind_display()}: {correction.article.headline}"

    def item_description(self, correction: Correction) -> str:
        where = f" ({correction.part})" if correction.part else ""
        return f"{correction.text}{where}"

    def item_link(self, correction: Correction) -> str:
        return absolute_url(correction.get_absolute_url())

    def item_guid(self, correction: Correction) -> str:
        return f"urn:uuid:{correction.article.uuid}:correction:{correction.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, correction: Correction):
        return correction.created_at


class RssCorrectionsFeed(CorrectionsFeed, Feed):
    feed_type = Rss201rev2Feed


class AtomCorrectionsFeed(CorrectionsFeed, Feed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description


corrections_feed = feed_view_for({"rss": RssCorrectionsFeed(), "atom": AtomCorrectionsFeed()})
