"""
Check the citations' links: queue them for the worker, or check them here and now.

    manage.py check_links              # queue due addresses for `manage.py db_worker`
    manage.py check_links --run        # check due addresses in this process (no worker)
    manage.py check_links --all --run  # every address, ignoring the back-off
"""

from django.core.management.base import BaseCommand

from sources.linkcheck import check_url
from sources.tasks import due_urls, enqueue_checks, record


class Command(BaseCommand):
    help = "Check citation links: queue due addresses for the task worker, or --run them now."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="check here, not in the worker")
        parser.add_argument("--all", action="store_true", help="ignore the recheck back-off")
        parser.add_argument("--limit", type=int, default=500, help="addresses at most (500)")

    def handle(self, *args, run, all, limit, **options):
        urls = due_urls(everything=all, limit=limit)
        if not run:
            enqueue_checks(urls)
            self.stdout.write(f"{len(urls)} address(es) queued; `manage.py db_worker` checks them.")
            return
        for url in urls:
            result = check_url(url)
            count = record(url, result)
            detail = result.error or result.status_code or ""
            self.stdout.write(f"{result.state:<11} {url} ({detail}; {count} citation(s))")
        self.stdout.write(f"{len(urls)} address(es) checked.")
