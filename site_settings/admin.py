from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the list opens its form; it can be neither added twice nor deleted."""

    fieldsets = [
        (None, {"fields": ["site_name", "logo", "brand_colour", "default_share_image"]}),
        (
            "Social profiles",
            {
                "fields": [
                    "x_handle",
                    "bluesky_handle",
                    "facebook_url",
                    "linkedin_url",
                    "mastodon_url",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if SiteSettings.objects.exists():
            return redirect(reverse("admin:site_settings_sitesettings_change", args=[1]))
        return redirect(reverse("admin:site_settings_sitesettings_add"))
