"""
The benchmark's look inside the site, run by newsroom/bench.py as a plain script with
the working directory of the revision being measured (so any revision of the project
can be probed, even one older than this file):

    python bench_probe.py urls              the pages to measure, as JSON
    python bench_probe.py queries URL...    SQL queries each page takes, as JSON

It needs only Django's public API: the test client and CaptureQueriesContext.
"""

import json
import os
import sys


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


if __name__ == "__main__":
    setup()
    if sys.argv[1:2] == ["urls"]:
        print(json.dumps(pick_urls()))
    elif sys.argv[1:2] == ["queries"]:
        print(json.dumps(count_queries(sys.argv[2:])))
    else:
        raise SystemExit(__doc__)
