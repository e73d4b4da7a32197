"""
The permission matrix: every role × every transition and edit, through real admin requests.

Writers edit only their own drafts and submit them; editors and admins do everything.
Refusals happen on the server: a forbidden edit is a 403 that changes nothing, a
forbidden transition leaves the state as it was.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.workflow import TRANSITIONS
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_author, make_full_article, make_staff

pytestmark = pytest.mark.django_db

ROLES = ["Writer", "Editor", "Admin"]

# (transition, the state it starts from, roles allowed to do it)
TRANSITION_CASES = [
    ("submit", "draft", {"Writer", "Editor", "Admin"}),
    ("send_back", "in_review", {"Editor", "Admin"}),
    ("schedule", "in_review", {"Editor", "Admin"}),
    ("publish", "in_review", {"Editor", "Admin"}),
    ("unpublish", "published", {"Editor", "Admin"}),
]

# (whose article, its state, roles allowed to edit it)
EDIT_CASES = [
    ("own", "draft", {"Writer", "Editor", "Admin"}),
    ("own", "in_review", {"Editor", "Admin"}),
    ("own", "published", {"Editor", "Admin"}),
    ("others", "draft", {"Editor", "Admin"}),
    ("others", "published", {"Editor", "Admin"}),
]


def test_every_transition_is_in_the_matrix():
    assert {case[0] for case in TRANSITION_CASES} == set(TRANSITIONS)


def article_in_state(status: str, owner) -> Article:
    """A complete article in `status`, owned by `owner` (their byline, they created it)."""
    author = make_author(user=owner)
    future = timezone.now() + timezone.timedelta(days=2)
    past = timezone.now() - timezone.timedelta(days=1)
    return make_full_article(
        status=status,
        published_at=past if status == "published" else future,
        authors=[author],
        created_by=owner,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "source", "allowed_roles"), TRANSITION_CASES)
def test_transition_button_in_the_change_form(client, role, name, source, allowed_roles):
    user = make_staff(role)
    client.force_login(user)
    article = article_in_state(source, owner=user)
    if not (role == "Writer" and source != "draft"):
        data = change_form_data(client, article, _transition=name)
        response = client.post(change_url(article), data)
        assert response.status_code == 302
    else:
        # A writer may not even open the form for editing once the draft left them.
        response = client.post(change_url(article), {"_transition": name})
        assert response.status_code == 403
    article.refresh_from_db()
    expected = TRANSITIONS[name].target if role in allowed_roles else source
    assert article.status == expected
    assert article.transitions.filter(name=name).exists() == (role in allowed_roles)


# Scheduling needs a time, so it is done from the change form only.
ACTIONS = {
    "submit": "submit_for_review",
    "send_back": "send_back",
    "publish": "publish",
    "unpublish": "unpublish",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "source", "allowed_roles"), [case for case in TRANSITION_CASES if case[0] in ACTIONS]
)
def test_transition_as_admin_action(client, role, name, source, allowed_roles):
    actions = ACTIONS
    user = make_staff(role)
    client.force_login(user)
    article = article_in_state(source, owner=user)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": actions[name], "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    expected = TRANSITIONS[name].target if role in allowed_roles else source
    assert article.status == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("whose", "status", "allowed_roles"), EDIT_CASES)
def test_editing_an_article(client, role, whose, status, allowed_roles):
    user = make_staff(role)
    other = make_staff("Writer")
    article = article_in_state(status, owner=user if whose == "own" else other)
    client.force_login(user)
    if role in allowed_roles:
        response = client.post(
            change_url(article), change_form_data(client, article, headline="Edited")
        )
        assert response.status_code == 302
    else:
        # They may look (read-only), never save.
        assert client.get(change_url(article)).status_code == 200
        response = client.post(change_url(article), {"headline": "Edited"})
        assert response.status_code == 403
    article.refresh_from_db()
    assert (article.headline == "Edited") == (role in allowed_roles)


def test_writers_cannot_write_editors_comments(client):
    writer = make_staff("Writer")
    article = article_in_state("draft", owner=writer)
    client.force_login(writer)
    data = change_form_data(client, article)
    assert "editors_comment" not in data
    client.post(change_url(article), data | {"editors_comment": "Sneaky."})
    article.refresh_from_db()
    assert article.editors_comment == "A striking meeting."


def test_editors_write_and_sign_editors_comments(client):
    editor = make_staff("Editor")
    article = article_in_state("draft", owner=make_staff("Writer"))
    client.force_login(editor)
    client.post(change_url(article), change_form_data(client, article, editors_comment="Mine."))
    article.refresh_from_db()
    assert (article.editors_comment, article.editors_comment_by) == ("Mine.", editor)


def test_a_writers_new_article_is_their_own_draft(client):
    from tests.articles.test_admin import article_post

    writer = make_staff("Writer")
    client.force_login(writer)
    data = article_post()
    del data["editors_comment"]
    del data["_transition"]
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == ("draft", writer)
    assert article.is_owned_by(writer)


def test_roles_hold_exactly_the_listed_permissions():
    def names(group):
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=group).permissions.select_related("content_type")
        }

    writer, editor, admin = names("Writer"), names("Editor"), names("Admin")
    assert writer < editor < admin
    assert not writer & {
        "articles.publish_article",
        "articles.schedule_article",
        "articles.unpublish_article",
        "articles.write_editors_comment",
        "articles.edit_any_article",
        "articles.delete_article",
        "articles.add_correction",
    }
    assert {
        "articles.publish_article",
        "articles.schedule_article",
        "articles.unpublish_article",
        "articles.write_editors_comment",
        "articles.add_correction",
    } <= editor
    assert "auth.change_user" in admin and "auth.change_user" not in editor


def test_a_writer_pressing_publish_saves_their_text_but_not_the_state(client):
    writer = make_staff("Writer")
    article = article_in_state("draft", owner=writer)
    client.force_login(writer)
    data = change_form_data(client, article, headline="Rewritten", _transition="publish")
    response = client.post(change_url(article), data, follow=True)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Rewritten", "draft")
    assert "Your role may not" in response.content.decode()
