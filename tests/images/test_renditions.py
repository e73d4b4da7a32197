"""Renditions: the right sizes and crops, made once, found by name, replaced when stale."""

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from images import renditions
from images.models import Image
from tests.images import pictures
from tests.images.pictures import make_image, stored_files

pytestmark = pytest.mark.django_db


def dimensions(image, label):
    entry = image.renditions["files"][label]
    with default_storage.open(entry["name"]) as stored, PILImage.open(stored) as picture:
        assert picture.size == (entry["width"], entry["height"])
        return picture.format, picture.size


def test_a_large_picture_gets_every_width_in_webp_and_jpeg_and_every_crop():
    image = make_image(pictures.jpeg((2400, 1800)))
    for width in (320, 640, 960, 1280, 1920):
        assert dimensions(image, f"full-{width}.webp") == ("WEBP", (width, width * 3 // 4))
        assert dimensions(image, f"full-{width}.jpg") == ("JPEG", (width, width * 3 // 4))
    assert dimensions(image, "16x9-1280.webp") == ("WEBP", (1280, 720))
    assert dimensions(image, "16x9-320.jpg") == ("JPEG", (320, 180))
    assert dimensions(image, "1x1-640.jpg") == ("JPEG", (640, 640))
    assert dimensions(image, "4x3-1200.jpg") == ("JPEG", (1200, 900))
    assert dimensions(image, "share-1200.jpg") == ("JPEG", (1200, 630))
    assert "share-1200.webp" not in image.renditions["files"]


def test_a_small_picture_is_never_upscaled():
    image = make_image(pictures.jpeg((700, 500)))
    widths = sorted(e["width"] for label, e in image.renditions["files"].items()
                    if label.startswith("full-") and label.endswith(".jpg"))  # fmt: skip
    assert widths == [320, 640, 700]
    assert max(entry["width"] for entry in image.renditions["files"].values()) <= 700
    # The share crop keeps its 1200:630 shape at the size the picture allows.
    assert dimensions(image, "share-700.jpg") == ("JPEG", (700, 368))


@pytest.mark.parametrize(
    "focal_x, expected_left",
    [(0.0, 0), (0.5, 350), (0.3, 30), (1.0, 700), (0.9, 700)],
)
def test_crops_centre_on_the_focal_point_and_stay_inside_the_picture(focal_x, expected_left):
    assert renditions.crop_box(1600, 900, (1, 1), focal_x, 0.5) == (
        expected_left,
        0,
        expected_left + 900,
        900,
    )


def test_a_crop_wider_than_the_picture_uses_its_full_width():
    # 4:3 picture, 16:9 crop: full width, height cut around the focal point.
    assert renditions.crop_box(1200, 900, (16, 9), 0.5, 0.0) == (0, 0, 1200, 675)
    assert renditions.crop_box(1200, 900, (16, 9), 0.5, 1.0) == (0, 225, 1200, 900)


def test_the_focal_point_decides_what_a_crop_shows():
    # Left half red, right half blue: a square crop at the right edge is all blue.
    image = make_image(pictures.jpeg((1600, 800)), focal_x=1.0)
    with default_storage.open(image.renditions["files"]["1x1-320.jpg"]["name"]) as stored:
        with PILImage.open(stored) as square:
            red, green, blue = square.convert("RGB").getpixel((160, 160))
    assert blue > 200 and red < 60


def test_renditions_are_named_by_image_and_key_so_they_are_found_not_remade():
    image = make_image()
    key = image.renditions["key"]
    assert key == renditions.rendition_key(image.file.name, 0.5, 0.5)
    for entry in image.renditions["files"].values():
        assert entry["name"].startswith(f"images/renditions/{image.pk}/{key}/")
        assert default_storage.exists(entry["name"])


def test_saving_without_changes_does_not_remake_renditions(monkeypatch):
    image = make_image()
    made = []
    monkeypatch.setattr(renditions, "make_renditions", lambda *a, **k: made.append(1) or {})
    image.caption = "New caption"
    image.save()
    Image.objects.get(pk=image.pk).renditions_of("full")
    assert made == []


def test_moving_the_focal_point_remakes_the_crops_and_removes_the_old_files(
    django_capture_on_commit_callbacks,
):
    image = make_image()
    old_names = set(image.rendition_names())
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x = 0.2
        image.save()
    new_names = set(image.rendition_names())
    assert new_names and not new_names & old_names
    assert not any(default_storage.exists(name) for name in old_names)
    assert all(default_storage.exists(name) for name in new_names)
    assert Image.objects.get(pk=image.pk).renditions == image.renditions


def test_replacing_the_file_removes_the_old_original_and_renditions(
    django_capture_on_commit_callbacks,
):
    image = make_image()
    old_files = set(stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        image.file = pictures.upload(pictures.jpeg((1000, 500)), "new.jpg")
        image.save()
    assert (image.width, image.height) == (1000, 500)
    assert not old_files & set(stored_files())
    assert len(stored_files()) == 1 + len(image.renditions["files"])


def test_deleting_an_unused_image_removes_its_files(django_capture_on_commit_callbacks):
    image = make_image()
    assert stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored_files() == []


def test_missing_renditions_are_made_once_as_a_fallback():
    image = make_image()
    Image.objects.filter(pk=image.pk).update(renditions={})
    stale = Image.objects.get(pk=image.pk)
    chosen = stale.renditions_of("16x9")
    assert [entry["width"] for entry in chosen["jpg"]] == [320, 640, 800]
    assert Image.objects.get(pk=image.pk).renditions["key"] == image.renditions["key"]


def test_the_share_card_and_structured_data_crops_are_at_hand():
    image = make_image(pictures.jpeg((2000, 1500)))
    share = image.largest("share")
    assert (share["width"], share["height"]) == (1200, 630)
    assert share["url"] == "/media/" + image.renditions["files"]["share-1200.jpg"]["name"]
    for kind, size in [("16x9", (1280, 720)), ("4x3", (1200, 900)), ("1x1", (640, 640))]:
        entry = image.largest(kind)
        assert (entry["width"], entry["height"]) == size
        assert entry["width"] * entry["height"] >= 50_000  # Google's minimum for article images
