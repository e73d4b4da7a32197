"""
Autosave: an editor's unsaved form, kept privately every 30 seconds or so.

Not a revision and never visible to readers: one row per (user, article) holding the
posted form data. Reopening the article offers to restore it; saving the article
discards it. The script that posts it is static/articles/autosave.js.

A new article has no row to hang its autosave on yet, so the add page carries a draft key
(a UUID made when the page is rendered, in the hidden `_autosave_key` field): its
autosaves are kept per (user, draft key), and the add page offers the editor's unsaved
new articles back. Saving the new article discards its autosave.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .models import Article

# Posted fields that are not the editor's text.
NOT_CONTENT = {
    "csrfmiddlewaretoken",
    "_save",
    "_continue",
    "_addanother",
    "_transition",
    "_autosave_key",
}
# How many unsaved new articles the add page offers back, newest first.
NEW_ARTICLE_OFFERS = 5
# An autosave is for getting back to work after a crash, not an archive: older ones go
# (an editor's own are cleared whenever they autosave again).
KEEP_FOR = timedelta(days=14)


class Autosave(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    draft_key = models.UUIDField(
        null=True, blank=True, help_text="Identifies a new article's form before it is saved."
    )
    data = models.JSONField(help_text="The posted form: each field name with its list of values.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_user"),
            models.UniqueConstraint(fields=["user", "draft_key"], name="autosave_one_per_draft"),
            # Either an existing article's or a new one's, never both or neither.
            models.CheckConstraint(
                condition=Q(article__isnull=False, draft_key__isnull=True)
                | Q(article__isnull=True, draft_key__isnull=False),
                name="autosave_article_or_draft_key",
            ),
        ]

    def __str__(self):
        return f"Autosave of “{self.article or self.headline}” by {self.user}"

    @classmethod
    def store(cls, user, article: Article, post) -> "Autosave":
        return cls._keep(user, post, article=article)

    @classmethod
    def store_new(cls, user, draft_key: uuid.UUID, post) -> "Autosave":
        """Keep a new, never saved article's form under its draft key."""
        return cls._keep(user, post, draft_key=draft_key)

    @classmethod
    def _keep(cls, user, post, **which) -> "Autosave":
        cls.forget_old(user)
        autosave, _ = cls.objects.update_or_create(
            user=user, **which, defaults={"data": cls._content(post), "saved_at": timezone.now()}
        )
        return autosave

    @classmethod
    def pending(cls, user, article: Article) -> "Autosave | None":
        """The user's autosave for the article if it is newer than the article's last save."""
        return cls.objects.filter(
            user=user, article=article, saved_at__gt=article.updated_at
        ).first()

    @classmethod
    def pending_new(cls, user) -> models.QuerySet:
        """The user's recent unsaved new articles, newest first."""
        recent = cls.objects.filter(
            user=user, article=None, saved_at__gte=timezone.now() - KEEP_FOR
        )
        return recent.order_by("-saved_at")[:NEW_ARTICLE_OFFERS]

    @classmethod
    def forget_old(cls, user) -> None:
        cls.objects.filter(user=user, saved_at__lt=timezone.now() - KEEP_FOR).delete()

    @staticmethod
    def _content(post) -> dict:
        return {name: values for name, values in post.lists() if name not in NOT_CONTENT}

    @property
    def headline(self) -> str:
        """The headline as typed, for offering a new article back."""
        return (self.data.get("headline") or [""])[0].strip() or "Untitled article"

    def as_querydict(self):
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name, values in self.data.items():
            query.setlist(name, values)
        return query


def parse_draft_key(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
