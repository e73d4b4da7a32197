"""No stored file keeps the uploader's metadata: GPS position above all."""

import pytest
from PIL import Image as PILImage

from tests.images import pictures
from tests.images.pictures import GPS_IFD, make_image, stored_files

pytestmark = pytest.mark.django_db

UPLOADS_WITH_GPS = [
    ("photo.jpg", pictures.jpeg_with_gps),
    ("chart.png", pictures.png_with_gps),
    ("photo.webp", pictures.webp_with_gps),
]


def assert_no_metadata(path):
    data = path.read_bytes()
    assert b"Exif\x00\x00" not in data, path
    assert b"taken at home" not in data and b"GPS 51.5" not in data, path
    assert b"Camera maker" not in data, path
    with PILImage.open(path) as stored:
        exif = stored.getexif()
        assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD), path
        assert len(exif) == 0, path
        assert not {"exif", "xmp", "comment", "Comment"} & set(stored.info), path


@pytest.mark.parametrize("name, make_data", UPLOADS_WITH_GPS, ids=[u[0] for u in UPLOADS_WITH_GPS])
def test_gps_exif_is_gone_from_every_stored_file(name, make_data):
    data = make_data()
    with PILImage.open(pictures.io.BytesIO(data)) as upload:  # the upload does carry it
        assert upload.getexif().get_ifd(GPS_IFD)
    image = make_image(data, name)
    files = stored_files()
    assert len(files) == 1 + len(image.renditions["files"]) > 10
    for path in files:
        assert_no_metadata(path)


def test_exif_orientation_is_applied_before_the_metadata_goes():
    # Orientation 6: the camera was turned a quarter; the stored pixels must be upright.
    image = make_image(pictures.jpeg_with_gps((800, 600), orientation=6), "turned.jpg")
    assert (image.width, image.height) == (600, 800)
    with image.file.open("rb") as stored, PILImage.open(stored) as original:
        assert original.size == (600, 800)
        # The red left half of the picture is now on top.
        assert original.getpixel((300, 100))[0] > 200
        assert original.getpixel((300, 700))[2] > 200
    assert image.renditions["files"]["full-320.jpg"]["height"] == round(320 * 800 / 600)


def test_the_original_can_be_kept_untouched_while_renditions_are_still_stripped(settings):
    settings.IMAGES_KEEP_ORIGINAL = True
    data = pictures.jpeg_with_gps()
    image = make_image(data, "photo.jpg")
    with image.file.open("rb") as stored:
        assert stored.read() == data
    renditions = [path for path in stored_files() if "/renditions/" in str(path)]
    assert len(renditions) == len(image.renditions["files"])
    for path in renditions:
        assert_no_metadata(path)
