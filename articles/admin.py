from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from tinymce.widgets import TinyMCE

from experts.admin import PerspectiveInline
from images.models import delete_files, storage_reason
from sources.admin import LinkProblemFilter, link_report
from sources.models import PROBLEM_STATES

from . import workflow
from .admin_watching import ArticleResolvesForm, watch_item_outcome
from .admin_workflow import ArticleEditInlineMixin, CorrectionInline, WorkflowAdminMixin
from .forms import ImportArticlesForm, OrderedInlineFormSet, OrderedPartForm
from .importing import import_texts
from .models import (
    ANALYSIS_TEMPLATE_HEADINGS,
    Article,
    Author,
    Byline,
    Category,
    Citation,
    Section,
    SlugRedirect,
    WatchItem,
)
from .pagination import AdminPaginator, count_up_to
from .search import SearchText, search_engine
from .watching import overdue_items


class BylineInline(ArticleEditInlineMixin, admin.TabularInline):
    model = Byline
    formset = OrderedInlineFormSet
    form = OrderedPartForm
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "byline"


class SectionInline(ArticleEditInlineMixin, admin.StackedInline):
    model = Section
    formset = OrderedInlineFormSet
    form = OrderedPartForm
    fields = ["position", "heading", "body", "image"]
    autocomplete_fields = ["image"]  # pick from the library, or "+" to upload one in place
    formfield_overrides = {models.TextField: {"widget": TinyMCE(attrs={"rows": 12})}}
    extra = 1

    def get_extra(self, request, obj=None, **kwargs):
        # A new article starts with the analysis template's headings.
        return len(ANALYSIS_TEMPLATE_HEADINGS) if obj is None else 1


class CitationForm(OrderedPartForm):
    def save(self, commit=True):
        # A new address has not been checked: forget what was found at the old one.
        if "source_url" in self.changed_data:
            self.instance.forget_check()
        return super().save(commit)


class CitationInline(ArticleEditInlineMixin, admin.StackedInline):
    model = Citation
    formset = OrderedInlineFormSet
    form = CitationForm
    fields = [
        "position",
        "claim",
        ("source", "source_name"),
        ("source_url", "source_date"),
        "archived_url",
        "link_report",
    ]
    readonly_fields = ["link_report"]
    autocomplete_fields = ["source"]
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 2})}
    }
    extra = 1
    verbose_name = "claim"
    verbose_name_plural = "Data & Evidence"

    @admin.display(description="Link check")
    def link_report(self, citation):
        return link_report(citation)


class WatchItemForm(OrderedPartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (as by a form from before statuses), an item keeps the status it has.
        self.fields["status"].required = False

    def clean_status(self):
        return self.cleaned_data.get("status") or self.instance.status or WatchItem.Status.OPEN


class WatchItemInline(ArticleEditInlineMixin, admin.TabularInline):
    model = WatchItem
    fk_name = "article"
    formset = OrderedInlineFormSet
    form = WatchItemForm
    fields = ["position", "text", "check_by", "status", "outcome"]
    readonly_fields = ["outcome"]
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 2})}
    }
    extra = 1
    verbose_name = "development to watch"
    verbose_name_plural = "Looking Ahead: developments to watch"

    @admin.display(description="Outcome")
    def outcome(self, item):
        return watch_item_outcome(item)


class ArticlePerspectiveInline(ArticleEditInlineMixin, PerspectiveInline):
    pass


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    form = ArticleResolvesForm
    change_list_template = "admin/articles/article/change_list.html"
    inlines = [
        BylineInline,
        SectionInline,
        ArticlePerspectiveInline,
        CitationInline,
        WatchItemInline,
        CorrectionInline,
    ]
    prepopulated_fields = {"slug": ["headline"]}
    list_display = ["headline", "state", "category", "byline_names", "modified_at"]
    list_filter = ["status", LinkProblemFilter, "category", "authors", "published_at"]
    list_select_related = ["category"]
    search_fields = ["headline", "brief", "slug"]
    autocomplete_fields = ["lead_image"]
    date_hierarchy = "published_at"
    # With 100,000 articles, counting them all on every request is most of the page's time.
    paginator = AdminPaginator
    show_full_result_count = False
    readonly_fields = ["editors_comment_signature", "share_preview", "status"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "brief", "category", "topics", "lead_image"]}),
        ("Publishing", {"fields": ["status", "published_at", "unpublish_at"]}),
        ("Looking Ahead", {"fields": ["looking_ahead_intro"]}),
        (
            "Closing the loop",
            {
                "description": "Earlier developments to watch whose outcome this article "
                "reports. Each earlier article then shows the outcome beside the item.",
                "fields": ["resolves", "resolves_status", "resolves_note"],
            },
        ),
        ("The Bottom Line", {"fields": ["bottom_line"]}),
        ("Editor's Comments", {"fields": ["editors_comment", "editors_comment_signature"]}),
        (
            "Sharing",
            {
                "classes": ["collapse"],
                "description": "How the article looks when shared. Empty fields use the "
                "headline, the brief and a generated card.",
                "fields": [
                    "social_title",
                    "social_description",
                    "social_image",
                    "social_image_alt",
                    "share_preview",
                ],
            },
        ),
    ]

    class Media:
        # Names the autocomplete boxes (byline, experts) for screen readers.
        js = ["js/admin-autocomplete-names.js", *WorkflowAdminMixin.Media.js]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("byline__author")

    def get_urls(self):
        # Before the default URLs, whose "<path:object_id>/" would swallow "import/".
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="articles_article_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload plain-text articles: the same code path as `manage.py import_articles`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportArticlesForm(request.POST or None, request.FILES or None)
        results = None
        if request.method == "POST" and form.is_valid():
            sources = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
            results = import_texts(
                sources, dry_run=form.cleaned_data["dry_run"], created_by=request.user
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import articles from text",
            "form": form,
            "results": results,
            "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"],
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # On both GET and POST, so untouched template rows count as unchanged and are skipped.
        if isinstance(inline, SectionInline) and obj._state.adding:
            kwargs["initial"] = [
                {"heading": heading, "position": number}
                for number, heading in enumerate(ANALYSIS_TEMPLATE_HEADINGS, start=1)
            ]
        return kwargs

    def get_search_results(self, request, queryset, search_term):
        """The readers' search engine, over drafts too, so editors find articles by content."""
        search = SearchText.from_input(search_term)
        if not search:
            return queryset, False
        matches = search_engine().filter(Article.objects.all(), search).values("pk")
        return queryset.filter(Q(pk__in=matches) | Q(slug__icontains=search.text)), False

    @admin.display(description="Byline")
    def byline_names(self, article):
        return ", ".join(entry.author.name for entry in article.byline.all())

    @admin.display(description="Shared as")
    def share_preview(self, article):
        """The image networks will show, as saved (save to see a changed headline's card)."""
        if article.pk is None:
            return "Save the article to see its share image."
        image = article.share_image()
        return format_html(
            '<img src="{}" width="400" height="{}" alt="{}" style="border:1px solid #ccc">',
            image.url,
            round(400 * image.height / image.width) if image.width else 210,
            image.alt,
        )

    @admin.display(description="Signed by")
    def editors_comment_signature(self, article):
        return article.editors_comment_by or "—"

    @admin.display(description="State", ordering="status")
    def state(self, article):
        """What editors scan the list for: what is scheduled, and when (in newsroom time)."""
        if article.status == Article.Status.SCHEDULED and not article.is_published:
            return f"Scheduled for {workflow.newsroom_time(article.published_at)}"
        if article.is_published:
            return f"Live since {workflow.newsroom_time(article.published_at)}"
        return article.get_status_display()

    def save_model(self, request, obj, form, change):
        # Editor's comments are signed by whoever last wrote them.
        if "editors_comment" in form.changed_data:
            obj.editors_comment_by = request.user if obj.editors_comment else None
        if not change:
            obj.created_by = request.user
        stored, image_problem = self._store_social_image(obj, form)
        try:
            super().save_model(request, obj, form, change)
        except BaseException:
            if stored:
                delete_files([stored])  # the article was not saved: neither is its image
            raise
        if image_problem:
            self.message_user(request, image_problem, messages.WARNING)

    def _store_social_image(self, obj, form) -> tuple[str | None, str]:
        """
        Store a newly uploaded share image before the article, so that a storage failure
        (a full disk) costs the image, not the editor's text: the article is then saved
        with its previous share image, and a warning says the new one was not stored.
        Returns (the stored name or None, the warning or "").
        """
        field = obj.social_image
        if "social_image" not in form.changed_data or not field or field._committed:
            return None, ""
        try:
            field.save(field.name, field.file, save=False)
        except OSError as error:
            previous = Article.objects.filter(pk=obj.pk).values(
                "social_image", "social_image_width", "social_image_height"
            )
            previous = previous.first() or {}
            obj.social_image_width = previous.get("social_image_width")
            obj.social_image_height = previous.get("social_image_height")
            obj.social_image = previous.get("social_image") or ""
            return None, (
                "The article was saved, but its new share image was not: "
                f"{storage_reason(error)}. Upload the image again later."
            )
        return field.name, ""

    def may_resolve(self, request) -> bool:
        """Resolving shows an outcome on other, published articles: editors only."""
        return request.user.has_perm("articles.edit_any_article")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.may_resolve(request):
            return fieldsets
        return [(name, options) for name, options in fieldsets if name != "Closing the loop"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self.may_resolve(request):
            form = type(form.__name__, (form,), {"may_resolve": False})
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_resolutions(form.instance)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            # Never silent: the editor sees every dead, moved or unreachable source link.
            context["link_problems"] = obj.citations.filter(link_state__in=PROBLEM_STATES)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        flagged = Citation.objects.filter(link_state__in=PROBLEM_STATES)
        extra_context = {
            # Bounded counts: this page must not read whole tables (issue 9).
            "overdue_watch_items": count_up_to(overdue_items()),
            "broken_link_articles": count_up_to(flagged.order_by().values("article").distinct()),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    # Explicit: the annotated (GROUP BY) queryset drops Meta.ordering, and the autocomplete
    # pages through it.
    ordering = ["name"]
    list_display = ["name", "user", "article_count"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["user", "portrait"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=models.Count("bylines"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, author):
        return author.article_total


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    autocomplete_fields = ["article"]
