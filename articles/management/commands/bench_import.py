"""
Time importing many plain-text articles on the configured database.

    DATABASE_URL=postgres://root@127.0.0.1:5432/nr_bench_import manage.py bench_import

Writes `--count` varied article files (1,000 by default: 3 to 6 sections, 1 to 4
perspectives, citations with and without sources, bylines of one to three authors from
a shared pool, so experts, authors and topics are both created and reused) into a
temporary folder, imports them through the same code path as `import_articles`, and
prints seconds and articles per second. Target: 1,000 articles in under 30 s on
PostgreSQL. Everything the run created is deleted afterwards unless --keep is given.
Use a database of its own: `make bench-import` does.
"""

import datetime
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.importing import import_texts
from articles.models import Article, Author, Category
from articles.plaintext import (
    ParsedArticle,
    ParsedCitation,
    ParsedPerspective,
    ParsedSection,
    render_article,
)
from experts.models import Expert

WORDS = (
    "ports grids rivers cables minerals tariffs bonds insurers ministers envoys treaties "
    "markets freight shipping drought floods power budgets lenders regulators courts voters "
    "suppliers refineries harbours networks alliances negotiators sanctions reserves"
).split()
VERBS = "shape strain outlast reprice reroute delay test weaken redraw unsettle".split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    words.insert(2, rng.choice(VERBS))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def make_articles(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    authors = [f"Author {rng.choice(WORDS).title()} {n}" for n in range(40)]
    experts = [(f"Dr. Expert {n} {rng.choice(WORDS).title()}", f"analyst of {rng.choice(WORDS)}")
               for n in range(150)]  # fmt: skip
    topics = [f"{rng.choice(WORDS).title()} {n}" for n in range(60)]
    texts = []
    for number in range(1, count + 1):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        citations = []
        for _ in range(rng.randint(2, 6)):
            if rng.random() < 0.5:
                citations.append(
                    ParsedCitation(
                        sentence(rng).rstrip("."),
                        f"{rng.choice(WORDS).title()} Institute",
                        f"https://example.org/{rng.choice(WORDS)}/{number}",
                        day - datetime.timedelta(days=rng.randint(1, 90)),
                    )
                )
            else:
                citations.append(ParsedCitation(sentence(rng)))
        article = ParsedArticle(
            headline=f"Why {rng.choice(WORDS)} {rng.choice(VERBS)} {rng.choice(WORDS)}, "
            f"number {number}",
            authors=rng.sample(authors, rng.randint(1, 3)),
            published=day,
            category=rng.choice(["World", "Economy", "Climate", "Energy", "Trade"]),
            brief=paragraph(rng),
            sections=[
                ParsedSection(
                    f"{rng.choice(WORDS).title()} and {rng.choice(WORDS)}",
                    [paragraph(rng) for _ in range(rng.randint(1, 4))],
                )
                for _ in range(rng.randint(3, 6))
            ],
            perspectives=[
                ParsedPerspective(name, credential, paragraph(rng))
                for name, credential in rng.sample(experts, rng.randint(1, 4))
            ],
            citations=citations,
            looking_ahead_intro=sentence(rng),
            watch_items=[sentence(rng) for _ in range(rng.randint(2, 5))],
            bottom_line=[paragraph(rng)],
            topics=rng.sample(topics, rng.randint(2, 5)),
            editors_comments=[paragraph(rng)] if rng.random() < 0.7 else [],
        )
        texts.append(render_article(article))
    return texts


class Command(BaseCommand):
    help = "Time importing 1,000 generated plain-text articles (use a database of its own)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--keep", action="store_true", help="keep the imported articles")

    def handle(self, *args, count, keep, **options):
        models = [Article, Expert, Author, Category, Tag]
        existing = {model: set(model.objects.values_list("pk", flat=True)) for model in models}
        with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
            for number, text in enumerate(make_articles(count), start=1):
                (Path(folder) / f"{number:05d}.txt").write_text(text, encoding="utf-8")
            size = sum(path.stat().st_size for path in Path(folder).iterdir())
            self.stdout.write(
                f"{count} articles ({size / 1e6:.1f} MB) in {folder}; database "
                f"{connection.vendor} {connection.settings_dict['NAME']}"
            )
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                sources = ((p.name, p.read_bytes()) for p in sorted(Path(folder).iterdir()))
                results = import_texts(sources)
            seconds = time.perf_counter() - started
        failed = [result.error for result in results if not result.ok]
        for error in failed:
            self.stderr.write(error)
        created = {model: model.objects.exclude(pk__in=existing[model]).count() for model in models}
        self.stdout.write(
            f"imported {len(results) - len(failed)} of {count} in {seconds:.2f} s: "
            f"{count / seconds:.0f} articles/s, {len(queries) / count:.1f} queries per article "
            f"(target: 1,000 in under 30 s)\n"
            f"created: "
            + ", ".join(f"{n} {m._meta.verbose_name_plural}" for m, n in created.items())
        )
        if not keep:
            for model in models:  # articles first: the others are protected while referred to
                model.objects.exclude(pk__in=existing[model]).delete()
