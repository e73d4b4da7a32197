"""The database connection: PostgreSQL prepares what a worker runs again and again."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_full_article


def settings_with(monkeypatch, **environment):
    """The settings module imported afresh under `environment`, as a server would."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import newsroom.settings

    try:
        return SimpleNamespace(**vars(importlib.reload(newsroom.settings)))
    finally:
        monkeypatch.undo()
        importlib.reload(newsroom.settings)


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements(
    monkeypatch,
):
    options = settings_with(
        monkeypatch, DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom"
    ).DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(monkeypatch):
    options = settings_with(
        monkeypatch,
        DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom",
        PG_PREPARE_THRESHOLD="off",
    ).DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] is None


def test_options_from_the_database_url_are_kept(monkeypatch):
    options = settings_with(
        monkeypatch, DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom?sslmode=require"
    ).DATABASES["default"]["OPTIONS"]
    assert options["sslmode"] == "require"
    assert options["server_side_binding"] is True


def test_sqlite_gets_no_postgresql_options(monkeypatch, tmp_path):
    database = settings_with(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "server_side_binding" not in database.DATABASES["default"].get("OPTIONS", {})


def prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_article_page_queries_become_prepared_statements(client):
    article = make_full_article(parts=2)
    client.get(article.get_absolute_url())  # computes and caches the related articles
    before = prepared_statements()
    with CaptureQueriesContext(connection) as page:
        client.get(article.get_absolute_url())
    page_queries = len(page)  # read now: the next request clears Django's query log
    for _ in range(4):
        assert client.get(article.get_absolute_url()).status_code == 200
    # Each of the page's queries, run a fifth time on this connection, is now prepared.
    assert prepared_statements() - before >= page_queries > 0
