"""
Corrections, clarifications and updates: dated notes appended to a published article.

Shown on the article page (loaded with it by ArticleQuerySet.for_page), in its JSON-LD
(`correction`) and moving the article's modified date, never its publish date. The
site-wide log (/corrections/) and its feeds list them newest first (articles/corrections_log.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import Article, not_blank, split_paragraphs


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections to articles readers may see: what the log and its feeds list."""
        from .models import public_condition

        return self.filter(public_condition("article__"))


class Correction(models.Model):
    """
    A dated note appended to a published article: a correction, a clarification or an
    update. It shows on the article page and moves the article's modified date.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(help_text="Plain text: what was wrong and what is right.")
    part = models.CharField(
        "part of the article",
        max_length=200,
        blank=True,
        help_text="Which part it concerns, e.g. “Data & Evidence, claim 2” or a section heading.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["-created_at"], name="correction_recent_idx")]
        constraints = [not_blank("text", "correction_text_not_blank")]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # updated_at too: sitemaps' and feeds' lastmod must see the correction.
        Article.objects.filter(pk=self.article_id, modified_at__lt=self.created_at).update(
            modified_at=self.created_at, updated_at=timezone.now()
        )

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#correction-{self.pk}"

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.text)
