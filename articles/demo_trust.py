"""
The demo's editorial-trust records, applied after the demo articles are imported
(`manage.py load_demo`): the plain-text format has no place for them.

- every demo citation linked to its Source, so source pages have claims;
- one citation already flagged dead, with its stored check result and an archived copy
  (no check runs: the demo never touches the network);
- one Looking Ahead item resolved by a later demo article (the Harbour Cities bond,
  watched in October, reported in December), and one open item with a check-by date;
- one correction, and one disclosure on an expert's quote.
Idempotent, like the loader: running it twice changes nothing the second time.
"""

import datetime

from django.utils import timezone

from experts.models import Perspective
from sources.models import LinkState, Source

from .corrections import Correction
from .models import Article, Citation, WatchItem

DEAD_URL = "https://gone.example.net/archive/war-risk-premiums-2025"
ARCHIVED_URL = "https://web.archive.org/web/20250708000000/" + DEAD_URL
FREIGHT = "freight-insurance-and-the-last-mile-of-inflation"
BORROWING = "the-price-of-staying-dry"
INSURANCE = "after-the-floods-the-insurers-step-back"
MINERALS = "processing-power-why-the-critical-minerals-contest"
CORRECTION_TEXT = (
    "An earlier version of this article dated the Aldmoor School of Public Finance's "
    "pass-through study to June 2025. It was published on 20 May 2025."
)


def _article(slug_start: str) -> Article | None:
    return Article.objects.filter(slug__startswith=slug_start).first()


def _at(date: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def apply_editorial_trust() -> list[str]:
    """Apply the records above; returns what was done, for the loader to print."""
    done = []
    unlinked = Citation.objects.filter(source__isnull=True).exclude(source_name="")
    for citation in unlinked:
        citation.source = Source.for_name(citation.source_name)
        citation.save(update_fields=["source"])
        done.append(f"linked a claim to {citation.source}")

    dead = Citation.objects.filter(source_url=DEAD_URL, link_state=LinkState.UNCHECKED)
    checked_at = _at(datetime.date(2025, 11, 3), 4)
    if dead.update(
        link_state=LinkState.DEAD,
        link_status_code=404,
        link_final_url=DEAD_URL,
        link_error="HTTP 404",
        link_checked_at=checked_at,
        link_failures=1,
        link_recheck_after=checked_at + datetime.timedelta(days=1),
        archived_url=ARCHIVED_URL,
    ):
        done.append("flagged a dead source link (stored check result, archived copy)")

    borrowing, insurance = _article(BORROWING), _article(INSURANCE)
    if borrowing and insurance:
        item = borrowing.watch_items.filter(
            text__contains="Harbour Cities", status=WatchItem.Status.OPEN
        ).first()
        if item:
            item.resolve(
                WatchItem.Status.HAPPENED,
                by=insurance,
                on=datetime.date(2025, 12, 11),
                note="The bond priced on 25 November, more than three times oversubscribed, "
                "at about 0.9 percentage points over comparable national government debt.",
            )
            item.save()
            done.append("resolved a watch item by a later article")
    if minerals := _article(MINERALS):
        minerals.watch_items.filter(position=1, check_by__isnull=True).update(
            check_by=datetime.date(2026, 6, 30)
        )

    freight = _article(FREIGHT)
    if freight and not freight.corrections.filter(text=CORRECTION_TEXT).exists():
        Correction.objects.create(
            article=freight,
            kind=Correction.Kind.CORRECTION,
            part="Data & Evidence, claim 1",
            text=CORRECTION_TEXT,
            created_at=freight.published_at + datetime.timedelta(days=2),
        )
        done.append("added a correction")

    quote = Perspective.objects.filter(
        article__slug__startswith=MINERALS, expert__name__startswith="Marguerite Lindell"
    ).first()
    if quote and not quote.disclosure:
        quote.disclosure = "The Sandgate Trade Forum is funded in part by mining companies."
        quote.save(update_fields=["disclosure"])
        done.append("added a disclosure")
    return done
