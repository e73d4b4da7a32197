"""
The newsroom's identity, edited in the admin: name, logo, share image, handles, colour.

One row (a singleton, pk 1, held by a database constraint). Every page reads it,
so it is cached and forgotten when saved; an empty table means the defaults
(settings.SITE_NAME and the fields' defaults), and reading never writes.
"""

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from articles.sharing import validate_share_image

CACHE_KEY = "site-settings"

# A page reads the settings in several places (its context, the share card's text, the
# structured data): within one request, the cache is asked once. Only while a request
# runs (site_settings/signals.py), so no long-lived process keeps them past a change.
this_request = Local()

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour like #1a4d8f (# and six hex digits).")
handle = RegexValidator(r"^[A-Za-z0-9_.\-]*$", "The handle alone, without @ or a web address.")


class SiteSettings(models.Model):
    site_name = models.CharField(
        max_length=120, blank=True, help_text="Left empty, the SITE_NAME setting is used."
    )
    logo = models.ImageField(
        upload_to="site/",
        blank=True,
        help_text="Square or wide PNG/JPEG; used by search engines as the publisher's logo.",
    )
    default_share_image = models.ImageField(
        upload_to="site/",
        blank=True,
        validators=[validate_share_image],
        help_text="Shown when pages other than articles are shared. Ideally 1200×630.",
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#8a1c1c",
        validators=[hex_colour],
        help_text="Background of generated share cards.",
    )
    x_handle = models.CharField(
        "X handle", max_length=50, blank=True, validators=[handle], help_text="e.g. thenewsroom"
    )
    bluesky_handle = models.CharField(
        max_length=100, blank=True, validators=[handle], help_text="e.g. thenewsroom.bsky.social"
    )
    facebook_url = models.URLField("Facebook page", blank=True)
    linkedin_url = models.URLField("LinkedIn page", blank=True)
    mastodon_url = models.URLField("Mastodon profile", blank=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_settings_singleton")]

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row, from the cache; unsaved defaults when none was ever saved."""

        if getattr(this_request, "settings", None) is not None:
            return this_request.settings

        def read():
            return cls.objects.filter(pk=1).first() or cls(pk=1)

        loaded = cache.get_or_set(CACHE_KEY, read, 60 * 60)
        if getattr(this_request, "running", False):
            this_request.settings = loaded
        return loaded

    @property
    def name(self) -> str:
        return self.site_name or settings.SITE_NAME

    @property
    def default_share_image_url(self) -> str:
        from articles.models import absolute_url

        return absolute_url(self.default_share_image.url) if self.default_share_image else ""

    @property
    def same_as(self) -> list[str]:
        """The newsroom's social profiles as addresses (schema.org `sameAs`)."""
        links = []
        if self.x_handle:
            links.append(f"https://x.com/{self.x_handle}")
        if self.bluesky_handle:
            links.append(f"https://bsky.app/profile/{self.bluesky_handle}")
        links += [url for url in (self.facebook_url, self.linkedin_url, self.mastodon_url) if url]
        return links
