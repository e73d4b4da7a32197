from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone

from articles.models import Article, Citation
from experts.models import Perspective
from sources.models import Source
from tests.factories import make_article, make_author, make_category, make_expert

pytestmark = pytest.mark.django_db

XSD = Path(__file__).resolve().parent.parent / "xsd"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.fixture(scope="module")
def urlset_schema():
    return xmlschema.XMLSchema([XSD / "sitemap.xsd", XSD / "sitemap-news.xsd"])


@pytest.fixture(scope="module")
def index_schema():
    return xmlschema.XMLSchema(XSD / "siteindex.xsd")


def locations(schema, content: bytes) -> list[str]:
    schema.validate(content.decode())  # raises with the reason if the XML is not valid
    return [element.text for element in ElementTree.fromstring(content).iter(f"{{{NS}}}loc")]


def make_site_content():
    category, author, expert = make_category(), make_author(), make_expert()
    article = make_article(category=category, authors=[author])
    article.topics.add("Energy")
    Perspective.objects.create(article=article, expert=expert, quote="A quote.")
    source = Source.objects.create(name=f"Source of {article.headline}")
    Citation.objects.create(article=article, claim="A claim.", source=source)
    return article, category, author, expert


def test_index_lists_every_sitemap_with_absolute_addresses(client, index_schema):
    make_site_content()
    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    listed = [loc.split("/")[-1] for loc in locations(index_schema, response.content)]
    assert listed == [
        "sitemap-pages.xml",
        "sitemap-articles.xml",
        "sitemap-categories.xml",
        "sitemap-topics.xml",
        "sitemap-authors.xml",
        "sitemap-experts.xml",
        "sitemap-sources.xml",
        "sitemap-news.xml",
    ]
    assert "https://news.example.org/sitemap-articles.xml" in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()
    assert response.content.decode().count("<lastmod>") == 8


def test_each_sitemap_validates_and_lists_only_public_pages(client, urlset_schema):
    article, category, author, expert = make_site_content()
    draft_author = make_author()
    make_article(status=Article.Status.DRAFT, headline="Secret", authors=[draft_author])
    make_article(published_at=timezone.now() + timedelta(days=1), headline="Scheduled")
    expected = {
        "articles": {article.get_absolute_url()},
        "categories": {category.get_absolute_url()},
        "topics": {"/topics/energy/"},
        "authors": {author.get_absolute_url()},
        "experts": {expert.get_absolute_url()},
    }
    for section, paths in expected.items():
        response = client.get(f"/sitemap-{section}.xml")
        assert response.status_code == 200, section
        found = locations(urlset_schema, response.content)
        if section == "articles":  # the scheduled article's author is public only later
            assert len(found) == 1
        assert {"https://news.example.org" + path for path in paths} <= set(found), section
        assert "secret" not in response.content.decode()
        assert "scheduled" not in response.content.decode()
        assert draft_author.slug not in response.content.decode()
        assert "<lastmod>" in response.content.decode()


def test_news_sitemap_has_only_the_last_two_days(client, urlset_schema):
    now = timezone.now()
    fresh = make_article(headline="Fresh & new", published_at=now - timedelta(hours=3))
    make_article(headline="Old", published_at=now - timedelta(days=3))
    make_article(headline="Draft", status=Article.Status.DRAFT)
    response = client.get("/sitemap-news.xml")
    found = locations(urlset_schema, response.content)
    assert found == ["https://news.example.org" + fresh.get_absolute_url()]
    body = response.content.decode()
    assert "<news:title>Fresh &amp; new</news:title>" in body
    assert "<news:name>The Newsroom</news:name>" in body
    assert "<news:language>en</news:language>" in body


def test_news_sitemap_keeps_to_a_thousand_articles(client, urlset_schema, monkeypatch):
    monkeypatch.setattr("articles.sitemaps.NEWS_LIMIT", 3)
    for hours in range(5):
        make_article(published_at=timezone.now() - timedelta(hours=hours + 1))
    found = locations(urlset_schema, client.get("/sitemap-news.xml").content)
    assert len(found) == 3


def test_news_limit_is_googles():
    from articles.sitemaps import NEWS_LIMIT, NEWS_WINDOW, SiteSitemap

    assert NEWS_LIMIT == 1000 and NEWS_WINDOW == timedelta(days=2)
    assert SiteSitemap.limit == 50_000


def test_article_sitemap_is_paged_by_ranges_of_ids(client, urlset_schema, monkeypatch):
    # Page n holds ids ((n-1)·limit, n·limit]: no OFFSET, and one MAX(id) for the index.
    monkeypatch.setattr("articles.sitemaps.ArticleSitemap.limit", 2)
    articles = [make_article() for _ in range(5)]
    draft = make_article(status=Article.Status.DRAFT)  # its id counts, it is not listed
    last_page = -(-draft.pk // 2)
    index = client.get("/sitemap.xml").content.decode()
    assert f"sitemap-articles.xml?p={last_page}" in index
    assert f"sitemap-articles.xml?p={last_page + 1}" not in index
    found = []
    for page in range(1, last_page + 1):
        response = client.get("/sitemap-articles.xml", {"p": page})
        assert response.status_code == 200
        listed = [e.text for e in ElementTree.fromstring(response.content).iter(f"{{{NS}}}loc")]
        if listed:
            locations(urlset_schema, response.content)  # valid
        assert len(listed) <= 2
        found += listed
    assert sorted(found) == sorted(
        "https://news.example.org" + article.get_absolute_url() for article in articles
    )
    assert client.get("/sitemap-articles.xml", {"p": last_page + 1}).status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_sitemap_queries_do_not_grow_with_items(client, django_assert_num_queries, count):
    for _ in range(count):
        make_site_content()
    budgets = {
        # latest change, MAX(id), and one plain table count per other section (categories,
        # topics, authors, experts and, since issue 10, sources)
        "/sitemap.xml": 7,
        "/sitemap-pages.xml": 0,
        "/sitemap-articles.xml": 2,
        "/sitemap-categories.xml": 2,
        "/sitemap-topics.xml": 2,
        "/sitemap-authors.xml": 2,
        "/sitemap-experts.xml": 2,
        "/sitemap-sources.xml": 2,
        "/sitemap-news.xml": 2,
    }
    client.get("/")  # site settings are cached, as after any earlier visitor
    for url, budget in budgets.items():
        with django_assert_num_queries(budget):
            assert client.get(url).status_code == 200


def test_the_pages_sitemap_names_the_sites_own_lists(client, urlset_schema):
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    assert locations(urlset_schema, response.content) == [
        "https://news.example.org/",
        "https://news.example.org/experts/",
        "https://news.example.org/watching/",
        "https://news.example.org/corrections/",
        "https://news.example.org/sources/",
    ]


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://news.example.org/sitemap.xml" in lines
    assert "Sitemap: https://news.example.org/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


# The article sitemap's pages are written by articles.sitemaps.article_sitemap, not by
# Django's sitemap view and template (issue 9: a page of 10,000 took over a second).


def test_article_sitemap_page_dates_each_address_in_the_sites_time_zone(
    client, urlset_schema, settings
):
    settings.TIME_ZONE = "Pacific/Auckland"  # 13 hours ahead of UTC in March
    late = make_article()
    early = make_article()
    Article.objects.filter(pk=late.pk).update(updated_at=datetime(2026, 3, 1, 20, tzinfo=UTC))
    Article.objects.filter(pk=early.pk).update(updated_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    response = client.get("/sitemap-articles.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert locations(urlset_schema, response.content) == [
        "https://news.example.org" + article.get_absolute_url() for article in (late, early)
    ]
    dates = [e.text for e in ElementTree.fromstring(response.content).iter(f"{{{NS}}}lastmod")]
    assert dates == ["2026-03-02", "2026-03-01"]
    # Conditional GET compares against the latest change on the page.
    assert response["Last-Modified"] == "Sun, 01 Mar 2026 20:00:00 GMT"


@pytest.fixture
def mounted_under_desk_and_co():
    """The site served under /desk&co/ (SCRIPT_NAME), as a shared host might mount it."""
    previous = get_script_prefix()
    set_script_prefix("/desk&co/")
    yield
    set_script_prefix(previous)


def test_article_sitemap_escapes_its_addresses(client, urlset_schema, mounted_under_desk_and_co):
    article = make_article()
    response = client.get("/sitemap-articles.xml")
    assert response.status_code == 200
    assert locations(urlset_schema, response.content) == [
        f"https://news.example.org/desk&co/articles/{article.slug}/"
    ]
    assert "/desk&amp;co/articles/" in response.content.decode()


def test_article_sitemap_leaves_out_a_slug_no_address_can_carry(client, urlset_schema):
    # Only code that skips the model's validation can store one; reverse() refuses it, and
    # the sitemap must stay valid XML.
    listed, broken = make_article(), make_article()
    Article.objects.filter(pk=broken.pk).update(slug="a&b<c>")
    response = client.get("/sitemap-articles.xml")
    assert locations(urlset_schema, response.content) == [
        "https://news.example.org" + listed.get_absolute_url()
    ]
    assert "a&" not in response.content.decode()


def test_article_sitemap_pages_are_ranges_of_ten_thousand_ids(client, index_schema):
    article = make_article(id=25_001)
    index = client.get("/sitemap.xml")
    pages = [loc for loc in locations(index_schema, index.content) if "articles" in loc]
    assert pages == [
        "https://news.example.org/sitemap-articles.xml",
        "https://news.example.org/sitemap-articles.xml?p=2",
        "https://news.example.org/sitemap-articles.xml?p=3",
    ]
    for page in (1, 2):
        response = client.get("/sitemap-articles.xml", {"p": page})
        assert response.status_code == 200
        assert b"<url>" not in response.content
    third = client.get("/sitemap-articles.xml", {"p": 3}).content.decode()
    assert f"/articles/{article.slug}/</loc>" in third
    assert client.get("/sitemap-articles.xml", {"p": 4}).status_code == 404


@pytest.mark.parametrize("page", ["0", "two", "-1"])
def test_article_sitemap_page_that_does_not_exist_is_404(client, page):
    make_article()
    assert client.get("/sitemap-articles.xml", {"p": page}).status_code == 404


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nonsense.xml").status_code == 404


def test_article_sitemap_page_reads_two_columns_and_builds_no_articles(
    client, django_assert_num_queries, monkeypatch
):
    for _ in range(30):
        make_article()

    def no_instances(*args, **kwargs):
        raise AssertionError("an Article instance was built for the sitemap")

    client.get("/")  # site settings are cached, as after any earlier visitor
    monkeypatch.setattr(Article, "from_db", classmethod(no_instances))
    with django_assert_num_queries(2) as captured:  # MAX(id), then the page's rows
        response = client.get("/sitemap-articles.xml")
    assert response.content.decode().count("<url>") == 30
    rows = captured.captured_queries[-1]["sql"]
    assert '"slug"' in rows and '"updated_at"' in rows and '"headline"' not in rows
