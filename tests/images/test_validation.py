"""What the image library accepts, what it refuses, and that a refusal stores nothing."""

import pytest
from django.core.exceptions import ValidationError

from images.admin import ImageAdminForm
from images.models import Image
from tests.images import pictures
from tests.images.pictures import make_image, stored_files, upload

pytestmark = pytest.mark.django_db


def submit(data: bytes, name: str, **fields) -> ImageAdminForm:
    form_data = {"alt_text": "Alt text", "focal_x": 0.5, "focal_y": 0.5} | fields
    return ImageAdminForm(data=form_data, files={"file": upload(data, name)})


ACCEPTED = [
    ("photo.jpg", pictures.jpeg(), "JPEG"),
    ("photo.JPEG", pictures.jpeg(), "JPEG"),
    ("chart.png", pictures.encoded(pictures.picture(mode="RGBA"), "PNG"), "PNG"),
    ("photo.webp", pictures.encoded(pictures.picture(), "WEBP"), "WEBP"),
    ("animation.gif", pictures.gif(), "GIF"),
]


@pytest.mark.parametrize("name, data, kind", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_format_is_stored_with_its_dimensions_and_renditions(name, data, kind):
    form = submit(data, name)
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.format == kind
    assert (image.width, image.height) == ((400, 300) if kind == "GIF" else (800, 600))
    assert image.file.name.startswith("images/originals/")
    assert image.renditions["files"], "renditions are made on save"
    assert len(stored_files()) == 1 + len(image.renditions["files"])


def test_a_gif_keeps_its_animation_and_renders_its_first_frame():
    image = make_image(pictures.gif(frames=3), "animation.gif")
    from PIL import Image as PILImage

    with image.file.open("rb") as stored, PILImage.open(stored) as original:
        assert original.n_frames == 3
    assert "full-320.webp" in image.renditions["files"]


REFUSED = [
    # (case, data, name, message fragment)
    (
        "a 20,000 x 20,000 decompression bomb",
        pictures.png_bomb,
        "huge.png",
        "decompression bomb",
    ),
    ("a PNG renamed .jpg", lambda: pictures.encoded(pictures.picture(), "PNG"), "photo.jpg",
     "The file is named .jpg, as a JPEG image, but it is a PNG image"),
    ("an SVG with a script", lambda: pictures.SVG_WITH_SCRIPT, "logo.svg",
     "SVG files are not accepted"),
    ("an SVG named .png", lambda: pictures.SVG_WITH_SCRIPT, "logo.png",
     "SVG files are not accepted"),
    ("a truncated JPEG", lambda: pictures.jpeg((1600, 1200))[:20_000], "cut.jpg",
     "truncated or corrupt"),
    ("a text file named .png", lambda: b"Hello, this is not a picture.\n" * 20, "notes.png",
     "not an image we can read"),
    ("a BMP image", lambda: pictures.encoded(pictures.picture(), "BMP"), "photo.bmp",
     "This is a BMP image; only JPEG, PNG, WebP or GIF images are accepted"),
    ("a TIFF named .jpg", lambda: pictures.encoded(pictures.picture(), "TIFF"), "photo.jpg",
     "This is a TIFF image"),
    ("an empty file", lambda: b"", "empty.jpg", "file is empty."),
    ("a JPEG named .txt", pictures.jpeg, "photo.txt",
     "which is not an image extension; this is a JPEG image: rename it to .jpg"),
]  # fmt: skip


@pytest.mark.parametrize("case, make_data, name, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_uploads_say_why_in_the_form_and_store_nothing(case, make_data, name, message):
    form = submit(make_data(), name)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])
    assert stored_files() == []
    assert Image.objects.count() == 0


@pytest.mark.parametrize("case, make_data, name, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_uploads_are_refused_by_the_model_too(case, make_data, name, message):
    with pytest.raises(ValidationError) as refusal:
        Image(alt_text="Alt", file=upload(make_data(), name)).save()
    assert message in " ".join(refusal.value.messages)
    assert stored_files() == []
    assert Image.objects.count() == 0


def test_images_over_the_configured_pixel_count_are_refused(settings):
    settings.IMAGES_MAX_PIXELS = 100_000
    form = submit(pictures.jpeg((400, 300)), "big.jpg")
    assert not form.is_valid()
    assert (
        "The image is 400 × 300 pixels (0.1 megapixels); images may have at most "
        "0.1 megapixels" in form.errors["file"][0]
    )
    assert stored_files() == []


def test_files_over_the_configured_size_are_refused(settings):
    settings.IMAGES_MAX_BYTES = 10_000
    data = pictures.jpeg((1200, 900))
    assert len(data) > 10_000
    form = submit(data, "big.jpg")
    assert not form.is_valid()
    assert "images may be at most 9.8\xa0KB" in form.errors["file"][0]
    assert stored_files() == []


def test_alt_text_is_required():
    form = submit(pictures.jpeg(), "photo.jpg", alt_text="   ")
    assert not form.is_valid()
    assert "alt_text" in form.errors
    assert stored_files() == []


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_focal_point_must_lie_inside_the_picture(value):
    form = submit(pictures.jpeg(), "photo.jpg", focal_x=value)
    assert not form.is_valid()
    assert "focal_x" in form.errors


def test_the_database_refuses_a_focal_point_outside_the_picture():
    from django.db import IntegrityError

    image = make_image()
    with pytest.raises(IntegrityError):
        Image.objects.filter(pk=image.pk).update(focal_y=2)


def test_editing_captions_does_not_read_the_stored_original_again(monkeypatch):
    image = make_image()
    calls = []
    monkeypatch.setattr("images.models.check_upload", lambda *a: calls.append(a))
    form = ImageAdminForm(
        data={"alt_text": "New alt", "caption": "A caption", "focal_x": 0.5, "focal_y": 0.5},
        instance=image,
    )
    assert form.is_valid(), form.errors
    form.save()
    assert calls == []
    image.refresh_from_db()
    assert image.caption == "A caption"
