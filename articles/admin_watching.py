"""
The editors' side of watch items: resolving them from the later article's form, their
own admin with an "overdue" view, and the autocomplete over open items.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import workflow
from .forms import ArticleAdminForm
from .models import Article, WatchItem
from .pagination import BoundedPaginator
from .watching import overdue_items


def watch_item_outcome(item: WatchItem) -> str:
    """The outcome in one line, for the admin."""
    if item.is_open:
        if item.check_by and item.check_by < timezone.localdate():
            return f"Open, overdue since {item.check_by:%d %b %Y}"
        return "Open"
    text = f"{item.get_status_display()} ({item.resolved_on:%d %b %Y})"
    if item.resolved_by_id:
        return format_html(
            '{} — <a href="{}">{}</a>',
            text,
            reverse("admin:articles_article_change", args=[item.resolved_by_id]),
            item.resolved_by,
        )
    return text


class OverdueFilter(admin.SimpleListFilter):
    title = "check-by date"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue (open, check-by date passed)"), ("dated", "Has a date")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(pk__in=overdue_items().values("pk"))
        if self.value() == "dated":
            return queryset.filter(check_by__isnull=False)
        return queryset


@admin.register(WatchItem)
class WatchItemAdmin(admin.ModelAdmin):
    list_display = ["text_start", "article", "status", "check_by", "resolved_on", "resolved_by"]
    list_filter = [OverdueFilter, "status"]
    list_select_related = ["article", "resolved_by"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["resolved_by"]
    fields = [
        "article_link",
        "text",
        "check_by",
        "status",
        "resolved_on",
        "resolved_by",
        "resolution_note",
    ]
    readonly_fields = ["article_link", "text"]
    date_hierarchy = "check_by"
    ordering = ["check_by", "pk"]

    def has_add_permission(self, request):
        return False  # items are written in their article's Looking Ahead

    def has_change_permission(self, request, obj=None):
        # An outcome shows on a published article, whoever wrote it: editors only.
        allowed = super().has_change_permission(request, obj)
        return allowed and request.user.has_perm("articles.edit_any_article")

    def has_delete_permission(self, request, obj=None):
        # Deleting an article deletes its items: the admin asks this for each of them, so a
        # flat "no" here would forbid deleting any article with a Looking Ahead.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj.article))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"status", "resolved_on", "resolved_by", "resolution_note"} & set(form.changed_data):
            touch_articles([obj.article_id])

    @admin.display(description="Development", ordering="text")
    def text_start(self, item):
        return str(item)

    @admin.display(description="In the article")
    def article_link(self, item):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[item.article_id]),
            item.article,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.open_items_view)
        return [
            path("open-autocomplete/", view, name="articles_watchitem_open_autocomplete"),
            *super().get_urls(),
        ]

    def open_items_view(self, request):
        """Select2's JSON for the "This article resolves…" box: open items only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        items = WatchItem.objects.filter(status=WatchItem.Status.OPEN).select_related("article")
        if exclude := request.GET.get("exclude", ""):
            if exclude.isdigit():
                items = items.exclude(article_id=int(exclude))
        for word in request.GET.get("term", "").split():
            items = items.filter(Q(text__icontains=word) | Q(article__headline__icontains=word))
        page = BoundedPaginator(items.order_by("-article__published_at", "position"), 20).get_page(
            request.GET.get("page")
        )
        return JsonResponse(
            {
                "results": [{"id": str(item.pk), "text": item_label(item)} for item in page],
                "pagination": {"more": page.has_next()},
            }
        )


def touch_articles(article_ids) -> None:
    """An outcome now shows beside an item: its article's modified date (and so its
    dateModified, feed and sitemap lastmod) moves, as for a correction."""
    now = timezone.now()
    Article.objects.filter(pk__in=set(article_ids)).update(modified_at=now, updated_at=now)


def item_label(item: WatchItem) -> str:
    return f"{item.text[:120]} — from “{item.article.headline[:80]}”"


class OpenItemsWidget(AutocompleteSelectMultiple):
    """Django's admin autocomplete (select2, served by the admin itself), over open items."""

    def __init__(self, exclude_article=None):
        super().__init__(WatchItem._meta.get_field("resolved_by"), admin.site)
        self.exclude_article = exclude_article

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Each chosen item has its own remove button; select2's "clear all" would put a
        # <span> inside its <ul> of choices, which screen readers (and axe) reject.
        attrs["data-allow-clear"] = "false"
        return attrs

    def get_url(self):
        url = reverse("admin:articles_watchitem_open_autocomplete")
        return f"{url}?exclude={self.exclude_article}" if self.exclude_article else url


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        return item_label(item)


class ArticleResolvesForm(ArticleAdminForm):
    """The article form plus "This article resolves…": earlier watch items whose outcome
    this article reports."""

    resolves = ItemChoiceField(
        queryset=WatchItem.objects.none(),
        required=False,
        label="This article resolves",
        help_text="Developments to watch, from earlier articles, whose outcome this article "
        "reports. Type to search open items.",
    )
    resolves_status = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in WatchItem.Status.choices if c[0] != WatchItem.Status.OPEN],
        initial=WatchItem.Status.HAPPENED,
        required=False,
        help_text="For the items newly added above; change one item's outcome on its own page.",
    )
    resolves_note = forms.CharField(
        label="Resolution note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Plain text, shown beside each newly resolved item in the earlier article.",
    )

    # Set False by the admin for users who may not resolve: the fields are then left out,
    # and saving the article changes no earlier item.
    may_resolve = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.may_resolve:
            for name in ("resolves", "resolves_status", "resolves_note"):
                del self.fields[name]
            return
        article = self.instance
        field = self.fields["resolves"]
        choices = WatchItem.objects.filter(status=WatchItem.Status.OPEN)
        if article.pk:
            resolved = WatchItem.objects.filter(resolved_by=article)
            choices = (choices | resolved).exclude(article=article)
            self.initial.setdefault("resolves", list(resolved.values_list("pk", flat=True)))
        field.queryset = choices.select_related("article")
        field.widget = OpenItemsWidget(exclude_article=article.pk)
        field.widget.choices = field.choices

    def save_resolutions(self, article: Article) -> None:
        """Resolve newly chosen items by `article`; reopen those no longer chosen."""
        if "resolves" not in self.cleaned_data:
            return
        chosen = {item.pk: item for item in self.cleaned_data["resolves"]}
        changed = []
        for item in WatchItem.objects.filter(resolved_by=article).exclude(pk__in=chosen):
            item.reopen()
            item.save()
            changed.append(item.article_id)
        status = self.cleaned_data.get("resolves_status") or WatchItem.Status.HAPPENED
        note = self.cleaned_data.get("resolves_note", "").strip()
        for item in chosen.values():
            if item.resolved_by_id == article.pk:
                continue
            item.resolve(status, by=article, note=note)
            item.save()
            changed.append(item.article_id)
        touch_articles(changed)
