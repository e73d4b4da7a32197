"""Sources: imported claims are linked to their source by name, once per source."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.importing import import_texts
from articles.models import Citation
from sources.models import Source
from tests.factories import make_article

pytestmark = pytest.mark.django_db

TEXT = """\
{headline}

Brief
A short brief.
Opening Analysis
A paragraph of analysis.
Data & Evidence
- Forces made gains (Source: Institute for the Study of War, https://isw.example/a, 2025-12-01)
- Kupiansk is contested (Source: institute for the study of war)
- A figure without a source.
The Bottom Line
It matters.
"""


def test_imported_claims_link_to_one_source_per_name_across_files():
    Source.objects.create(name="Statistics Office")
    results = import_texts(
        [("a.txt", TEXT.format(headline="First")), ("b.txt", TEXT.format(headline="Second"))]
    )
    assert all(result.ok for result in results)
    isw = Source.objects.get(name="Institute for the Study of War")
    assert Source.objects.count() == 2
    assert Citation.objects.filter(source=isw).count() == 4
    assert Citation.objects.filter(source__isnull=True).count() == 2  # no source named
    import_texts([("c.txt", TEXT.format(headline="Third"))])
    assert Source.objects.count() == 2 and isw.citations.count() == 6


def test_a_source_gets_a_unique_slug_and_a_page_address():
    source = Source.objects.create(name="Institute for the Study of War")
    other = Source.for_name("INSTITUTE  for the Study of War")
    assert other == source
    assert source.get_absolute_url() == "/sources/institute-for-the-study-of-war/"


def test_the_sources_sitemap_lists_sources_of_published_claims_only(client):
    public, hidden = Source.objects.create(name="Public"), Source.objects.create(name="Hidden")
    Citation.objects.create(article=make_article(), position=1, claim="A.", source=public)
    Citation.objects.create(
        article=make_article(status="draft"), position=1, claim="B.", source=hidden
    )
    body = client.get("/sitemap-sources.xml").text
    assert f"https://news.example.org{public.get_absolute_url()}" in body
    assert hidden.get_absolute_url() not in body
    assert client.get(hidden.get_absolute_url()).status_code == 200  # the page, with no claims


def cite(source, *, status="published", claims=1):
    article = make_article(status=status)
    for position in range(1, claims + 1):
        Citation.objects.create(article=article, position=position, claim="A.", source=source)


def test_the_sources_list_counts_each_sources_public_claims(client):
    cited, draft_only = Source.objects.create(name="Cited"), Source.objects.create(name="Draft")
    Source.objects.create(name="Never cited")
    cite(cited, claims=2)
    cite(cited, status="draft")
    cite(draft_only, status="draft")
    response = client.get(reverse("sources:list"))
    assert [(source.name, source.claim_total) for source in response.context["sources"]] == [
        ("Cited", 2)
    ]
    assert "2 claims" in response.text


def test_the_sources_list_counts_claims_in_a_fixed_number_of_queries(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("sources:list")).status_code == 200
        return len(captured)

    source = Source.objects.create(name="Statistics Office")
    cite(source)
    queries()  # the first page also fills the navigation and settings caches
    few = queries()
    for _ in range(10):
        cite(source, claims=3)
    cite(Source.objects.create(name="Another Office"))
    assert queries() == few
