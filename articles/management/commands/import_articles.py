"""
Import articles from plain-text files (or a JSON archive with --json).

    manage.py import_articles article.txt other.txt   # files
    manage.py import_articles drafts/                 # every *.txt in a folder, sorted
    cat article.txt | manage.py import_articles -     # standard input
    manage.py import_articles --dry-run drafts/       # what would be created; writes nothing
    manage.py import_articles --json archive.json     # restore an export_articles --format json

Each file is all or nothing: a refused file is reported with its name and line and
writes nothing, the others are still imported, and the exit status is 1.
Imported articles are drafts.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.archive import ArchiveError, loads, restore_document
from articles.importing import import_texts

STDIN = "-"


class Command(BaseCommand):
    help = "Import plain-text articles (files, folders or - for stdin) as drafts, or --json."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, folders of *.txt, or - (stdin)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be created; write nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="restore JSON archives from export_articles"
        )

    def handle(self, *args, paths, dry_run, json, **options):
        sources = list(self.read(paths, pattern="*.json" if json else "*.txt"))
        failed = self.restore(sources, dry_run) if json else self.import_text(sources, dry_run)
        if failed:
            raise CommandError(f"{failed} of {len(sources)} files refused; the others were done.")

    def read(self, paths, pattern):
        for name in paths:
            if name == STDIN:
                yield "<stdin>", sys.stdin.buffer.read()
                continue
            path = Path(name)
            if path.is_dir():
                files = sorted(path.glob(pattern))
                if not files:
                    self.stderr.write(f"{path}: no {pattern} files")
                for file in files:
                    yield str(file), file.read_bytes()
            elif path.is_file():
                yield str(path), path.read_bytes()
            else:
                yield str(path), None

    def import_text(self, sources, dry_run) -> int:
        missing = [(name, None) for name, content in sources if content is None]
        readable = [(name, content) for name, content in sources if content is not None]
        for name, _ in missing:
            self.stderr.write(self.style.ERROR(f"{name}: no such file or folder"))
        results = import_texts(readable, dry_run=dry_run)
        for result in results:
            if not result.ok:
                self.stderr.write(self.style.ERROR(result.error))
            elif dry_run:
                self.stdout.write(f"{result.name}: would create")
                for line in result.plan:
                    self.stdout.write(f"  {line}")
            else:
                article = result.article
                self.stdout.write(
                    f"{result.name}: created draft {article.headline!r} ({article.slug})"
                )
        done = sum(result.ok for result in results)
        verb = "would be imported" if dry_run else "imported"
        self.stdout.write(f"{done} {verb}, {len(sources) - done} refused.")
        return len(sources) - done

    def restore(self, sources, dry_run) -> int:
        failed = 0
        for name, content in sources:
            try:
                if content is None:
                    raise ArchiveError("no such file or folder")
                document = loads(content)
                if dry_run:
                    count = len(document.get("articles", []))
                    self.stdout.write(f"{name}: would restore {count} articles")
                    continue
                articles = restore_document(document)
            except ArchiveError as error:
                self.stderr.write(self.style.ERROR(f"{name}: {error}"))
                failed += 1
            else:
                self.stdout.write(f"{name}: restored {len(articles)} articles")
        return failed
