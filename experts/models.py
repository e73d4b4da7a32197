"""
Experts and the perspectives they gave.

An expert is a person the newsroom quotes; a perspective is one quote in one
article. The credential is stored on both: the expert's current one, and the
one printed in that article, because credentials change over time.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from articles.models import Article, not_blank, unique_slug
from images.fields import image_link
from newsroom.addresses import address


class ExpertQuerySet(models.QuerySet):
    def quoted(self):
        """Experts with at least one perspective in a published article."""
        # EXISTS stops at an expert's first published perspective; a join would read all
        # of them (hundreds for a prolific expert) and need DISTINCT to fold them again.
        published = Article.objects.published().filter(pk=OuterRef("article_id"))
        perspectives = Perspective.objects.filter(expert=OuterRef("pk"))
        return self.filter(Exists(perspectives.filter(Exists(published))))


class Expert(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credential = models.CharField(
        max_length=200, blank=True, help_text="Current credential, e.g. “former NSC Russia expert”."
    )
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="A short plain-text biography.")
    url = models.URLField("link", max_length=500, blank=True)
    portrait = image_link("expert_portraits", "portrait")

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            not_blank("name", "expert_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="expert_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="expert_url_http",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Expert, self.name, exclude_pk=self.pk, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("experts:detail", slug=self.slug)


class Perspective(models.Model):
    """An expert's quote in an article, with the credential as printed there."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="perspectives")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="perspectives")
    position = models.PositiveIntegerField(default=1)
    credential = models.CharField(
        max_length=200,
        blank=True,
        help_text="As printed in this article; left empty, the expert's current one is used.",
    )
    quote = models.TextField(help_text="Plain text, without quotation marks.")
    disclosure = models.CharField(
        max_length=300,
        blank=True,
        help_text="Any conflict of interest, shown with the quote, e.g. “advises the "
        "ministry on energy policy”.",
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="perspective_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="perspective_position_positive"
            ),
            not_blank("quote", "perspective_quote_not_blank"),
        ]

    def __str__(self):
        return f"{self.expert}: {self.quote[:60]}"

    def save(self, *args, **kwargs):
        self.fill_defaults()
        super().save(*args, **kwargs)

    def fill_defaults(self):
        """What saving fills in (the live publish checklist asks before saving)."""
        if not self.credential:
            self.credential = self.expert.credential


class ExpertRedirect(models.Model):
    """A merged expert's former slug, so links to their old page still arrive (301)."""

    old_slug = models.SlugField(max_length=120, unique=True)
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.expert.slug}"
