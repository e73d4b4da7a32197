"""The Wagtail comparison (newsroom/bench_wagtail.py), as far as it runs without Wagtail."""

import re
from pathlib import Path

import pytest

from newsroom import bench_wagtail

ROOT = Path(__file__).resolve().parents[2]
NEWSROOM_DB = "postgres://root@127.0.0.1:5432/nr_bench"
WAGTAIL_DB = "postgres://root@127.0.0.1:5432/nr_bench_wagtail"


def figures(**overrides):
    return {"rps": 100.0, "p50": 5.0, "p99": 20.0, "errors": 0, "queries": 8, "rss": 70.0} | (
        overrides
    )


def test_table_puts_both_systems_under_each_page_with_newsroom_over_wagtail_ratios():
    results = {
        ("article", "newsroom"): figures(rps=300.0, p99=10.0),
        ("article", "wagtail"): figures(rps=100.0, p99=40.0, queries=14, rss=108.4),
        ("home", "newsroom"): figures(rps=1500.0, queries=3),
        ("home", "wagtail"): figures(rps=1000.0, p99=25.0, errors=2),
    }
    header, rule, *rows = bench_wagtail.comparison_table(results).splitlines()
    assert header.split() == [
        "page", "system", "req/s", "p50", "ms", "p99", "ms", "errors", "queries", "worker",
        "MB", "×", "req/s", "×", "p99",
    ]  # fmt: skip
    assert set(rule.replace(" ", "")) == {"-"}
    assert [row.split() for row in rows] == [
        ["article", "newsroom", "300", "5.00", "10.00", "0", "8", "70", "3.00", "0.25"],
        ["article", "wagtail", "100", "5.00", "40.00", "0", "14", "108"],
        ["home", "newsroom", "1,500", "5.00", "20.00", "0", "3", "70", "1.50", "0.80"],
        ["home", "wagtail", "1,000", "5.00", "25.00", "2", "8", "70"],
    ]


def test_table_without_a_wagtail_figure_shows_no_ratio():
    text = bench_wagtail.comparison_table({("home", "newsroom"): figures(rps=0.0)})
    assert text.splitlines()[2].split() == [
        "home",
        "newsroom",
        "0",
        "5.00",
        "20.00",
        "0",
        "8",
        "70",
    ]


def test_options_come_from_the_make_variables():
    environ = {
        "DATABASE_URL": NEWSROOM_DB,
        "BENCH_ARTICLES": "3000",
        "BENCH_SECONDS": "5",
        "BENCH_SAVE": "1",
        "BENCH_NO_SEED": "1",
    }
    options = bench_wagtail.parse_options([], environ)
    assert (options.articles, options.seconds, options.connections, options.workers) == (
        3000,
        5,
        8,
        2,
    )
    assert options.save and options.no_seed
    assert (options.database, options.wagtail_database) == (NEWSROOM_DB, WAGTAIL_DB)
    assert bench_wagtail.parse_options(["--articles", "20"], environ).articles == 20


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        # make bench's SQLite default: nothing Wagtail would run on in production
        ({}, "DATABASE_URL must name a PostgreSQL database"),
        ({"DATABASE_URL": "sqlite:///var/bench/bench.sqlite3"}, "DATABASE_URL must name a Post"),
        # seeding wipes a database: only ones named for benchmarks
        ({"DATABASE_URL": "postgres://h/newsroom"}, "DATABASE_URL must name a database whose"),
        (
            {"DATABASE_URL": NEWSROOM_DB, "WAGTAIL_DATABASE_URL": "postgres://h/wagtail"},
            "WAGTAIL_DATABASE_URL must name a database whose",
        ),
        (
            {"DATABASE_URL": NEWSROOM_DB, "WAGTAIL_DATABASE_URL": NEWSROOM_DB},
            "databases of their own",
        ),
    ],
)
def test_refuses_anything_but_two_postgresql_benchmark_databases(environ, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        bench_wagtail.parse_options([], environ)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_saved_output_is_named_for_the_date_and_commit():
    assert bench_wagtail.saved_path("2026-11-30", "31d5637") == (
        ROOT / "docs" / "benchmarks" / "wagtail-2026-11-30-31d5637.txt"
    )


def pins(path: Path) -> dict[str, str]:
    found = re.findall(r"^([a-z0-9-]+)==(\S+)", path.read_text().lower(), re.M)
    return dict(found)


def test_wagtail_side_runs_the_same_django_driver_and_server_as_newsroom():
    ours = pins(ROOT / "requirements.lock")
    theirs = pins(ROOT / "bench" / "wagtail" / "requirements.lock")
    shared = ["django", "psycopg", "psycopg-binary", "gunicorn", "dj-database-url"]
    assert {name: theirs.get(name) for name in shared} == {name: ours[name] for name in shared}
    assert "wagtail" in theirs and "wagtail" not in ours  # never in the project's .venv
