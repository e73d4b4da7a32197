import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from site_settings.models import SiteSettings
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_defaults_come_from_settings_without_writing_a_row(settings):
    settings.SITE_NAME = "Configured Name"
    site = SiteSettings.load()
    assert site.name == "Configured Name"
    assert site.brand_colour == "#8a1c1c"
    assert not SiteSettings.objects.exists()


def test_load_is_cached_and_forgotten_on_save(django_assert_num_queries):
    SiteSettings.load()
    with django_assert_num_queries(0):
        SiteSettings.load()
    SiteSettings(site_name="Renamed").save()
    assert SiteSettings.load().name == "Renamed"


def test_there_is_only_ever_one_row():
    SiteSettings(site_name="One").save()
    SiteSettings(site_name="Two").save()
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.objects.get().site_name == "Two"
    with pytest.raises(IntegrityError):
        SiteSettings.objects.bulk_create([SiteSettings(pk=2)])


@pytest.mark.parametrize(
    "field, value",
    [
        ("brand_colour", "red"),
        ("brand_colour", "#12345"),
        ("x_handle", "@name"),
        ("x_handle", "https://x.com/name"),
    ],
)
def test_bad_values_are_refused(field, value):
    site = SiteSettings(**{field: value})
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert field in error.value.message_dict


def test_pages_show_the_name_from_the_admin(client):
    SiteSettings(site_name="Daily Analysis").save()
    html = client.get("/").content.decode()
    assert "<title>Daily Analysis</title>" in html


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_admin_edits_the_single_row(superuser_client):
    listing = superuser_client.get(reverse("admin:site_settings_sitesettings_changelist"))
    assert listing["Location"] == reverse("admin:site_settings_sitesettings_add")
    response = superuser_client.post(
        reverse("admin:site_settings_sitesettings_add"),
        {"site_name": "Daily Analysis", "brand_colour": "#114477"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SiteSettings.load().brand_colour == "#114477"
    listing = superuser_client.get(reverse("admin:site_settings_sitesettings_changelist"))
    assert listing["Location"] == reverse("admin:site_settings_sitesettings_change", args=[1])
    add = superuser_client.get(reverse("admin:site_settings_sitesettings_add"))
    assert add.status_code == 403
    delete = superuser_client.get(reverse("admin:site_settings_sitesettings_delete", args=[1]))
    assert delete.status_code == 403


def test_a_page_asks_the_cache_for_the_settings_once(client, monkeypatch):
    from django.core.cache import cache

    from site_settings.models import CACHE_KEY
    from tests.factories import make_full_article

    article = make_full_article(parts=1)
    asked = []
    get_or_set = cache.get_or_set
    monkeypatch.setattr(
        cache,
        "get_or_set",
        lambda key, *args, **kwargs: asked.append(key) or get_or_set(key, *args, **kwargs),
    )
    client.get(article.get_absolute_url())
    assert asked.count(CACHE_KEY) == 1  # not once per use: context, share card, JSON-LD
    client.get(article.get_absolute_url())
    assert asked.count(CACHE_KEY) == 2  # and again on the next request


def test_settings_saved_during_a_request_are_read_anew():
    from site_settings.signals import (
        forget_settings_after_the_request,
        remember_settings_for_the_request,
    )

    remember_settings_for_the_request()  # as when a request starts
    try:
        assert SiteSettings.load().name != "Renamed"
        SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": "Renamed"})
        assert SiteSettings.load().name == "Renamed"
    finally:
        forget_settings_after_the_request()
