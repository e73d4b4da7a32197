"""Admin forms for the article and its ordered parts."""

from django import forms
from django.db.models import F
from django.forms.models import BaseInlineFormSet

# Existing parts are moved this far out of the way while a formset renumbers
# them, so no intermediate state breaks the unique (article, position) constraint.
PARKING_OFFSET = 1_000_000


class OrderedPartForm(forms.ModelForm):
    """A row of an ordered inline. Its position is checked by the formset, which renumbers."""

    def _get_validation_exclusions(self):
        # Checking (article, position) row by row against the database would
        # refuse every reordering: the formset renumbers and saves collision-free.
        return super()._get_validation_exclusions() | {"position"}


class OrderedInlineFormSet(BaseInlineFormSet):
    """
    An article's ordered parts, numbered 1..n in the order the editor asked for.

    Editors type order numbers (or leave them empty for "at the end"); ties keep
    the order of the rows on screen. Numbers are normalised, so the editor never
    meets a "duplicate position" error for something the CMS can work out itself.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["position"].required = False
        form.fields["position"].label = "Order"
        form.fields["position"].widget.attrs.update({"min": 1, "style": "width: 4em"})
        # A blank row shows an empty order box ("at the end"), not the model's default of 1,
        # which would slot a newly added part in second. Rows given initial values by the
        # formset (the analysis template's headings) keep their numbers.
        extra_index = index - self.initial_form_count() if index is not None else -1
        if extra_index >= 0 and extra_index >= len(self.initial_extra or []):
            form.initial.pop("position", None)
            form.fields["position"].initial = None
        # Tabular inlines show a field's name only as a column header, which leaves the
        # inputs unlabelled for screen readers (WCAG 1.3.1, 4.1.2): name each input itself.
        for field in form.fields.values():
            # The admin wraps some widgets (related-object links); label the input inside.
            widget = getattr(field.widget, "widget", field.widget)
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", str(field.label))

    def clean(self):
        if not any(self.errors):
            self.renumber()
        super().clean()

    def renumber(self):
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]

        def requested_order(entry):
            index, form = entry
            position = form.cleaned_data.get("position")
            return (position if position is not None else float("inf"), index)

        for number, (_index, form) in enumerate(sorted(kept, key=requested_order), start=1):
            form.instance.position = number
            form.cleaned_data["position"] = number

    def save(self, commit=True):
        if not commit or self.instance.pk is None:
            return super().save(commit)
        siblings = self.model._default_manager.filter(**{self.fk.name: self.instance})
        siblings.update(position=F("position") + PARKING_OFFSET)
        saved = super().save(commit)
        # Rows the editor did not touch are not saved by the formset; put them in place too.
        untouched = [
            form.instance
            for form in self.initial_forms
            if not self._should_delete_form(form) and not form.has_changed()
        ]
        if untouched:
            self.model._default_manager.bulk_update(untouched, ["position"])
        return saved


class ArticleAdminForm(forms.ModelForm):
    """
    The article's own fields, plus the version the editor started from.

    `base_version` travels in a hidden field. clean() locks the row and compares it with
    the stored version, so a second editor who saves over someone else's newer save is
    refused (with what changed: see `conflict`) and keeps the text they typed.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set by the admin: previews skip the version check; a form refilled from an autosave
    # or a revision carries what to tell the editor, and never saves (see clean()).
    check_version = True
    restoring = None

    class Meta:
        widgets = {
            "brief": forms.Textarea(attrs={"rows": 3}),
            "looking_ahead_intro": forms.Textarea(attrs={"rows": 3}),
            "bottom_line": forms.Textarea(attrs={"rows": 5}),
            "editors_comment": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk is not None:
            self.initial.setdefault("base_version", self.instance.version)

    def clean(self):
        cleaned_data = super().clean()
        if self.restoring is not None:
            # Shown, never saved: the editor's own Save posts it again, without this.
            raise forms.ValidationError(self.restoring, code="restored")
        if self.instance.pk is not None and self.check_version:
            self.check_for_conflict(cleaned_data.get("base_version"))
        return cleaned_data

    def check_for_conflict(self, base_version):
        from .models import Article
        from .workflow import newsroom_time

        if base_version is None:
            raise forms.ValidationError(
                "This form did not say which version of the article it edits; reload the "
                "article and make your change again.",
                code="no_version",
            )
        # Locked until the transaction ends: a concurrent save waits here, then sees ours.
        current = Article.objects.select_for_update().filter(pk=self.instance.pk)
        current_version = current.values_list("version", flat=True).first()
        if current_version is None or current_version == base_version:
            return
        from .revisions import Revision, diff

        revisions = Revision.objects.filter(article_id=self.instance.pk)
        theirs = revisions.order_by("-number").first()
        yours = revisions.filter(article_version__lte=base_version).order_by("-number").first()
        changes = diff(yours.snapshot, theirs.snapshot) if yours and theirs else []
        self.conflict = {"revision": theirs, "changes": changes}
        # Saving again, after seeing their changes, is a deliberate choice to keep yours.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = current_version
        who = theirs.created_by if theirs and theirs.created_by else "Someone else"
        when = newsroom_time(theirs.created_at) if theirs else "just now"
        raise forms.ValidationError(
            "%(who)s saved this article at %(when)s, after you opened it. Your changes are "
            "NOT saved yet; they are still in the form below. Compare with what changed "
            "(listed above), then press Save again to keep your version.",
            code="edit_conflict",
            params={"who": who, "when": when},
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


# A real article is a few tens of kilobytes; anything far larger is not one.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportArticlesForm(forms.Form):
    files = MultipleFileField(
        label="Plain-text files",
        help_text="One article per file, in the shape of the example article (UTF-8). "
        "Each file is imported as a draft, or refused whole with the line at fault.",
    )
    dry_run = forms.BooleanField(
        label="Only show what would be created", required=False, initial=False
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        too_large = [f.name for f in files if f.size > MAX_IMPORT_BYTES]
        if too_large:
            raise forms.ValidationError(
                f"Larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB: {', '.join(too_large)}"
            )
        return files
