"""
Sitemaps: /sitemap.xml indexes paged sitemaps of articles, categories, topics,
authors, experts and sources (at most 50,000 addresses a page, each with lastmod), plus a
Google News sitemap of articles published in the last two days (at most 1,000).

Addresses are built from SITE_URL, not from the request's Host. Only what
readers may see is listed, and every sitemap takes a fixed number of queries
however many items it lists (lastmod comes from annotations, not per item).

The article sitemap's pages are written out by `article_sitemap`, not by Django's
sitemap view: that view makes a model instance, a reverse() and a dict per address and
renders a template block per <url>, about 100 µs an address, which made an uncached page
of 10,000 addresses take over a second and time out under load (issue 9).
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import Max, Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_GET
from taggit.models import Tag

from .models import Article, Author, Category, public_condition

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def published_through(prefix: str) -> Q:
    """Q for rows whose related article (via `prefix`) is published, as `published()` says."""
    return public_condition(prefix)


def latest_public_update(**filters):
    """When a published article (narrowed by `filters`) last changed: one aggregate query."""
    articles = Article.objects.published().filter(**filters)
    return articles.aggregate(latest=Max("updated_at"))["latest"]


class SiteSitemap(Sitemap):
    """A sitemap whose addresses come from SITE_URL."""

    limit = 50_000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return item.lastmod

    # Each sitemap answers get_latest_lastmod with one aggregate query, where Django's
    # default would load every item.

    def page_count(self) -> int:
        """Pages for the index, without counting over joins: the listed rows are a subset
        of the base table, so when that table fits one page (the usual case for
        categories, topics, authors and experts) one index-only count says so."""
        base = self.items().model._default_manager
        if base.count() <= self.limit:
            return 1
        return self.paginator.num_pages


class IdRangePaginator:
    """Page n lists the articles whose id is in ((n-1)·limit, n·limit]: each page is a range
    of the primary key (no OFFSET), and the number of pages one MAX(id) lookup, whatever
    the size of the archive. A page may hold fewer than `limit` addresses, never more."""

    def __init__(self, queryset, per_page: int):
        self.queryset, self.per_page = queryset, per_page

    @cached_property
    def num_pages(self) -> int:
        highest = Article.objects.aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, -(-highest // self.per_page))

    def page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        start = (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gt=start, pk__lte=start + self.per_page)
        return Page(rows, number, self)


class PageSitemap(SiteSitemap):
    """The site's own lists, which no other sitemap names: home, experts, what we are
    watching, corrections and sources. Their content changes with every article, so no
    lastmod is claimed."""

    names = [
        "articles:home",
        "experts:list",
        "articles:watching",
        "articles:corrections",
        "sources:list",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return None

    def get_latest_lastmod(self):
        return None

    def page_count(self) -> int:
        return 1


class ArticleSitemap(SiteSitemap):
    # Google takes 50,000 a page; 10,000 (about 1 MB of XML, some 30 ms to write out with
    # article_sitemap on PostgreSQL) keeps an uncached page short under load.
    limit = 10_000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def page_count(self) -> int:
        return self.paginator.num_pages

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        return latest_public_update()


class CategorySitemap(SiteSitemap):
    def items(self):
        return (
            Category.objects.filter(published_through("articles__"))
            .annotate(lastmod=Max("articles__updated_at"))
            .order_by("position", "name")
        )

    def get_latest_lastmod(self):
        return latest_public_update(category__isnull=False)


class TopicSitemap(SiteSitemap):
    def items(self):
        return (
            Tag.objects.filter(published_through("article__"))
            .annotate(lastmod=Max("article__updated_at"))
            .order_by("name")
        )

    def location(self, tag):
        return reverse("articles:topic", args=[tag.slug])

    def get_latest_lastmod(self):
        return latest_public_update(topics__isnull=False)


class AuthorSitemap(SiteSitemap):
    def items(self):
        return (
            Author.objects.filter(published_through("bylines__article__"))
            .annotate(lastmod=Max("bylines__article__updated_at"))
            .order_by("name")
        )

    def get_latest_lastmod(self):
        return latest_public_update()


class ExpertSitemap(SiteSitemap):
    def items(self):
        from experts.models import Expert

        return (
            Expert.objects.filter(published_through("perspectives__article__"))
            .annotate(lastmod=Max("perspectives__article__updated_at"))
            .order_by("name")
        )

    def get_latest_lastmod(self):
        return latest_public_update(perspectives__isnull=False)


class SourceSitemap(SiteSitemap):
    """Source pages (issue 10): sources with a claim in a published article."""

    def items(self):
        from sources.models import Source

        return (
            Source.objects.filter(published_through("citations__article__"))
            .annotate(lastmod=Max("citations__article__updated_at"))
            .order_by("name")
        )

    def get_latest_lastmod(self):
        return latest_public_update(citations__source__isnull=False)


class NewsSitemap(SiteSitemap):
    """Google News: articles published in the last two days, newest first, at most 1,000."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "headline", "published_at", "updated_at")
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        return latest_public_update(published_at__gte=timezone.now() - NEWS_WINDOW)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "experts": ExpertSitemap,
    "sources": SourceSitemap,
    "news": NewsSitemap,
}


# What the article URL's <slug:slug> accepts: a slug outside it (only ever written past
# the model's validation) has no address, as reverse() would say.
ADDRESSABLE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_MARK = "slug-mark"

URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def sitemap_page(request, section):
    """/sitemap-<section>.xml: the articles' own writer, Django's sitemap view for the rest
    (categories, topics, authors, experts, sources: a few hundred addresses at most)."""
    if section == "articles":
        return article_sitemap(request)
    sitemaps = {name: cls for name, cls in SITEMAPS.items() if name not in {"articles", "news"}}
    return django_sitemap(request, sitemaps=sitemaps, section=section)


@x_robots_tag
def article_sitemap(request):
    """
    One page of the article sitemap (?p=n: the public articles with ids in page n's range),
    in two queries: MAX(id) for the page count, then slug and updated_at of the page's rows,
    no model instances. Addresses are one reverse() with a placeholder slug, then string
    formatting; lastmod is the date in the site's time zone, as Django's template writes it.
    Last-Modified is the latest lastmod on the page, as Django's view sets it.
    """
    sitemap = ArticleSitemap()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from None
    path_start, path_end = reverse("articles:detail", kwargs={"slug": SLUG_MARK}).split(SLUG_MARK)
    site = f"{sitemap.get_protocol()}://{sitemap.get_domain()}"
    start = "<url><loc>" + escape(site + path_start)
    end = escape(path_end) + "</loc><lastmod>"
    zone = timezone.get_current_timezone()
    parts, latest = [URLSET_START], None
    for slug, updated_at in page.object_list.values_list("slug", "updated_at"):
        if not ADDRESSABLE_SLUG.fullmatch(slug):
            continue
        if latest is None or updated_at > latest:
            latest = updated_at
        lastmod = updated_at.astimezone(zone).date().isoformat()
        parts.append(f"{start}{slug}{end}{lastmod}</lastmod></url>\n")
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    if latest is not None:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response


@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: every page of every sitemap, addressed from SITE_URL."""
    entries = []
    latest = (
        Article.objects.published().order_by("-updated_at").values_list("updated_at", flat=True)
    ).first()
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("articles:sitemap", args=[section])
        # One lastmod for all (the latest public change, an index lookup): each section's
        # own would aggregate over joins with every article on every request.
        lastmod = latest
        pages = 1 if section == "news" else sitemap.page_count()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={page}", lastmod) for page in range(2, pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@x_robots_tag
def news_sitemap(request):
    """/sitemap-news.xml, with Google News' publication, date and title per article."""
    sitemap = NewsSitemap()
    from site_settings.models import SiteSettings

    return TemplateResponse(
        request,
        "sitemaps/news.xml",
        {
            "urlset": sitemap.get_urls(page=1),
            "publication_name": SiteSettings.load().name,
            "language": settings.LANGUAGE_CODE.split("-")[0],
        },
        content_type="application/xml",
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('articles:sitemap-index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('articles:sitemap', args=['news'])}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
