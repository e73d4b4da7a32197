"""Make every image's renditions again: after a change of specs, or of storage."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from images.models import Image


class Command(BaseCommand):
    help = (
        "Regenerate image renditions. By default every image's; with --missing only "
        "those whose recorded renditions are not all in storage; or the images given by id."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these images.")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only images with a rendition missing from storage (checks each file).",
        )

    def handle(self, *args, ids, missing, **options):
        images = Image.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
        done = failed = skipped = 0
        for image in images.iterator(chunk_size=100):
            if missing and self._complete(image):
                skipped += 1
                continue
            try:
                image.generate_renditions()
            except Exception as error:  # one broken original must not stop the others
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
                continue
            done += 1
            self.stdout.write(f"Image {image.pk}: {len(image.renditions['files'])} renditions")
        self.stdout.write(
            self.style.SUCCESS(f"Regenerated {done}, skipped {skipped}, failed {failed}.")
        )
        if failed:
            raise SystemExit(1)

    @staticmethod
    def _complete(image) -> bool:
        if image.renditions.get("key") != image.current_rendition_key():
            return False
        return all(default_storage.exists(name) for name in image.rendition_names())
