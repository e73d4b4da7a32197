"""Autosave: a private copy of the unsaved form, offered back when the article reopens."""

import pytest
from django.urls import reverse

from articles.autosave import Autosave
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_full_article, make_staff

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
