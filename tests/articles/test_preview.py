"""Preview: unsaved form data rendered with the public template; signed expiring links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import PreviewLink
from tests.articles.admin_forms import change_form_data
from tests.articles.test_admin import article_post
from tests.factories import make_full_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff("Editor"))
    return client


def test_preview_renders_unsaved_changes_with_the_public_template(editor_client):
    article = make_full_article(status="draft")
    data = change_form_data(
        editor_client, article, headline="Unsaved headline", **{"sections-0-body": "<p>New.</p>"}
    )
    response = editor_client.post(
        reverse("admin:articles_article_preview", args=[article.pk]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Preview" in html and "Unsaved headline" in html and "<p>New.</p>" in html
    # Nothing was saved.
    article.refresh_from_db()
    assert article.headline != "Unsaved headline"
    assert article.sections.get(position=1).body != "<p>New.</p>"
    assert not article.revisions.exists()


def test_preview_of_a_new_article_saves_nothing(editor_client):
    data = article_post(headline="Not yet saved")
    del data["_transition"]
    response = editor_client.post(reverse("admin:articles_article_preview_new"), data)
    assert response.status_code == 200
    assert "Not yet saved" in response.content.decode()
    assert not Article.objects.exists()


def test_preview_with_errors_says_what_to_fix(editor_client):
    article = make_full_article(status="draft")
    data = change_form_data(editor_client, article, headline="")
    response = editor_client.post(
        reverse("admin:articles_article_preview", args=[article.pk]), data
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_writer_cannot_preview_someone_elses_article(client):
    client.force_login(make_staff("Writer"))
    article = make_full_article(status="draft")
    response = client.post(reverse("admin:articles_article_preview", args=[article.pk]), {})
    assert response.status_code == 403


def create_link(client, article, days="7"):
    client.post(reverse("admin:articles_article_preview_links", args=[article.pk]), {"days": days})
    return article.preview_links.get()


def test_preview_link_shows_a_draft_to_someone_without_an_account(editor_client, client):
    article = make_full_article(status="draft", headline="Secret draft")
    link = create_link(editor_client, article)
    editor_client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    response = client.get(link.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Secret draft" in html and '<meta name="robots" content="noindex">' in html


def test_preview_link_expires(editor_client, client, monkeypatch):
    article = make_full_article(status="draft")
    link = create_link(editor_client, article, days="1")
    later = timezone.now() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(link.get_absolute_url()).status_code == 404


def test_preview_link_can_be_revoked(editor_client, client):
    article = make_full_article(status="draft")
    link = create_link(editor_client, article)
    url = link.get_absolute_url()
    editor_client.post(
        reverse("admin:articles_article_preview_links", args=[article.pk]), {"revoke": link.pk}
    )
    assert client.get(url).status_code == 404


def test_forged_or_mangled_tokens_are_404(client):
    article = make_full_article(status="draft")
    link = PreviewLink.objects.create(
        article=article, expires_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(reverse("articles:preview", args=[link.token + "x"])).status_code == 404
    assert client.get(reverse("articles:preview", args=[str(link.pk)])).status_code == 404


def test_writers_cannot_create_preview_links(client):
    writer = make_staff("Writer")
    client.force_login(writer)
    article = make_full_article(status="draft", created_by=writer)
    response = client.post(
        reverse("admin:articles_article_preview_links", args=[article.pk]), {"days": "7"}
    )
    assert response.status_code == 403
    assert not PreviewLink.objects.exists()
