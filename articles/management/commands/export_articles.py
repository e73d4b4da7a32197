"""
Export articles as plain text (one file per article) or as one JSON archive.

    manage.py export_articles --output exported/           # <slug>.txt per article
    manage.py export_articles --slug some-article          # that article's text on stdout
    manage.py export_articles --format json > archive.json # everything, lossless
    manage.py export_articles --format json --output archive.json

`import_articles` reads both back (`--json` for the archive). What the text shape
cannot hold is listed in articles/exporting.py; the JSON archive holds everything.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.archive import dumps, export_document
from articles.exporting import article_text, for_export
from articles.models import Article


class Command(BaseCommand):
    help = "Export articles as plain text (a folder, or stdout) or --format json."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--output",
            help="text: a folder (created) for <slug>.txt files; json: a file. Default: stdout",
        )
        parser.add_argument(
            "--slug", action="append", default=[], help="only this article (repeatable)"
        )
        parser.add_argument("--status", choices=Article.Status.values, help="only this status")

    def handle(self, *args, format, output, slug, status, **options):
        articles = Article.objects.all()
        if slug:
            articles = articles.filter(slug__in=slug)
            missing = set(slug) - set(articles.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no article with slug {', '.join(sorted(missing))}")
        if status:
            articles = articles.filter(status=status)
        if format == "json":
            self.write(output, dumps(export_document(articles)))
            return
        texts = [(article.slug, article_text(article)) for article in for_export(articles)]
        if output is None:
            # Articles on stdout are for reading: import_articles takes one article per file.
            self.stdout.write("\n\n".join(text for _, text in texts), ending="")
            return
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts:
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        self.stderr.write(f"{len(texts)} articles written to {folder}/")

    def write(self, output, text):
        if output is None:
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")
