from django.conf import settings
from django.core.cache import cache

from .models import Category

NAVIGATION_CACHE_KEY = "navigation-categories"


def navigation_categories() -> list[Category]:
    """The header's categories, cached: every page shows them, they change rarely."""
    return cache.get_or_set(NAVIGATION_CACHE_KEY, lambda: list(Category.objects.all()), 60 * 60)


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "navigation_categories": navigation_categories,
    }
