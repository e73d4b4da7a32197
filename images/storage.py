"""
Media on the local disk that leaves no half-written file behind.

Django's FileSystemStorage streams an upload into its file and, when a write fails
part-way (a full disk: ENOSPC), lets the error through with the partial file still on
disk, under a name nobody recorded. This storage removes that file before the error goes
on, so a failed save leaves nothing (Image.save and the article admin remove what they
had already stored). S3 needs no such care: a failed upload creates no object.
"""

import logging
import os

from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError:
            if not existed and os.path.exists(path):
                try:
                    os.remove(path)
                except OSError:
                    logger.exception("Could not remove the partly written %s", path)
            raise
