"""
Image failures: a full disk part-way through an upload, a corrupt rendition source, Pillow
failing. The editor gets a clear message, the form keeps its text, and nothing half-done
remains: no row, no original, no rendition, no partly written file.
"""

import errno

import pytest
from django.core.files.base import ContentFile
from django.db import OperationalError
from PIL import Image as PILImage

from articles.models import Article
from images import renditions
from images.models import Image, ImageNotStored
from images.storage import MediaStorage
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_full_article, make_user
from tests.images import pictures
from tests.images.pictures import make_image, stored_files, upload

pytestmark = pytest.mark.django_db

FULL = "No space left on device"


class FullDiskStorage(MediaStorage):
    """Stores `room` files whole; the next write fails half-way, as a full disk does."""

    room = 0
    attempts = 0

    def _save(self, name, content):
        FullDiskStorage.attempts += 1
        if FullDiskStorage.room <= 0:
            content = HalfThenFull(content.read())
        FullDiskStorage.room -= 1
        return super()._save(name, content)


class HalfThenFull(ContentFile):
    def chunks(self, chunk_size=None):
        data = self.read()
        yield data[: len(data) // 2]  # this much reaches the disk…
        raise OSError(errno.ENOSPC, FULL)  # …then the disk is full


@pytest.fixture
def full_disk_after(settings):
    """full_disk_after(n): the media storage takes n more files, then the disk is full."""

    def fill(room: int):
        FullDiskStorage.room, FullDiskStorage.attempts = room, 0
        settings.STORAGES = settings.STORAGES | {
            "default": {"BACKEND": f"{__name__}.FullDiskStorage"}
        }

    return fill


@pytest.fixture
def editor(client):
    user = make_user("chief", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def add_form(data: bytes, name: str = "ship.jpg", **fields):
    return {
        "alt_text": "The ship at dawn",
        "caption": "Leaving port, 4 May.",
        "credit": "Jane Doe/Reuters",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "file": upload(data, name),
    } | fields


@pytest.mark.parametrize("room", [0, 1, 7], ids=["original", "first rendition", "mid-way"])
def test_a_full_disk_during_an_upload_leaves_nothing_and_says_so(
    client, editor, full_disk_after, room
):
    full_disk_after(room)
    response = client.post("/admin/images/image/add/", add_form(pictures.jpeg()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The image could not be stored: the media storage is full" in html
    assert "Nothing was saved" in html
    # The form keeps what the editor wrote.
    assert "The ship at dawn" in html and "Leaving port, 4 May." in html
    assert "Jane Doe/Reuters" in html
    assert Image.objects.count() == 0
    assert stored_files() == []  # not the original, not a rendition, not half a file
    assert FullDiskStorage.attempts == room + 1


def test_after_the_disk_has_room_again_the_same_upload_works(client, editor, full_disk_after):
    full_disk_after(3)
    client.post("/admin/images/image/add/", add_form(pictures.jpeg()))
    full_disk_after(1000)
    response = client.post("/admin/images/image/add/", add_form(pictures.jpeg()))
    assert response.status_code == 302
    image = Image.objects.get()
    # Exactly the image's own files: the failed attempt left none of its own.
    assert len(stored_files()) == 1 + len(image.rendition_names())


def test_pillow_failing_while_making_renditions_leaves_nothing(client, editor, monkeypatch):
    real_encode = renditions.encode
    calls = []

    def failing_encode(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise OSError("encoder error -2 when writing image file")
        return real_encode(*args, **kwargs)

    monkeypatch.setattr(renditions, "encode", failing_encode)
    response = client.post("/admin/images/image/add/", add_form(pictures.jpeg()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The picture could not be processed (encoder error -2" in html
    assert "The ship at dawn" in html
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_pillow_running_out_of_memory_is_reported_too(client, editor, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(renditions, "_resized_pictures", out_of_memory)
    response = client.post("/admin/images/image/add/", add_form(pictures.jpeg()))
    assert "The picture could not be processed (MemoryError)" in response.content.decode()
    assert Image.objects.count() == 0
    assert stored_files() == []


def corrupt_original(image: Image) -> None:
    """The stored original damaged on disk (a bad sector, a truncated copy)."""
    with image.file.storage.open(image.file.name, "wb") as broken:
        broken.write(pictures.jpeg()[:300])


def test_a_corrupt_rendition_source_is_refused_and_the_old_renditions_stay(client, editor):
    image = make_image()
    before = dict(image.renditions)
    corrupt_original(image)
    # Moving the focal point means new crops, made from the (now corrupt) original.
    response = client.post(
        f"/admin/images/image/{image.pk}/change/",
        {"alt_text": "Moved focus", "caption": "", "credit": "", "licence": "",
         "focal_x": "0.2", "focal_y": "0.5"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "The picture could not be processed" in html
    assert "Moved focus" in html
    image.refresh_from_db()
    assert image.renditions == before and image.focal_x == 0.5 and image.alt_text != "Moved focus"
    # The renditions pages use are all still there, and nothing new was left behind.
    stored = {str(path) for path in stored_files()}
    assert all(any(path.endswith(name) for path in stored) for name in image.rendition_names())
    assert len(stored) == 1 + len(image.rendition_names())


def test_a_page_with_a_picture_that_cannot_be_made_still_answers(client, caplog):
    image = make_image()
    article = make_full_article(lead_image=image)
    corrupt_original(image)
    Image.objects.filter(pk=image.pk).update(renditions={})  # renditions lost, say
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    # Tried once per picture on the page, not once per size and format.
    assert 1 <= caplog.text.count("renditions could not be made") <= 2
    # Share images fall back to the generated card.
    assert "/share/" in response.content.decode()


def test_code_saving_an_image_gets_imagenotstored_and_no_row(full_disk_after):
    full_disk_after(2)
    with pytest.raises(ImageNotStored, match="media storage is full"):
        make_image()
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_a_full_disk_costs_the_share_image_not_the_article_text(client, editor, full_disk_after):
    article = make_full_article()
    data = change_form_data(client, article, headline="Rewritten after the outage")
    share = PILImage.new("RGB", (1200, 630), "navy")
    data["social_image"] = upload(pictures.encoded(share, "JPEG"), "card.jpg")
    full_disk_after(0)
    response = client.post(change_url(article), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The article was saved, but its new share image was not" in html
    assert "media storage is full" in html
    article.refresh_from_db()
    assert article.headline == "Rewritten after the outage"
    assert not article.social_image
    assert stored_files() == []
    assert Article.objects.count() == 1


def test_a_database_failure_after_the_original_was_stored_leaves_no_file(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Image, "_do_insert", refuse)  # after the file field stored the file
    with pytest.raises(OperationalError):  # the outage page's business (newsroom/resilience)
        make_image()
    assert stored_files() == []
