from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.feeds import feed_links
from articles.models import Article
from articles.views import ForgivingPaginationMixin

from .models import Expert, Perspective


class ExpertListView(ForgivingPaginationMixin, ListView):
    template_name = "experts/expert_list.html"
    context_object_name = "experts"
    paginate_by = 30

    def get_queryset(self):
        published = Article.objects.published()
        return (
            Expert.objects.annotate(
                perspective_total=Count(
                    "perspectives", filter=Q(perspectives__article__in=published)
                )
            )
            .filter(perspective_total__gt=0)
            .order_by("name")
        )


class ExpertDetailView(ForgivingPaginationMixin, ListView):
    """An expert and every perspective they gave in published articles, newest first."""

    template_name = "experts/expert_detail.html"
    context_object_name = "perspectives"
    paginate_by = 20

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
        return super().get_context_data(
            expert=self.expert, feed_links=feed_links("expert", self.expert), **kwargs
        )
