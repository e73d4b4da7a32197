from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
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
    assert response.content.decode().count("<lastmod>") == 7


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


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://news.example.org/sitemap.xml" in lines
    assert "Sitemap: https://news.example.org/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
