"""The image management commands."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from images import renditions
from images.management.commands import bench_images
from images.models import Image
from tests.factories import make_article
from tests.images import pictures
from tests.images.pictures import make_image

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_unused_images_lists_only_images_nothing_uses():
    used = make_image(alt_text="Used as a lead image")
    make_article(lead_image=used)
    unused = make_image(alt_text="Nobody uses this")
    output = run("unused_images")
    assert "Nobody uses this" in output and unused.file.name in output
    assert "Used as a lead image" not in output
    assert "1 unused image(s)" in output


def test_unused_images_can_delete_them(django_capture_on_commit_callbacks):
    used, unused = make_image(), make_image()
    make_article(lead_image=used)
    with django_capture_on_commit_callbacks(execute=True):
        output = run("unused_images", "--delete")
    assert "Deleted 1 image(s)." in output
    assert list(Image.objects.all()) == [used]
    assert not default_storage.exists(unused.file.name)


def test_regenerate_renditions_remakes_every_image():
    first, second = make_image(), make_image()
    output = run("regenerate_renditions")
    assert "Regenerated 2, skipped 0, failed 0." in output
    for image in (first, second):
        image.refresh_from_db()
        assert all(default_storage.exists(name) for name in image.rendition_names())


def test_regenerate_missing_only_touches_images_with_a_missing_file():
    complete, damaged = make_image(), make_image()
    default_storage.delete(damaged.renditions["files"]["full-640.webp"]["name"])
    output = run("regenerate_renditions", "--missing")
    assert f"Image {damaged.pk}:" in output and f"Image {complete.pk}:" not in output
    assert "Regenerated 1, skipped 1, failed 0." in output
    damaged.refresh_from_db()
    assert default_storage.exists(damaged.renditions["files"]["full-640.webp"]["name"])


def test_regenerate_reports_a_broken_original_and_goes_on():
    broken, fine = make_image(), make_image()
    default_storage.delete(broken.file.name)
    with pytest.raises(SystemExit):
        output = io.StringIO()
        call_command("regenerate_renditions", stdout=output, stderr=output)
    assert f"Image {broken.pk} ({broken.file.name})" in output.getvalue()
    assert f"Image {fine.pk}: {len(fine.renditions['files'])} renditions" in output.getvalue()


def test_the_benchmark_measures_the_upload_path(tmp_path):
    picture = tmp_path / "small.jpg"
    picture.write_bytes(pictures.jpeg((1000, 750)))
    figures = bench_images.measure(picture, repeat=1)
    assert figures["width"] == 1000 and figures["renditions"] > 10
    assert figures["renditions_best"] > 0 and figures["peak_rss_mb"] > figures["startup_rss_mb"] / 2
    assert figures["renditions"] == len(
        renditions.make_renditions(
            io.BytesIO(picture.read_bytes()), focal_x=0.5, focal_y=0.5, folder="x",
            storage=default_storage,
        )
    )  # fmt: skip
