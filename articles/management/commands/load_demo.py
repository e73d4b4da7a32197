"""
Load the demo newsroom: the articles in articles/demo/ and an `editor` account.

Idempotent: an article already loaded (same slug) is left alone, and the
editor's password is generated and printed only when the account is created.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from articles.demo_trust import apply_editorial_trust
from articles.importing import create_article
from articles.models import Article
from articles.plaintext import parse_article

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
EDITOR_USERNAME = "editor"
# The demo account is an editor by role (groups created by migration articles 0006).
EDITOR_ROLE = "Editor"


class Command(BaseCommand):
    help = "Load the demo articles and create the demo `editor` account (both idempotent)."

    def handle(self, *args, **options):
        created = 0
        for path in sorted(DEMO_DIR.glob("*.txt")):
            parsed = parse_article(path.read_bytes())
            slug = slugify(parsed.headline)[:200]
            if Article.objects.filter(slug=slug).exists():
                continue
            create_article(parsed, slug=slug, status=Article.Status.PUBLISHED)
            created += 1
        self.stdout.write(f"Demo articles: {created} loaded, {Article.objects.count()} in all.")
        # Sources, a dead link, a resolved watch item, a correction: see articles/demo_trust.py.
        with transaction.atomic():
            trust = apply_editorial_trust()
        if trust:
            self.stdout.write(f"Editorial trust records: {len(trust)} applied.")
        self.ensure_editor()

    @transaction.atomic
    def ensure_editor(self):
        User = get_user_model()
        admin_url = f"{settings.SITE_URL}/admin/"
        if User.objects.filter(username=EDITOR_USERNAME).exists():
            self.stdout.write(
                f"Admin: {admin_url} — sign in as '{EDITOR_USERNAME}' with the password printed "
                "when the account was created.\n"
                f"  Forgot it? Set a new one: .venv/bin/python manage.py changepassword "
                f"{EDITOR_USERNAME}"
            )
            return
        password = secrets.token_urlsafe(12)
        editor = User.objects.create_user(EDITOR_USERNAME, password=password, is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITOR_ROLE))
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {admin_url}\n"
                f"  username: {EDITOR_USERNAME}\n"
                f"  password: {password}\n"
                "  (generated now and shown only this once: note it down)"
            )
        )
