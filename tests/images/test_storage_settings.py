"""Media go to S3 through django-storages when a bucket is configured; to disk otherwise."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import django, json
django.setup()
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({"class": type(default_storage).__name__,
                  "bucket": getattr(default_storage, "bucket_name", None),
                  "url": default_storage.url("images/renditions/1/k/full-640.webp")}))
"""


def storage_with(**env) -> dict:
    environment = (
        {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
        | env
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, cwd=settings.BASE_DIR,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_local_file_system_is_the_default():
    probe = storage_with()
    assert probe["class"] == "MediaStorage"  # a FileSystemStorage (images/storage.py)
    assert probe["url"] == "/media/images/renditions/1/k/full-640.webp"


def test_a_bucket_name_switches_media_to_s3():
    probe = storage_with(
        AWS_STORAGE_BUCKET_NAME="newsroom-media", AWS_S3_CUSTOM_DOMAIN="media.example.org"
    )
    assert probe["class"] == "S3Storage"
    assert probe["bucket"] == "newsroom-media"
    # Public, unsigned URLs: the same on every request, so pages and CDNs can cache them.
    assert probe["url"] == "https://media.example.org/images/renditions/1/k/full-640.webp"
