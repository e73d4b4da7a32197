"""Small factories: each makes one valid object, overridable field by field."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Author, Byline, Category, Citation, Section, WatchItem
from experts.models import Expert, Perspective

_numbers = itertools.count(1)


def make_category(**overrides) -> Category:
    number = next(_numbers)
    fields = {"name": f"Category {number}"} | overrides
    return Category.objects.create(**fields)


def make_author(**overrides) -> Author:
    number = next(_numbers)
    fields = {"name": f"Author {number}"} | overrides
    return Author.objects.create(**fields)


def make_expert(**overrides) -> Expert:
    number = next(_numbers)
    fields = {"name": f"Expert {number}", "credential": "senior fellow"} | overrides
    return Expert.objects.create(**fields)


def make_user(username=None, **overrides):
    username = username or f"user{next(_numbers)}"
    return get_user_model().objects.create_user(
        username, password="a-long-test-password", **overrides
    )


def make_article(*, authors=None, **overrides) -> Article:
    """A published article (yesterday) with one author; pass status='draft' for a draft."""
    number = next(_numbers)
    fields = {
        "headline": f"Headline number {number}",
        "brief": "What the article argues, in one paragraph.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(days=1),
    } | overrides
    if fields["status"] == Article.Status.DRAFT and "published_at" not in overrides:
        fields["published_at"] = None
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors or [make_author()], start=1):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def make_full_article(parts: int = 1, **overrides) -> Article:
    """An article with `parts` of each: sections, perspectives, citations, watch items, topics."""
    fields = {
        "looking_ahead_intro": "Key developments to watch include:",
        "bottom_line": "The talks changed little.\n\nThe war goes on.",
        "editors_comment": "A striking meeting.",
    } | overrides
    if "category" not in fields:
        fields["category"] = make_category()
    article = make_article(**fields)
    for n in range(1, parts + 1):
        Section.objects.create(
            article=article, position=n, heading=f"Section {n}", body=f"<p>Body {n}</p>"
        )
        Perspective.objects.create(
            article=article, expert=make_expert(), position=n, quote=f"Quote {n}"
        )
        Citation.objects.create(
            article=article,
            position=n,
            claim=f"Claim {n}",
            source_name=f"Source {n}",
            source_url=f"https://example.org/{n}",
        )
        WatchItem.objects.create(article=article, position=n, text=f"Watch {n}")
        article.topics.add(f"Topic {n}")
    return article


def make_staff(role: str, username=None, **overrides):
    """A staff account in one of the newsroom's roles (Writer, Editor, Admin)."""
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=role).exists():
        # A transactional test before this one flushed what the migration created.
        import importlib

        from django.apps import apps

        importlib.import_module("articles.migrations.0006_roles").create_roles(apps, None)
    user = make_user(username, is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name=role))
    return user
