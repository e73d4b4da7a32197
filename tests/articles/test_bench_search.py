import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_search_benchmark_refuses_a_database_not_named_for_benchmarks():
    # It wipes and seeds its database: never the test, development or production one.
    with pytest.raises(CommandError, match="contains 'bench'"):
        call_command("bench_search", articles=10, runs=1)
