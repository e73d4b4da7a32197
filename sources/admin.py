"""
Sources and link health in the admin. Dead, moved and unreachable links are never
silent: the article list filters by them, the article form warns about them
(templates/admin/articles/article/change_form.html) and the Citations list
(Articles › Citations) shows every link's state.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from articles.models import Citation

from .models import PROBLEM_STATES, LinkState, Source


def link_report(citation: Citation) -> str:
    """What the checker found, in one line an editor can act on."""
    if citation.link_state == LinkState.UNCHECKED:
        return "Not checked yet" if citation.source_url else "—"
    when = f"{citation.link_checked_at:%d %b %Y}" if citation.link_checked_at else ""
    detail = citation.link_error or (
        f"HTTP {citation.link_status_code}" if citation.link_status_code else ""
    )
    text = f"{citation.get_link_state_display()}: {detail}, checked {when}".replace(": ,", ",")
    if citation.link_state == LinkState.MOVED and citation.link_final_url:
        return format_html("⚠ {} — now at {}", text, citation.link_final_url)
    if citation.link_state in PROBLEM_STATES:
        return format_html("⚠ {}", text)
    return text


class LinkProblemFilter(admin.SimpleListFilter):
    """On the article list: articles with a dead, moved or unreachable source link."""

    title = "source links"
    parameter_name = "links"

    def lookups(self, request, model_admin):
        return [("problem", "Dead, moved or unreachable")] + [
            (state.value, state.label) for state in PROBLEM_STATES
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "problem":
            states = PROBLEM_STATES
        elif value in PROBLEM_STATES:
            states = [value]
        else:
            return queryset
        return queryset.filter(
            pk__in=Citation.objects.filter(link_state__in=states).values("article")
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    ordering = ["name"]
    list_display = ["name", "url", "citation_count"]
    search_fields = ["name", "url"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    @admin.display(description="Claims", ordering="citation_total")
    def citation_count(self, source):
        return source.citation_total


@admin.register(Citation)
class CheckedLinkAdmin(admin.ModelAdmin):
    """Every citation with what the link checker found; edit them in their article."""

    list_display = ["claim_start", "article", "source_url", "link_state", "link_checked_at"]
    list_filter = ["link_state", "source"]
    list_select_related = ["article", "source"]
    search_fields = ["claim", "source_url", "source_name", "article__headline"]
    ordering = ["-link_checked_at", "pk"]
    actions = ["check_now"]
    fields = [
        "article",
        "claim",
        "source",
        "source_name",
        "source_url",
        "archived_url",
        "report",
        "link_final_url",
        "link_recheck_after",
    ]
    readonly_fields = ["article", "claim", "report", "link_final_url", "link_recheck_after"]
    autocomplete_fields = ["source"]

    def has_add_permission(self, request):
        return False  # citations are written in their article's Data & Evidence

    def has_change_permission(self, request, obj=None):
        # Changing a citation here changes its article: the same rule as the article form.
        from articles import workflow

        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        # Deleting an article deletes its citations: the admin asks this for each of them,
        # so a flat "no" here would forbid deleting any article with Data & Evidence.
        from articles import workflow

        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj.article))

    @admin.display(description="Claim")
    def claim_start(self, citation):
        return str(citation)

    @admin.display(description="Link check")
    def report(self, citation):
        return link_report(citation)

    def save_model(self, request, obj, form, change):
        if "source_url" in form.changed_data:
            obj.forget_check()
        super().save_model(request, obj, form, change)

    @admin.action(description="Check these links (in the background)", permissions=["view"])
    def check_now(self, request, queryset):
        from .tasks import enqueue_checks

        urls = enqueue_checks(queryset.exclude(source_url="").values_list("source_url", flat=True))
        self.message_user(
            request,
            f"{len(urls)} address(es) queued; the worker (manage.py db_worker) checks them.",
            messages.SUCCESS,
        )
