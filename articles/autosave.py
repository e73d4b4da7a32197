"""
Autosave: an editor's unsaved form, kept privately every 30 seconds or so.

Not a revision and never visible to readers: one row per (user, article) holding the
posted form data. Reopening the article offers to restore it; saving the article
discards it. The script that posts it is static/articles/autosave.js.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import Article

# Posted fields that are not the editor's text.
NOT_CONTENT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_transition"}


class Autosave(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    data = models.JSONField(help_text="The posted form: each field name with its list of values.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_user")
        ]

    def __str__(self):
        return f"Autosave of “{self.article}” by {self.user}"

    @classmethod
    def store(cls, user, article: Article, post) -> "Autosave":
        data = {name: values for name, values in post.lists() if name not in NOT_CONTENT}
        autosave, _ = cls.objects.update_or_create(
            user=user, article=article, defaults={"data": data, "saved_at": timezone.now()}
        )
        return autosave

    @classmethod
    def pending(cls, user, article: Article) -> "Autosave | None":
        """The user's autosave for the article if it is newer than the article's last save."""
        return cls.objects.filter(
            user=user, article=article, saved_at__gt=article.updated_at
        ).first()

    def as_querydict(self):
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name, values in self.data.items():
            query.setlist(name, values)
        return query
