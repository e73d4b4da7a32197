"""Every response carries the security headers, on public pages and in the admin alike."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import clear_url_caches

from tests.factories import make_full_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("chief", password="a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture
def pages(client, staff_client):
    """A public article page and the admin's article form, as (name, response) pairs."""
    article = make_full_article()
    public = client.get(article.get_absolute_url())
    admin_page = staff_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert public.status_code == admin_page.status_code == 200
    return [("public", public), ("admin", admin_page)]


def policy(response) -> dict[str, str]:
    directives = response.headers["Content-Security-Policy"].split(";")
    return {d.split()[0]: " ".join(d.split()[1:]) for d in (d.strip() for d in directives) if d}


def test_csp_is_enforced_and_strict_on_public_and_admin_pages(pages):
    for name, response in pages:
        csp = policy(response)
        assert csp["default-src"] == "'self'", name
        assert csp["object-src"] == "'none'", name
        assert csp["base-uri"] == "'none'", name
        assert csp["frame-ancestors"] == "'none'", name
        assert csp["form-action"] == "'self'", name
        assert csp["img-src"] == "'self' data:", name
        # Scripts: our own files and, where a page has an inline script, its nonce only.
        assert csp["script-src"].split()[0] == "'self'", name
        assert "unsafe-inline" not in csp["script-src"], name
        assert "unsafe-eval" not in csp["script-src"], name
        assert "Content-Security-Policy-Report-Only" not in response.headers, name


def test_only_the_admin_allows_inline_styles_for_tinymce(pages):
    public, admin_page = (response for _, response in pages)
    assert policy(public)["style-src"] == "'self'"
    assert policy(admin_page)["style-src"] == "'self' 'unsafe-inline'"


def test_public_pages_hold_no_inline_script_and_no_inline_handler(client):
    article = make_full_article()
    html = client.get(article.get_absolute_url()).text
    assert "<script>" not in html
    assert " onload=" not in html and " onclick=" not in html


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ],
)
def test_header_is_sent_on_public_and_admin_pages(pages, header, value):
    for name, response in pages:
        assert response.headers[header] == value, name


def test_permissions_policy_switches_off_powerful_features(pages):
    for name, response in pages:
        features = response.headers["Permissions-Policy"]
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]:
            assert feature in features, name


def test_headers_are_sent_on_error_pages_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers
    assert response.headers["Permissions-Policy"]


def test_hsts_is_sent_over_https_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def production_settings(monkeypatch):
    """Import the settings module afresh with NEWSROOM_PRODUCTION=1, as a server would."""
    monkeypatch.setenv("NEWSROOM_PRODUCTION", "1")
    monkeypatch.setenv("SECRET_KEY", "test-only-" + "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://newsroom@db.internal:5432/newsroom")
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    import newsroom.settings

    try:
        # A snapshot: the module itself is reloaded again below, for the other tests.
        return SimpleNamespace(**vars(importlib.reload(newsroom.settings)))
    finally:
        monkeypatch.undo()
        importlib.reload(newsroom.settings)


def test_production_settings_turn_on_https_hsts_and_secure_cookies(monkeypatch):
    production = production_settings(monkeypatch)
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS == 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS and production.SECURE_HSTS_PRELOAD
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == production.CSRF_COOKIE_SAMESITE == "Lax"
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")
    assert production.CSRF_COOKIE_NAME.startswith("__Host-")
    assert production.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert production.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_session_cookie_is_httponly_and_samesite(client):
    user = get_user_model().objects.create_user(
        "writer", password="a-long-test-password", is_staff=True
    )
    client.post("/admin/login/", {"username": user.username, "password": "a-long-test-password"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.fixture
def admin_at(settings):
    """Serve the admin under another prefix for the length of a test."""
    import newsroom.urls

    def move(prefix):
        settings.ADMIN_URL_PATH = prefix
        importlib.reload(newsroom.urls)
        clear_url_caches()

    yield move
    settings.ADMIN_URL_PATH = "admin/"
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_admin_url_prefix_moves_the_admin_and_its_policy(admin_at, staff_client):
    admin_at("desk-7f3a/")
    assert staff_client.get("/admin/").status_code == 404
    response = staff_client.get("/desk-7f3a/")
    assert response.status_code == 200
    assert policy(response)["style-src"] == "'self' 'unsafe-inline'"


def test_images_on_s3_are_allowed_by_the_policy(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "newsroom-media")
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.example.org")
    monkeypatch.setenv("CSP_IMG_HOSTS", "https://img.example.net")
    import newsroom.settings

    try:
        img_src = importlib.reload(newsroom.settings).SECURE_CSP["img-src"]
    finally:
        monkeypatch.undo()
        importlib.reload(newsroom.settings)
    assert img_src == ["'self'", "data:", "https://media.example.org", "https://img.example.net"]
