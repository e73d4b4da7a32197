"""
The analysis article and its ordered parts.

An article is a row for what appears once (headline, brief, bottom line…) plus
ordered child rows for what repeats: sections, citations (Data & Evidence) and
watch items (Looking Ahead). Expert perspectives live in the experts app.
"""

import functools
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Min, Prefetch, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from images.fields import image_link
from newsroom.addresses import address
from sources.models import PROBLEM_STATES, CheckedLink

from .sanitizer import sanitize_html
from .sharing import CardText, ShareImage, validate_share_image

# The headings a new article starts with: the analysis template.
ANALYSIS_TEMPLATE_HEADINGS = ["Opening Analysis", "The Bigger Picture", "What This Really Means"]


def not_blank(field: str, name: str) -> models.CheckConstraint:
    """A database guarantee that a text field holds more than whitespace."""
    return models.CheckConstraint(condition=GreaterThan(Length(Trim(field)), 0), name=name)


# The brief is a dek: one sentence or two that read at a glance and fit a search result.
# The workflow's checklist holds it to 200 characters; a longer one (the shared example's
# is 206) is kept as written and authorable, and the checklist says how much to cut.
BRIEF_MAX_LENGTH = 200


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None, max_length=200) -> str:
    """A slug for `text` not yet taken in `model`, adding -2, -3… when needed."""
    base = slugify(text)[:max_length].strip("-") or "untitled"
    taken = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken_slugs = set(taken.values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken_slugs:
        suffix = f"-{counter}"
        slug = base[: max_length - len(suffix)] + suffix
        counter += 1
    return slug


class Category(models.Model):
    """A site category ("World", "Economy"): the navigation a reader browses by."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in the site navigation.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            not_blank("name", "category_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="category_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Category, self.name, exclude_pk=self.pk, max_length=80)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("articles:category", slug=self.slug)


class Author(models.Model):
    """A byline. Not every byline is a staff user, so the user link is optional."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff account that writes under this byline, if any.",
    )
    portrait = image_link("author_portraits", "portrait")

    class Meta:
        ordering = ["name"]
        constraints = [
            not_blank("name", "author_name_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="author_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("articles:author", slug=self.slug)


def public_condition(prefix: str = "", now=None) -> Q:
    """
    The condition behind ArticleQuerySet.published(), for queries that reach articles
    through a relation (`prefix` such as "articles__"): the one definition of public.
    """
    now = now or timezone.now()
    return Q(
        **{
            f"{prefix}status__in": Article.PUBLIC_STATUSES,
            f"{prefix}published_at__lte": now,
        }
    ) & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now}))


class ArticleQuerySet(models.QuerySet):
    # Set by for_page() and with_topics(): the parts articles/page_parts.py loads once the
    # rows are in, as Django runs prefetch_related() (not for .iterator(), which reads rows
    # in batches). Copied by _clone() to survive chaining, as prefetch_related() lookups do.
    _page_parts: tuple[str, ...] = ()

    def _clone(self):
        clone = super()._clone()
        clone._page_parts = self._page_parts
        return clone

    def _fetch_all(self):
        loading = self._result_cache is None
        super()._fetch_all()
        if self._page_parts and loading and issubclass(self._iterable_class, ModelIterable):
            from .page_parts import attach_page_parts

            attach_page_parts(self._result_cache, self._page_parts)

    def published(self, now=None):
        """
        What readers may see: scheduled or published, with a publish time that has
        come and an unpublish time (if any) still ahead. Visibility is decided at
        query time, so a scheduled article goes live without any worker running.
        """
        return self.filter(public_condition(now=now))

    def scheduled(self, now=None):
        """Scheduled for a time still to come: what editors watch in the admin list."""
        return self.filter(status=Article.Status.SCHEDULED, published_at__gt=now or timezone.now())

    def next_visibility_change(self, now=None):
        """
        The next moment published() will answer differently with no write to cause it: a
        scheduled article's publish time or a public article's unpublish time still ahead
        (None when nothing is due). Caches of public pages live no longer than this.
        """
        now = now or timezone.now()
        public = self.filter(status__in=Article.PUBLIC_STATUSES)
        moments = [
            public.filter(published_at__gt=now).aggregate(m=Min("published_at"))["m"],
            public.filter(unpublish_at__gt=now).aggregate(m=Min("unpublish_at"))["m"],
        ]
        return min((moment for moment in moments if moment), default=None)

    def in_category(self, category):
        return self.filter(category=category)

    def by_author(self, author):
        return self.filter(byline__author=author)

    def with_topic(self, tag):
        return self.filter(topics=tag)

    def for_cards(self):
        """What a card shows: category, lead image and byline, in a fixed number of queries."""
        return self.select_related("category", "lead_image").prefetch_related(
            Prefetch("byline", queryset=Byline.objects.select_related("author"))
        )

    def for_page(self):
        """
        Everything the article page renders, in 2 queries however long it is: the
        article (with its category, editor and lead image), then all its parts at once
        (byline, sections, perspectives, citations, watch items both ways, corrections,
        topics): articles/page_parts.py.
        """
        from .page_parts import PAGE_PARTS

        queryset = self.select_related("category", "editors_comment_by", "lead_image")
        queryset._page_parts = PAGE_PARTS
        return queryset

    def with_topics(self):
        """Each article's topics, for all the rows in one query: taggit's prefetch builds
        a queryset per article, which in a feed of 20 cost more than the rest of it."""
        from .page_parts import TOPICS

        queryset = self._chain()
        queryset._page_parts = tuple(dict.fromkeys((*self._page_parts, TOPICS)))
        return queryset


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vector is large and only the database reads it: never load it by default.
        return super().get_queryset().defer("search_vector")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished (withdrawn)"

    # States readers may see once published_at has come (see ArticleQuerySet.published).
    PUBLIC_STATUSES = [Status.SCHEDULED, Status.PUBLISHED]
    # States that need a publish date (a database constraint holds it).
    DATED_STATUSES = [Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED]

    # A stable identity that survives headline and slug changes: feed GUIDs and exports use it.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    headline = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address. Changing it later keeps old links working.",
    )
    brief = models.TextField(
        help_text="One paragraph under the headline: what the article argues, in plain text, "
        f"at most {BRIEF_MAX_LENGTH} characters (about two sentences) to publish."
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    lead_image = image_link(
        "lead_of_articles",
        "lead image",
        "Shown above the article, on cards and, cropped, on share cards.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    topics = TaggableManager(blank=True, help_text="Comma-separated topics.")
    looking_ahead_intro = models.TextField(
        "Looking Ahead introduction",
        blank=True,
        help_text="Shown above the developments to watch.",
    )
    bottom_line = models.TextField(
        blank=True, help_text="Plain text; a blank line starts a new paragraph."
    )
    editors_comment = models.TextField(
        "editor's comments", blank=True, help_text="Plain text; signed by the editor who wrote it."
    )
    editors_comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers first see it: set when first published, or the time a "
        "scheduled article goes live. Never changes after first publication.",
    )
    unpublish_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: readers stop seeing the article at this time."
    )
    # Content edits and corrections move this; published_at stays the first publication.
    modified_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Optimistic locking: every save claims `version` with UPDATE … WHERE version = n.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # How the article looks when shared; each falls back to the headline, brief and card.
    social_title = models.CharField(
        max_length=150, blank=True, help_text="Title on social networks; left empty, the headline."
    )
    social_description = models.CharField(
        max_length=300, blank=True, help_text="Text on social networks; left empty, the brief."
    )
    social_image = models.ImageField(
        upload_to="social/%Y/%m/",
        blank=True,
        width_field="social_image_width",
        height_field="social_image_height",
        validators=[validate_share_image],
        help_text="JPEG, PNG or WebP, at least 600×315, ideally 1200×630. "
        "Left empty, a card with the headline is generated.",
    )
    social_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    social_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    social_image_alt = models.CharField(
        "social image alt text", max_length=300, blank=True, help_text="What the image shows."
    )

    # The weighted full-text document, maintained on PostgreSQL by database triggers
    # (articles/migrations/0004_search.py) whenever the article or any of its parts change.
    # Always NULL on SQLite, where search uses plain matching instead (articles/search.py).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # Newest first, in the order lists, feeds and the admin show: a page reads its
            # dozen rows off the index instead of sorting every public article (no
            # index on status can give that order for status IN (scheduled, published)).
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            models.Index(
                fields=["category", "-published_at", "-id"], name="article_category_newest_idx"
            ),
            # The latest public change (sitemap index) without sorting every row.
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The next unpublish time (next_visibility_change) without reading every row.
            models.Index(
                fields=["unpublish_at"],
                condition=Q(unpublish_at__isnull=False),
                name="article_unpublish_idx",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish articles"),
            ("schedule_article", "Can schedule articles"),
            ("unpublish_article", "Can unpublish (withdraw) articles"),
            ("write_editors_comment", "Can write editor's comments"),
            ("edit_any_article", "Can edit any article, in any state"),
        ]
        constraints = [
            not_blank("headline", "article_headline_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published", "unpublished"])
                | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(unpublish_at__gt=models.F("published_at")),
                name="article_unpublish_after_publish",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.pk is not None:
            self._remember_old_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("articles:detail", slug=self.slug)

    def clean(self):
        # Published without a date means "now". Set here too, not only in save(): forms
        # check the database constraints (a published article has a date) before saving.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def _remember_old_slug(self):
        old_slug = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if old_slug and old_slug != self.slug:
            SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})

    @property
    def is_published(self) -> bool:
        """The same rule as ArticleQuerySet.published(), for one article in hand."""
        now = timezone.now()
        return (
            self.status in self.PUBLIC_STATUSES
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def get_share_title(self) -> str:
        return self.social_title or self.headline

    def get_share_description(self) -> str:
        return self.social_description or self.brief

    def card_text(self) -> CardText:
        """What the generated share card shows (its hash names the card's file and URL)."""
        from site_settings.models import SiteSettings

        site = SiteSettings.load()
        return CardText(
            headline=self.get_share_title(),
            category=self.category.name if self.category_id else "",
            site_name=site.name,
            colour=site.brand_colour,
        )

    def share_image(self) -> ShareImage:
        """The one image networks show for this article (og:image), absolute URL.

        The editor's social image when there is one, else the lead image's 1200×630 crop,
        else the generated card."""
        return self.share_images()[0]

    def share_images(self) -> list[ShareImage]:
        """The images search engines get in the JSON-LD: the editor's social image, or the
        lead image, or the generated card, each in every shape it has (1200×630, then
        16:9, 4:3 and 1:1 crops around the focal point)."""
        from .sharing import CARD_SHAPES

        if self.social_image:
            return [
                ShareImage(
                    url=absolute_url(self.social_image.url),
                    width=self.social_image_width or 0,
                    height=self.social_image_height or 0,
                    alt=self.social_image_alt or self.headline,
                )
            ]
        image = self.lead_image if self.lead_image_id else None
        shapes = [image.largest(kind) for kind in ("share", "16x9", "4x3", "1x1")] if image else []
        # A lead image whose renditions could not be made gives way to the generated card.
        if shapes and all(shapes):
            return [
                ShareImage(
                    url=absolute_url(shape["url"]),
                    width=shape["width"],
                    height=shape["height"],
                    alt=image.alt_text,
                )
                for shape in shapes
            ]
        digest = self.card_text().digest
        return [
            ShareImage(
                url=absolute_url(
                    address("articles:share-card", uuid=self.uuid, shape=shape, digest=digest)
                ),
                width=width,
                height=height,
                alt=self.headline,
            )
            for shape, (width, height) in CARD_SHAPES.items()
        ]

    @property
    def was_updated(self) -> bool:
        """Changed (edited or corrected) after it was published."""
        return bool(self.published_at and self.modified_at > self.published_at)

    def is_owned_by(self, user) -> bool:
        """A writer's own article: they created it, or their author profile is in the byline."""
        if not user.is_authenticated:
            return False
        if self.created_by_id == user.pk:
            return True
        return self.pk is not None and self.byline.filter(author__user=user).exists()

    def publish_problems(self, parts: dict | None = None) -> list[str]:
        """
        What must be fixed before this article may be published or scheduled; empty when
        its structure is complete. Reads the saved parts, so call it after saving them, or
        pass unsaved ones as `parts` ({"sections": […], "perspectives": […],
        "citations": […]}, in order) to check a form as it is being typed.
        """
        if parts is None:
            parts = {
                "sections": self.sections.all()[:1],
                "perspectives": self.perspectives.select_related("expert"),
                "citations": self.citations.all(),
            }
        problems = []
        brief = self.brief.strip()
        if not brief:
            problems.append("Write a brief.")
        elif len(brief) > BRIEF_MAX_LENGTH:
            problems.append(
                f"Shorten the brief to {BRIEF_MAX_LENGTH} characters at most (it has {len(brief)})."
            )
        if not parts["sections"]:
            problems.append("Add at least one section.")
        for perspective in parts["perspectives"]:
            if not perspective.credential.strip():
                problems.append(
                    f"Perspective {perspective.position} ({perspective.expert}) needs a credential."
                )
        for citation in parts["citations"]:
            if not (citation.source_name.strip() or citation.source_url.strip()):
                problems.append(f"Citation {citation.position} needs a source.")
        if not self.bottom_line.strip():
            problems.append("Write the bottom line.")
        # The lead image arrives with the images issue; check it once the field exists.
        if hasattr(self, "lead_image") and getattr(self, "lead_image_id", None):
            if not getattr(self.lead_image, "alt_text", "").strip():
                problems.append("Give the lead image an alt text.")
        return problems

    @property
    def byline_authors(self) -> list[Author]:
        return [entry.author for entry in self.byline.all()]

    @property
    def bottom_line_paragraphs(self) -> list[str]:
        return split_paragraphs(self.bottom_line)

    @property
    def editors_comment_paragraphs(self) -> list[str]:
        return split_paragraphs(self.editors_comment)

    @property
    def looking_ahead_paragraphs(self) -> list[str]:
        return split_paragraphs(self.looking_ahead_intro)

    @functools.cached_property
    def reading_minutes(self) -> int:
        """Minutes to read at 230 words a minute, counting every part of the article
        (once per loaded article: the page shows it twice, and each count strips the
        sections' HTML)."""
        from django.utils.html import strip_tags

        texts = [self.brief, self.looking_ahead_intro, self.bottom_line, self.editors_comment]
        texts += [strip_tags(section.body) for section in self.sections.all()]
        texts += [perspective.quote for perspective in self.perspectives.all()]
        texts += [citation.claim for citation in self.citations.all()]
        texts += [item.text for item in self.watch_items.all()]
        words = sum(len(text.split()) for text in texts)
        return max(1, round(words / 230))


def absolute_url(path_or_url: str) -> str:
    """An address on this site made absolute from SITE_URL, never from the request's Host."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL + path_or_url


def split_paragraphs(text: str) -> list[str]:
    """Plain text to paragraphs: blank lines, or single line breaks, separate them."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


class SlugRedirect(models.Model):
    """An article's former slug, so links shared before a rename still arrive (301)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class Byline(models.Model):
    """One author of an article, in byline order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="byline")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="byline_position_unique"),
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="byline_position_positive"),
        ]

    def __str__(self):
        return str(self.author)


class OrderedPart(models.Model):
    """Shared shape of an article's ordered children: a position unique within the article."""

    position = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["position"]


class Section(OrderedPart):
    """A headed part of the article body (Opening Analysis, The Bigger Picture…)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Rich text. Cleaned of anything unsafe when saved.")
    image = image_link("in_sections", "image", "Shown as a figure after the section's text.")

    class Meta(OrderedPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="section_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="section_position_positive"),
            not_blank("heading", "section_heading_not_blank"),
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        # Sanitize once, on the way in: the stored HTML is what templates trust.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class Citation(OrderedPart, CheckedLink):
    """
    A Data & Evidence claim and the source it rests on. The link checker's findings
    about `source_url` are in the CheckedLink fields (sources/models.py).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    claim = models.TextField()
    source = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
        help_text="The organisation this claim rests on: its page lists every claim.",
    )
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_date = models.DateField(null=True, blank=True)
    archived_url = models.URLField(
        "archived copy",
        max_length=500,
        blank=True,
        help_text="A copy in a web archive, offered to readers when the original is dead.",
    )

    class Meta(OrderedPart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="citation_position_unique"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="citation_position_positive"),
            not_blank("claim", "citation_claim_not_blank"),
            # Only web addresses: a javascript: URL must never reach a link.
            models.CheckConstraint(
                condition=Q(source_url="")
                | Q(source_url__startswith="http://")
                | Q(source_url__startswith="https://"),
                name="citation_source_url_http",
            ),
            models.CheckConstraint(
                condition=Q(archived_url="")
                | Q(archived_url__startswith="http://")
                | Q(archived_url__startswith="https://"),
                name="citation_archived_url_http",
            ),
        ]
        indexes = [
            # The admin's article list counts (and filters by) articles with a broken source
            # link on every request: this reads the few problem rows, not every claim.
            models.Index(
                fields=["article"],
                condition=Q(link_state__in=[state.value for state in PROBLEM_STATES]),
                name="citation_link_problem_idx",
            ),
        ]

    def __str__(self):
        return self.claim[:80]

    @property
    def source_label(self) -> str:
        return self.source_name or (self.source.name if self.source_id else "")

    @property
    def offers_archived_copy(self) -> bool:
        """Readers get the archived copy when the checker found the original dead."""
        return bool(self.archived_url) and self.link_is_broken


class WatchItem(OrderedPart):
    """
    A Looking Ahead development to watch, and, once the newsroom knows, how it turned
    out: the loop is closed by a later article (`resolved_by`). See articles/watching.py.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        HAPPENED = "happened", "This happened"
        DID_NOT_HAPPEN = "did_not_happen", "This did not happen"
        SUPERSEDED = "superseded", "Superseded by events"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="watch_items")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    check_by = models.DateField(
        null=True, blank=True, help_text="When editors should look at it again."
    )
    resolved_on = models.DateField(null=True, blank=True, help_text="When the outcome was known.")
    resolution_note = models.TextField(
        blank=True, help_text="Plain text, shown beside the item: what happened."
    )
    resolved_by = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolved_watch_items",
        help_text="The later article that reports the outcome.",
    )

    class Meta(OrderedPart.Meta):
        indexes = [models.Index(fields=["status", "check_by"], name="watchitem_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="watchitem_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="watchitem_position_positive"
            ),
            not_blank("text", "watchitem_text_not_blank"),
            # An open item has no outcome yet; a resolved one has a date.
            models.CheckConstraint(
                condition=Q(status="open", resolved_on__isnull=True, resolved_by__isnull=True)
                | (~Q(status="open") & Q(resolved_on__isnull=False)),
                name="watchitem_resolution_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(resolved_by=models.F("article")), name="watchitem_resolved_later"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        # Keep the outcome consistent with the status however the status was set.
        if self.status == self.Status.OPEN:
            self.resolved_on = None
            self.resolved_by = None
        elif self.resolved_on is None:
            self.resolved_on = timezone.localdate()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def resolve(self, status: str, *, by: "Article | None" = None, note: str = "", on=None):
        """Record the outcome (not saved)."""
        self.status = status
        self.resolved_by = by
        self.resolution_note = note
        self.resolved_on = on or timezone.localdate()

    def reopen(self) -> None:
        self.status = self.Status.OPEN
        self.resolved_by = None
        self.resolved_on = None


# Models that live in modules named for what they do; imported here so Django registers them.
from .autosave import Autosave  # noqa: E402, F401
from .corrections import Correction  # noqa: E402, F401
from .preview import PreviewLink  # noqa: E402, F401
from .revisions import Revision  # noqa: E402, F401
from .workflow import Transition  # noqa: E402, F401
