"""
The article admin's editorial workflow: permissions, state buttons and actions, the
version check, revisions, previews, preview links and corrections (autosave and the live
checklist, which work while the form is open, are in articles.admin_editing).

The rules themselves live in articles.workflow; this module only asks them and wires
the answers into Django's admin (ArticleAdmin mixes WorkflowAdminMixin in).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import (
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from . import workflow
from .admin_editing import LiveEditingAdminMixin
from .admin_revisions import revision_form_data
from .autosave import Autosave, parse_draft_key
from .corrections import Correction
from .models import Article
from .preview import DEFAULT_LIFETIME, PreviewLink, render_preview
from .revisions import Revision, diff


class EditConflict(Exception):
    """The row's version moved between the form's check and the save: show the form again."""


class _RolledBack(Exception):
    """Carries a result out of the transaction that is then rolled back."""

    def __init__(self, result):
        self.result = result


class ArticleEditInlineMixin:
    """An article's parts may be changed only by someone who may edit the article."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)


class CorrectionInline(admin.StackedInline):
    """Editors append corrections; each is dated and signed when added."""

    model = Correction
    fields = ["kind", "part", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates"


class WorkflowAdminMixin(LiveEditingAdminMixin):
    change_form_template = "admin/articles/article/change_form.html"
    actions = ["submit_for_review", "publish", "unpublish", "send_back"]

    class Media:
        js = ["articles/autosave.js", "articles/checklist.js"]

    # Permissions -------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_unpublish_permission(self, request):
        return request.user.has_perm("articles.unpublish_article")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_write_editors_comment(request.user):
            fields.append("editors_comment")
        may_date = request.user.has_perm("articles.schedule_article") or request.user.has_perm(
            "articles.publish_article"
        )
        # The publish date is the first publication: fixed once it has come.
        fixed = obj is not None and obj.published_at and obj.published_at <= timezone.now()
        if not may_date or fixed:
            fields.append("published_at")
        if not may_date:
            fields.append("unpublish_at")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restoring = getattr(request, "restoring", None)
        if restoring is not None:
            form = type(form.__name__, (form,), {"restoring": restoring})
        return form

    # Saving: the version check, revisions, transitions -------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and "restore_autosave" in request.GET:
            if object_id:
                self._load_autosave(request, object_id)
            else:
                self._load_new_autosave(request, request.GET["restore_autosave"])
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Rolled back; shown again, the form's own check now reports the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            if not Revision.objects.filter(article=obj).exists():
                # Articles from before revisions (or from imports): keep their first state.
                stored = Article.objects.get(pk=obj.pk)
                Revision.capture(stored, note="As it was before its first tracked edit")
            expected = form.cleaned_data["base_version"]
            # The version check on the row itself: only one save can claim version n + 1.
            claimed = Article.objects.filter(pk=obj.pk, version=expected).update(
                version=expected + 1
            )
            if not claimed:
                raise EditConflict
            obj.version = expected + 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction_form in formset.forms:
                if correction_form.instance.pk is None:
                    correction_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change or form.has_changed() or any(fs.has_changed() for fs in formsets):
            Article.objects.filter(pk=article.pk).update(modified_at=timezone.now())
        restored_from = self._restored_from(request, article) if change else None
        if restored_from is not None:
            note = f"Restored from revision {restored_from.number}"
        else:
            note = "Edited" if change else "Created"
        Revision.capture(article, request.user, note=note, restored_from=restored_from)
        Autosave.objects.filter(user=request.user, article=article).delete()
        if not change and (key := parse_draft_key(request.POST.get("_autosave_key"))):
            Autosave.objects.filter(user=request.user, draft_key=key).delete()
        name = request.POST.get("_transition")
        if name:
            self._transition(request, article, name, request.POST.get("_transition_note", ""))

    def _restored_from(self, request, article) -> Revision | None:
        """The revision the posted form was restored from (`_restored_from`), if any."""
        number = request.POST.get("_restored_from", "")
        if not number.isdigit():
            return None
        return Revision.objects.filter(article=article, number=int(number)).first()

    def _transition(self, request, article, name, note=""):
        try:
            workflow.perform(article, name, request.user, note)
        except workflow.TransitionRefused as refused:
            label = workflow.TRANSITIONS[name].label if name in workflow.TRANSITIONS else name
            self.message_user(
                request,
                f"“{article}”: not done ({label}). " + " ".join(refused.reasons),
                messages.ERROR,
            )
            return False
        self.message_user(
            request, f"“{article}” is now {article.get_status_display().lower()}.", messages.SUCCESS
        )
        return True

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_change(request, obj)

    # Actions: the same transitions for many articles -----------------------------------

    def _bulk(self, request, queryset, name):
        done = sum(self._transition(request, article, name) for article in queryset)
        if done:
            self.message_user(request, f"{done} article(s): {workflow.TRANSITIONS[name].label}.")

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Publish now", permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Unpublish", permissions=["unpublish"])
    def unpublish(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    @admin.action(description="Send back to draft", permissions=["publish"])
    def send_back(self, request, queryset):
        self._bulk(request, queryset, "send_back")

    # The change form's context ----------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        restored = [e for e in form.non_field_errors().as_data() if e.code == "restored"]
        if restored and len(context.get("errors") or []) == 1:
            # Refilled from an autosave or a revision, and nothing else to fix: a notice,
            # not "Please correct the error below".
            context["errors"] = []
            context["restored_notice"] = restored[0].message
        # A new article is a draft: offer what its author may do with a draft.
        context["transitions"] = workflow.allowed_transitions(
            request.user, obj if obj is not None and obj.pk else Article()
        )
        context["autosave_interval"] = self.autosave_interval
        context["time_zone"] = timezone.get_default_timezone_name()
        if add:
            # The new article's draft key: kept when its autosave is being restored.
            context["autosave_key"] = getattr(request, "autosave_key", None) or uuid.uuid4()
            context["new_autosaves"] = [
                (autosave, workflow.newsroom_time(autosave.saved_at))
                for autosave in Autosave.pending_new(request.user)
                if autosave.draft_key != context["autosave_key"]
            ]
        if obj is not None and obj.pk:
            context["workflow"] = {
                "state": obj.get_status_display(),
                "published_at": workflow.newsroom_time(obj.published_at),
                "unpublish_at": workflow.newsroom_time(obj.unpublish_at),
                "is_live": obj.is_published,
                "problems": obj.publish_problems(),
                "recent": obj.transitions.select_related("by")[:5],
            }
            pending = Autosave.pending(request.user, obj)
            context["autosave_pending"] = (
                workflow.newsroom_time(pending.saved_at) if pending else None
            )
            if request.method == "POST":  # kept through the save, for the new revision's note
                context["restored_from"] = self._restored_from(request, obj)
            context["preview_links"] = obj.preview_links.active()
            context["may_share"] = request.user.has_perm("articles.add_previewlink")
            context["public_site_url"] = settings.SITE_URL
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Extra admin pages --------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("preview/", wrap(self.preview_view), name=f"{name}_preview_new"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{name}_preview"),
            path(
                "<path:object_id>/revisions/", wrap(self.revisions_view), name=f"{name}_revisions"
            ),
            path(
                "<path:object_id>/revisions/<int:number>/",
                wrap(self.revision_view),
                name=f"{name}_revision",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name=f"{name}_restore",
            ),
            path(
                "<path:object_id>/preview-links/",
                wrap(self.preview_link_view),
                name=f"{name}_preview_links",
            ),
        ] + super().get_urls()

    def _in_rollback(self, request, object_id, produce):
        """
        Save the form as it is on screen in a transaction that is rolled back; return
        (`produce(article)`, None), or (None, errors) when the form or an inline is invalid.
        """
        form, change = self._posted_form(request, object_id)
        try:
            with transaction.atomic():
                if form.is_valid():
                    article = self.save_form(request, form, change=change)
                    # As the admin does: the formsets see a new article as new, so the
                    # analysis template's untouched section rows count as unchanged.
                    formsets, _ = self._create_formsets(request, article, change=change)
                    if all_valid(formsets):
                        article.save()
                        form.save_m2m()
                        for formset in formsets:
                            formset.save()
                        raise _RolledBack(produce(article))
                    errors = [fs.non_form_errors() or fs.errors for fs in formsets]
                else:
                    errors = [form.errors]
        except _RolledBack as rolled_back:
            return rolled_back.result, None
        return None, errors

    def preview_view(self, request, object_id=None):
        """The form as it is on screen, saved in a transaction that is rolled back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])

        def render(article):
            page = Article.objects.for_page().get(pk=article.pk)
            return render_preview(request, page).render()

        response, errors = self._in_rollback(request, object_id, render)
        if response is not None:
            return response
        return TemplateResponse(
            request,
            "admin/articles/article/preview_errors.html",
            {**self.admin_site.each_context(request), "errors": errors, "opts": self.opts},
            status=400,
        )

    def revisions_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        # "Compare revision A with revision B": any two, shown as B's changes since A.
        first, second = request.GET.get("from", ""), request.GET.get("to", "")
        if first.isdigit() and second.isdigit():
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_revision",
                args=[article.pk, int(second)],
            )
            return HttpResponseRedirect(f"{url}?against={int(first)}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "revisions": article.revisions.select_related("created_by"),
            "transitions": article.transitions.select_related("by"),
            "title": f"History of “{article}”",
            "may_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revision_view(self, request, object_id, number):
        article = self._article_or_404(request, object_id)
        revision = get_object_or_404(Revision, article=article, number=number)
        against_number = request.GET.get("against")
        if against_number and against_number.isdigit():
            base = get_object_or_404(Revision, article=article, number=int(against_number))
        else:
            base = revision.previous()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "revision": revision,
            "base": base,
            "changes": diff(base.snapshot, revision.snapshot) if base else [],
            "title": f"Revision {revision.number} of “{article}”",
            "may_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def restore_view(self, request, object_id, number):
        """
        The change form filled with the revision's content, unsaved: the article changes
        only when the editor saves it (a new revision, through the normal save path).
        """
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        data, warnings = revision_form_data(self, request, article, revision)
        data["_restored_from"] = str(revision.number)
        latest = article.revisions.first()
        self._show_unsaved(
            request,
            data,
            f"Revision {revision.number} restored into the form: nothing is saved until you "
            f"save; the current version stays as revision {latest.number}.",
        )
        for warning in warnings:
            self.message_user(request, warning, messages.WARNING)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[article.pk]
        )
        return self.changeform_view(request, object_id, form_url=change_url)

    def preview_link_view(self, request, object_id):
        """POST: create a link (days=N) or revoke one (revoke=<id>)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
        if not request.user.has_perm("articles.add_previewlink"):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[article.pk]
        )
        if revoke := request.POST.get("revoke"):
            link = get_object_or_404(PreviewLink, article=article, pk=revoke)
            link.revoke()
            self.message_user(request, "The preview link was revoked: it no longer opens.")
            return HttpResponseRedirect(change_url)
        days = request.POST.get("days", "")
        lifetime = timedelta(days=int(days)) if days.isdigit() and 0 < int(days) <= 30 else None
        link = PreviewLink.objects.create(
            article=article,
            created_by=request.user,
            expires_at=timezone.now() + (lifetime or DEFAULT_LIFETIME),
        )
        self.message_user(
            request,
            f"Preview link, valid until {workflow.newsroom_time(link.expires_at)}: "
            f"{settings.SITE_URL}{link.get_absolute_url()}",
        )
        return HttpResponseRedirect(change_url)
