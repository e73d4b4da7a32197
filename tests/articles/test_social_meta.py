"""What a shared article page tells networks and search engines: meta tags and JSON-LD."""

import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from experts.models import Perspective
from site_settings.models import SiteSettings
from tests.articles.test_sharing import image_upload
from tests.factories import make_article, make_author, make_category, make_full_article

pytestmark = pytest.mark.django_db

BREAKOUT = "</script><script>alert(1)</script>"


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self.scripts: list[dict] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)
            self._in_json_ld = attrs.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def page_head(client, url, **extra) -> HeadParser:
    response = client.get(url, **extra)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def one(head: HeadParser, key: str) -> str:
    values = head.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


def canonical(head: HeadParser) -> str:
    (link,) = [link for link in head.links if link.get("rel") == "canonical"]
    return link["href"]


def graph(head: HeadParser) -> dict:
    (script,) = head.json_ld
    data = json.loads(script)
    return {node["@type"]: node for node in data["@graph"]}


def test_article_page_has_every_open_graph_and_x_property(client):
    category = make_category(name="World")
    authors = [make_author(name="Sarah Johnson"), make_author(name="Ali Khan")]
    article = make_article(
        headline="Talks end", brief="No deal.", category=category, authors=authors
    )
    article.topics.add("Diplomacy", "Ukraine")
    head = page_head(client, article.get_absolute_url(), HTTP_HOST="127.0.0.1")
    url = "https://news.example.org" + article.get_absolute_url()
    assert canonical(head) == url
    assert one(head, "og:type") == "article"
    assert one(head, "og:title") == "Talks end"
    assert one(head, "og:description") == "No deal."
    assert one(head, "og:url") == url
    assert one(head, "og:site_name") == "The Newsroom"
    assert one(head, "og:locale") == "en_GB"
    image = one(head, "og:image")
    assert image.startswith("https://news.example.org/share/") and image.endswith(".png")
    assert one(head, "og:image:width") == "1200"
    assert one(head, "og:image:height") == "630"
    assert one(head, "og:image:alt") == "Talks end"
    assert one(head, "article:published_time") == article.published_at.isoformat()
    assert one(head, "article:modified_time").startswith(str(article.updated_at.year))
    assert one(head, "article:section") == "World"
    assert head.meta["article:tag"] == ["Diplomacy", "Ukraine"]
    assert head.meta["article:author"] == [
        "https://news.example.org" + author.get_absolute_url() for author in authors
    ]
    assert one(head, "twitter:card") == "summary_large_image"
    assert one(head, "twitter:title") == "Talks end"
    assert one(head, "twitter:image") == image
    assert one(head, "twitter:data1") == "Sarah Johnson, Ali Khan"
    assert one(head, "twitter:data2") == "1 min read"
    assert one(head, "description") == "No deal."
    # Every address is absolute and from SITE_URL, whatever Host the request came with.
    for key in ("og:url", "og:image", "twitter:image"):
        assert head.meta[key][0].startswith("https://news.example.org/")


def test_editors_overrides_win_over_headline_brief_and_card(client, settings):
    article = make_article(headline="The headline", brief="The brief.")
    article.social_title = "A title for networks"
    article.social_description = "A description for networks."
    article.social_image = SimpleUploadedFile("share.png", image_upload().read())
    article.social_image_alt = "A map of the front line"
    article.save()
    head = page_head(client, article.get_absolute_url())
    assert one(head, "og:title") == one(head, "twitter:title") == "A title for networks"
    assert one(head, "og:description") == "A description for networks."
    image = one(head, "og:image")
    assert image.startswith("https://news.example.org/media/social/")
    assert (one(head, "og:image:width"), one(head, "og:image:height")) == ("1200", "630")
    assert one(head, "og:image:alt") == "A map of the front line"
    assert "<title>The headline" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("path", ["/", "/experts/", "/?page=2"])
def test_other_pages_have_a_canonical_address_and_description(client, path):
    category = make_category()
    for _ in range(13):
        make_article(category=category)
    head = page_head(client, path, HTTP_HOST="localhost")
    expected = "https://news.example.org" + path
    assert canonical(head) == expected
    assert one(head, "description")
    assert one(head, "og:url") == expected


def test_canonical_drops_tracking_and_junk_parameters(client):
    article = make_article()
    head = page_head(client, article.get_absolute_url() + "?utm_source=x&page=abc")
    assert canonical(head) == "https://news.example.org" + article.get_absolute_url()


def test_json_ld_describes_the_article(client):
    article = make_full_article(parts=2, headline="Talks end without a deal")
    article.topics.add("Diplomacy")
    head = page_head(client, article.get_absolute_url())
    nodes = graph(head)
    news = nodes["AnalysisNewsArticle"]
    url = "https://news.example.org" + article.get_absolute_url()
    assert news["headline"] == "Talks end without a deal"
    assert news["mainEntityOfPage"] == url
    assert news["datePublished"] == article.published_at.isoformat()
    assert news["dateModified"] == article.updated_at.isoformat()
    assert news["image"][0]["url"] == one(head, "og:image")
    # The card in 16:9, 4:3 and 1:1 too, each of at least 50,000 pixels.
    ratios = [round(image["width"] / image["height"], 2) for image in news["image"][1:]]
    assert ratios == [1.78, 1.33, 1.0]
    assert all(image["width"] * image["height"] >= 50_000 for image in news["image"])
    assert all(image["url"].startswith("https://news.example.org/") for image in news["image"])
    author = article.byline_authors[0]
    assert news["author"] == [
        {
            "@type": "Person",
            "name": author.name,
            "url": "https://news.example.org" + author.get_absolute_url(),
        }
    ]
    assert news["publisher"]["@type"] == "NewsMediaOrganization"
    assert news["publisher"]["name"] == "The Newsroom"
    assert news["articleSection"] == article.category.name
    assert "Diplomacy" in news["keywords"]
    quote = news["hasPart"][0]
    perspective = article.perspectives.first()
    assert quote == {
        "@type": "Quotation",
        "text": "Quote 1",
        "creator": {
            "@type": "Person",
            "name": perspective.expert.name,
            "url": "https://news.example.org" + perspective.expert.get_absolute_url(),
            "jobTitle": "senior fellow",
        },
    }
    assert news["citation"][1] == {
        "@type": "CreativeWork",
        "description": "Claim 2",
        "name": "Source 2",
        "publisher": {"@type": "Organization", "name": "Source 2"},
        "url": "https://example.org/2",
    }
    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert [crumb["item"] for crumb in crumbs] == [
        "https://news.example.org/",
        "https://news.example.org" + article.category.get_absolute_url(),
        url,
    ]
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3]


def test_long_headline_is_cut_to_fit_in_json_ld(client):
    article = make_article(headline="A very long headline " * 10)
    news = graph(page_head(client, article.get_absolute_url()))["AnalysisNewsArticle"]
    assert len(news["headline"]) <= 110 and news["headline"].endswith("…")


def test_publisher_logo_and_profiles_come_from_site_settings(client):
    SiteSettings(
        site_name="Daily Analysis",
        logo=SimpleUploadedFile("logo.png", image_upload(size=(600, 60)).read()),
        x_handle="dailyanalysis",
        mastodon_url="https://mastodon.social/@dailyanalysis",
    ).save()
    article = make_article()
    head = page_head(client, article.get_absolute_url())
    publisher = graph(head)["AnalysisNewsArticle"]["publisher"]
    assert publisher["name"] == "Daily Analysis"
    assert publisher["logo"]["url"].startswith("https://news.example.org/media/site/logo")
    assert publisher["sameAs"] == [
        "https://x.com/dailyanalysis",
        "https://mastodon.social/@dailyanalysis",
    ]
    assert one(head, "og:site_name") == "Daily Analysis"
    assert one(head, "twitter:site") == "@dailyanalysis"


def test_no_field_can_break_out_of_the_json_ld_script(client):
    article = make_full_article(headline=f"Headline {BREAKOUT}", brief=f"Brief {BREAKOUT}")
    Perspective.objects.filter(article=article).update(quote=f"Quote {BREAKOUT} & <!--")
    article.topics.add(f"Topic {BREAKOUT}")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    head = HeadParser()
    head.feed(html)
    # Exactly the scripts we put there: the JSON-LD and share.js, nothing injected.
    assert [script.get("type") or script.get("src") for script in head.scripts] == [
        "application/ld+json",
        "/static/js/share.js",
    ]
    news = graph(head)["AnalysisNewsArticle"]
    assert news["headline"] == f"Headline {BREAKOUT}"
    assert news["hasPart"][0]["text"] == f"Quote {BREAKOUT} & <!--"
    start = html.index('<script type="application/ld+json">')
    body = html[start : html.index("</script>", start)]
    assert "<" not in body.removeprefix('<script type="application/ld+json">')


def test_article_page_query_budget_holds_with_sharing(client, django_assert_num_queries):
    article = make_full_article(parts=3)
    client.get("/")
    # The article page's 2 queries (listed in tests/articles/test_views.py); the first
    # visit also computes the related articles (one more), later visits take them cached.
    with django_assert_num_queries(3):
        client.get(article.get_absolute_url())
    with django_assert_num_queries(2):
        client.get(article.get_absolute_url())
    with django_assert_num_queries(2):
        client.get(article.get_absolute_url())


def test_drafts_have_no_page_to_share(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
