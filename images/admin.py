from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from .models import Image, ImageNotStored
from .validation import ACCEPTED_FORMATS, CONTENT_TYPES


class ImageAdminForm(forms.ModelForm):
    """The upload is checked by the model field's validator (images.validation), as anywhere."""

    # Set by ImageAdmin when storing the image failed: the form is shown again with it.
    not_stored = ""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "licence", "focal_x", "focal_y"]
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join(CONTENT_TYPES[kind] for kind in ACCEPTED_FORMATS)}
            ),
            "caption": forms.Textarea(attrs={"rows": 2}),
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
        }

    def clean(self):
        cleaned = super().clean()
        if self.not_stored:
            raise forms.ValidationError(self.not_stored, code="not_stored")
        return cleaned


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt_text", "credit", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "alt_text"]
    list_filter = ["format", "uploaded_at"]
    list_select_related = ["uploaded_by"]
    # Also what the lead image, section image and portrait autocompletes search.
    search_fields = ["alt_text", "caption", "credit", "licence", "file"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "dimensions", "uploaded_by", "uploaded_at", "where_used"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt_text", "caption", "credit", "licence"]}),
        (
            "Focal point",
            {
                "fields": [("focal_x", "focal_y")],
                "description": "The point crops keep in view (cards, portraits, share cards): "
                "0.5 and 0.5 is the centre.",
            },
        ),
        ("Details", {"fields": ["dimensions", "uploaded_by", "uploaded_at", "where_used"]}),
    ]

    class Media:
        css = {"all": ["images/admin.css"]}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ImageNotStored as problem:
            # A full disk, a failing storage or Pillow: the save was rolled back and its
            # files deleted (Image.save). Show the form again as sent, with the reason;
            # its text fields keep what the editor typed.
            request.image_not_stored = str(problem)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        problem = getattr(request, "image_not_stored", "")
        if problem:
            form = type(form.__name__, (form,), {"not_stored": problem})
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="")
    def thumbnail(self, image):
        return self._picture(image, "1x1", "4rem", "admin-thumbnail")

    @admin.display(description="Preview")
    def preview(self, image):
        if not image.pk:
            return "—"
        return self._picture(image, "full", "30rem", "admin-preview")

    @admin.display(description="Size")
    def dimensions(self, image):
        if not image.width:
            return "—"
        return f"{image.width} × {image.height} {image.format}"

    @admin.display(description="Used as")
    def where_used(self, image):
        uses = image.uses() if image.pk else []
        if not uses:
            return "Not used yet."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((u.description,) for u in uses))
        )

    def _picture(self, image, kind, sizes, css_class):
        return render_to_string(
            "images/_admin_picture.html",
            {"image": image, "kind": kind, "sizes": sizes, "css_class": css_class},
        )
