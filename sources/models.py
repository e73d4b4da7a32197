"""
Sources: the organisations the newsroom's claims rest on, and the health of the links to them.

A `Source` (the Institute for the Study of War, a statistics office…) is what citations
point to, so its page lists every claim based on it. `CheckedLink` holds what the link
checker (sources/linkcheck.py) last found at a citation's address; citations inherit it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from newsroom.addresses import address


class Source(models.Model):
    """An organisation or publication cited as a source."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField("site", max_length=500, blank=True, help_text="Its home page.")
    description = models.TextField(blank=True, help_text="Plain text: who they are.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="source_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="source_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            from articles.models import unique_slug

            self.slug = unique_slug(Source, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("sources:detail", slug=self.slug)

    @classmethod
    def for_name(cls, name: str) -> "Source":
        """The source called `name` (compared case-insensitively), created when missing."""
        name = " ".join(name.split())
        found = cls.objects.filter(name__iexact=name).first()
        return found or cls.objects.create(name=name)


class LinkState(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "OK"
    MOVED = "moved", "Moved (permanent redirect)"
    DEAD = "dead", "Dead (404 or 410)"
    UNREACHABLE = "unreachable", "Unreachable"


# States an editor must look at: shown in the admin's filter and article form warning.
PROBLEM_STATES = [LinkState.MOVED, LinkState.DEAD, LinkState.UNREACHABLE]


class CheckedLink(models.Model):
    """
    What the link checker last found at `source_url` (a field of the concrete model).

    A failed link is checked again after a back-off that doubles with each failure
    (1, 2, 4… days, at most LINKCHECK_RECHECK_DAYS), a healthy one every
    LINKCHECK_RECHECK_DAYS: never in a loop.
    """

    link_state = models.CharField(
        "link", max_length=20, choices=LinkState, default=LinkState.UNCHECKED, editable=False
    )
    link_status_code = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, editable=False
    )
    link_final_url = models.URLField("final address", max_length=1000, blank=True, editable=False)
    link_checked_at = models.DateTimeField("link checked", null=True, blank=True, editable=False)
    link_error = models.CharField("link error", max_length=300, blank=True, editable=False)
    link_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    link_recheck_after = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def link_is_broken(self) -> bool:
        return self.link_state in (LinkState.DEAD, LinkState.UNREACHABLE)

    def record_check(self, result, now=None) -> None:
        """Store a CheckResult (not saved): state, code, final address and the next check."""
        now = now or timezone.now()
        self.link_state = result.state
        self.link_status_code = result.status_code
        self.link_final_url = result.final_url[:1000]
        self.link_error = result.error[:300]
        self.link_checked_at = now
        if result.state in (LinkState.OK, LinkState.MOVED):
            self.link_failures = 0
            self.link_recheck_after = now + timedelta(days=settings.LINKCHECK_RECHECK_DAYS)
        else:
            self.link_failures = min(self.link_failures + 1, 30)
            days = min(2 ** (self.link_failures - 1), settings.LINKCHECK_RECHECK_DAYS)
            self.link_recheck_after = now + timedelta(days=days)

    def forget_check(self) -> None:
        """The address changed: what was found at the old one no longer applies."""
        self.link_state = LinkState.UNCHECKED
        self.link_status_code = None
        self.link_final_url = self.link_error = ""
        self.link_checked_at = self.link_recheck_after = None
        self.link_failures = 0


LINK_FIELDS = [
    "link_state",
    "link_status_code",
    "link_final_url",
    "link_checked_at",
    "link_error",
    "link_failures",
    "link_recheck_after",
]
