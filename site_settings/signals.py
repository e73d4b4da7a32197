from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CACHE_KEY, SiteSettings, this_request


@receiver([post_save, post_delete], sender=SiteSettings)
def forget_site_settings(**kwargs):
    cache.delete(CACHE_KEY)
    this_request.settings = None


@receiver(request_started)
def remember_settings_for_the_request(**kwargs):
    this_request.running, this_request.settings = True, None


@receiver(request_finished)
def forget_settings_after_the_request(**kwargs):
    this_request.running, this_request.settings = False, None
