"""
Previews: an article rendered with the public template before readers may see it.

Staff preview unsaved form data from the admin (see admin_workflow). Anyone without an
account can open a signed, expiring preview link; a PreviewLink row lets editors revoke
it before it expires. Every preview is marked as such and carries `noindex`.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsroom.ratelimit import rate_limited

from .models import Article

SIGNING_SALT = "articles.preview-link"
DEFAULT_LIFETIME = timedelta(days=7)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class PreviewLink(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview link to “{self.article}”"

    def get_absolute_url(self):
        return reverse("articles:preview", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        # The signature makes links unguessable; the row makes them revocable.
        return signing.dumps(self.pk, salt=SIGNING_SALT)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def for_token(cls, token: str, now=None) -> "PreviewLink | None":
        """The active link a token names, or None if it is forged, expired or revoked."""
        try:
            pk = signing.loads(token, salt=SIGNING_SALT)
        except signing.BadSignature:
            return None
        return cls.objects.active(now).select_related("article").filter(pk=pk).first()

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


def render_preview(request, article: Article, **context) -> TemplateResponse:
    """The public article template, marked as a preview and kept out of search engines."""
    response = TemplateResponse(
        request,
        "articles/article_preview.html",
        {"article": article, "preview": True, **context},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@rate_limited("preview")  # a secret token: guessing many is the abuse to stop
def shared_preview(request, token: str):
    """A preview link opened by someone without an account: the article as saved now."""
    link = PreviewLink.for_token(token)
    if link is None:
        raise Http404("This preview link has expired or was revoked.")
    article = Article.objects.for_page().get(pk=link.article_id)
    return render_preview(request, article, preview_link=link)
