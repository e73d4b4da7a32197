from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article, Citation, public_condition
from articles.views import ArchivePaginationMixin

from .models import Source


class SourceListView(ArchivePaginationMixin, ListView):
    """Sources with at least one claim in a published article."""

    template_name = "sources/source_list.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        # Whether a source has a public claim is one index probe per source; counting every
        # claim of every source to sort out the uncited would read the whole archive.
        public_claims = Citation.objects.filter(
            public_condition("article__"), source=OuterRef("pk")
        )
        return Source.objects.filter(Exists(public_claims)).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sources = context["sources"] = context["object_list"] = list(context["sources"])
        totals = dict(
            Citation.objects.filter(public_condition("article__"), source__in=sources)
            .values_list("source")
            .annotate(total=Count("pk"))
        )
        for source in sources:
            source.claim_total = totals[source.pk]
        return context


class SourceDetailView(ArchivePaginationMixin, ListView):
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
