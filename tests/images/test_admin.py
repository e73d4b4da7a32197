"""The image library in the admin: upload, search, thumbnails, choosing, and refused deletes."""

import json

import pytest
from django.contrib.admin.options import IS_POPUP_VAR

from images.models import Image
from tests.factories import make_article, make_user
from tests.images import pictures
from tests.images.pictures import make_image, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user("chief", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def add_form(data: bytes, name: str, **fields):
    return {
        "alt_text": "Alt text",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "file": upload(data, name),
    } | fields


def test_an_editor_uploads_an_image_and_is_recorded_as_its_uploader(client, editor):
    response = client.post("/admin/images/image/add/", add_form(pictures.jpeg(), "ship.jpg"))
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == editor
    assert image.renditions["files"]


def test_a_refused_upload_shows_the_reason_in_the_form_and_stores_nothing(client, editor):
    response = client.post(
        "/admin/images/image/add/", add_form(pictures.SVG_WITH_SCRIPT, "logo.svg")
    )
    assert response.status_code == 200
    assert "SVG files are not accepted: they can carry scripts." in response.content.decode()
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_the_list_has_thumbnails_and_search(client, editor):
    make_image(alt_text="Cable ship at anchor")
    make_image(alt_text="Portrait of a minister", credit="Agency")
    response = client.get("/admin/images/image/", {"q": "cable"})
    html = response.content.decode()
    assert "Cable ship at anchor" in html and "Portrait of a minister" not in html
    assert 'class="admin-thumbnail"' in html and "1x1-160.webp 160w" in html


def test_the_change_form_shows_a_preview_and_where_the_image_is_used(client, editor):
    image = make_image()
    make_article(headline="Cables under the sea", lead_image=image)
    html = client.get(f"/admin/images/image/{image.pk}/change/").content.decode()
    assert 'class="admin-preview"' in html
    assert "lead image of article “Cables under the sea”" in html


def test_articles_choose_a_lead_image_by_autocomplete_or_upload_one_in_place(client, editor):
    html = client.get("/admin/articles/article/add/").content.decode()
    assert 'id="id_lead_image"' in html and "admin-autocomplete" in html
    assert "/admin/images/image/add/?_to_field=id&amp;_popup=1" in html  # the "+" popup
    # Section images and portraits are chosen the same way.
    assert 'id="id_sections-0-image"' in html
    assert "admin-autocomplete" in client.get("/admin/articles/author/add/").content.decode()
    assert "id_portrait" in client.get("/admin/experts/expert/add/").content.decode()


def test_the_autocomplete_finds_images_by_their_text(client, editor):
    wanted = make_image(alt_text="Cable ship at anchor")
    make_image(alt_text="Something else")
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "lead_image",
         "term": "cable"},
    )  # fmt: skip
    results = response.json()["results"]
    assert [result["id"] for result in results] == [str(wanted.pk)]
    assert results[0]["text"].startswith("Cable ship at anchor")


def test_uploading_in_the_popup_hands_the_new_image_back_to_the_article_form(client, editor):
    response = client.post(
        f"/admin/images/image/add/?_to_field=id&{IS_POPUP_VAR}=1",
        add_form(pictures.jpeg(), "ship.jpg") | {IS_POPUP_VAR: "1", "_to_field": "id"},
    )
    assert response.status_code == 200
    image = Image.objects.get()
    popup = response.content.decode()
    data = json.loads(popup.split('data-popup-response="')[1].split('"')[0].replace("&quot;", '"'))
    assert data["value"] == str(image.pk)


def test_deleting_an_image_in_use_is_refused_with_the_list_of_uses(client, editor):
    image = make_image()
    make_article(headline="Cables under the sea", lead_image=image)
    page = client.get(f"/admin/images/image/{image.pk}/delete/").content.decode()
    assert "protected related objects" in page and "Cables under the sea" in page
    client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
    assert stored_files()


def test_the_bulk_delete_action_refuses_images_in_use_too(client, editor):
    used, unused = make_image(), make_image()
    make_article(lead_image=used)
    response = client.post(
        "/admin/images/image/",
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
    )
    assert "protected related objects" in response.content.decode()
    assert Image.objects.count() == 2
