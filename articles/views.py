import logging

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from site_settings.models import SiteSettings

from .feeds import feed_links
from .models import Article, Author, Category, SlugRedirect
from .pagination import ArchivePaginator
from .related import related_articles
from .share_links import share_links, tracked_url
from .sharing import CARD_SHAPES, CardNotStored, stored_card
from .structured_data import article_data, json_ld_script

logger = logging.getLogger(__name__)


class ForgivingPaginationMixin:
    """Pagination where ?page=abc or ?page=9999 shows a real page instead of an error."""

    paginate_by = 12

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class ArchivePaginationMixin(ForgivingPaginationMixin):
    """Reader lists: counts and page numbers bounded, so no page scans the whole archive."""

    paginator_class = ArchivePaginator


class HomeView(ArchivePaginationMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_cards()


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_page()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A renamed article: send old links on to its current address.
            moved = (
                SlugRedirect.objects.filter(
                    old_slug=kwargs["slug"], article__in=Article.objects.published()
                )
                .select_related("article")
                .first()
            )
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.article.get_absolute_url())

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            share_image=article.share_image(),
            share_links=share_links(article),
            share_url=tracked_url(article, "share-sheet"),
            structured_data=json_ld_script(article_data(article, SiteSettings.load())),
            related_articles=related_articles(article),
            **kwargs,
        )


@require_GET
def share_card(request, uuid, shape, digest):
    """An article's generated share card; its address changes whenever what it shows does."""
    if shape not in CARD_SHAPES:
        raise Http404("No such card shape.")
    # Staff may see the card of an article not yet published (the admin shows it).
    articles = Article.objects.all() if request.user.is_staff else Article.objects.published()
    article = get_object_or_404(articles.select_related("category"), uuid=uuid)
    text = article.card_text()
    if text.digest != digest:  # an old card: send networks on to the current one
        return redirect("articles:share-card", uuid=uuid, shape=shape, digest=text.digest)
    # The address names what the card shows, so it never changes: cache it for good.
    # A card of an unpublished article is for the staff member alone.
    visibility = "public" if article.is_published else "private"
    try:
        response = FileResponse(default_storage.open(stored_card(article.uuid, text, shape)))
        response["Cache-Control"] = f"{visibility}, max-age=31536000, immutable"
    except CardNotStored as unstored:
        # Storage is full or read-only: the card still unfurls, and is drawn again (and
        # stored, once storage takes it) when caches ask for it in a few minutes.
        logger.exception("Share card of article %s not stored", article.pk)
        response = HttpResponse(unstored.png)
        response["Cache-Control"] = f"{visibility}, max-age=300"
    response["Content-Type"] = "image/png"
    return response


class ArticleListView(ArchivePaginationMixin, ListView):
    """Published articles filtered by one thing the page is about (category, topic, author)."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    subject_kind = ""

    def get_subject(self):
        raise NotImplementedError

    def filter_articles(self, articles, subject):
        raise NotImplementedError

    def get_queryset(self):
        self.subject = self.get_subject()
        return self.filter_articles(Article.objects.published().for_cards(), self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            subject_kind=self.subject_kind,
            feed_links=feed_links(self.subject_kind, self.subject),
            **kwargs,
        )


class CategoryView(ArticleListView):
    subject_kind = "category"

    def get_subject(self):
        return get_object_or_404(Category, slug=self.kwargs["slug"])

    def filter_articles(self, articles, category):
        return articles.in_category(category)


class TopicView(ArticleListView):
    subject_kind = "topic"

    def get_subject(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def filter_articles(self, articles, tag):
        return articles.with_topic(tag)


class AuthorView(ArticleListView):
    subject_kind = "author"
    template_name = "articles/author_detail.html"

    def get_subject(self):
        return get_object_or_404(
            Author.objects.select_related("portrait"), slug=self.kwargs["slug"]
        )

    def filter_articles(self, articles, author):
        return articles.by_author(author)
