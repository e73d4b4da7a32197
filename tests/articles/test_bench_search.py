import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_search_benchmark_refuses_a_database_not_named_for_benchmarks():
    # It wipes and seeds its database: never the test, development or production one.
    with pytest.raises(CommandError, match="contains 'bench'"):
        call_command("bench_search", articles=10, runs=1)


def test_seeding_fills_the_columns_it_does_not_name_as_save_would():
    # COPY applies no Django default: a required field added later must not break the seed.
    from articles.management.commands.bench_search import column_defaults

    names, values = column_defaults("articles_article", ["id", "headline", "slug"])
    filled = dict(zip(names, values, strict=True))
    assert filled["status"] == "draft"
    assert filled["version"] == 1
    assert filled["social_title"] == ""
    assert "headline" not in filled and "published_at" not in filled  # named; nullable
