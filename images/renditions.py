"""
Renditions: the resized and cropped copies of an image that pages actually load.

Every rendition is made once, when the image is saved, and stored through
Django's storage API (the local file system, or S3 with django-storages) under
a name derived from the original's name and the focal point. What was made is
recorded on the Image row (`Image.renditions`), so a page finds every URL
without asking the storage and without regenerating anything.

Kinds:
- "full": the whole picture at several widths (lead images, inline figures);
- "16x9", "4x3", "1x1": crops around the focal point (cards, structured data, portraits);
- "share": 1200 × 630 around the focal point, JPEG only, for social cards.
Each kind comes in WebP and JPEG (4x3 and share, for machines: JPEG only), never
wider than the source.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

from .validation import encode

logger = logging.getLogger(__name__)

# Bump when the specs or the encoding change, so every image gets new names.
RENDITION_VERSION = 1

FULL_WIDTHS = (320, 640, 960, 1280, 1920)


@dataclass(frozen=True)
class Kind:
    name: str
    widths: tuple[int, ...]
    ratio: tuple[int, int] | None = None  # None keeps the picture's own shape
    formats: tuple[str, ...] = ("WEBP", "JPEG")


KINDS = {
    kind.name: kind
    for kind in [
        Kind("full", FULL_WIDTHS),
        Kind("16x9", (320, 640, 960, 1280), ratio=(16, 9)),
        Kind("4x3", (640, 1200), ratio=(4, 3), formats=("JPEG",)),  # structured data
        Kind("1x1", (160, 320, 640), ratio=(1, 1)),
        Kind("share", (1200,), ratio=(1200, 630), formats=("JPEG",)),
    ]
}
EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg"}
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}


def rendition_key(original_name: str, focal_x: float, focal_y: float) -> str:
    """Changes whenever the renditions must: a new original, a moved focal point, new specs."""
    text = f"{original_name}|{focal_x:.4f}|{focal_y:.4f}|v{RENDITION_VERSION}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def rendition_folder(image_pk: int, key: str) -> str:
    return f"images/renditions/{image_pk}/{key}"


def crop_box(
    width: int, height: int, ratio: tuple[int, int] | None, focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside the picture, as centred on the focal point as it fits."""
    if ratio is None:
        return (0, 0, width, height)
    ratio_w, ratio_h = ratio
    box_w = min(width, round(height * ratio_w / ratio_h))
    box_h = min(height, round(box_w * ratio_h / ratio_w))
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def target_sizes(box_w: int, box_h: int, kind: Kind) -> list[tuple[int, int]]:
    """Widths of `kind` that fit in the box (no upscaling), plus the box's own if it is smaller."""
    widths = [width for width in kind.widths if width <= box_w]
    if len(widths) < len(kind.widths) and box_w not in widths:
        widths.append(box_w)  # the sharpest we can offer
    if kind.ratio:
        ratio_w, ratio_h = kind.ratio
        return [(w, max(1, round(w * ratio_h / ratio_w))) for w in widths]
    return [(w, max(1, round(w * box_h / box_w))) for w in widths]


class StorageFailed(Exception):
    """The storage refused to write a rendition (a full disk, a permission, a network store)."""


def make_renditions(source, *, focal_x: float, focal_y: float, folder: str, storage) -> dict:
    """
    Make every rendition of the picture in `source` (a file object) and store it.

    Returns {"kind-width.ext": {"name", "width", "height"}}; files are saved under
    `folder`, replacing any left there by an earlier, interrupted run. All or nothing:
    when Pillow or the storage fails part-way, the renditions this call stored are
    deleted again before the error goes on (a storage failure as StorageFailed).
    """
    files = {}
    try:
        for label, resized in _resized_pictures(source, focal_x, focal_y):
            for kind_format in KINDS[label].formats:
                extension = EXTENSIONS[kind_format]
                filename = f"{label}-{resized.width}.{extension}"
                data = encode(resized, kind_format, quality=80, icc_profile=resized.icc_profile)
                name = f"{folder}/{filename}"
                try:
                    if storage.exists(name):
                        storage.delete(name)
                    stored = storage.save(name, ContentFile(data))
                except OSError as error:
                    raise StorageFailed(error) from error
                files[filename] = {
                    "name": stored,
                    "width": resized.width,
                    "height": resized.height,
                }
    except BaseException:
        for entry in files.values():
            try:
                storage.delete(entry["name"])
            except Exception:  # the storage is failing: the error on its way out says why
                logger.exception("Could not remove the partial rendition %s", entry["name"])
        raise
    return files


def _resized_pictures(source, focal_x: float, focal_y: float):
    """(kind name, picture) for every size of every kind, widest first within a kind."""
    with PILImage.open(source) as opened:
        opened.seek(0)  # an animated GIF: its first frame
        icc_profile = opened.info.get("icc_profile")
        _decode_no_larger_than_needed(opened)
        picture = _upright(opened)
    width, height = picture.size
    for kind in KINDS.values():
        box = crop_box(width, height, kind.ratio, focal_x, focal_y)
        box_w, box_h = box[2] - box[0], box[3] - box[1]
        previous, previous_box = picture, box
        for size in sorted(target_sizes(box_w, box_h, kind), reverse=True):
            # Each size from the next larger one: far less work, no visible difference.
            resized = previous.resize(
                size, PILImage.Resampling.BICUBIC, box=previous_box, reducing_gap=2.0
            )
            resized.icc_profile = icc_profile
            yield kind.name, resized
            previous, previous_box = resized, (0, 0, *size)


def _decode_no_larger_than_needed(picture: PILImage.Image) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale when even the largest rendition fits."""
    if picture.format != "JPEG":
        return
    width, height = picture.size
    largest = max(max(kind.widths) for kind in KINDS.values())
    rotated = picture.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    if rotated:
        width, height = height, width
    need_w = largest
    # Tall crops (1:1 at 640, 4:3 at 1200 → 900) must still find enough height.
    need_h = max(round(largest * height / width), 900)
    picture.draft("RGB", (need_h, need_w) if rotated else (need_w, need_h))


def choose(files: dict, kind: str) -> dict[str, list[dict]]:
    """The renditions of one kind, by extension ("webp", "jpg"), narrowest first."""
    chosen: dict[str, list[dict]] = {}
    for label, entry in files.items():
        name, _, rest = label.rpartition("-")
        if name != kind:
            continue
        extension = rest.rpartition(".")[2]
        chosen.setdefault(extension, []).append(entry)
    for entries in chosen.values():
        entries.sort(key=lambda entry: entry["width"])
    return chosen


def _upright(picture: PILImage.Image) -> PILImage.Image:
    """EXIF orientation applied, in RGB (or RGBA when transparent), with no metadata left."""
    picture = ImageOps.exif_transpose(picture)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    converted = picture.convert("RGBA" if has_alpha else "RGB")
    converted.info = {}
    return converted
