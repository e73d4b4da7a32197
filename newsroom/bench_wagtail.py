"""
`make bench-wagtail`: Newsroom against Wagtail, on the same machine and the same articles.

    python -m newsroom.bench_wagtail [--articles N] [--seconds S] [--save] [--no-seed]

1. Newsroom's side is the PostgreSQL database DATABASE_URL names (its name must contain
   "bench"), seeded with N articles as `make bench` seeds it (reused when it holds N);
   with --no-seed it is only read, for a database someone else owns.
2. Wagtail's side is a minimal Wagtail project (bench/wagtail/, its settings' docstring
   says what is equal and what differs) in its own virtualenv (var/bench-wagtail/venv,
   built by the Makefile from bench/wagtail/requirements.lock: Wagtail never enters the
   project's .venv), on the PostgreSQL database WAGTAIL_DATABASE_URL names, on the same
   server. `manage.py seed_from_newsroom` copies the N newest Newsroom articles into it as
   Wagtail pages at the same addresses (read-only on Newsroom's database).
3. Each side runs under gunicorn (2 sync workers, production settings, an in-process
   cache, Newsroom's page cache off: every request renders its page), and wrk loads the
   article page (Newsroom's benchmark article, the same path on both) and the home page
   for S seconds with 8 connections, as newsroom/bench.py does and with its helpers.
4. One table: requests/s, median and 99th-percentile latency, errors, SQL queries per page
   (test client, related articles cold, as newsroom/bench_probe.py counts them) and the peak
   resident memory of a worker, with the ratio newsroom / wagtail.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from newsroom.bench import (
    PROBE,
    ROOT,
    WARMUP_SECONDS,
    Revision,
    Server,
    aligned,
    ensure_postgres_database,
    figure_cells,
    git_head,
    production_env,
    ratio,
    say,
    wrk,
)

WAGTAIL_FOLDER = ROOT / "bench" / "wagtail"
WAGTAIL_PYTHON = ROOT / "var" / "bench-wagtail" / "venv" / "bin" / "python"
PAGES = ["article", "home"]
SYSTEMS = ["newsroom", "wagtail"]
DEFAULT_WAGTAIL_DATABASE = "postgres://root@127.0.0.1:5432/nr_bench_wagtail"


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?", 1)[0]


def parse_options(argv=None, environ=None) -> argparse.Namespace:
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument(
        "--articles", type=int, default=int(environ.get("BENCH_ARTICLES") or 100_000)
    )
    parser.add_argument("--seconds", type=int, default=int(environ.get("BENCH_SECONDS") or 10))
    parser.add_argument(
        "--connections", type=int, default=int(environ.get("BENCH_CONNECTIONS") or 8)
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-seed",
        action="store_true",
        default=bool(environ.get("BENCH_NO_SEED")),
        help="only read Newsroom's database: neither migrate nor seed it",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        default=bool(environ.get("BENCH_SAVE")),
        help="also write the output to docs/benchmarks/wagtail-<date>-<commit>.txt",
    )
    options = parser.parse_args(argv)
    options.database = environ.get("DATABASE_URL") or ""
    options.wagtail_database = environ.get("WAGTAIL_DATABASE_URL") or DEFAULT_WAGTAIL_DATABASE
    # Both sides on the same PostgreSQL server: SQLite would compare nothing Wagtail runs on.
    for variable, url in [
        ("DATABASE_URL", options.database),
        ("WAGTAIL_DATABASE_URL", options.wagtail_database),
    ]:
        if not url.startswith(("postgres://", "postgresql://")):
            parser.error(f"{variable} must name a PostgreSQL database (postgres://...).")
        if "bench" not in database_name(url):
            parser.error(f"{variable} must name a database whose name contains 'bench'.")
    if database_name(options.database) == database_name(options.wagtail_database):
        parser.error("Newsroom and Wagtail need databases of their own.")
    if options.articles < 1:
        parser.error("--articles must be at least 1.")
    return options


def comparison_table(results: dict) -> str:
    """Rows per page and system; × = newsroom / wagtail, on Newsroom's row."""
    header = ["page", "system", "req/s", "p50 ms", "p99 ms", "errors", "queries", "worker MB"]
    header += ["× req/s", "× p99"]
    rows = [header]
    for page in PAGES:
        for system in SYSTEMS:
            figures = results.get((page, system))
            if figures is None:
                continue
            row = [page, system, *figure_cells(figures)]
            other = results.get((page, "wagtail"))
            if system == "newsroom" and other:
                row += [ratio(figures["rps"], other["rps"]), ratio(figures["p99"], other["p99"])]
            rows.append(row)
    return aligned(rows)


def saved_path(day: str, commit: str) -> Path:
    return ROOT / "docs" / "benchmarks" / f"wagtail-{day}-{commit}.txt"


def measure(system, revision, env, app, paths, queries, options, scratch) -> dict:
    """Each page under wrk on one side's gunicorn: {(page, system): figures}."""
    results = {}
    with Server(revision, env, options.workers, scratch / f"{system}.log", app=app) as server:
        for page, path in paths.items():
            say(f"  {system}: {page} {path}")
            figures = wrk(server.url + path, options.seconds, options.connections)
            results[page, system] = figures | {
                "queries": queries[path],
                "rss": server.worker_peak_mb(),
            }
    return results


def main(argv=None) -> None:
    options = parse_options(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench-wagtail` installs it (apt-get, as root).")
    if not WAGTAIL_PYTHON.exists():
        raise SystemExit(f"{WAGTAIL_PYTHON} is missing: `make bench-wagtail` builds it.")

    var_dir = ROOT / "var" / "bench-wagtail" / "newsroom"
    var_dir.mkdir(parents=True, exist_ok=True)
    # Both sides keep their small caches in each worker's memory (Wagtail's settings have
    # no Redis): the same kind of cache on both.
    env = production_env(options.database, var_dir)
    env.pop("REDIS_URL", None)
    env["PAGE_CACHE_SECONDS"] = "0"
    newsroom = Revision(git_head(ROOT), ROOT, ROOT / ".venv" / "bin" / "python")
    if options.no_seed:
        seeding = f"Newsroom: only read {database_name(options.database)} (--no-seed)."
    else:
        ensure_postgres_database(options.database)
        say(f"Newsroom: seeding {options.articles:,} articles…")
        newsroom.run(["manage.py", "migrate", "--noinput", "-v0"], env)
        seeding = newsroom.run(
            ["manage.py", "seed_bench", "--articles", str(options.articles)], env
        ).strip()
    newsroom.run(["manage.py", "collectstatic", "--noinput", "-v0"], env)
    urls = json.loads(newsroom.run([str(PROBE), "urls"], env))
    paths = {page: urls[page] for page in PAGES}

    wagtail = Revision("wagtail", WAGTAIL_FOLDER, WAGTAIL_PYTHON)
    wagtail_env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | {
        "DJANGO_SETTINGS_MODULE": "wagtailbench.settings",
        "DATABASE_URL": options.wagtail_database,
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    ensure_postgres_database(options.wagtail_database)
    say(f"Wagtail: copying {options.articles:,} articles…")
    wagtail.run(["manage.py", "migrate", "--noinput", "-v0"], wagtail_env)
    wagtail_seeding = wagtail.run(
        ["manage.py", "seed_from_newsroom", "--source", options.database,
         "--articles", str(options.articles)],
        wagtail_env,
    ).strip()  # fmt: skip
    say(wagtail_seeding)
    versions = wagtail.run(
        ["-c", "import django, wagtail; print(django.get_version(), wagtail.__version__)"],
        wagtail_env,
    ).split()

    queries = json.loads(newsroom.run([str(PROBE), "queries", *paths.values()], env))
    wagtail_queries = json.loads(wagtail.run([str(PROBE), "queries", *paths.values()], wagtail_env))
    scratch = Path(tempfile.mkdtemp(prefix="newsroom-bench-wagtail-"))
    try:
        say(f"Measuring ({options.seconds} s a run, {options.connections} connections)…")
        results = measure(
            "newsroom", newsroom, env, "newsroom.wsgi", paths, queries, options, scratch
        )
        results |= measure(
            "wagtail", wagtail, wagtail_env, "wagtailbench.wsgi", paths, wagtail_queries,
            options, scratch,
        )  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `make bench-wagtail`, "
        f"{options.articles:,} articles on PostgreSQL, uncached, in-process caches; "
        f"Newsroom {newsroom.label} vs Wagtail {versions[1]} (Django {versions[0]} on both); "
        f"{options.workers} gunicorn workers each; "
        f"wrk {options.seconds} s after {WARMUP_SECONDS} s unmeasured, "
        f"{options.connections} connections per run; {os.cpu_count()} CPUs, "
        f"load average {load} at the end.",
        seeding.splitlines()[-1] if seeding else "",
        wagtail_seeding.splitlines()[-1] if wagtail_seeding else "",
        f"Pages (the same path on both): {', '.join(f'{p} {path}' for p, path in paths.items())}",
        comparison_table(results),
        "× = newsroom / wagtail: above 1 is more requests/s for Newsroom, "
        "below 1 a quicker p99 for Newsroom.",
    ]
    output = "\n".join(lines) + "\n"
    print(output, end="")
    if options.save:
        saved = saved_path(time.strftime("%Y-%m-%d", time.gmtime()), newsroom.label)
        saved.write_text(output)
        say(f"Saved to {saved.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
