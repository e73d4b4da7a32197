"""
Benchmark search on PostgreSQL: seed N articles (100,000 by default), time realistic
searches, print median and 95th-percentile server time and the query plan.

Run it with `make bench-search`, which points DATABASE_URL at its own database
(nr_bench_search). The command refuses any database whose name does not contain "bench",
so it can never wipe real articles.

Seeding uses COPY with the search triggers switched off, then computes every vector in
one UPDATE through the same trigger function the site uses. Text is drawn from the
demo articles' vocabulary plus a long tail of invented words, with Zipf-like word
frequencies, so common, middling and rare words behave as they do in a real archive.
"""

import itertools
import os
import random
import re
import statistics
import time
import uuid
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED, CharField, TextField
from django.test import RequestFactory, override_settings
from django.utils import timezone

from articles.models import Article
from articles.search import SearchText, search_engine
from articles.search_views import SearchView

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEEDED_TABLES = [
    "articles_article",
    "articles_section",
    "articles_citation",
    "articles_watchitem",
    "experts_perspective",
    "taggit_taggeditem",
]
# PostgreSQL's English stop words of six letters or more: never useful as a benchmark query.
LONG_STOP_WORDS = frozenset(
    "against before because behind between during further having itself myself "
    "ourselves should themselves through yourself yourselves".split()
)
SYLLABLES = "ka lo ri va ne to su mi da re pa li go ve sa no tu be ra ki mo".split()


def vocabulary(rng: random.Random) -> list[str]:
    """Words by falling frequency: the demo articles' words first, then invented ones."""
    counts: dict[str, int] = {}
    for path in sorted(DEMO_DIR.glob("*.txt")):
        for word in re.findall(r"[a-z]{3,}", path.read_text().lower()):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))
    invented = set()
    while len(invented) < 20_000:
        invented.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return words + sorted(invented - set(words))


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = vocabulary(rng)
        # Zipf-like: the word of rank r is drawn with weight 1 / (r + 10).
        weights = [1 / (rank + 10) for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.buffer: list[str] = []
        self.next = 0

    def words_(self, count: int) -> list[str]:
        if self.next + count > len(self.buffer):
            self.buffer = self.rng.choices(self.words, cum_weights=self.cumulative, k=500_000)
            self.next = 0
        self.next += count
        return self.buffer[self.next - count : self.next]

    def sentence(self, count: int) -> str:
        text = " ".join(self.words_(count))
        return text[:1].upper() + text[1:] + "."


def column_defaults(table: str, columns: list[str]) -> tuple[list[str], tuple]:
    """
    The NOT NULL columns of `table` that `columns` leaves out, with their model defaults.

    COPY does not apply Django's defaults, so a column added to a model later (a new
    required field with a default) would make the seed fail; this fills it the way
    Model.save() would.
    """
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return [], ()
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null or field.primary_key:
            continue
        if field.db_default is not NOT_PROVIDED:
            continue  # the database fills it
        if field.has_default():
            value = field.get_default()
        elif field.blank and isinstance(field, CharField | TextField):
            value = ""
        else:
            continue  # COPY will say which column it needs
        names.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return names, tuple(values)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    extra_columns, extra_values = column_defaults(table, columns)
    all_columns = ", ".join([*columns, *extra_columns])
    with cursor.copy(f"COPY {table} ({all_columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *extra_values))


class Command(BaseCommand):
    help = "Seed N articles into a bench database and time searches (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=30, help="times each query runs")
        parser.add_argument("--reseed", action="store_true", help="seed even if already seeded")
        parser.add_argument("--seed", type=int, default=5, help="random seed")

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if connection.vendor != "postgresql" or "bench" not in name:
            raise CommandError(
                f"bench_search seeds and wipes its database: it runs only on a PostgreSQL "
                f"database whose name contains 'bench' (this is {connection.vendor} {name!r}). "
                f"Use `make bench-search`."
            )
        self.random_seed = options["seed"]
        self.rng = random.Random(self.random_seed)
        total = options["articles"]
        if options["reseed"] or Article.objects.count() != total:
            self.seed(total)
        else:
            self.stdout.write(f"Reusing the {total:,} articles already seeded in {name}.")
        self.benchmark(options["runs"])

    # Seeding -------------------------------------------------------------------------

    def seed(self, total: int) -> None:
        started = time.perf_counter()
        text = TextMaker(self.rng)
        now = timezone.now()
        # One transaction: a seed that fails half-way leaves nothing half-seeded behind.
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys checked per statement, so no check is pending when triggers return.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(SEEDED_TABLES)}, articles_byline CASCADE")
            cursor.execute(
                "TRUNCATE articles_author, articles_category, experts_expert, taggit_tag CASCADE"
            )
            for table in SEEDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            # The full-text indexes are built once, after the rows (far faster than 100,000
            # insertions each): dropped now, recreated below from their own definitions.
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                "('articles_article_search_gin', 'articles_article_headline_fts', "
                "'articles_article_phrase_pairs')"
            )
            full_text_indexes = cursor.fetchall()
            for name, _ in full_text_indexes:
                cursor.execute(f"DROP INDEX {name}")
            try:
                self.seed_rows(cursor, text, total, now)
            finally:
                for table in SEEDED_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            # Fresh statistics first, or the trigger function's cached plans assume empty tables.
            cursor.execute(f"ANALYZE {', '.join(SEEDED_TABLES)}")
            loaded = time.perf_counter()
            self.stdout.write(f"Rows copied in {loaded - started:.1f} s; computing vectors…")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("UPDATE articles_article SET search_vector = NULL")
            for _, definition in full_text_indexes:
                cursor.execute(definition)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {total:,} articles in {elapsed:.1f} s "
            f"(vectors and analyze {elapsed - (loaded - started):.1f} s)."
        )

    def seed_rows(self, cursor, text: TextMaker, total: int, now) -> None:
        rng = self.rng
        categories = ["World", "Economy", "Climate", "Technology", "Security", "Energy"]
        copy_rows(
            cursor,
            "articles_category",
            ["id", "name", "slug", "description", "position"],
            [(n, c, c.lower(), "", n) for n, c in enumerate(categories, 1)],
        )
        copy_rows(
            cursor,
            "articles_author",
            ["id", "name", "slug", "bio"],
            [(n, f"Author {n}", f"author-{n}", "") for n in range(1, 51)],
        )
        experts = 800
        expert_names = [
            f"{text.words_(1)[0].title()} {''.join(rng.choices(SYLLABLES, k=3)).title()}"
            for _ in range(experts)
        ]
        copy_rows(
            cursor,
            "experts_expert",
            ["id", "name", "slug", "credential", "affiliation", "bio", "url"],
            [
                (n, expert_names[n - 1], f"expert-{n}", "senior fellow", "", "", "")
                for n in range(1, experts + 1)
            ],
        )
        tags = sorted({" ".join(text.words_(rng.randint(1, 2))).title() for _ in range(400)})
        copy_rows(
            cursor,
            "taggit_tag",
            ["id", "name", "slug"],
            [(n, name, f"topic-{n}") for n, name in enumerate(tags, 1)],
        )
        article_type = ContentType.objects.get_for_model(Article).pk
        articles, bylines, sections, perspectives = [], [], [], []
        citations, watch_items, tagged = [], [], []
        for n in range(1, total + 1):
            published = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 8))
            articles.append(
                (
                    n,
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    text.sentence(rng.randint(6, 11))[:-1],
                    f"article-{n}",
                    text.sentence(35),
                    rng.randint(1, len(categories)),
                    "Key developments to watch include:",
                    text.sentence(30),
                    "",
                    "published" if n % 50 else "draft",
                    published if n % 50 else None,
                    published,
                    published,
                    published,
                    1,
                    "",
                    "",
                    "",
                    "",
                )
            )
            bylines.append((n, n, rng.randint(1, 50), 1))
            for position in (1, 2, 3):
                body = " ".join(f"<p>{text.sentence(30)}</p>" for _ in range(2))
                sections.append((3 * n + position, n, position, text.sentence(3)[:-1], body))
            for position in (1, 2):
                perspectives.append(
                    (
                        2 * n + position,
                        n,
                        rng.randint(1, experts),
                        position,
                        "senior fellow",
                        text.sentence(25),
                    )
                )
                citations.append((2 * n + position, n, position, text.sentence(15), "Agency", ""))
                watch_items.append((2 * n + position, n, position, text.sentence(12)))
            for offset, tag in enumerate(rng.sample(range(1, len(tags) + 1), 3)):
                tagged.append((3 * n + offset, n, article_type, tag))
        copy_rows(
            cursor,
            "articles_article",
            ["id", "uuid", "headline", "slug", "brief", "category_id", "looking_ahead_intro"]
            + ["bottom_line", "editors_comment", "status", "published_at", "created_at"]
            + ["updated_at", "modified_at", "version", "social_title", "social_description"]
            + ["social_image", "social_image_alt"],
            articles,
        )
        copy_rows(cursor, "articles_byline", ["id", "article_id", "author_id", "position"], bylines)
        copy_rows(
            cursor,
            "articles_section",
            ["id", "article_id", "position", "heading", "body"],
            sections,
        )
        copy_rows(
            cursor,
            "experts_perspective",
            ["id", "article_id", "expert_id", "position", "credential", "quote"],
            perspectives,
        )
        copy_rows(
            cursor,
            "articles_citation",
            ["id", "article_id", "position", "claim", "source_name", "source_url"],
            citations,
        )
        copy_rows(
            cursor, "articles_watchitem", ["id", "article_id", "position", "text"], watch_items
        )
        copy_rows(
            cursor, "taggit_taggeditem", ["id", "object_id", "content_type_id", "tag_id"], tagged
        )
        for table in SEEDED_TABLES + ["articles_byline", "articles_author", "articles_category"]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        for table in ["experts_expert", "taggit_tag"]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )

    # Benchmark -----------------------------------------------------------------------

    def queries(self) -> list[str]:
        """Realistic searches over the seeded vocabulary: by word frequency, and by syntax.

        Words are picked by frequency rank among words of six letters or more: rank 40
        is in most articles (a worst case, like searching "government"), 300 in about a
        tenth, 1,500 in a few percent (a place or a person), 6,000 and 15,000 are rare.
        """
        # The same vocabulary the seed drew from (it depends on --seed), without stop words.
        words = [
            w
            for w in vocabulary(random.Random(self.random_seed))
            if len(w) >= 6 and w not in LONG_STOP_WORDS
        ]
        return [
            words[40],
            words[300],
            words[1500],
            words[6000],
            words[15000],
            f"{words[300]} {words[1500]}",
            f'"{words[20]} {words[25]}"',
            f"{words[1500]} -{words[300]}",
            f"{words[2000]} or {words[3000]}",
            f"{words[100]} {words[600]} {words[2500]}",
            "zzqxv",  # nothing found: the "did you mean" path
        ]

    def benchmark(self, runs: int) -> None:
        # The benchmark asks far faster than any reader may (newsroom/ratelimit.py).
        with override_settings(RATE_LIMITS={}):
            self._benchmark(runs)

    def _benchmark(self, runs: int) -> None:
        engine = search_engine()
        factory = RequestFactory()
        view = SearchView.as_view()
        published = Article.objects.published().count()
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"\n{published:,} published articles; {runs} runs per query; "
            f"{os.cpu_count()} CPUs, load average {load} (other work on the machine slows it)."
        )
        self.stdout.write(f"{'query':42} {'results':>8} {'median ms':>10} {'p95 ms':>8}")
        everything = []
        for text in self.queries():
            timings = []
            results = 0
            for _ in range(runs):
                request = factory.get("/search/", {"q": text})
                started = time.perf_counter()
                response = view(request)
                response.render()
                timings.append((time.perf_counter() - started) * 1000)
                results = response.context_data["result_count"]
            everything += timings
            self.stdout.write(
                f"{text[:42]:42} {results:>8,} {statistics.median(timings):>10.1f} "
                f"{percentile(timings, 95):>8.1f}"
            )
        self.stdout.write(
            f"\nAll searches: median {statistics.median(everything):.1f} ms, "
            f"95th percentile {percentile(everything, 95):.1f} ms "
            f"(whole search page: count, ranked page with snippets, experts, topics, render)."
        )
        for text in [self.queries()[2], self.queries()[0], self.queries()[6]]:
            self.explain(engine, SearchText.from_input(text))

    def explain(self, engine, search: SearchText) -> None:
        """The plans of a search's two queries: its candidates, then the ranked first page."""
        articles = Article.objects.published().for_cards()
        # The candidates under the planner settings search() finds them with (a phrase:
        # the GIN index only), the ranked page under the defaults, as search() runs them.
        queries = [
            (
                "candidates (newest matches, to be ranked)",
                engine.candidates(articles, search),
                engine.candidate_plan(search),
            ),
            ("ranked first page", engine.search(articles, search)[:20], nullcontext()),
        ]
        for label, queryset, settings in queries:
            sql, params = queryset.query.sql_with_params()
            with settings, connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            uses_gin = "articles_article_search_gin" in plan or "phrase_pairs" in plan
            self.stdout.write(
                f"\nPlan of the {label} for {search.text!r} "
                f"(GIN index in use: {'yes' if uses_gin else 'no'}):\n{plan}"
            )


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]
