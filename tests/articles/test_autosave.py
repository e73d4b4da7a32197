"""Autosave: a private copy of the unsaved form, offered back when the article reopens."""

import uuid

import pytest
from django.urls import reverse

from articles.autosave import Autosave
from articles.models import Article
from tests.articles.admin_forms import change_form_data, change_url, form_data_from
from tests.factories import make_author, make_full_article, make_staff, make_user

pytestmark = pytest.mark.django_db


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def test_autosave_restores_unsaved_text_after_the_page_was_closed(client, settings):
    settings.TIME_ZONE = "Europe/London"
    editor = make_staff("Editor")
    client.force_login(editor)
    article = make_full_article()
    data = change_form_data(
        client, article, brief="Half-written brief.", **{"sections-0-body": "<p>Typed.</p>"}
    )
    response = client.post(autosave_url(article), data)
    assert response.status_code == 200
    assert response.json()["saved_at"].endswith(("GMT", "BST"))
    # Not a revision, not visible to readers.
    article.refresh_from_db()
    assert article.brief != "Half-written brief." and not article.revisions.exists()
    assert "Half-written" not in client.get(article.get_absolute_url()).content.decode()

    # The tab is closed; reopening the article offers the autosave…
    html = client.get(change_url(article)).content.decode()
    assert "You have unsaved changes to this article from" in html
    assert "GMT" in html or "BST" in html
    # …and restoring fills the form with it, without saving anything yet.
    response = client.get(change_url(article) + "?restore_autosave=1")
    html = response.content.decode()
    assert "Half-written brief." in html and "Typed." in html
    assert "Nothing is saved yet" in html
    article.refresh_from_db()
    assert article.brief != "Half-written brief."

    # Saving the restored form keeps it and discards the autosave.
    restored = response.context["adminform"].form.data.copy()
    assert client.post(change_url(article), restored).status_code == 302
    article.refresh_from_db()
    assert article.brief == "Half-written brief."
    assert article.sections.get(position=1).body == "<p>Typed.</p>"
    assert not Autosave.objects.exists()


def test_autosaves_are_private_to_each_editor(client):
    article = make_full_article()
    alice, bob = make_staff("Editor"), make_staff("Editor")
    client.force_login(alice)
    client.post(autosave_url(article), change_form_data(client, article, brief="Alice's."))
    client.force_login(bob)
    html = client.get(change_url(article)).content.decode()
    assert "You have unsaved changes" not in html
    assert (
        "Alice&#x27;s."
        not in client.get(change_url(article) + "?restore_autosave=1").content.decode()
    )


def test_autosave_can_be_discarded(client):
    client.force_login(make_staff("Editor"))
    article = make_full_article()
    client.post(autosave_url(article), change_form_data(client, article, brief="Drop me."))
    client.post(autosave_url(article), {"discard": "1"})
    assert not Autosave.objects.exists()


def test_autosave_is_refused_to_who_may_not_edit(client):
    client.force_login(make_staff("Writer"))
    article = make_full_article()
    assert client.post(autosave_url(article), {"brief": "x"}).status_code == 403
    assert not Autosave.objects.exists()


def test_change_form_loads_the_autosave_script_from_a_static_file(client):
    client.force_login(make_staff("Editor"))
    article = make_full_article()
    html = client.get(change_url(article)).content.decode()
    assert "articles/autosave.js" in html
    assert f'data-url="{autosave_url(article)}"' in html


# A new article: autosaved under the add page's draft key before it exists ---------------

ADD_URL = reverse("admin:articles_article_add")
NEW_AUTOSAVE_URL = reverse("admin:articles_article_autosave_new")


def add_form_data(client, **changes) -> dict:
    response = client.get(ADD_URL)
    assert response.status_code == 200
    key = response.context["autosave_key"]
    assert f'name="_autosave_key" value="{key}"' in response.content.decode()
    return form_data_from(response) | {"_autosave_key": str(key)} | changes


def test_a_new_article_is_autosaved_and_offered_back_on_the_add_page(client, settings):
    settings.TIME_ZONE = "Europe/London"
    editor = make_staff("Editor")
    client.force_login(editor)
    data = add_form_data(
        client, headline="Ports After the Storm", brief="Never saved.", slug="ports"
    )
    response = client.post(NEW_AUTOSAVE_URL, data)
    assert response.status_code == 200
    assert response.json()["saved_at"].endswith(("GMT", "BST"))
    # No article exists: only the private copy.
    assert not Article.objects.exists()
    autosave = Autosave.objects.get()
    assert autosave.article is None and str(autosave.draft_key) == data["_autosave_key"]

    # The tab died. The add page, opened again, offers it back…
    html = client.get(ADD_URL).content.decode()
    assert "You have an unsaved new article, “Ports After the Storm”, from" in html
    assert f"?restore_autosave={autosave.draft_key}" in html
    # …and restoring fills the form with it, under the same key, saving nothing yet.
    response = client.get(f"{ADD_URL}?restore_autosave={autosave.draft_key}")
    html = response.content.decode()
    assert "Never saved." in html and "Nothing is saved yet" in html
    assert f'name="_autosave_key" value="{autosave.draft_key}"' in html
    assert not Article.objects.exists()

    # Saving the restored form creates the article and discards the autosave.
    restored = response.context["adminform"].form.data.copy()
    restored["_autosave_key"] = str(autosave.draft_key)
    restored["byline-0-author"] = make_author().pk
    response = client.post(ADD_URL, restored)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().brief == "Never saved."
    assert not Autosave.objects.exists()


def test_each_add_page_keeps_its_own_autosave(client):
    client.force_login(make_staff("Editor"))
    first = add_form_data(client, headline="First")
    second = add_form_data(client, headline="Second")
    assert first["_autosave_key"] != second["_autosave_key"]
    client.post(NEW_AUTOSAVE_URL, first)
    client.post(NEW_AUTOSAVE_URL, second)
    client.post(NEW_AUTOSAVE_URL, first | {"headline": "First, again"})
    assert sorted(a.headline for a in Autosave.objects.all()) == ["First, again", "Second"]


def test_new_article_autosaves_are_private_and_can_be_discarded(client):
    alice, bob = make_staff("Editor"), make_staff("Editor")
    client.force_login(alice)
    data = add_form_data(client, headline="Alice's secret draft")
    client.post(NEW_AUTOSAVE_URL, data)
    key = data["_autosave_key"]
    client.force_login(bob)
    assert "secret draft" not in client.get(ADD_URL).content.decode()
    assert "secret draft" not in client.get(f"{ADD_URL}?restore_autosave={key}").content.decode()
    client.post(NEW_AUTOSAVE_URL, {"discard": key})  # Bob cannot discard Alice's either
    assert Autosave.objects.count() == 1
    client.force_login(alice)
    assert client.post(NEW_AUTOSAVE_URL, {"discard": key}).status_code == 302
    assert not Autosave.objects.exists()


def test_new_article_autosave_needs_a_draft_key_and_the_right_to_add(client):
    client.force_login(make_staff("Editor"))
    assert client.post(NEW_AUTOSAVE_URL, {"headline": "x"}).status_code == 400
    assert client.post(NEW_AUTOSAVE_URL, {"_autosave_key": "nope"}).status_code == 400
    client.force_login(make_user(is_staff=True))  # staff without any article permission
    key = "6f1c1d8e-9a52-4a43-8f53-0e4b5d1f7d11"
    assert client.post(NEW_AUTOSAVE_URL, {"_autosave_key": key}).status_code == 403
    assert not Autosave.objects.exists()


def test_an_autosave_belongs_to_an_article_or_a_draft_key_never_both(client):
    from django.db import IntegrityError, transaction

    user, article = make_staff("Editor"), make_full_article()
    for fields in [{}, {"article": article, "draft_key": uuid.uuid4()}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Autosave.objects.create(user=user, data={}, **fields)


def test_autosaves_older_than_two_weeks_are_neither_offered_nor_kept(client):
    from datetime import timedelta

    from django.utils import timezone

    editor = make_staff("Editor")
    client.force_login(editor)
    old = Autosave.objects.create(
        user=editor,
        draft_key=uuid.uuid4(),
        data={"headline": ["A forgotten draft"]},
        saved_at=timezone.now() - timedelta(days=15),
    )
    assert "A forgotten draft" not in client.get(ADD_URL).content.decode()
    client.post(NEW_AUTOSAVE_URL, add_form_data(client, headline="Today's"))
    assert not Autosave.objects.filter(pk=old.pk).exists()
    assert Autosave.objects.get().headline == "Today's"
