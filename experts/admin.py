from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse

from articles.forms import OrderedInlineFormSet, OrderedPartForm

from .merging import merge_experts
from .models import Expert, ExpertRedirect, Perspective


class PerspectiveInline(admin.StackedInline):
    model = Perspective
    formset = OrderedInlineFormSet
    form = OrderedPartForm
    fields = ["position", "expert", "credential", "quote", "disclosure"]
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
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(perspective_total=models.Count("perspectives"))
        )

    @admin.display(description="Perspectives", ordering="perspective_total")
    def perspective_count(self, expert):
        return expert.perspective_total

    @admin.action(description="Merge selected experts (duplicates)…", permissions=["delete"])
    def merge(self, request, queryset):
        """Pick the expert to keep; the others' perspectives move to it, their pages redirect."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        experts = list(queryset.order_by("name", "pk"))
        if len(experts) < 2:
            self.message_user(request, "Select at least two experts to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "keep" in request.POST else None, experts=experts)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = [expert for expert in experts if expert.pk != keep.pk]
            moved = merge_experts(keep, others)
            names = ", ".join(expert.name for expert in others)
            self.message_user(
                request,
                f"Merged {names} into {keep.name}: {moved} perspective(s) moved; "
                "their old pages now redirect.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge duplicate experts",
            "experts": experts,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/experts/expert/merge.html", context)


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Expert.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this expert",
        help_text="The others are deleted after their perspectives move to it.",
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Expert.objects.filter(pk__in=[e.pk for e in experts])
        self.fields["keep"].label_from_instance = lambda expert: (
            f"{expert.name} ({expert.slug}) — {expert.credential or 'no credential'}"
        )


@admin.register(ExpertRedirect)
class ExpertRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "expert", "created_at"]
    search_fields = ["old_slug", "expert__name"]
    autocomplete_fields = ["expert"]
