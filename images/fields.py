"""How other models point at the image library (no model imports: any app may use it)."""

from django.db import models


def image_link(related_name: str, verbose_name: str, help_text: str = "") -> models.ForeignKey:
    """
    An optional link to an Image. PROTECT: an image in use cannot be deleted
    (Image.delete() says where it is used), and Image.uses() finds every such link.
    """
    return models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
        help_text=help_text,
    )
