"""The corrections log: typed, dated corrections on the article, on /corrections/, in
feeds and in the article's JSON-LD, each moving the article's dateModified."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.corrections import Correction
from articles.models import Article
from articles.structured_data import article_data
from site_settings.models import SiteSettings
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


def correct(article, text="The date was wrong.", **fields):
    return Correction.objects.create(article=article, text=text, **fields)


def test_an_editor_says_which_part_a_correction_concerns(client):
    client.force_login(make_staff("Editor"))
    article = make_article()
    data = change_form_data(client, article) | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "clarification",
        "corrections-0-part": "Data & Evidence, claim 2",
        "corrections-0-text": "The figure covers 2024 only.",
    }
    assert client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get()
    assert (correction.kind, correction.part) == ("clarification", "Data & Evidence, claim 2")
    html = client.get(article.get_absolute_url()).text
    assert "<strong>Clarification</strong>" in html
    assert "(concerns: Data &amp; Evidence, claim 2)" in html
    assert f'id="correction-{correction.pk}"' in html


def test_a_correction_moves_date_modified_in_the_json_ld(client):
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    before = Article.objects.get(pk=article.pk).updated_at
    correction = correct(article, kind="correction", part="The Bigger Picture")
    page = Article.objects.for_page().get(pk=article.pk)
    assert page.updated_at > before and page.modified_at == correction.created_at
    data = article_data(page, SiteSettings.load())["@graph"][0]
    assert data["dateModified"] == page.updated_at.isoformat()
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "name": "Correction",
            "text": "The date was wrong. (The Bigger Picture)",
            "datePublished": correction.created_at.isoformat(),
            "url": f"https://news.example.org{article.get_absolute_url()}#correction-{correction.pk}",
        }
    ]
    script = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        client.get(article.get_absolute_url()).text,
    )
    assert json.loads(script.group(1))["@graph"][0]["correction"][0]["name"] == "Correction"


def test_an_article_without_corrections_has_no_correction_in_its_json_ld():
    page = Article.objects.for_page().get(pk=make_article().pk)
    assert "correction" not in article_data(page, SiteSettings.load())["@graph"][0]


def test_the_corrections_page_lists_published_corrections_newest_first(client):
    article = make_article(headline="An article we corrected")
    older = correct(article, "Older.", created_at=timezone.now() - timedelta(days=2))
    newer = correct(article, "Newer.", kind="update")
    correct(make_article(status="draft"), "In a draft.")
    response = client.get(reverse("articles:corrections"))
    assert list(response.context["corrections"]) == [newer, older]
    assert "In a draft." not in response.text
    assert "An article we corrected" in response.text
    assert newer.get_absolute_url() in response.text
    assert "All our corrections and updates" in client.get(article.get_absolute_url()).text


def test_the_corrections_page_is_paginated(client):
    article = make_article()
    for number in range(25):
        correct(article, f"Correction {number}.")
    first = client.get(reverse("articles:corrections"))
    assert len(first.context["corrections"]) == 20 and first.context["is_paginated"]
    second = client.get(reverse("articles:corrections"), {"page": 2})
    assert len(second.context["corrections"]) == 5
    assert client.get(reverse("articles:corrections"), {"page": "x"}).status_code == 200


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_the_corrections_feed(client, format):
    article = make_article(headline="Corrected headline")
    correction = correct(article, "A name was misspelt.", part="Expert Perspectives")
    correct(make_article(status="draft"), "Secret draft fix.")
    body = client.get(reverse("articles:corrections-feed", args=[format])).text
    assert "Correction: Corrected headline" in body
    assert "A name was misspelt. (Expert Perspectives)" in body
    assert f"urn:uuid:{article.uuid}:correction:{correction.pk}" in body
    assert "Secret draft fix." not in body
    assert client.get("/feeds/corrections/json/").status_code == 404
