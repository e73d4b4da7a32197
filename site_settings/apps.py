from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "site_settings"
    verbose_name = "site settings"

    def ready(self):
        from . import signals  # noqa: F401
