"""Keep caches honest: what a change makes stale is forgotten at once."""

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from experts.models import Perspective

from .context_processors import NAVIGATION_CACHE_KEY
from .models import Article, Author, Category
from .related import forget_related_articles


@receiver([post_save, post_delete], sender=Category)
def forget_navigation(**kwargs):
    cache.delete(NAVIGATION_CACHE_KEY)


# The search page's filters list every category and author (templates/articles/search.html).
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Author)
def forget_search_filters(**kwargs):
    cache.delete(make_template_fragment_key("search-filters"))


# Publishing, unpublishing, editing or deleting an article, changing its topics or its
# experts, or renaming a category can change any article's related list.
@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Perspective)
@receiver([post_save, post_delete], sender=Category)
@receiver(m2m_changed, sender=Article.topics.through)
def forget_related(**kwargs):
    forget_related_articles()
