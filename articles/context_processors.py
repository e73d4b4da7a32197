from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import to_locale

from .models import Category

NAVIGATION_CACHE_KEY = "navigation-categories"


def navigation_categories() -> list[Category]:
    """The header's categories, cached: every page shows them, they change rarely."""
    return cache.get_or_set(NAVIGATION_CACHE_KEY, lambda: list(Category.objects.all()), 60 * 60)


def canonical_url(request) -> str:
    """This page's address from SITE_URL (never the request's Host), keeping only ?page."""
    url = settings.SITE_URL + request.path
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


def site(request):
    from site_settings.models import SiteSettings

    site_settings = SiteSettings.load()
    return {
        "site_settings": site_settings,
        "site_name": site_settings.name,
        "site_url": settings.SITE_URL,
        "canonical_url": canonical_url(request),
        "og_locale": to_locale(settings.LANGUAGE_CODE),
        # Read from the cache once, when a template first shows them (header and footer).
        "navigation_categories": SimpleLazyObject(navigation_categories),
    }
