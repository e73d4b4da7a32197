from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from articles.share_links import share_links
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HEADLINE = 'Rates & "risks": 50% of banks say #yes?'


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.buttons: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "share-" in (attrs.get("class") or ""):
            self.hrefs.append(attrs["href"])
        # The share bar's buttons (the header's search box has a submit button too).
        if tag == "button" and attrs.get("type") == "button":
            self.buttons.append(attrs)


def article_url_in(value: str, network: str, article) -> None:
    parts = urlsplit(value)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://news.example.org" + article.get_absolute_url()
    )
    assert parse_qs(parts.query) == {
        "utm_source": [network],
        "utm_medium": ["social"],
        "utm_campaign": ["article-share"],
    }


def test_each_network_gets_the_encoded_url_and_title_with_utm():
    article = make_article(headline=HEADLINE)
    links = {link.network: link for link in share_links(article)}
    assert list(links) == ["x", "facebook", "linkedin", "bluesky", "whatsapp", "email"]

    x = parse_qs(urlsplit(links["x"].url).query)
    assert links["x"].url.startswith("https://x.com/intent/post?")
    assert x["text"] == [HEADLINE]
    article_url_in(x["url"][0], "x", article)

    facebook = parse_qs(urlsplit(links["facebook"].url).query)
    article_url_in(facebook["u"][0], "facebook", article)
    linkedin = parse_qs(urlsplit(links["linkedin"].url).query)
    article_url_in(linkedin["url"][0], "linkedin", article)

    for network in ("bluesky", "whatsapp"):
        text = parse_qs(urlsplit(links[network].url).query)["text"][0]
        title, url = text.rsplit(" ", 1)
        assert title == HEADLINE
        article_url_in(url, network, article)

    email = links["email"].url
    assert email.startswith("mailto:?subject=")
    subject, body = (unquote(part.split("=", 1)[1]) for part in email[8:].split("&"))
    assert subject == HEADLINE
    assert "+" not in email  # spaces as %20: mail programs do not decode +
    article_url_in(body.splitlines()[-1], "email", article)


def test_share_bar_works_without_javascript(client):
    article = make_article(headline=HEADLINE)
    html = client.get(article.get_absolute_url()).content.decode()
    parser = LinkParser()
    parser.feed(html)
    assert len(parser.hrefs) == 6
    assert all(href.startswith(("https://", "mailto:")) for href in parser.hrefs)
    # The two script-only buttons stay hidden until share.js shows them.
    assert len(parser.buttons) == 2 and all("hidden" in button for button in parser.buttons)
    assert 'data-share-url="https://news.example.org' in html
    assert "onclick" not in html
    assert 'src="/static/js/share.js" defer' in html


def test_share_script_is_a_static_file(client):
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/share.js")).read()
    assert "navigator.clipboard" in script and "navigator.share" in script
