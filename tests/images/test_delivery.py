"""Pictures on the public pages: <picture>, srcset, dimensions, alt text, and no extra queries."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from images import renditions
from tests.factories import make_article, make_author, make_expert, make_full_article
from tests.images import pictures
from tests.images.pictures import make_image

pytestmark = pytest.mark.django_db


def pictures_in(html: str) -> list[str]:
    return re.findall(r"<picture.*?</picture>", html, flags=re.S)


def article_with_images():
    article = make_full_article(parts=3)
    article.lead_image = make_image(
        pictures.jpeg((1920, 1280)), alt_text="Cable ship at anchor", caption="The ship.",
        credit="Jane Doe/Agency", licence="CC BY 4.0",
    )  # fmt: skip
    article.save()
    first, second, _third = article.sections.all()
    first.image = make_image(pictures.jpeg((1000, 800)), alt_text="A map of the cables")
    first.save()
    second.image = make_image(pictures.jpeg((900, 600)), alt_text="A chart of prices")
    second.save()
    return article


def test_the_lead_image_is_a_responsive_picture_above_the_brief(client):
    article = article_with_images()
    html = client.get(article.get_absolute_url()).content.decode()
    lead = pictures_in(html)[0]
    files = article.lead_image.renditions["files"]
    webp = ", ".join(
        f"/media/{files[f'full-{w}.webp']['name']} {w}w" for w in (320, 640, 960, 1280, 1920)
    )
    jpeg = ", ".join(
        f"/media/{files[f'full-{w}.jpg']['name']} {w}w" for w in (320, 640, 960, 1280, 1920)
    )
    assert f'<source type="image/webp" srcset="{webp}"' in lead
    assert f'srcset="{jpeg}"' in lead
    assert 'width="1920" height="1280"' in lead
    assert 'alt="Cable ship at anchor"' in lead
    assert 'loading="lazy"' not in lead  # above the fold: loads at once
    assert 'fetchpriority="high"' in lead
    assert 'decoding="async"' in lead
    assert html.index(lead) < html.index('class="brief"')
    assert "The ship." in html and "Jane Doe/Agency · CC BY 4.0" in html


def test_section_images_follow_their_section_and_load_lazily(client):
    article = article_with_images()
    html = client.get(article.get_absolute_url()).content.decode()
    lead, first, second = pictures_in(html)
    assert 'alt="A map of the cables"' in first and 'alt="A chart of prices"' in second
    assert 'loading="lazy"' in first and 'loading="lazy"' in second
    assert 'width="1000" height="800"' in first  # its own width: never upscaled
    assert html.index("<h2>Section 1</h2>") < html.index(first) < html.index("<h2>Section 2</h2>")
    assert html.index("<h2>Section 2</h2>") < html.index(second) < html.index("<h2>Section 3</h2>")


def test_alt_text_is_escaped():
    image = make_image(alt_text='Quote " and <script>')
    from django.template import Context, Template

    html = Template("{% load images %}{% picture image %}").render(Context({"image": image}))
    assert 'alt="Quote &quot; and &lt;script&gt;"' in html


def test_images_add_no_query_to_the_article_page(client, django_assert_num_queries):
    article = article_with_images()
    client.get("/")  # fills the navigation cache, as in tests/articles/test_views.py
    client.get(article.get_absolute_url())  # and the related-articles cache (issue 5)
    # The article page's 2 queries, listed in tests/articles/test_views.py.
    with django_assert_num_queries(2):
        response = client.get(article.get_absolute_url())
    assert len(pictures_in(response.content.decode())) == 3


def test_pages_do_not_remake_renditions(client, monkeypatch):
    article = article_with_images()
    made = []
    monkeypatch.setattr(renditions, "make_renditions", lambda *a, **k: made.append(1) or {})
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200
    assert made == []


def test_cards_show_the_lead_image_cropped_16_9_lazily(client, django_assert_num_queries):
    for _ in range(3):
        make_article(lead_image=make_image(pictures.jpeg((1600, 1200))))
    make_article()  # no image: no picture
    client.get("/")
    with django_assert_num_queries(3):  # as without images
        html = client.get("/").content.decode()
    cards = pictures_in(html)
    assert len(cards) == 3
    assert all('width="1280" height="720"' in card and 'loading="lazy"' in card for card in cards)
    assert all("16x9-640.webp 640w" in card for card in cards)


def test_author_and_expert_pages_show_portraits(client):
    author = make_author(name="Sarah Johnson", portrait=make_image(alt_text="Sarah Johnson"))
    make_article(authors=[author])
    html = client.get(author.get_absolute_url()).content.decode()
    (portrait,) = pictures_in(html)
    assert 'alt="Sarah Johnson"' in portrait and 'width="600" height="600"' in portrait

    expert = make_expert(name="Dr Ada Park", portrait=make_image(alt_text="Dr Ada Park"))
    article = make_full_article()
    perspective = article.perspectives.get()
    perspective.expert = expert
    perspective.save()
    html = client.get(reverse("experts:detail", args=[expert.slug])).content.decode()
    (portrait,) = pictures_in(html)
    assert 'alt="Dr Ada Park"' in portrait and "1x1-320.webp 320w" in portrait


def test_article_without_images_has_no_picture(client):
    article = make_full_article()
    assert Article.objects.get(pk=article.pk).lead_image is None
    assert "<picture" not in client.get(article.get_absolute_url()).content.decode()


def test_the_lead_image_is_the_share_image_unless_the_editor_chose_one(client):
    article = make_article(
        lead_image=make_image(pictures.jpeg((1600, 1200)), alt_text="Cable ship at anchor")
    )
    files = article.lead_image.renditions["files"]
    share = article.share_image()
    assert share.url == f"https://news.example.org/media/{files['share-1200.jpg']['name']}"
    assert (share.width, share.height, share.alt) == (1200, 630, "Cable ship at anchor")
    shapes = [(image.width, image.height) for image in article.share_images()]
    assert shapes == [(1200, 630), (1280, 720), (1200, 900), (640, 640)]
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="{share.url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    # The JSON-LD offers the 16:9 crop too; the page itself only uses the uncropped picture.
    assert f"https://news.example.org/media/{files['16x9-1280.jpg']['name']}" in html


def test_without_a_lead_image_the_generated_card_is_shared():
    article = make_article()
    assert "/share/" in article.share_image().url
