"""
Every admin URL and action that can change an article is held to the workflow's permission
matrix (articles/workflow.py, tests/articles/test_roles.py), on the server.

The list below names every URL of the article admin and what guards it; a URL added
without an entry fails the first test, so a new way to change articles cannot ship
unaudited. Each URL that writes is then posted by every role, by staff without a role and
by a signed-out visitor, on an article they may and one they may not change: the refused
requests change nothing (content, state, version, revisions, preview links, autosaves,
existence), and the allowed ones do, so the refusals are not passing by accident.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.autosave import Autosave
from articles.models import Article
from articles.preview import PreviewLink
from articles.revisions import Revision
from articles.workflow import TRANSITIONS, can_edit, refusal_reasons
from tests.articles.admin_forms import change_form_data
from tests.factories import make_author, make_full_article, make_staff, make_user

pytestmark = pytest.mark.django_db

# Every URL of the article admin: what it does, and the rule of the matrix that guards it.
ARTICLE_URLS = {
    "articles_article_changelist": "lists; POSTed actions are transitions (checked below)",
    "articles_article_add": "creates a draft: articles.add_article",
    "articles_article_import": "creates drafts: articles.add_article",
    "articles_article_change": "edits: workflow.can_edit",
    "articles_article_delete": "deletes: articles.delete_article",
    "articles_article_history": "reads",
    "articles_article_revisions": "reads",
    "articles_article_revision": "reads",
    "articles_article_preview_new": "renders in a rolled-back transaction: add_article",
    "articles_article_preview": "renders in a rolled-back transaction: workflow.can_edit",
    "articles_article_restore": "fills the change form with a revision, writes nothing "
    "(saving it is `change`): workflow.can_edit",
    "articles_article_autosave": "keeps a private copy: workflow.can_edit",
    "articles_article_autosave_new": "keeps a private copy of an unsaved article: add_article "
    "(refusals in tests/articles/test_autosave.py)",
    "articles_article_checklist": "reads the form as typed, writes nothing: workflow.can_edit",
    "articles_article_checklist_new": "reads the form as typed, writes nothing: add_article",
    "articles_article_preview_links": "discloses a draft: articles.add_previewlink",
    None: "redirects <id>/ to <id>/change/",
}


def test_every_article_admin_url_is_in_the_matrix():
    model_admin = admin.site._registry[Article]
    assert {pattern.name for pattern in model_admin.get_urls()} == set(ARTICLE_URLS)


def test_every_article_action_is_a_transition_of_the_matrix_or_delete():
    model_admin = admin.site._registry[Article]
    names = set(model_admin.actions)
    offered = {"submit": "submit_for_review", "send_back": "send_back", "publish": "publish",
               "unpublish": "unpublish"}  # fmt: skip
    assert names == set(offered.values())
    assert set(offered) <= set(TRANSITIONS)  # schedule needs a time: change form only


def state(article: Article) -> tuple:
    """Everything about an article that a request could change."""
    row = Article.objects.filter(pk=article.pk).values("headline", "status", "version").first()
    return (
        row,
        Revision.objects.filter(article_id=article.pk).count(),
        PreviewLink.objects.filter(article_id=article.pk).count(),
        Autosave.objects.filter(article_id=article.pk).count(),
    )


def article_of(owner, status: str) -> Article:
    article = make_full_article(
        status=status,
        published_at=timezone.now() + timezone.timedelta(days=2),
        authors=[make_author(user=owner)],
        created_by=owner,
        headline="Original headline",
    )
    Revision.capture(article, owner, note="First")
    Article.objects.filter(pk=article.pk).update(headline="Changed headline")
    return article


def post_as(client: Client, name: str, article: Article, chief: Client):
    url = lambda view, *args: reverse(f"admin:articles_article_{view}", args=[article.pk, *args])  # noqa: E731
    if name == "change":
        return client.post(url("change"), change_form_data(chief, article, headline="Edited"))
    if name == "delete":
        return client.post(url("delete"), {"post": "yes"})
    if name == "autosave":
        return client.post(url("autosave"), {"headline": "Kept privately"})
    if name == "preview_links":
        return client.post(url("preview_links"), {"days": "3"})
    if name == "action":
        changelist = reverse("admin:articles_article_changelist")
        return client.post(changelist, {"action": "send_back", "_selected_action": [article.pk]})
    raise AssertionError(name)


def may(user, name: str, article: Article) -> bool:
    """The matrix's answer (articles.workflow and the roles' permissions)."""
    if user is None or not user.is_staff:
        return False
    if name in ("change", "autosave"):
        return can_edit(user, article)
    if name == "delete":
        return user.has_perm("articles.delete_article")
    if name == "preview_links":
        return user.has_perm("articles.add_previewlink")
    if name == "action":  # send back: in review → draft
        return not refusal_reasons(user, article, "send_back")
    raise AssertionError(name)


WRITES = ["change", "delete", "autosave", "preview_links", "action"]
WHO = ["Writer", "Editor", "Admin", "staff without a role", "signed out"]


def signed_in(who: str):
    """The user `who` names (None when signed out) and a client signed in as them."""
    if who in ("Writer", "Editor", "Admin"):
        user = make_staff(who)
    elif who == "staff without a role":
        user = make_user(is_staff=True)
    else:
        user = None
    client = Client()
    if user is not None:
        client.force_login(user)
    return user, client


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("whose", ["own draft", "another writer's article in review"])
def test_each_writing_url_obeys_the_matrix_on_the_server(who, name, whose):
    chief = Client()
    chief.force_login(make_user("chief", is_staff=True, is_superuser=True))
    user, client = signed_in(who)
    owner = user if (whose == "own draft" and user is not None) else make_staff("Writer")
    article = article_of(owner, "draft" if whose == "own draft" else "in_review")
    allowed = may(user, name, article)
    before = state(article)

    response = post_as(client, name, article, chief)

    after = state(article)
    if allowed:
        assert after != before, f"{who} may {name}, but nothing changed ({response.status_code})"
    else:
        assert after == before, f"{who} may not {name}, yet it changed"
        # Refused plainly: forbidden, sent to sign in, or the action not even offered.
        assert response.status_code in (302, 403, 404) or name == "action", response.status_code


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("whose", ["own draft", "another writer's article in review"])
def test_restoring_a_revision_obeys_the_matrix_and_writes_nothing(who, whose):
    """Restore fills the change form (only for who may edit); only saving it writes."""
    user, client = signed_in(who)
    owner = user if (whose == "own draft" and user is not None) else make_staff("Writer")
    article = article_of(owner, "draft" if whose == "own draft" else "in_review")
    allowed = may(user, "change", article)
    before = state(article)

    response = client.get(reverse("admin:articles_article_restore", args=[article.pk, 1]))

    assert state(article) == before
    if allowed:
        assert response.status_code == 200
        assert response.context["adminform"].form.data["headline"] == "Original headline"
    else:
        assert response.status_code in (302, 403, 404), response.status_code
        assert b"Original headline" not in response.content


@pytest.mark.parametrize(("who", "allowed"), [("staff without a role", False), ("Writer", True)])
def test_import_creates_drafts_only_for_those_who_may_add_articles(client, who, allowed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.articles.import_samples import MINIMAL

    user = make_staff(who) if who == "Writer" else make_user(is_staff=True)
    client.force_login(user)
    upload = SimpleUploadedFile("ports.txt", MINIMAL.encode(), content_type="text/plain")
    response = client.post(reverse("admin:articles_article_import"), {"files": [upload]})
    assert Article.objects.exists() == allowed
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert Article.objects.get().status == "draft"
