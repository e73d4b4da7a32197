"""
Production's static files: hashed names (cached for ever, safely) and pre-compressed
copies (gzip and brotli) for WhiteNoise to serve, with pages linking the hashed names.
"""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_site_css_is_collected_hashed_and_compressed_and_pages_link_it(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = PRODUCTION_STATIC
    # The admin's and TinyMCE's files are theirs; ours are what the public pages load.
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "tinymce"]
    )
    hashed = list((tmp_path / "static" / "css").glob("site.*.css"))
    assert len(hashed) == 1, hashed
    css = hashed[0]
    assert css.with_name(css.name + ".gz").stat().st_size < css.stat().st_size
    assert css.with_name(css.name + ".br").stat().st_size < css.stat().st_size

    html = client.get("/").content.decode()
    assert f'href="/static/css/{css.name}"' in html
