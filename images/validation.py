"""
Checking an uploaded image, and cleaning it before anything is stored.

An upload is trusted for nothing: not its name, not its declared type, not its
size. `check_upload()` decides by content, with Pillow, and raises a
ValidationError with a message an editor can act on. `clean_original()` then
turns an accepted upload into the bytes we store: EXIF orientation applied and
every piece of metadata (EXIF, GPS, XMP, comments) dropped by re-encoding,
unless settings.IMAGES_KEEP_ORIGINAL asks to keep the upload untouched.

Both work on the file object alone and never touch storage, so a refused
upload leaves nothing behind.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Pillow's format name -> what we call it, and the file extensions that may carry it.
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", {".jpg", ".jpeg"}),
    "PNG": ("PNG", {".png"}),
    "WEBP": ("WebP", {".webp"}),
    "GIF": ("GIF", {".gif"}),
}
# The extension a cleaned original is stored under.
STORED_EXTENSION = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
ACCEPTED_LIST = "JPEG, PNG, WebP or GIF"
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000


def max_bytes() -> int:
    return int(getattr(settings, "IMAGES_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "IMAGES_MAX_PIXELS", DEFAULT_MAX_PIXELS))


@dataclass(frozen=True)
class CheckedImage:
    """What the checks learned about an accepted upload."""

    format: str  # Pillow's name: JPEG, PNG, WEBP, GIF
    width: int  # after EXIF orientation
    height: int


def check_upload(upload, name: str | None = None) -> CheckedImage:
    """
    Accept a JPEG, PNG, WebP or GIF image, or raise ValidationError saying why not.

    Refused: files over IMAGES_MAX_BYTES; anything that is not one of the four
    formats by content (SVG included, whatever its name); decompression bombs and
    images over IMAGES_MAX_PIXELS; truncated or corrupt files; a name whose
    extension says another format than the content.
    """
    name = name or getattr(upload, "name", "") or ""
    size = _size_of(upload)
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if size > max_bytes():
        raise ValidationError(
            "The file is %(size)s; images may be at most %(limit)s.",
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
        )
    head = _read(upload, 1024)
    if _looks_like_svg(head):
        raise ValidationError(
            "SVG files are not accepted: they can carry scripts. "
            f"Export the picture as {ACCEPTED_LIST}.",
            code="svg",
        )

    with warnings.catch_warnings():
        # Pillow warns between MAX_IMAGE_PIXELS and twice that; our own limit decides.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(_rewound(upload))
        except PILImage.DecompressionBombError:
            raise _too_many_pixels(None, None) from None
        except UnidentifiedImageError:
            raise ValidationError(
                f"This file is not an image we can read. Upload a {ACCEPTED_LIST} image.",
                code="not_an_image",
            ) from None
        except (OSError, SyntaxError, ValueError) as error:
            raise _corrupt(error) from None

        with image:
            kind = image.format
            if kind not in ACCEPTED_FORMATS:
                raise ValidationError(
                    "This is a %(kind)s image; only %(accepted)s images are accepted.",
                    code="format",
                    params={"kind": kind or "unknown", "accepted": ACCEPTED_LIST},
                )
            width, height = image.size
            if width * height > max_pixels():
                raise _too_many_pixels(width, height)
            _check_extension(name, kind)
            try:
                image.verify()
            except Exception as error:  # Pillow raises many types for broken files
                raise _corrupt(error) from None

        # verify() leaves the image unusable: open again and decode every pixel.
        try:
            with PILImage.open(_rewound(upload)) as image:
                image.load()
                orientation = image.getexif().get(0x0112, 1)
        except PILImage.DecompressionBombError:
            raise _too_many_pixels(width, height) from None
        except Exception as error:
            raise _corrupt(error) from None
    if orientation in (5, 6, 7, 8):  # rotated a quarter turn: width and height swap
        width, height = height, width
    return CheckedImage(format=kind, width=width, height=height)


def clean_original(upload, checked: CheckedImage) -> bytes:
    """
    The bytes to store for an accepted upload.

    Re-encoded with EXIF orientation applied and no metadata (EXIF with its GPS
    position, XMP, comments), keeping only the colour profile. With
    settings.IMAGES_KEEP_ORIGINAL the upload is stored byte for byte instead.
    """
    if getattr(settings, "IMAGES_KEEP_ORIGINAL", False):
        return _read(upload)
    with PILImage.open(_rewound(upload)) as image:
        if checked.format == "GIF" and getattr(image, "n_frames", 1) > 1:
            return _reencode_animation(image)
        upright = ImageOps.exif_transpose(image)
        return encode(upright, checked.format, quality=90, fast=True)


def encode(
    image: PILImage.Image,
    kind: str,
    *,
    quality: int = 82,
    icc_profile: bytes | None = None,
    fast: bool = False,
) -> bytes:
    """
    `image` as `kind` (JPEG, PNG, WEBP, GIF) bytes, with no metadata but the colour profile.

    Empties `image.info` on the way: nothing read from an upload travels into the new file.
    `fast` skips the extra passes that shave a few per cent off files readers download.
    """
    icc_profile = icc_profile or image.info.get("icc_profile")
    image = _compatible_mode(image, kind)
    image.info = {}
    options = {}
    if icc_profile and kind in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = icc_profile
    if kind == "JPEG":
        options |= {"quality": quality, "progressive": not fast, "optimize": not fast}
    elif kind == "WEBP":
        # method 3 of 0-6: within a few per cent of the default's size, much faster.
        options |= {"quality": quality, "method": 3}
    elif kind == "PNG":
        options |= {"optimize": not fast}
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def _reencode_animation(image: PILImage.Image) -> bytes:
    """An animated GIF, frames kept, comments and extensions dropped."""
    frames, durations = [], []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA"))
        durations.append(image.info.get("duration", 100))
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=image.info.get("loop", 0),
        disposal=2,
    )
    return buffer.getvalue()


def _compatible_mode(image: PILImage.Image, kind: str) -> PILImage.Image:
    if kind == "JPEG":
        if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
            # Flatten transparency on white, as a page background would show it.
            rgba = image.convert("RGBA")
            flat = PILImage.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        if image.mode != "RGB":
            return image.convert("RGB")
        return image
    if kind == "WEBP" and image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("RGBA", "LA", "PA", "P") and (
            image.mode != "P" or "transparency" in image.info
        )
        return image.convert("RGBA" if has_alpha else "RGB")
    if kind == "PNG" and image.mode == "CMYK":
        return image.convert("RGB")
    return image


def _check_extension(name: str, kind: str) -> None:
    label, extensions = ACCEPTED_FORMATS[kind]
    extension = PurePath(name).suffix.lower()
    if extension in extensions:
        return
    claimed = next((other for other, exts in ACCEPTED_FORMATS.values() if extension in exts), None)
    if claimed:
        message = (
            "The file is named %(extension)s, as a %(claimed)s image, but it is a %(label)s "
            "image. Rename it to %(suggested)s or export it again."
        )
    else:
        message = (
            "The file name ends in “%(extension)s”, which is not an image extension; "
            "this is a %(label)s image: rename it to %(suggested)s."
        )
    raise ValidationError(
        message,
        code="extension_mismatch",
        params={
            "extension": extension or "(none)",
            "claimed": claimed,
            "label": label,
            "suggested": STORED_EXTENSION[kind],
        },
    )


def _too_many_pixels(width, height) -> ValidationError:
    limit = f"{max_pixels() / 1_000_000:g} megapixels"
    if width is None:
        return ValidationError(
            "This image declares far more pixels than any photograph (a decompression bomb); "
            f"images may have at most {limit}.",
            code="too_many_pixels",
        )
    return ValidationError(
        "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); "
        "images may have at most %(limit)s. Scale it down and upload it again.",
        code="too_many_pixels",
        params={
            "width": f"{width:,}",
            "height": f"{height:,}",
            "megapixels": f"{width * height / 1_000_000:.1f}",
            "limit": limit,
        },
    )


def _corrupt(error: Exception) -> ValidationError:
    return ValidationError(
        "The image is truncated or corrupt and could not be read completely (%(detail)s). "
        "Export it again and upload the new file.",
        code="corrupt",
        params={"detail": str(error) or type(error).__name__},
    )


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text)


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def _rewound(upload):
    upload.seek(0)
    return upload


def _read(upload, count: int = -1) -> bytes:
    data = _rewound(upload).read(count)
    upload.seek(0)
    return data
