"""A database outage gives readers a 503 page and editors their unsaved text back.
(The same with a real PostgreSQL stopped and restarted: tests/faults/.)"""

import pytest
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError
from django.test import Client

from articles.admin import ArticleAdmin
from articles.models import Article
from articles.views import HomeView
from newsroom.loadtest import form_fields
from tests.factories import make_author, make_full_article

pytestmark = pytest.mark.django_db


def database_down(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_reader_gets_a_friendly_503_not_a_traceback(client, monkeypatch):
    monkeypatch.setattr(HomeView, "get_queryset", database_down)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "We&#x27;ll be right back" in response.text or "We'll be right back" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    # The outage page is still under the policy.
    assert "Content-Security-Policy" in response.headers


def test_interface_error_from_a_dead_connection_is_an_outage_too(client, monkeypatch):
    def dead(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(HomeView, "get_queryset", dead)
    assert client.get("/").status_code == 503


def test_failed_admin_save_says_not_saved_and_shows_the_text(client, monkeypatch):
    editor = get_user_model().objects.create_superuser("chief", password="a-long-test-password")
    client.force_login(editor)
    author = make_author()
    monkeypatch.setattr(ArticleAdmin, "save_model", database_down)
    # The add form as the admin renders it (every inline's management form included).
    fields = dict(form_fields(client.get("/admin/articles/article/add/").text, "article_form"))
    typed = {
        "headline": "A headline written in the outage",
        "slug": "a-headline",
        "brief": "Three careful paragraphs <b>with</b> markup & an ampersand.",
        "byline-0-author": str(author.pk),
        "byline-0-position": "1",
        "_save": "Save",
    }
    response = client.post("/admin/articles/article/add/", fields | typed)
    assert response.status_code == 503
    assert "Your changes were not saved" in response.text
    assert "A headline written in the outage" in response.text
    # Escaped, so the kept text cannot inject markup.
    assert "Three careful paragraphs &lt;b&gt;with&lt;/b&gt; markup &amp; an ampersand." in (
        response.text
    )
    assert "TOTAL_FORMS" not in response.text and "csrfmiddlewaretoken" not in response.text
    assert not Article.objects.exists()


def test_outage_in_a_middleware_gets_the_503_page_too(monkeypatch, settings):
    from django.contrib.sessions.backends.db import SessionStore

    article = make_full_article()
    user = get_user_model().objects.create_superuser("chief", password="a-long-test-password")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    # Saving the session (SessionMiddleware, after the view) meets the outage.
    monkeypatch.setattr(SessionStore, "save", database_down)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert "right back" in response.text


def test_other_errors_still_give_the_plain_500_page(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(HomeView, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


def test_a_password_is_never_echoed(rf):
    from newsroom.resilience import submitted_text

    request = rf.post("/admin/password_change/", {"old_password": "s3cret", "note": "hello"})
    assert submitted_text(request) == [("note", "hello")]
