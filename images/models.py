"""
The image library: one row per picture, usable as a lead image, inline in a
section, and as an author's or expert's portrait.

An upload is checked and cleaned (images/validation.py) before anything is
written; on save the cleaned original is stored and every rendition is made
once (images/renditions.py) and recorded on the row, so pages never ask the
storage what exists. An image in use cannot be deleted: every foreign key to
it is PROTECT, and `delete()` says where it is used.
"""

import errno
import logging
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage

from articles.models import not_blank

from . import renditions as rendition_specs
from .validation import STORED_EXTENSION, check_upload, clean_original

logger = logging.getLogger(__name__)


def original_path(image: "Image", filename: str) -> str:
    """images/originals/2026/11/<readable-stem>-<random>.<ext>: never the uploader's raw name."""
    path = PurePath(filename)
    stem = slugify(path.stem)[:60] or "image"
    now = timezone.now()
    return f"images/originals/{now:%Y/%m}/{stem}-{secrets.token_hex(4)}{path.suffix.lower()}"


def validate_upload(value) -> None:
    """Model-level check of a new upload (forms and code paths alike); stored files pass."""
    if value and not getattr(value, "_committed", True):
        value._newsroom_checked = check_upload(value.file, value.name)


class ImageInUse(ProtectedError):
    """Deleting an image that an article, section or person still shows."""


class ImageNotStored(Exception):
    """
    Storing an image or making its renditions failed. Nothing of that save remains: the
    row is rolled back, and the files it had written (the original, the renditions made
    so far) are deleted again. The message says what happened in an editor's words.
    """


# What Pillow raises for a picture it cannot process, besides OSError (truncated data).
PROCESSING_ERRORS = (OSError, ValueError, SyntaxError, MemoryError, PILImage.DecompressionBombError)


def storage_reason(error: BaseException | None) -> str:
    """Why the storage failed, in an editor's words."""
    if getattr(error, "errno", None) == errno.ENOSPC:
        return "the media storage is full (no space left on device)"
    return f"the media storage refused the file ({error or 'unknown error'})"


def storage_problem(error: BaseException | None) -> str:
    return (
        f"The image could not be stored: {storage_reason(error)}. Nothing was saved. "
        "Try again later, or ask whoever runs the site to look at the media storage."
    )


def processing_problem(error: BaseException) -> str:
    detail = str(error) or type(error).__name__
    return (
        f"The picture could not be processed ({detail}), so its sizes and crops were not "
        "made and nothing was saved. Export the picture again and upload the new file."
    )


class ImageQuerySet(models.QuerySet):
    def unused(self):
        """Images that nothing (article, section, author, expert…) points at."""
        condition = Q()
        for relation in Image.usage_relations():
            condition &= Q(**{f"{relation.field.related_query_name()}__isnull": True})
        return self.filter(condition)


class Image(models.Model):
    file = models.FileField(
        upload_to=original_path,
        max_length=255,
        validators=[validate_upload],
        help_text="JPEG, PNG, WebP or GIF. Location data and other metadata are removed.",
    )
    alt_text = models.CharField(
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it. Required.",
    )
    caption = models.TextField(blank=True, help_text="Plain text, shown under the picture.")
    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer or agency, e.g. “Jane Doe/Reuters”."
    )
    licence = models.CharField(
        "copyright / licence",
        max_length=200,
        blank=True,
        help_text="e.g. “© Reuters, all rights reserved” or “CC BY 4.0”.",
    )
    focal_x = models.FloatField(
        "focal point x",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 = left edge, 1 = right edge. Crops keep this point in view.",
    )
    focal_y = models.FloatField(
        "focal point y",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 = top edge, 1 = bottom edge.",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=10, editable=False)
    # {"key": <rendition_key>, "files": {"full-640.webp": {"name", "width", "height"}, …}}
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        get_latest_by = "uploaded_at"
        constraints = [
            not_blank("alt_text", "image_alt_text_not_blank"),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0) & Q(focal_x__lte=1), name="image_focal_x_0_1"
            ),
            models.CheckConstraint(
                condition=Q(focal_y__gte=0) & Q(focal_y__lte=1), name="image_focal_y_0_1"
            ),
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0), name="image_has_dimensions"
            ),
        ]

    def __str__(self):
        return f"{self.alt_text[:80]} ({self.width}×{self.height})"

    def save(self, *args, **kwargs):
        uploading = bool(self.file) and not getattr(self.file, "_committed", True)
        try:
            old_files = self._replace_upload()
        except PROCESSING_ERRORS as error:
            raise ImageNotStored(processing_problem(error)) from error
        try:
            # One unit with the files: if the renditions fail, the row goes too.
            with transaction.atomic():
                try:
                    super().save(*args, **kwargs)  # stores a new original
                except OSError as error:
                    raise ImageNotStored(storage_problem(error)) from error
                if self.renditions.get("key") != self.current_rendition_key():
                    self.generate_renditions()
        except BaseException:  # this, or the database failing after the file was stored
            if uploading and getattr(self.file, "_committed", False) and self.file.name:
                delete_files([self.file.name])  # the original this save stored
            raise
        if old_files:
            names = [name for name in old_files if name]
            transaction.on_commit(lambda: delete_files(names))

    def delete(self, *args, **kwargs):
        if uses := self.uses():
            raise ImageInUse(
                "This image is in use and cannot be deleted. Used as: "
                + "; ".join(use.description for use in uses)
                + ".",
                {use.obj for use in uses},
            )
        return super().delete(*args, **kwargs)  # files go in images.signals, after commit

    # Uploads -------------------------------------------------------------------------------

    def _replace_upload(self) -> list[str]:
        """A new upload: check it, store the cleaned bytes instead. Returns files now stale."""
        if not self.file or getattr(self.file, "_committed", True):
            return []
        upload = self.file.file
        checked = getattr(self.file, "_newsroom_checked", None) or check_upload(
            upload, self.file.name
        )
        cleaned = clean_original(upload, checked)
        stem = PurePath(self.file.name).stem
        self.file = ContentFile(cleaned, name=f"{stem}{STORED_EXTENSION[checked.format]}")
        self.width, self.height, self.format = checked.width, checked.height, checked.format
        if self.pk is None:
            return []
        previous = Image.objects.filter(pk=self.pk).values_list("file", "renditions").first()
        if previous is None:
            return []
        old_file, old_renditions = previous
        return [old_file, *_names_in(old_renditions)]

    # Renditions ----------------------------------------------------------------------------

    def current_rendition_key(self) -> str:
        return rendition_specs.rendition_key(self.file.name, self.focal_x, self.focal_y)

    def generate_renditions(self, storage=None) -> None:
        """Make and store every rendition now, record them, and remove the previous set."""
        storage = storage or default_storage
        key = self.current_rendition_key()
        stale = [name for name in self.rendition_names() if key not in name]
        try:
            with self.file.open("rb") as source:
                files = rendition_specs.make_renditions(
                    source,
                    focal_x=self.focal_x,
                    focal_y=self.focal_y,
                    folder=rendition_specs.rendition_folder(self.pk, key),
                    storage=storage,
                )
        except rendition_specs.StorageFailed as failure:
            raise ImageNotStored(storage_problem(failure.__cause__)) from failure
        except PROCESSING_ERRORS as error:  # a corrupt or unreadable original, Pillow failing
            raise ImageNotStored(processing_problem(error)) from error
        self.renditions = {"key": key, "files": files}
        Image.objects.filter(pk=self.pk).update(renditions=self.renditions)
        if stale:
            transaction.on_commit(lambda: delete_files(stale, storage))

    def rendition_names(self) -> list[str]:
        return _names_in(self.renditions)

    def renditions_of(self, kind: str) -> dict[str, list[dict]]:
        """This image's renditions of `kind`, by extension; made now if they are missing."""
        if kind not in rendition_specs.KINDS:
            raise ValueError(f"Unknown rendition kind {kind!r}")
        if self.renditions.get("key") != self.current_rendition_key():
            if getattr(self, "_renditions_failed", False):
                return {}  # tried once for this page already
            # A fallback only (an image saved before renditions existed, or a failed run).
            logger.warning("Image %s had no current renditions; making them now.", self.pk)
            try:
                self.generate_renditions()
            except ImageNotStored:
                # A page must not fail for a picture: it is left out, and the log says why.
                logger.exception("Image %s: renditions could not be made", self.pk)
                self._renditions_failed = True
                return {}
        return rendition_specs.choose(self.renditions["files"], kind)

    def largest(self, kind: str, extension: str = "jpg") -> dict | None:
        """
        The largest rendition of `kind` as {"url", "width", "height"}: for social cards
        ("share", 1200 × 630) and structured data ("16x9", "4x3", "1x1"). The URL is the
        storage's: relative (/media/…) on the local disk, so join it to SITE_URL. None when
        the renditions could not be made (see renditions_of).
        """
        entries = self.renditions_of(kind).get(extension)
        if not entries:
            return None
        entry = entries[-1]
        return {
            "url": default_storage.url(entry["name"]),
            "width": entry["width"],
            "height": entry["height"],
        }

    # Where it is used ----------------------------------------------------------------------

    @staticmethod
    def usage_relations():
        """Every foreign key to Image from another model (articles, sections, people…)."""
        return [
            relation
            for relation in Image._meta.related_objects
            if relation.one_to_many or relation.one_to_one
        ]

    def uses(self) -> list["ImageUse"]:
        found = []
        for relation in self.usage_relations():
            manager = relation.related_model._default_manager
            for obj in manager.filter(**{relation.field.name: self}):
                found.append(ImageUse.describe(relation, obj))
        return found


class ImageUse:
    """One place an image appears: what, and a short description an editor understands."""

    def __init__(self, obj, description: str):
        self.obj = obj
        self.description = description

    @classmethod
    def describe(cls, relation, obj) -> "ImageUse":
        role = relation.field.verbose_name
        owner = getattr(obj, "article", None)
        model_name = obj._meta.verbose_name
        if owner is not None:
            return cls(obj, f"{role} in {model_name} “{obj}” of article “{owner}”")
        return cls(obj, f"{role} of {model_name} “{obj}”")

    def __repr__(self):
        return f"<ImageUse {self.description}>"


def _names_in(renditions: dict) -> list[str]:
    return [entry["name"] for entry in (renditions or {}).get("files", {}).values()]


def delete_files(names, storage=None) -> None:
    """Remove files from storage, logging (not raising) what could not be removed."""
    storage = storage or default_storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a missing file or a storage hiccup must not break a request
            logger.exception("Could not delete %s from storage", name)
