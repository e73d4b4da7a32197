"""An image's files leave storage when its row leaves the database (after the commit)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Image, delete_files


@receiver(post_delete, sender=Image)
def delete_image_files(instance, **kwargs):
    names = [name for name in [instance.file.name, *instance.rendition_names()] if name]
    transaction.on_commit(lambda: delete_files(names))
