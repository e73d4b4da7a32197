"""
Seed a benchmark database with N articles (100,000 by default) shaped like real ones.

Each article has a category, one or two authors in its byline, three sections of two
paragraphs, two expert perspectives, two citations, two watch items and three topics;
one in fifty is a draft and a few are scheduled days ahead. Text comes from the demo
articles' vocabulary with Zipf-like word frequencies (bench_search's TextMaker), so
search finds common, middling and rare words as in a real archive.

Rows go in with bulk_create in batches, on SQLite or PostgreSQL. On PostgreSQL the
per-row search triggers are switched off while loading, then every article's search
vector is computed by one UPDATE through the same trigger function the site uses, and
the GIN index is built once afterwards: the same vectors as row-by-row, far faster.

It wipes the articles, people and topics of its database, so it refuses any database
whose name does not contain "bench". `make bench` runs it.
"""

import random
import time
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Byline, Category, Citation, Section, WatchItem
from experts.models import Expert, Perspective

from .bench_search import SYLLABLES, TextMaker

CATEGORIES = ["World", "Economy", "Climate", "Technology", "Security", "Energy", "Health"]
AUTHORS, EXPERTS, TOPICS = 60, 800, 400
BATCH = 2000  # articles per round of inserts: bounded memory whatever N
SEEDED = [TaggedItem, Perspective, WatchItem, Citation, Section, Byline, Article]
PEOPLE = [Tag, Expert, Author, Category]
# The tables whose per-row search triggers are paused while loading (PostgreSQL).
TRIGGERED = [Article, Section, Citation, WatchItem, Perspective, TaggedItem]


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


class Command(BaseCommand):
    help = "Seed N realistic articles into a benchmark database (its name must contain 'bench')."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=9, help="random seed")
        parser.add_argument(
            "--reseed", action="store_true", help="seed even if N articles are already there"
        )

    def handle(self, *args, articles: int, seed: int, reseed: bool, **options):
        if "bench" not in database_name():
            raise CommandError(
                f"seed_bench wipes the articles of its database, so it runs only on a database "
                f"whose name contains 'bench' (this is {database_name()!r}). Use `make bench`."
            )
        if not reseed and Article.objects.count() == articles:
            self.stdout.write(f"Reusing the {articles:,} articles already in {database_name()}.")
            return
        started = time.perf_counter()
        self.rng = random.Random(seed)
        self.text = TextMaker(self.rng)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Foreign keys checked per statement: no check may be pending when the
                # triggers are switched back on.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.wipe()
            self.seed(articles)
        loaded = time.perf_counter()
        if connection.vendor == "postgresql":
            self.compute_search_vectors()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from newsroom.caching import new_generation

        new_generation()  # bulk_create sends no signals: forget any stored page ourselves
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {articles:,} articles on {connection.vendor} in {elapsed:.1f} s "
            f"(rows {loaded - started:.1f} s, search vectors and statistics "
            f"{elapsed - (loaded - started):.1f} s)."
        )

    # ---------------------------------------------------------------------------------

    def wipe(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = ", ".join(model._meta.db_table for model in SEEDED + PEOPLE)
                cursor.execute(f"TRUNCATE {tables} CASCADE")
            else:
                for model in SEEDED + PEOPLE:  # children first; other rows pointing here go
                    model.objects.all()._raw_delete(connection.alias)

    def seed(self, total: int) -> None:
        rng, text = self.rng, self.text
        categories = Category.objects.bulk_create(
            Category(id=n, name=name, slug=name.lower(), position=n)
            for n, name in enumerate(CATEGORIES, 1)
        )
        authors = Author.objects.bulk_create(
            Author(id=n, name=f"{text.words_(1)[0].title()} Writer{n}", slug=f"author-{n}")
            for n in range(1, AUTHORS + 1)
        )
        Expert.objects.bulk_create(
            Expert(
                id=n,
                name=f"{text.words_(1)[0].title()} {''.join(rng.choices(SYLLABLES, k=3)).title()}",
                slug=f"expert-{n}",
                credential="senior fellow",
            )
            for n in range(1, EXPERTS + 1)
        )
        names = set()
        while len(names) < TOPICS:
            names.add(" ".join(text.words_(rng.randint(1, 2))).title())
        Tag.objects.bulk_create(
            Tag(id=n, name=name, slug=f"topic-{n}") for n, name in enumerate(sorted(names), 1)
        )
        article_type = ContentType.objects.get_for_model(Article)
        now = timezone.now()
        self.paused_triggers(disable=True)
        try:
            for first in range(1, total + 1, BATCH):
                last = min(total, first + BATCH - 1)
                self.seed_batch(first, last, now, categories, authors, article_type)
                self.stdout.write(f"  {last:,} / {total:,} articles", ending="\r")
        finally:
            self.paused_triggers(disable=False)
        self.stdout.write("")
        models = [Category, Author, Expert, Tag, *SEEDED]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)

    def seed_batch(self, first, last, now, categories, authors, article_type) -> None:
        rng, text = self.rng, self.text
        articles, bylines, sections, perspectives = [], [], [], []
        citations, watch_items, tagged = [], [], []
        for n in range(first, last + 1):
            if n % 50 == 0:
                status, published = Article.Status.DRAFT, None
            elif n % 997 == 0:  # a few scheduled days ahead: pages cache until then
                status, published = (
                    Article.Status.SCHEDULED,
                    now + timedelta(days=rng.randint(1, 9)),
                )
            else:
                status = Article.Status.PUBLISHED
                published = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 8))
            changed = published if published and published < now else now
            articles.append(
                Article(
                    id=n,
                    uuid=uuid.UUID(int=rng.getrandbits(128)),
                    headline=text.sentence(rng.randint(6, 11))[:-1],
                    slug=f"article-{n}",
                    brief=text.sentence(30)[:190],
                    category=rng.choice(categories),
                    looking_ahead_intro="Key developments to watch include:",
                    bottom_line=text.sentence(30) + "\n\n" + text.sentence(20),
                    status=status,
                    published_at=published,
                    modified_at=changed,
                    created_at=changed,
                    updated_at=changed,
                )
            )
            for position, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2))), 1):
                bylines.append(Byline(article_id=n, author=author, position=position))
            for position in (1, 2, 3):
                body = "".join(f"<p>{text.sentence(30)}</p>" for _ in range(2))
                sections.append(
                    Section(
                        article_id=n, position=position, heading=text.sentence(3)[:-1], body=body
                    )
                )
            for position in (1, 2):
                perspectives.append(
                    Perspective(
                        article_id=n,
                        expert_id=rng.randint(1, EXPERTS),
                        position=position,
                        credential="senior fellow",
                        quote=text.sentence(25),
                    )
                )
                citations.append(
                    Citation(
                        article_id=n,
                        position=position,
                        claim=text.sentence(15),
                        source_name="Statistics Agency",
                        source_url=f"https://example.org/report/{n}/{position}",
                    )
                )
                watch_items.append(
                    WatchItem(article_id=n, position=position, text=text.sentence(12))
                )
            for tag in rng.sample(range(1, TOPICS + 1), 3):
                tagged.append(TaggedItem(object_id=n, content_type=article_type, tag_id=tag))
        for model, rows in [
            (Article, articles),
            (Byline, bylines),
            (Section, sections),
            (Perspective, perspectives),
            (Citation, citations),
            (WatchItem, watch_items),
            (TaggedItem, tagged),
        ]:
            model.objects.bulk_create(rows, batch_size=1000)

    # PostgreSQL's search vectors ------------------------------------------------------

    def paused_triggers(self, disable: bool) -> None:
        if connection.vendor != "postgresql":
            return
        action = "DISABLE" if disable else "ENABLE"
        with connection.cursor() as cursor:
            for model in TRIGGERED:
                cursor.execute(f"ALTER TABLE {model._meta.db_table} {action} TRIGGER USER")

    def compute_search_vectors(self) -> None:
        """Every vector in one UPDATE through the site's trigger, then the GIN indexes once."""
        self.stdout.write("Computing search vectors…")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the trigger function's plans must not assume empty tables
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # The vector's index and its phrase pairs' (migration 0012).
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                "('articles_article_search_gin', 'articles_article_phrase_pairs')"
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("UPDATE articles_article SET search_vector = NULL")
            for _, definition in indexes:
                cursor.execute(definition)
