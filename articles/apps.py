from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from newsroom import caching  # noqa: F401  (page-cache signals and checks)

        from . import signals  # noqa: F401
