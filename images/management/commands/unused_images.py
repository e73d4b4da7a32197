"""Report (and optionally delete) originals that no article, section or person uses."""

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from images.models import Image, ImageInUse


class Command(BaseCommand):
    help = "List images that nothing uses (lead image, section image, portrait…)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete them, with their files and renditions, after listing them.",
        )

    def handle(self, *args, delete, **options):
        unused = list(Image.objects.unused().order_by("uploaded_at", "pk"))
        total = 0
        for image in unused:
            size = _size(image)
            total += size
            self.stdout.write(
                f"{image.pk}\t{image.file.name}\t{filesizeformat(size)}\t"
                f"{image.uploaded_at:%Y-%m-%d}\t{image.alt_text[:60]}"
            )
        self.stdout.write(f"{len(unused)} unused image(s), {filesizeformat(total)} of originals.")
        if delete and unused:
            deleted = 0
            for image in unused:
                try:
                    image.delete()
                except ImageInUse as refusal:  # put to use since the list was made
                    self.stderr.write(f"Kept {image.pk}: {refusal.args[0]}")
                else:
                    deleted += 1
            self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} image(s)."))


def _size(image) -> int:
    try:
        return image.file.size
    except OSError:  # the original is missing from storage: report it, size unknown
        return 0
