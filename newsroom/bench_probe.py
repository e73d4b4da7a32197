"""
The benchmark's look inside the site, run by newsroom/bench.py as a plain script with
the working directory of the revision being measured (so any revision of the project
can be probed, even one older than this file):

    python bench_probe.py urls              the pages to measure, as JSON
    python bench_probe.py queries URL...    SQL queries each page takes, as JSON
    python bench_probe.py admin [N]         the admin article list's times over N requests

It needs only Django's public API: the test client and CaptureQueriesContext.

The admin article list is timed here, in one process with the test client, rather than
with wrk through gunicorn: its budget (issue 9) is the time one editor waits for it, not
throughput, and the client signs in with force_login, so no password or login form is
involved. The signed-in user is a superuser named "bench-admin" with no usable password,
created in the benchmark database the first time.
"""

import json
import os
import statistics
import sys
import time


def setup():
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def pick_urls() -> dict[str, str]:
    """A typical page of each kind: the newest public article's, its category's, its topic."""
    from articles.models import Article

    article = Article.objects.published().order_by("-published_at").first()
    if article is None:
        raise SystemExit("No published article: seed the database first.")
    topic = article.topics.order_by("name").first()
    word = article.headline.split()[0].lower()
    return {
        "article": article.get_absolute_url(),
        "home": "/",
        "category": article.category.get_absolute_url(),
        "topic": f"/topics/{topic.slug}/",
        "search": f"/search/?q={word}",
        "feed": "/feeds/rss/",
        "sitemap": "/sitemap-articles.xml",
    }


def count_queries(urls: list[str]) -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(), {}
    for url in urls:  # fills the navigation and settings caches, as earlier visitors did
        client.get(url)
    for url in urls:
        cache.delete("related-articles:generation")  # the article's related list: cold
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        counts[url] = len(captured.captured_queries)
    return counts


def time_admin_list(requests: int) -> dict:
    """Median and 99th-percentile time (ms) of the admin article list, signed in as a
    superuser, over `requests` requests after a few to warm up; its SQL query count."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user, created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    url = reverse("admin:articles_article_changelist")
    for _ in range(3):  # templates compiled, navigation and settings caches filled
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    started = time.perf_counter()
    for _ in range(requests):
        before = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - before) * 1000)
    elapsed = time.perf_counter() - started
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    times.sort()
    return {
        "url": url,
        "rps": requests / elapsed,
        "p50": statistics.median(times),
        "p99": times[max(0, -(-99 * len(times) // 100) - 1)],  # nearest rank
        "queries": len(captured.captured_queries),
    }


if __name__ == "__main__":
    setup()
    if sys.argv[1:2] == ["urls"]:
        print(json.dumps(pick_urls()))
    elif sys.argv[1:2] == ["queries"]:
        print(json.dumps(count_queries(sys.argv[2:])))
    elif sys.argv[1:2] == ["admin"]:
        print(json.dumps(time_admin_list(int(sys.argv[2]) if sys.argv[2:] else 30)))
    else:
        raise SystemExit(__doc__)
