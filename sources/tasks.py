"""
Link checks as background tasks (django.tasks; the database backend in production).

`manage.py check_links` (from cron, say daily) enqueues a `check_link` task per distinct
address that is due; the worker (`manage.py db_worker`) runs them one by one, politely
(sources/linkcheck.py). Every citation with that address gets the result. Nothing here
runs during a page request.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from articles.models import Citation

from .linkcheck import CheckResult, check_url
from .models import LINK_FIELDS

# An address handed to the worker is not handed again until this has passed.
QUEUED_FOR = timedelta(days=1)


def due_urls(*, everything: bool = False, limit: int | None = None, now=None) -> list[str]:
    """Distinct addresses whose next check has come (all of them with `everything`)."""
    now = now or timezone.now()
    citations = Citation.objects.exclude(source_url="")
    if not everything:
        citations = citations.filter(
            Q(link_recheck_after__isnull=True) | Q(link_recheck_after__lte=now)
        )
    urls = citations.order_by("source_url").values_list("source_url", flat=True).distinct()
    return list(urls[:limit] if limit else urls)


def enqueue_checks(urls: Iterable[str]) -> list[str]:
    """One task per distinct address; they are marked so a second run does not queue them."""
    urls = list(dict.fromkeys(url for url in urls if url))
    Citation.objects.filter(source_url__in=urls).update(
        link_recheck_after=timezone.now() + QUEUED_FOR
    )
    for url in urls:
        check_link.enqueue(url)
    return urls


def record(url: str, result: CheckResult) -> int:
    """Store the result on every citation of `url`; returns how many."""
    citations = list(Citation.objects.filter(source_url=url))
    now = timezone.now()
    for citation in citations:
        citation.record_check(result, now)
        # save(), not bulk_update(): post_save tells caches that the article page changed
        # (an archived copy may now be offered).
        citation.save(update_fields=LINK_FIELDS)
    return len(citations)


@task()
def check_link(url: str) -> str:
    """Check one address and record what was found on its citations; returns the state."""
    result = check_url(url)
    record(url, result)
    return str(result.state)
