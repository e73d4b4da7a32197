"""The XSS corpus, and articles that carry it in every field that reaches a page."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.corrections import Correction
from articles.models import Article, Author, Byline, Category, Citation, Section, WatchItem
from experts.models import Expert, Perspective

CORPUS = Path(__file__).with_name("xss_vectors.txt")
HEADLINE_LIMIT = 300
# Markup editors may use: it must come out of the sanitizer and reach the page intact.
ALLOWED_MARKUP = (
    '<p><strong class="kept">kept-bold</strong> <em>kept-em</em> '
    '<a href="https://example.org/kept">kept-link</a></p><ul><li>kept-item</li></ul>'
)


def load_vectors() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def pack_for_headlines(vectors: list[str]) -> list[list[str]]:
    """Groups of vectors whose joined length fits a headline, in corpus order."""
    groups: list[list[str]] = []
    for vector in vectors:
        if groups and len(" ".join([*groups[-1], vector])) <= HEADLINE_LIMIT:
            groups[-1].append(vector)
        else:
            groups.append([vector])
    return groups


def make_hostile_article(vectors: list[str], number: int, editor) -> Article:
    """A published article with `vectors` in every text field that reaches a page."""
    joined = "\n\n".join(vectors)
    category = Category.objects.create(
        name=f"{vectors[0][:70]} {number}", description=joined, position=number
    )
    article = Article.objects.create(
        headline=" ".join(vectors),
        brief=joined,
        category=category,
        looking_ahead_intro=joined,
        bottom_line=joined,
        editors_comment=joined,
        editors_comment_by=editor,
        # What social networks and search engines read: <meta> tags and JSON-LD.
        social_title=" ".join(vectors)[:150],
        social_description=" ".join(vectors)[:300],
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=number + 1),
    )
    # A correction notice, shown on the article page.
    Correction.objects.create(article=article, text=joined, created_by=editor)
    for position, vector in enumerate(vectors, start=1):
        author = Author.objects.create(name=vector[:120], bio=vector)
        Byline.objects.create(article=article, author=author, position=position)
        # Rich text goes through the sanitizer (Section.save); allowed markup rides along.
        Section.objects.create(
            article=article, position=position, heading=vector[:200], body=vector + ALLOWED_MARKUP
        )
        expert = Expert.objects.create(
            name=vector[:120], credential=vector[:200], affiliation=vector[:200], bio=vector
        )
        Perspective.objects.create(
            article=article, expert=expert, position=position, credential=vector[:200],
            quote=vector,
        )  # fmt: skip
        Citation.objects.create(
            article=article,
            position=position,
            claim=vector,
            source_name=vector[:200],
            source_url="https://example.org/source",
        )
        WatchItem.objects.create(article=article, position=position, text=vector)
        article.topics.add(f"{vector[:90]} {number}-{position}")
    return article


def hostile_import_text(vectors: list[str], number: int) -> str:
    """A plain-text article (articles/plaintext.py's shape) with `vectors` in every part."""
    # One line each: the importer reads line by line, so a vector is never split.
    joined = " ".join(vectors)
    lines = [
        joined,
        "",
        f"By {vectors[0][:100]} and Imported Writer {number}",
        "2025-12-03",
        f"Category: {vectors[-1][:60]} {number}",
        "Brief",
        joined,
        f"## {vectors[0][:150]}",  # a marked heading: any text may be one
        *vectors,
        "Expert Perspectives",
        *[f'Hostile Expert {number}-{n}, {v[:150]}: "{v}"' for n, v in enumerate(vectors)],
        "Data & Evidence",
        *[f"- {v} (Source: {v[:80]}, https://example.org/source)" for v in vectors],
        "Looking Ahead",
        joined,
        *[f"- {v}" for v in vectors],
        "The Bottom Line",
        joined,
        "Topics",
        ", ".join(f"{v[:80]} {number}" for v in vectors),
        "Editor's Comments",
        joined,
    ]
    return "\n".join(lines) + "\n"
