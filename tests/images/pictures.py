"""Real pictures made with Pillow (and one hand-made PNG bomb) for the image tests."""

import functools
import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import PngImagePlugin

from images.models import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# A position anyone could be found at: 51°30'N 0°7'W, London.
GPS = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}


def picture(size=(800, 600), mode="RGB") -> PILImage.Image:
    """A picture with a left half red and a right half blue, so orientation shows."""
    image = PILImage.new(mode, size, "red" if mode != "L" else 60)
    image.paste("blue" if mode != "L" else 200, (size[0] // 2, 0, size[0], size[1]))
    return image


def exif_with_gps(orientation: int | None = None) -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0110] = "Camera model"
    exif[GPS_IFD] = dict(GPS)
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def encoded(image: PILImage.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def jpeg(size=(800, 600), **options) -> bytes:
    return encoded(picture(size), "JPEG", quality=85, **options)


def jpeg_with_gps(size=(800, 600), orientation=None) -> bytes:
    return jpeg(size, exif=exif_with_gps(orientation), comment=b"taken at home")


def png_with_gps(size=(640, 480)) -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "GPS 51.5 N 0.12 W")
    return encoded(picture(size, "RGBA"), "PNG", exif=exif_with_gps(), pnginfo=text)


def webp_with_gps(size=(640, 480)) -> bytes:
    return encoded(picture(size), "WEBP", exif=exif_with_gps(), quality=80)


def gif(size=(400, 300), frames=3) -> bytes:
    images = [picture(size).convert("P") for _ in range(frames)]
    for number, image in enumerate(images):
        image.paste(number * 40, (0, 0, 20, 20))
    return encoded(images[0], "GIF", save_all=True, append_images=images[1:], duration=100)


@functools.cache
def png_bomb(width=20_000, height=20_000) -> bytes:
    """
    A 20,000 × 20,000 PNG of about 50 KB: 400 megapixels once decoded.

    Built by hand (signature, IHDR, one deflated IDAT, IEND): Pillow would need
    the 400 MB it describes to make it.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(1)">'
    b"<script>alert(document.cookie)</script><rect width='100' height='100'/></svg>"
)


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def make_image(data: bytes | None = None, name: str = "photo.jpg", **fields) -> Image:
    """An Image saved the way an upload is: checked, cleaned and rendered."""
    fields = {"alt_text": "A red and blue test picture"} | fields
    image = Image(file=upload(data or jpeg(), name), **fields)
    image.save()
    return image


def stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (each test has its own, empty at the start)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
