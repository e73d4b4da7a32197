"""The benchmark's seeding command (manage.py seed_bench), at a small size so it cannot rot."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from articles.management.commands import seed_bench
from articles.models import Article, Section
from experts.models import Perspective

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_database(monkeypatch):
    monkeypatch.setattr(seed_bench, "database_name", lambda: "nr_bench_tests")


def test_refuses_a_database_not_named_for_benchmarks():
    with pytest.raises(CommandError, match="bench"):
        call_command("seed_bench", articles=10)


def test_seeds_articles_with_every_part_and_they_render(client, bench_database, capsys):
    call_command("seed_bench", articles=120)
    assert "Seeded 120 articles" in capsys.readouterr().out
    assert Article.objects.count() == 120
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 2  # 1 in 50
    parts = Article.objects.annotate(
        n_sections=Count("sections", distinct=True),
        n_perspectives=Count("perspectives", distinct=True),
        n_citations=Count("citations", distinct=True),
        n_watch_items=Count("watch_items", distinct=True),
        n_topics=Count("topics", distinct=True),
        n_authors=Count("byline", distinct=True),
    )
    for article in parts:
        assert (article.n_sections, article.n_perspectives, article.n_citations) == (3, 2, 2)
        assert (article.n_watch_items, article.n_topics) == (2, 3)
        assert article.n_authors in (1, 2)
    assert Section.objects.count() == 360 and Perspective.objects.count() == 240
    article = Article.objects.published().first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert b"Data &amp; Evidence" in response.content
    # New rows after seeding get fresh ids (sequences were moved on).
    Article.objects.create(headline="After the seed", brief="b", slug="after-the-seed")


def test_a_second_run_reuses_the_seeded_articles(bench_database, capsys):
    call_command("seed_bench", articles=30)
    first = set(Article.objects.values_list("uuid", flat=True))
    call_command("seed_bench", articles=30)
    assert "Reusing the 30 articles" in capsys.readouterr().out
    assert set(Article.objects.values_list("uuid", flat=True)) == first


@pytest.mark.postgres
def test_search_vectors_are_computed_on_postgresql(bench_database):
    call_command("seed_bench", articles=30)
    assert not Article.objects.filter(search_vector__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('articles_article_search_gin', 'articles_article_phrase_pairs') ORDER BY 1"
        )
        assert cursor.fetchall() == [
            ("articles_article_phrase_pairs",),
            ("articles_article_search_gin",),
        ]
