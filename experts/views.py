from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView
from taggit.models import Tag

from articles.feeds import feed_links
from articles.models import Article
from articles.views import ArchivePaginationMixin

from .models import Expert, ExpertRedirect, Perspective


class ExpertListView(ArchivePaginationMixin, ListView):
    template_name = "experts/expert_list.html"
    context_object_name = "experts"
    paginate_by = 30

    def get_queryset(self):
        # EXISTS finds who was quoted without counting every perspective in the archive;
        # the totals are counted for the page's experts alone (after ORDER BY … LIMIT).
        public = Perspective.objects.filter(
            expert=OuterRef("pk"), article__in=Article.objects.published()
        )
        total = public.order_by().values("expert").annotate(total=Count("*")).values("total")
        return (
            Expert.objects.filter(Exists(public))
            .annotate(perspective_total=Subquery(total))
            .order_by("name")
        )


class ExpertDetailView(ArchivePaginationMixin, ListView):
    """
    An expert's record: every perspective they gave in published articles, newest first,
    each with the credential as printed then and any disclosure, and the topics they
    were quoted on. A merged duplicate's old address redirects here (301).
    """

    template_name = "experts/expert_detail.html"
    context_object_name = "perspectives"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = ExpertRedirect.objects.filter(old_slug=kwargs["slug"]).select_related("expert")
            if (redirect := moved.first()) is None:
                raise
            return HttpResponsePermanentRedirect(redirect.expert.get_absolute_url())

    def get_queryset(self):
        self.expert = get_object_or_404(
            Expert.objects.select_related("portrait"), slug=self.kwargs["slug"]
        )
        return (
            Perspective.objects.filter(expert=self.expert, article__in=Article.objects.published())
            .select_related("article__category")
            .order_by("-article__published_at", "position")
        )

    def get_context_data(self, **kwargs):
        topics = (
            Tag.objects.filter(
                taggit_taggeditem_items__object_id__in=self.object_list.values("article_id"),
                taggit_taggeditem_items__content_type__model="article",
            )
            .annotate(quotes=Count("taggit_taggeditem_items"))
            .order_by("-quotes", "name")
        )
        return super().get_context_data(
            expert=self.expert,
            topics=topics,
            feed_links=feed_links("expert", self.expert),
            **kwargs,
        )
