"""Pages whose cost must not grow with the archive: bounded counts, no deep OFFSET."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import pagination
from articles.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

COUNT = re.compile(r"COUNT\(", re.IGNORECASE)


def counts(captured) -> list[str]:
    return [query["sql"] for query in captured if COUNT.search(query["sql"])]


def test_admin_article_list_never_counts_the_whole_table(admin_client):
    for _ in range(5):
        make_article()
    make_article(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    for params in [{}, {"status__exact": "published"}, {"q": "headline"}]:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url, params)
        assert response.status_code == 200
        found = counts(captured.captured_queries)
        assert found, "the list still says how many articles there are"
        for sql in found:  # every count stops at a bound
            assert "LIMIT" in sql.upper(), sql
    assert response.context["cl"].show_full_result_count is False


@pytest.mark.postgres
def test_admin_count_of_the_whole_list_is_the_planners_estimate_on_postgresql(
    admin_client, monkeypatch
):
    monkeypatch.setattr(pagination.AdminPaginator, "max_items", 2)
    for _ in range(3):
        make_article()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    # The side links' counts (overdue watch items, broken source links) are bounded, as the
    # test above checks; the articles themselves are not counted at all.
    article_counts = [
        sql
        for sql in counts(captured.captured_queries)
        if "articles_watchitem" not in sql and "articles_citation" not in sql
    ]
    assert not article_counts
    assert any("reltuples" in query["sql"] for query in captured.captured_queries)


def test_reader_lists_stop_at_a_bounded_depth(client, monkeypatch):
    monkeypatch.setattr(pagination, "ARCHIVE_MAX_PAGES", 2)
    category = make_category()
    for _ in range(30):
        make_article(category=category)
    for url in ["/", category.get_absolute_url()]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"page": 9999})
        assert response.status_code == 200
        page = response.context["page_obj"]
        assert (page.number, page.paginator.num_pages) == (2, 2)
        assert len(page.object_list) == 12
        for sql in counts(captured.captured_queries):
            assert "LIMIT" in sql.upper(), sql


def test_a_short_list_is_counted_exactly(client):
    for _ in range(13):
        make_article()
    page = client.get("/").context["page_obj"]
    assert (page.paginator.count, page.paginator.num_pages) == (13, 2)


def test_sitemap_index_counts_no_joins(client):
    article = make_article(category=make_category())
    article.topics.add("Energy")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("articles:sitemap-index")).status_code == 200
    for sql in counts(captured.captured_queries):
        assert "JOIN" not in sql.upper(), sql


@pytest.mark.parametrize("url", ["/", "/experts/", "/watching/", "/corrections/", "/sources/"])
def test_every_reader_list_bounds_its_count_and_depth(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response.context["paginator"], pagination.ArchivePaginator)
