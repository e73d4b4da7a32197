"""Sources: imported claims are linked to their source by name, once per source."""

import pytest

from articles.importing import import_texts
from articles.models import Citation
from sources.models import Source

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
    from tests.factories import make_article

    public, hidden = Source.objects.create(name="Public"), Source.objects.create(name="Hidden")
    Citation.objects.create(article=make_article(), position=1, claim="A.", source=public)
    Citation.objects.create(
        article=make_article(status="draft"), position=1, claim="B.", source=hidden
    )
    body = client.get("/sitemap-sources.xml").text
    assert f"https://news.example.org{public.get_absolute_url()}" in body
    assert hidden.get_absolute_url() not in body
    assert client.get(hidden.get_absolute_url()).status_code == 200  # the page, with no claims
