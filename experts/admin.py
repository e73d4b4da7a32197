from django.contrib import admin
from django.db import models

from articles.forms import OrderedInlineFormSet, OrderedPartForm

from .models import Expert, Perspective


class PerspectiveInline(admin.StackedInline):
    model = Perspective
    formset = OrderedInlineFormSet
    form = OrderedPartForm
    fields = ["position", "expert", "credential", "quote"]
    # The expert autocomplete has a "+" button: a new expert is added in place.
    autocomplete_fields = ["expert"]
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 3})}
    }
    extra = 1
    verbose_name = "expert perspective"
    verbose_name_plural = "Expert Perspectives"


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    # Explicit: the annotated (GROUP BY) queryset drops Meta.ordering, and the autocomplete
    # pages through it.
    ordering = ["name"]
    list_display = ["name", "credential", "affiliation", "perspective_count"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "credential", "affiliation"]
    autocomplete_fields = ["portrait"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(perspective_total=models.Count("perspectives"))
        )

    @admin.display(description="Perspectives", ordering="perspective_total")
    def perspective_count(self, expert):
        return expert.perspective_total
