"""Article files for the import/export tests: the project's demo, plus ../shared when present."""

from pathlib import Path

from django.conf import settings

DEMO_FILES = sorted((Path(settings.BASE_DIR) / "articles" / "demo").glob("*.txt"))
SHARED_EXAMPLE = Path(settings.BASE_DIR).parent / "shared" / "examples" / "analysis-article.txt"
SAMPLE_FILES = DEMO_FILES + ([SHARED_EXAMPLE] if SHARED_EXAMPLE.exists() else [])

MINIMAL = """\
A Short Headline About Ports

By Ann Lee and Bo Chen
2025-12-03

Brief
Ports are changing.

What Changed
Cranes got bigger.

Expert Perspectives
Dr. Ada Obi, port economist: "Size matters."

Topics
Shipping, Ports
"""
