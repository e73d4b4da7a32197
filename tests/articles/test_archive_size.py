"""Pages whose cost must not grow with the archive: bounded counts, no deep OFFSET."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import pagination
from articles.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

COUNT = re.compile(r"COUNT\(", re.IGNORECASE)


def counts(captured) -> list[str]:
    return counts_in(query["sql"] for query in captured)


def counts_in(queries) -> list[str]:
    return [sql for sql in queries if COUNT.search(sql)]


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


def admin_list_queries(admin_client, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(reverse("admin:articles_article_changelist"), params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("params", [{}, {"status__exact": "published"}, {"links": "problem"}])
def test_admin_article_list_takes_the_same_queries_however_many_articles(admin_client, params):
    for days_ago in (1, 800):  # over several years: the date drill-down starts at the years
        make_article(published_at=timezone.now() - timedelta(days=days_ago))
    admin_list_queries(admin_client, params)  # site settings cached, as after any visit
    few = admin_list_queries(admin_client, params)
    for number in range(30):  # more articles, over more years, categories and authors
        make_article(
            category=make_category(),
            published_at=timezone.now() - timedelta(days=200 * number + 1),
        )
    many = admin_list_queries(admin_client, params)
    # PostgreSQL reads the planner's estimate first, then (for a table this small) counts.
    budget = 16 if connection.vendor == "postgresql" and not params else 15
    assert len(many) == len(few) == budget, "\n".join(many)


def test_admin_date_hierarchy_lists_years_without_reading_every_article(admin_client):
    for year in (2019, 2021, 2024):
        make_article(published_at=datetime(year, 6, 1, tzinfo=UTC))
    url = reverse("admin:articles_article_changelist")
    with CaptureQueriesContext(connection) as captured:
        page = admin_client.get(url).content.decode()
    # Every year from the first to the last, 2020 and the others without articles too.
    for year in range(2019, 2025):
        assert f"?published_at__year={year}" in page
    for query in captured.captured_queries:  # no DISTINCT over the dates of every article
        assert "DISTINCT" not in query["sql"].upper() or "articles_citation" in query["sql"]
    # Within a year, Django's own drill-down: the months that have articles.
    in_2024 = admin_client.get(url, {"published_at__year": 2024}).content.decode()
    assert "published_at__month=6" in in_2024
    assert "published_at__month=5" not in in_2024


def test_admin_date_hierarchy_of_a_single_year_lists_its_months(admin_client):
    for month in (3, 7):
        make_article(published_at=datetime(2024, month, 1, tzinfo=UTC))
    page = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "published_at__month=3" in page and "published_at__month=7" in page
    assert "published_at__month=5" not in page


def test_bounded_counts_do_not_sort(admin_client, monkeypatch):
    # Sorted, the database would order every matching row before stopping at the bound.
    monkeypatch.setattr(pagination.AdminPaginator, "max_items", 2)
    for _ in range(3):
        make_article()
    found = counts_in(admin_list_queries(admin_client, {"status__exact": "published"}))
    article_counts = [sql for sql in found if "articles_article" in sql]
    assert article_counts
    for sql in article_counts:
        assert "ORDER BY" not in sql.upper(), sql


def test_reader_list_counts_keep_the_lists_order(client):
    # Newest first is an index's order: the database walks it and stops at the bound.
    category = make_category()
    make_article(category=category)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(category.get_absolute_url()).status_code == 200
    found = counts(captured.captured_queries)
    assert found
    for sql in found:
        assert "ORDER BY" in sql.upper(), sql
