"""Keep caches honest: what a change makes stale is forgotten at once."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from experts.models import Perspective

from .context_processors import NAVIGATION_CACHE_KEY
from .models import Article, Category
from .related import forget_related_articles


@receiver([post_save, post_delete], sender=Category)
def forget_navigation(**kwargs):
    cache.delete(NAVIGATION_CACHE_KEY)


# Publishing, unpublishing, editing or deleting an article, changing its topics or its
# experts, or renaming a category can change any article's related list.
@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Perspective)
@receiver([post_save, post_delete], sender=Category)
@receiver(m2m_changed, sender=Article.topics.through)
def forget_related(**kwargs):
    forget_related_articles()
