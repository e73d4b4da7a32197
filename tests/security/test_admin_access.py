"""Admin access: throttled sign-in with an unlock command, idle expiry, strong passwords,
and staff who leave without taking their bylines or their work with them."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author
from experts.models import Perspective
from tests.factories import make_author, make_full_article

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_the_account_with_a_clear_message(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "editor", "wrong password")
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in response.text

    response = sign_in(client, "editor", "wrong password")
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.text
    assert "0:15:00" in response.text  # how long
    assert "axes_reset_username" in response.text  # and how to get out sooner

    # Locked means locked: the right password does not get in either.
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_follows_the_username_across_addresses(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password", address=f"198.51.100.{number}")
    assert sign_in(client, "editor", PASSWORD, address="192.0.2.1").status_code == 429


def test_lockout_follows_the_address_across_usernames(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{number}", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 429


def test_unlock_command_lets_the_editor_back_in(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 429

    call_command("axes_reset_username", "editor")
    call_command("axes_reset_ip", "203.0.113.7")

    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_lockout_ends_by_itself_after_the_cooloff(client, editor, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(client, editor, settings):
    # A guesser cannot dodge the lockout by inventing a new X-Forwarded-For each time.
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": f"guess{number}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    assert sign_in(client, "editor", PASSWORD, address="127.0.0.1").status_code == 429


def test_trusted_proxy_count_reads_the_address_our_proxy_saw(rf, settings):
    from newsroom.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"


def test_idle_staff_session_expires_and_activity_extends_it(client, editor, settings):
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    session = Session.objects.get()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_COOKIE_AGE == 120 * 60  # the documented default

    # Activity moves the expiry forward (a sliding window).
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/admin/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + idle - timedelta(minutes=1)

    # Idle past the limit: the session is gone and the admin asks to sign in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_readers_get_no_session_and_no_cookie(client):
    article = make_full_article()
    response = client.get(article.get_absolute_url())
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "password",
    ["short-pw1", "password1234", "123456789012", "Margarethe19"],
    ids=["too short", "common", "numeric", "like the editor's name"],
)
def test_weak_staff_passwords_are_refused(editor, password):
    editor.first_name, editor.last_name = "Margarethe", "Lindqvist"
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, user=editor)


def test_strong_password_is_accepted(editor):
    password_validation.validate_password("quiet harbour lantern 42", user=editor)


def test_deactivating_a_staff_user_keeps_bylines_comments_and_articles(client, editor):
    author = make_author(name="Ana Writer", user=editor)
    article = make_full_article(authors=[author], editors_comment_by=editor)
    counts = {
        "articles": Article.objects.count(),
        "perspectives": Perspective.objects.count(),
        "sections": article.sections.count(),
    }

    editor.is_active = False
    editor.save()
    client.force_login(get_user_model().objects.create_superuser("chief", password=PASSWORD))

    # The account can no longer sign in...
    client.logout()
    assert sign_in(client, "editor", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
    # ...while everything they wrote stays, credited to them, and public.
    article.refresh_from_db()
    assert article.byline_authors == [Author.objects.get(user=editor)]
    assert article.editors_comment_by == editor
    assert Article.objects.count() == counts["articles"]
    assert Perspective.objects.count() == counts["perspectives"]
    assert article.sections.count() == counts["sections"]
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Ana Writer" in page.text


def test_deleting_a_user_account_keeps_the_author_and_byline(editor):
    author = make_author(name="Ana Writer", user=editor)
    article = make_full_article(authors=[author])
    editor.delete()
    author.refresh_from_db()
    assert author.user is None
    assert article.byline_authors == [author]
