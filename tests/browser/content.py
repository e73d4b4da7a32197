"""Realistic content for the browser tests: pages look and weigh as readers would get them."""

from datetime import date, timedelta

from django.urls import Resolver404, resolve
from django.utils import timezone

from articles.models import Citation, Section, WatchItem
from experts.models import Perspective
from tests.factories import make_article, make_author, make_category, make_expert

PARAGRAPH = (
    "Seabed cables carry most of the world's data and a growing share of its electricity. "
    "When two of them failed within a week last winter, the repair ships that answered were "
    "owned by a handful of private firms, the navies that watched were bound by different "
    "rules, and the regulators that license the landing stations had never met. "
)


def make_analysis_article(*, category=None, topics=("Undersea Cables", "Energy Security"), **kw):
    """A complete analysis article: every part the article page can show, at real length."""
    category = category or make_category(name="World")
    fields = {
        "headline": (
            "Beneath the Surface: Why Undersea Cable Security Has Become a Test of Diplomacy"
        ),
        "brief": (
            "Seabed cables carry most of the world's data. Protecting them exposes gaps "
            "between navies, regulators and the firms that own the wires."
        ),
        "category": category,
        "looking_ahead_intro": "Three developments will show whether the gaps are closing:",
        "bottom_line": (
            "Cable security is no longer an engineering question alone.\n\n"
            "Until navies, regulators and owners share one picture of the seabed, "
            "every outage will be a surprise."
        ),
        "editors_comment": (
            "We first reported on cable repairs in 2024. This analysis follows up on the "
            "questions readers sent us after that piece."
        ),
        "authors": [make_author(name="Helena Marsh"), make_author(name="Mateo Ibáñez")],
    } | kw
    article = make_article(**fields)
    headings = ["Opening Analysis", "The Bigger Picture", "What This Really Means"]
    for position, heading in enumerate(headings, start=1):
        Section.objects.create(
            article=article,
            position=position,
            heading=heading,
            body=f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}<a href='https://example.org/"
            f"report'>the 2025 repair report</a>.</p>",
        )
    voices = [
        ("Dr. Amara Okafor", "maritime security fellow, Harbour Institute"),
        ("Jonas Whitlock", "former telecoms regulator"),
    ]
    for position, (name, credential) in enumerate(voices, start=1):
        Perspective.objects.create(
            article=article,
            expert=make_expert(name=name, credential=credential),
            position=position,
            quote="The cables are private, the seabed is shared, and the risk is national. "
            "Nobody owns the whole problem, so nobody fixes it.",
        )
    claims = [
        ("About 97% of intercontinental data travels through seabed cables.", "Cable Atlas"),
        ("Repairs took a median of 11 days in 2025, up from 8 in 2021.", "Marine Repair Survey"),
        ("Fewer than 60 repair ships serve the whole world.", "Harbour Institute"),
    ]
    for position, (claim, source) in enumerate(claims, start=1):
        Citation.objects.create(
            article=article,
            position=position,
            claim=claim,
            source_name=source,
            source_url=f"https://example.org/sources/{position}",
            source_date=date(2025, 10, position),
        )
    for position, text in enumerate(
        [
            "Whether the new coastguard agreement covers repair ships in foreign waters.",
            "How insurers price the risk of deliberate damage.",
            "Whether regulators publish outage data within a month.",
        ],
        start=1,
    ):
        WatchItem.objects.create(article=article, position=position, text=text)
    article.topics.add(*topics)
    return article


def make_topic_archive(topic: str, count: int, category=None):
    """`count` short published articles on one topic, a day apart, newest first."""
    category = category or make_category(name="Economy")
    now = timezone.now()
    articles = []
    for number in range(1, count + 1):
        article = make_article(
            headline=f"Freight costs, part {number}: what the shipping lanes tell central banks",
            category=category,
            published_at=now - timedelta(days=number),
        )
        article.topics.add(topic)
        articles.append(article)
    return articles


def has_search_page() -> bool:
    """Whether the site has its search page yet (issue 5 adds /search/)."""
    try:
        resolve("/search/")
    except Resolver404:
        return False
    return True


def add_editorial_trust(article):
    """Issue 10's parts on the article page: a source page link, a dead link offered as an
    archived copy, a disclosure, a resolved item (outcome shown), a later article that
    resolves it (Closing the loop) and a correction. Returns the later article."""
    from articles.corrections import Correction
    from sources.linkcheck import CheckResult
    from sources.models import LinkState, Source

    source = Source.objects.create(name="Harbour Institute", url="https://harbour.example")
    citation = article.citations.get(position=3)
    citation.source = source
    citation.archived_url = "https://web.archive.org/web/2025/https://example.org/sources/3"
    citation.record_check(CheckResult(LinkState.DEAD, 404, citation.source_url, "HTTP 404"))
    citation.save()
    article.perspectives.filter(position=1).update(
        disclosure="The Harbour Institute is funded in part by cable operators."
    )
    later = make_article(
        headline="The Coastguard Deal Is Signed: What It Covers at Sea",
        category=article.category,
        published_at=timezone.now() - timedelta(hours=2),
    )
    item = article.watch_items.get(position=1)
    item.resolve("happened", by=later, note="Repair ships are covered in foreign waters.")
    item.save()
    article.watch_items.filter(position=2).update(check_by=date(2030, 1, 31))
    Correction.objects.create(
        article=article,
        kind="correction",
        part="Data & Evidence, claim 2",
        text="An earlier version gave the 2021 median repair time as 9 days; it was 8.",
    )
    return later
