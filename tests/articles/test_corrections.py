"""Corrections and updates: appended by editors, shown to readers, dated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.corrections import Correction
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_full_article, make_staff

pytestmark = pytest.mark.django_db


def test_editor_appends_a_correction_that_readers_see(client):
    editor = make_staff("Editor")
    client.force_login(editor)
    published = timezone.now() - timedelta(days=3)
    article = make_full_article(published_at=published)
    data = change_form_data(client, article) | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "An earlier version misstated the date of the talks.",
    }
    assert client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by == editor
    article.refresh_from_db()
    assert article.published_at == published  # the publish date never moves
    assert article.modified_at >= correction.created_at
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html
    assert "misstated the date" in html
    assert "Updated" in html


def test_a_correction_moves_the_modified_date_only(client):
    article = make_full_article()
    published = article.published_at
    Correction.objects.create(article=article, kind="update", text="New figures came out.")
    article.refresh_from_db()
    assert article.published_at == published
    assert article.modified_at > published
    assert article.was_updated


def test_writers_cannot_add_corrections(client):
    writer = make_staff("Writer")
    client.force_login(writer)
    article = make_full_article(status="draft", created_by=writer)
    data = change_form_data(client, article)
    assert "corrections-TOTAL_FORMS" not in data
    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-INITIAL_FORMS": "0",
        "corrections-0-kind": "correction",
        "corrections-0-text": "Sneaky.",
    }
    client.post(change_url(article), data)
    assert not Correction.objects.exists()


def test_kinds_are_correction_clarification_and_update():
    assert list(Correction.Kind.values) == ["correction", "clarification", "update"]
