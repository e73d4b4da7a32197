"""
manage.py load_test: readers and editors at once against a running server of this site.

    make run            (or any server on 127.0.0.1 using the same DATABASE_URL)
    .venv/bin/python manage.py load_test --url http://127.0.0.1:8000 --seconds 20

Creates a throwaway staff account and one article per editor thread, runs the bounded
load (newsroom.loadtest), removes what it created, prints the figures, and fails when any
request erred or any acknowledged save is not in the database. Only 127.0.0.1 / ::1.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from articles.models import Article, Author, Byline
from newsroom import loadtest


class Command(BaseCommand):
    help = "Bounded load test (127.0.0.1 only): public pages with concurrent admin saves."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--seconds", type=float, default=20)
        parser.add_argument("--readers", type=int, default=8)
        parser.add_argument("--editors", type=int, default=2)
        parser.add_argument("--max-requests", type=int, default=5000)

    def handle(self, *args, url, seconds, readers, editors, max_requests, **options):
        try:
            loadtest.check_loopback(url)
        except ValueError as error:
            raise CommandError(str(error)) from None
        token = secrets.token_hex(4)
        password = secrets.token_urlsafe(24)
        user = get_user_model().objects.create_superuser(f"loadtest-{token}", password=password)
        author = Author.objects.create(name=f"Load Test {token}")
        articles = []
        for number in range(1, editors + 1):
            article = Article.objects.create(
                headline=f"Load test article {number} ({token})",
                brief="Before the load test.",
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
            )
            Byline.objects.create(article=article, author=author, position=1)
            articles.append(article)
        paths = ["/", "/experts/", *(a.get_absolute_url() for a in articles)]
        try:
            figures = loadtest.run(
                url,
                public_paths=paths,
                editor=(user.username, password),
                article_ids=[a.pk for a in articles],
                read_back=read_brief,
                readers=readers,
                seconds=seconds,
                max_requests=max_requests,
                admin_prefix=settings.ADMIN_URL_PATH,
            )
        finally:
            Article.objects.filter(pk__in=[a.pk for a in articles]).delete()
            author.delete()
            user.delete()
        self.stdout.write(figures.report())
        for problem in (figures.errors + figures.lost_saves)[:20]:
            self.stderr.write(f"  {problem}")
        if figures.errors or figures.lost_saves:
            raise CommandError(
                f"{len(figures.errors)} error(s), {len(figures.lost_saves)} lost save(s)"
            )


def read_brief(pk: int) -> str | None:
    """The brief the database holds now (called from the editor threads)."""
    try:
        return Article.objects.filter(pk=pk).values_list("brief", flat=True).first()
    finally:
        connection.close()  # each thread has its own connection: do not leave it open
