from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article, Citation, public_condition
from articles.views import ForgivingPaginationMixin

from .models import Source


class SourceListView(ForgivingPaginationMixin, ListView):
    """Sources with at least one claim in a published article."""

    template_name = "sources/source_list.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        return (
            Source.objects.annotate(
                claim_total=Count("citations", filter=public_condition("citations__article__"))
            )
            .filter(claim_total__gt=0)
            .order_by("name")
        )


class SourceDetailView(ForgivingPaginationMixin, ListView):
    """A source and every claim the newsroom based on it, newest article first."""

    template_name = "sources/source_detail.html"
    context_object_name = "citations"
    paginate_by = 30

    def get_queryset(self):
        self.source = get_object_or_404(Source, slug=self.kwargs["slug"])
        return (
            Citation.objects.filter(source=self.source, article__in=Article.objects.published())
            .select_related("article")
            .order_by("-article__published_at", "article_id", "position")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)
