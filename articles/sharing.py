"""
Share images: the check on uploaded ones, and the card drawn when an article has none.

The card is 1200×630 (what X, Facebook, LinkedIn, Bluesky and Slack show large):
the brand colour, the category on top, the headline wrapped to fit, the site
name below. It is drawn with Pillow and a bundled font (articles/fonts/, Noto
Sans for Latin, Greek and Cyrillic, Noto Sans Arabic, and Noto Sans SC cut down
to the GB2312 characters, see articles/fonts/README.md), with the Raqm layout
engine so Arabic is shaped and right-to-left lines run in the right order.

A card is stored under a hash of what is drawn on it, so it is drawn once, and a
changed headline (or category, name, colour) means a new file and a new URL
that caches and social networks have never seen.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, features

CARD_WIDTH, CARD_HEIGHT = 1200, 630
# The shapes a card is drawn in: "og" for Open Graph and X, and the 16:9, 4:3 and 1:1
# crops Google asks for in an article's structured data.
CARD_SHAPES = {"og": (1200, 630), "16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
MARGIN = 72
# Bump when the drawing changes, so every card is drawn anew.
CARD_VERSION = 1

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
LATIN_FONT = FONTS_DIR / "NotoSans-Bold.ttf"
ARABIC_FONT = FONTS_DIR / "NotoSansArabic-Bold.ttf"
CJK_FONT = FONTS_DIR / "NotoSansSC-Bold-GB2312.ttf"

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Han, kana, CJK punctuation and full-width forms: lines may break between any two.
CJK_CHAR = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK = re.compile(f"[{CJK_CHAR}]")
TOKENS = re.compile(f"[{CJK_CHAR}]|[^\\s{CJK_CHAR}]+|\\s+")

# Uploaded share images: what networks accept, big enough to show large, small enough to fetch.
SHARE_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
SHARE_IMAGE_MIN_SIZE = (600, 315)
SHARE_IMAGE_MAX_BYTES = 5 * 1024 * 1024
SHARE_IMAGE_MAX_PIXELS = 40_000_000


def validate_share_image(file) -> None:
    """Refuse an upload that is not a real JPEG/PNG/WebP/GIF of a sensible size, by content."""
    if not file:
        return
    if file.size > SHARE_IMAGE_MAX_BYTES:
        raise ValidationError("The image is over 5 MB; networks refuse large share images.")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > SHARE_IMAGE_MAX_PIXELS:
                raise ValidationError("The image has too many pixels.")
            image.verify()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds for broken files
        raise ValidationError("The file is not an image that can be read.") from error
    finally:
        file.seek(position)
    if image_format not in SHARE_IMAGE_FORMATS:
        raise ValidationError(f"{image_format} images are not accepted: use JPEG, PNG or WebP.")
    min_width, min_height = SHARE_IMAGE_MIN_SIZE
    if width < min_width or height < min_height:
        raise ValidationError(
            f"The image is {width}×{height}; share images must be at least "
            f"{min_width}×{min_height} (1200×630 is best)."
        )


@dataclass(frozen=True)
class ShareImage:
    """An image for og:image and JSON-LD: absolute URL, size and alternative text."""

    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class CardText:
    """Everything drawn on a card; its hash names the stored file."""

    headline: str
    category: str
    site_name: str
    colour: str

    @property
    def digest(self) -> str:
        payload = json.dumps(
            [CARD_VERSION, self.headline, self.category, self.site_name, self.colour]
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


def card_path(uuid, text: CardText, shape: str = "og") -> str:
    return f"share-cards/{uuid}/{text.digest}-{shape}.png"


class CardNotStored(Exception):
    """Storage refused the card (full, read-only): `png` is the card, drawn for this once."""

    def __init__(self, png: bytes):
        super().__init__("The share card could not be stored.")
        self.png = png


def stored_card(uuid, text: CardText, shape: str = "og") -> str:
    """The storage path of the card, drawing and saving it first if it is not there yet.
    Raises CardNotStored, with the drawn card, when storage cannot keep it."""
    path = card_path(uuid, text, shape)
    if not default_storage.exists(path):
        png = render_card_png(text, shape)
        try:
            saved = default_storage.save(path, ContentFile(png))
        except OSError as error:
            # A file cut short by a full disk would be served as the card for good.
            default_storage.delete(path)
            raise CardNotStored(png) from error
        if saved != path:  # another request drew it at the same moment
            default_storage.delete(saved)
    return path


def render_card_png(text: CardText, shape: str = "og") -> bytes:
    buffer = BytesIO()
    render_card(text, CARD_SHAPES[shape]).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@cache
def font_at(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def font_path_for(text: str) -> Path:
    """The bundled font that covers the text's script (each also covers basic Latin)."""
    if ARABIC.search(text):
        return ARABIC_FONT
    if CJK.search(text):
        return CJK_FONT
    return LATIN_FONT


def is_rtl(text: str) -> bool:
    """Whether a line reads right to left: its first strong letter is Arabic."""
    for char in text:
        if ARABIC.match(char):
            return True
        if char.isalpha():
            return False
    return False


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking in logical order: at spaces, between CJK characters, and inside
    a word too long for a line. Raqm then lays out each line, reordering right-to-left runs."""
    lines, line = [], ""
    for token in TOKENS.findall(" ".join(text.split())):
        candidate = line + token
        if font.getlength(candidate.strip()) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.strip())
        line = "" if token.isspace() else token
        while font.getlength(line) > width:  # a single word wider than the line
            cut = len(line) - 1
            while cut > 1 and font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.strip())
    return lines


def fit_headline(headline: str, width: int, height: int):
    """The largest font size at which the wrapped headline fits the box; at the smallest
    size a headline still too long is cut with an ellipsis. Returns (font, lines, line height)."""
    path = font_path_for(headline)
    for size in range(76, 31, -4):
        font = font_at(path, size)
        line_height = round(size * 1.3)
        lines = wrap(headline, font, width)
        if len(lines) * line_height <= height:
            return font, lines, line_height
    max_lines = height // line_height
    lines = lines[:max_lines]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return font, lines, line_height


def contrasting_ink(colour: str) -> tuple[str, str]:
    """Text colours readable on the background: (headline, labels)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return ("#ffffff", "#f1e9e9") if luminance < 150 else ("#111111", "#333333")


def draw_line(draw, width: int, y: int, line: str, font, fill, *, rtl: bool) -> None:
    """One line from the left margin, or from the right one in right-to-left text.

    `rtl` is the direction of the whole paragraph, not of the line: an Arabic headline
    whose last line happens to be "COP28" still sets that line from the right."""
    if rtl:
        draw.text((width - MARGIN, y), line, font=font, fill=fill, anchor="ra", direction="rtl")
    else:
        draw.text((MARGIN, y), line, font=font, fill=fill, anchor="la", direction="ltr")


def render_card(text: CardText, size: tuple[int, int] = (CARD_WIDTH, CARD_HEIGHT)) -> Image.Image:
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without Raqm: Arabic cards cannot be shaped.")
    width, height = size
    image = Image.new("RGB", size, text.colour)
    draw = ImageDraw.Draw(image)
    ink, label_ink = contrasting_ink(text.colour)
    label_size = 30
    top = MARGIN
    if text.category:
        category = text.category.upper()
        label_font = font_at(font_path_for(category), label_size)
        label = fit_one_line(category, label_font, width)
        draw_line(draw, width, top, label, label_font, label_ink, rtl=is_rtl(category))
    headline_top = top + label_size * 2
    footer_top = height - MARGIN - label_size
    box_height = footer_top - label_size - headline_top
    font, lines, line_height = fit_headline(text.headline, width - 2 * MARGIN, box_height)
    # Centre the block vertically in its box.
    y = headline_top + (box_height - len(lines) * line_height) // 2
    rtl = is_rtl(text.headline)
    for line in lines:
        draw_line(draw, width, y, line, font, ink, rtl=rtl)
        y += line_height
    draw.line(
        [
            (MARGIN, footer_top - label_size // 2),
            (width - MARGIN, footer_top - label_size // 2),
        ],
        fill=label_ink,
        width=2,
    )
    name_font = font_at(font_path_for(text.site_name), label_size)
    name = fit_one_line(text.site_name, name_font, width)
    draw_line(draw, width, footer_top, name, name_font, label_ink, rtl=is_rtl(text.site_name))
    return image


def fit_one_line(text: str, font, card_width: int) -> str:
    width = card_width - 2 * MARGIN
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
