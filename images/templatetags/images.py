"""
{% picture image "16x9" sizes="(min-width: 60rem) 20rem, 100vw" %}: a responsive <picture>.

WebP for browsers that take it, JPEG for the rest, each with every width made
(srcset) so the browser picks what the layout needs; width and height of the
rendition so the page does not jump while it loads; the alt text; lazy loading
unless the picture is above the fold (loading="eager", for lead images).
"""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


@register.inclusion_tag("images/_picture.html")
def picture(image, kind="full", sizes="100vw", loading="lazy", css_class=""):
    by_extension = image.renditions_of(kind)
    jpeg = by_extension.get("jpg", [])
    webp = by_extension.get("webp", [])
    fallback = jpeg or webp
    if not fallback:
        return {"image": None}
    largest = fallback[-1]
    default = next((entry for entry in fallback if entry["width"] >= 640), largest)
    return {
        "image": image,
        "webp_srcset": _srcset(webp) if jpeg else "",
        "srcset": _srcset(fallback),
        "src": default_storage.url(default["name"]),
        "sizes": sizes,
        "width": largest["width"],
        "height": largest["height"],
        "eager": loading == "eager",
        "css_class": css_class,
    }


def _srcset(entries) -> str:
    return ", ".join(f"{default_storage.url(e['name'])} {e['width']}w" for e in entries)
