"""
The article form while it is open: autosave (every 30 seconds or so, for new articles
too) and the live publish checklist. Mixed into the article admin by
articles.admin_workflow.WorkflowAdminMixin; the scripts are static/articles/autosave.js
and static/articles/checklist.js.
"""

from django.core.exceptions import PermissionDenied
from django.forms.formsets import all_valid
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict

from . import workflow
from .autosave import Autosave, parse_draft_key
from .models import Article


class LiveEditingAdminMixin:
    # Seconds between autosaves while the form is open (the browser tests shorten it).
    autosave_interval = 30

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("autosave/", wrap(self.new_autosave_view), name=f"{name}_autosave_new"),
            path("checklist/", wrap(self.checklist_view), name=f"{name}_checklist_new"),
            path(
                "<path:object_id>/checklist/", wrap(self.checklist_view), name=f"{name}_checklist"
            ),
            path("<path:object_id>/autosave/", wrap(self.autosave_view), name=f"{name}_autosave"),
        ] + super().get_urls()

    def _article_or_404(self, request, object_id) -> Article:
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def _posted_form(self, request, object_id):
        """The article form bound to what is on screen, for a preview or a check (no save)."""
        obj = self._article_or_404(request, object_id) if object_id else None
        change = obj is not None
        allowed = (
            self.has_change_permission(request, obj) if change else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=change)(request.POST, request.FILES, instance=obj)
        form.check_version = False
        return form, change

    def _show_unsaved(self, request, data, message: str) -> None:
        """
        Have the change form show `data` as if posted, as a bound form that never saves
        (ArticleAdminForm.clean refuses it with `message`): an autosave or a revision
        brought back, for the editor to review and save.
        """
        request.POST = data
        request._files = MultiValueDict()  # or reading FILES would reparse the body
        request.method = "POST"
        request.restoring = message

    def _load_autosave(self, request, object_id):
        article = self.get_object(request, object_id)
        autosave = article and Autosave.objects.filter(user=request.user, article=article).first()
        if autosave:
            self._show_unsaved(request, autosave.as_querydict(), _autosave_message(autosave))

    def _load_new_autosave(self, request, key):
        """The add page, refilled from an unsaved new article's autosave (same key kept)."""
        draft_key = parse_draft_key(key)
        autosave = (
            draft_key
            and Autosave.objects.filter(
                user=request.user, article=None, draft_key=draft_key
            ).first()
        )
        if autosave:
            self._show_unsaved(request, autosave.as_querydict(), _autosave_message(autosave))
            request.autosave_key = draft_key

    def checklist_view(self, request, object_id=None):
        """
        The publish checklist of the form as it is on screen, for the live panel
        (static/articles/checklist.js). The server's rules applied to the unsaved form and
        inlines, in memory: nothing is written (so no signal, cache or search-index work per
        keystroke). Publishing and scheduling check the saved article again.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form, change = self._posted_form(request, object_id)
        if not form.is_valid():
            return _checklist_response(_form_error_lines([form.errors]))
        article = self.save_form(request, form, change=change)  # commit=False: not saved
        formsets, _ = self._create_formsets(request, article, change=change)
        if not all_valid(formsets):
            return _checklist_response(
                _form_error_lines([fs.non_form_errors() or fs.errors for fs in formsets])
            )
        parts = {"sections": [], "perspectives": [], "citations": []}
        names = {"Section": "sections", "Perspective": "perspectives", "Citation": "citations"}
        for formset in formsets:
            name = names.get(formset.model.__name__)
            if name is None:
                continue
            kept = [
                form
                for form in formset.forms
                if form.cleaned_data
                and not formset._should_delete_form(form)
                and (form.instance.pk or form.has_changed())
            ]
            for form in kept:
                if fill_defaults := getattr(form.instance, "fill_defaults", None):
                    fill_defaults()  # as saving would, e.g. the expert's credential
            # Renumbered by the formset's clean(): the order readers would get.
            parts[name] = sorted((form.instance for form in kept), key=lambda p: p.position)
        return _checklist_response(article.publish_problems(parts))

    def autosave_view(self, request, object_id):
        """POST: keep the form privately. POST with `discard`: forget it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if "discard" in request.POST:
            Autosave.objects.filter(user=request.user, article=article).delete()
            if request.headers.get("accept", "").startswith("application/json"):
                return JsonResponse({"discarded": True})
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[article.pk]
                )
            )
        autosave = Autosave.store(request.user, article, request.POST)
        return JsonResponse(
            {"saved_at": workflow.newsroom_time(autosave.saved_at, with_date=False)}
        )

    def new_autosave_view(self, request):
        """POST: keep a new article's form privately under its draft key (`_autosave_key`)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        if "discard" in request.POST:
            # The offered autosave's key travels as the discard button's value.
            discarded = parse_draft_key(request.POST["discard"])
            Autosave.objects.filter(user=request.user, draft_key=discarded).delete()
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_add")
            )
        draft_key = parse_draft_key(request.POST.get("_autosave_key"))
        if draft_key is None:
            return HttpResponseBadRequest("No draft key.")
        autosave = Autosave.store_new(request.user, draft_key, request.POST)
        return JsonResponse(
            {"saved_at": workflow.newsroom_time(autosave.saved_at, with_date=False)}
        )


def _autosave_message(autosave: Autosave) -> str:
    return (
        f"Your autosaved text from {workflow.newsroom_time(autosave.saved_at)} is restored "
        "below. Nothing is saved yet: review it and press Save to keep it."
    )


def _checklist_response(problems: list[str]) -> JsonResponse:
    return JsonResponse({"problems": problems, "complete": not problems})


def _form_error_lines(errors) -> list[str]:
    """Form and formset errors, flattened to lines for the live checklist."""
    lines = []

    def add(field, message):
        label = field.replace("_", " ").capitalize() if field and field != "__all__" else ""
        line = f"{label}: {message}" if label else str(message)
        if line not in lines:
            lines.append(line)

    def walk(value, field=None):
        if hasattr(value, "get_json_data"):
            value = value.get_json_data()
        if isinstance(value, dict):
            if "message" in value:
                add(field, value["message"])
            else:
                for name, inner in value.items():
                    walk(inner, name)
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner, field)
        elif value:
            add(field, value)

    walk(list(errors))
    return lines
