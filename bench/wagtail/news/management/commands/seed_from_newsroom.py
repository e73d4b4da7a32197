"""
Copy the articles of Newsroom's benchmark database into Wagtail pages, in bulk.

    python manage.py seed_from_newsroom --source postgres://.../nr_bench [--articles N]

The N newest articles of the source (all of them when N is its size) become ArticlePages
under Home > Articles, with the same slugs, so /articles/<slug>/ is the same address on
both sides; categories, authors and experts become snippets with the same ids, topics
become tags. The source is opened read-only (default_transaction_read_only): nothing
there is ever written.

Pages go in as Wagtail's tree needs them, without Page.add_child() per page: the
treebeard paths of the index's children are computed (index path + step n), the page
rows are bulk-inserted, then the ArticlePage rows (StreamField JSON built here) are
COPYed in, then the bylines and tags bulk-inserted; 2,000 articles a round. A database
already holding N article pages is reused. It wipes its own database's pages, so it
refuses one whose name does not contain "bench".
"""

import json
import time
import uuid
from datetime import date

import psycopg
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from wagtail.models import Locale, Page, Site

from news.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageTag,
    Author,
    Category,
    Expert,
    HomePage,
)

BATCH = 2000
PUBLIC = ("scheduled", "published")
WIPED = [
    "wagtailcore_page",
    "wagtailcore_site",
    "news_category",
    "news_author",
    "news_expert",
    "taggit_tag",
]
ARTICLE_COLUMNS = [
    "page_ptr_id",
    "date",
    "brief",
    "category_id",
    "body",
    "perspectives",
    "citations",
    "looking_ahead_intro",
    "watch_items",
    "bottom_line",
]


PERSPECTIVE = ["expert", "credential", "quote", "disclosure"]
CITATION = ["claim", "source_label", "source_url", "source_date"]


def stream(kind: str, names: list[str], rows) -> str:
    """A StreamField's JSON: one `kind` block per row, its values named `names`."""
    return json.dumps(
        [
            {
                "type": kind,
                "value": {
                    name: value.isoformat() if isinstance(value, date) else value
                    for name, value in zip(names, row, strict=True)
                },
                "id": str(uuid.uuid4()),
            }
            for row in rows or []
        ]
    )


def grouped(rows) -> dict:
    """{article id: [row, ...]} from rows whose first column is the article id."""
    groups = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row[1:])
    return groups


class Command(BaseCommand):
    help = "Copy the N newest articles of Newsroom's benchmark database into Wagtail pages."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="the Newsroom database URL")
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--reseed", action="store_true", help="copy even if N are there")

    def handle(self, *args, source: str, articles: int, reseed: bool, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(f"{name!r} is not a benchmark database: its name lacks 'bench'.")
        have = ArticlePage.objects.count()
        if have == articles and not reseed:
            self.stdout.write(f"Reusing the {have:,} Wagtail article pages already in {name}.")
            return
        started = time.monotonic()
        with (
            psycopg.connect(source, options="-c default_transaction_read_only=on") as newsroom,
            transaction.atomic(),
        ):
            copied = self.copy(newsroom, articles)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Copied {copied:,} articles from Newsroom into Wagtail pages "
            f"in {time.monotonic() - started:.1f} s."
        )

    def copy(self, newsroom, articles: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(WIPED)} RESTART IDENTITY CASCADE")
        index = self.tree()
        self.copy_people(newsroom)
        article_type = newsroom.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'articles' AND model = 'article'"
        ).fetchone()[0]
        ids = [
            row[0]
            for row in newsroom.execute(
                "SELECT id FROM articles_article ORDER BY published_at DESC NULLS LAST, id DESC"
                " LIMIT %s",
                [articles],
            )
        ]
        page_type = ContentType.objects.get_for_model(ArticlePage)
        locale = Locale.get_default()
        for start in range(0, len(ids), BATCH):
            self.copy_batch(
                newsroom, ids[start : start + BATCH], start, index, page_type, locale, article_type
            )
        Page.objects.filter(pk=index.pk).update(numchild=len(ids))
        return len(ids)

    def tree(self) -> ArticleIndexPage:
        """Root > Home > Articles, and the default site on Home."""
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
        home = root.add_child(instance=HomePage(title="Newsroom", slug="home"))
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        return home.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))

    def copy_people(self, newsroom) -> None:
        Category.objects.bulk_create(
            Category(id=row[0], name=row[1], slug=row[2], position=row[3])
            for row in newsroom.execute("SELECT id, name, slug, position FROM articles_category")
        )
        Author.objects.bulk_create(
            Author(id=row[0], name=row[1], slug=row[2])
            for row in newsroom.execute("SELECT id, name, slug FROM articles_author")
        )
        Expert.objects.bulk_create(
            Expert(id=row[0], name=row[1], slug=row[2], credential=row[3], affiliation=row[4])
            for row in newsroom.execute(
                "SELECT id, name, slug, credential, affiliation FROM experts_expert"
            )
        )
        from taggit.models import Tag

        Tag.objects.bulk_create(
            Tag(id=row[0], name=row[1], slug=row[2])
            for row in newsroom.execute("SELECT id, name, slug FROM taggit_tag")
        )
        with connection.cursor() as cursor:  # ids were given: move the sequences past them
            for table in ["news_category", "news_author", "news_expert", "taggit_tag"]:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )

    def copy_batch(self, newsroom, ids, offset, index, page_type, locale, article_type) -> None:
        rows = newsroom.execute(
            "SELECT id, headline, slug, brief, category_id, looking_ahead_intro, bottom_line,"
            " COALESCE(published_at, created_at),"
            " status = ANY(%s) AND published_at <= now()"
            "  AND (unpublish_at IS NULL OR unpublish_at > now()),"
            " CASE WHEN status = 'scheduled' AND published_at > now() THEN published_at END"
            " FROM articles_article WHERE id = ANY(%s) ORDER BY id",
            [list(PUBLIC), ids],
        ).fetchall()

        def parts(sql):
            return grouped(newsroom.execute(sql, [ids]))

        sections = parts(
            "SELECT article_id, heading, body FROM articles_section"
            " WHERE article_id = ANY(%s) ORDER BY article_id, position, id"
        )
        perspectives = parts(
            "SELECT article_id, expert_id, credential, quote, disclosure FROM experts_perspective"
            " WHERE article_id = ANY(%s) ORDER BY article_id, position, id"
        )
        citations = parts(
            "SELECT article_id, claim, source_name, source_url, source_date"
            " FROM articles_citation WHERE article_id = ANY(%s) ORDER BY article_id, position, id"
        )
        watch_items = parts(
            "SELECT article_id, text, status FROM articles_watchitem"
            " WHERE article_id = ANY(%s) ORDER BY article_id, position, id"
        )
        bylines = parts(
            "SELECT article_id, author_id FROM articles_byline"
            " WHERE article_id = ANY(%s) ORDER BY article_id, position, id"
        )
        tags = grouped(
            newsroom.execute(
                "SELECT object_id, tag_id FROM taggit_taggeditem"
                " WHERE content_type_id = %s AND object_id = ANY(%s) ORDER BY object_id, id",
                [article_type, ids],
            )
        )

        pages = []
        for n, row in enumerate(rows, start=offset + 1):
            _, headline, slug, _, _, _, _, published, live, go_live_at = row
            pages.append(
                Page(
                    title=headline,
                    draft_title=headline,
                    slug=slug,
                    content_type=page_type,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                    # The n-th child of the index: its path is computed, as add_child would.
                    path=ArticlePage._get_path(index.path, index.depth + 1, n),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    live=live,
                    has_unpublished_changes=not live,
                    first_published_at=published if live else None,
                    last_published_at=published if live else None,
                    go_live_at=go_live_at,
                )
            )
        Page.objects.bulk_create(pages)  # PostgreSQL returns the new ids

        with connection.cursor() as cursor:
            columns = ", ".join(ARTICLE_COLUMNS)
            with cursor.copy(f"COPY news_articlepage ({columns}) FROM STDIN") as copy:
                for page, row in zip(pages, rows, strict=True):
                    pk, _, _, brief, category_id, looking_ahead, bottom_line, published, _, _ = row
                    copy.write_row(
                        [
                            page.pk,
                            published,
                            brief,
                            category_id,
                            stream("section", ["heading", "body"], sections.get(pk)),
                            stream("perspective", PERSPECTIVE, perspectives.get(pk)),
                            stream("citation", CITATION, citations.get(pk)),
                            looking_ahead,
                            stream("watch_item", ["text", "status"], watch_items.get(pk)),
                            bottom_line,
                        ]
                    )
        ArticlePageAuthor.objects.bulk_create(
            ArticlePageAuthor(page_id=page.pk, author_id=author_id, sort_order=position)
            for page, row in zip(pages, rows, strict=True)
            for position, (author_id,) in enumerate(bylines.get(row[0], []))
        )
        ArticlePageTag.objects.bulk_create(
            ArticlePageTag(content_object_id=page.pk, tag_id=tag_id)
            for page, row in zip(pages, rows, strict=True)
            for (tag_id,) in tags.get(row[0], [])
        )
