"""Where an image is used, refusing to delete it while it is, and finding unused ones."""

import pytest
from django.db.models import ProtectedError

from articles.models import Section
from images.models import Image, ImageInUse
from tests.factories import make_article, make_author, make_expert
from tests.images.pictures import make_image, stored_files

pytestmark = pytest.mark.django_db


def test_an_image_lists_every_place_it_is_used():
    image = make_image()
    article = make_article(headline="Cables under the sea", lead_image=image)
    Section.objects.create(article=article, heading="The risk", body="<p>x</p>", image=image)
    make_author(name="Sarah Johnson", portrait=image)
    make_expert(name="Dr Ada Park", portrait=image)
    assert sorted(use.description for use in image.uses()) == [
        "image in section “The risk” of article “Cables under the sea”",
        "lead image of article “Cables under the sea”",
        "portrait of author “Sarah Johnson”",
        "portrait of expert “Dr Ada Park”",
    ]


def test_deleting_an_image_in_use_is_refused_and_says_where(django_capture_on_commit_callbacks):
    image = make_image()
    make_article(headline="Cables under the sea", lead_image=image)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ImageInUse, match="lead image of article “Cables under the sea”"):
            image.delete()
    assert Image.objects.filter(pk=image.pk).exists()
    assert stored_files()


def test_bulk_deletes_are_refused_by_the_database_relations_too():
    image = make_image()
    make_author(portrait=image)
    with pytest.raises(ProtectedError):
        Image.objects.all().delete()
    assert Image.objects.count() == 1


def test_unused_finds_images_nothing_points_at():
    lead, inline, portrait, spare = (make_image() for _ in range(4))
    article = make_article(lead_image=lead)
    Section.objects.create(article=article, heading="H", body="<p>x</p>", image=inline)
    make_expert(portrait=portrait)
    assert list(Image.objects.unused()) == [spare]
