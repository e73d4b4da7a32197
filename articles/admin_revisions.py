"""
Restoring a revision, the way Wagtail's "revert" does: the revision's content is put into
the article's change form, unsaved, and nothing changes until the editor saves it through
the normal save path (version check, permissions, the checklist when publishing).

`revision_form_data` turns a revision's snapshot into what the browser would post from the
change form: the article's own fields, and each inline with its management form, the
revision's parts that still exist kept by id, the current parts it does not have marked
DELETE, and the parts deleted since added as new rows. The change form then shows that data
as the autosave restore does (articles.admin_editing): a bound form that never saves.

Fields a snapshot does not keep (the state, the publish times, the sharing fields, what the
article resolves, corrections) keep their current values. How a development to watch
turned out and what the link checker found at an address are facts about the world, not
content of a revision: they stay with the rows, which are paired with the revision's parts
by id, then watch items by text and citations by address.
"""

from django import forms
from django.http import QueryDict
from taggit.models import Tag
from taggit.utils import edit_string_for_tags

from experts.models import Expert, Perspective
from images.models import Image
from sources.models import Source

from .models import Article, Author, Byline, Category, Citation, Section, WatchItem
from .revisions import SNAPSHOT_FIELDS, Revision

# Each inline's parts in a snapshot: the snapshot's key, and its form fields with the
# snapshot key each is filled from.
PARTS = {
    Byline: ("byline", {"author": "author_id"}),
    Section: ("sections", {"heading": "heading", "body": "body", "image": "image_id"}),
    Perspective: (
        "perspectives",
        {
            "expert": "expert_id",
            "credential": "credential",
            "quote": "quote",
            "disclosure": "disclosure",
        },
    ),
    Citation: (
        "citations",
        {
            "claim": "claim",
            "source_name": "source_name",
            "source_url": "source_url",
            "source_date": "source_date",
            "source": "source_id",
            "archived_url": "archived_url",
        },
    ),
    WatchItem: ("watch_items", {"text": "text"}),
}
# Parts a snapshot kept without their id (older snapshots) or whose row is gone are paired
# with a current row by this: the same author, the same watched text, the same address.
SAME_PART = {Byline: "author_id", Citation: "source_url", WatchItem: "text"}


def revision_form_data(model_admin, request, article: Article, revision: Revision):
    """
    The change form's POST data holding `revision`'s content, and warnings about parts that
    cannot come back (an author or expert deleted since).
    """
    data, warnings = revision.snapshot, []
    fields = [name for name in SNAPSHOT_FIELDS if name != "unpublish_at"]  # a time: state
    for name in fields:
        setattr(article, name, data.get(name) or "")  # in memory only: never saved here
    category = (data.get("category") or {}).get("id")
    article.category_id = category if Category.objects.filter(pk=category).exists() else None
    images = Image.objects.in_bulk(
        [data.get("lead_image_id")] + [part.get("image_id") for part in data.get("sections", [])]
    )
    article.lead_image_id = (
        data.get("lead_image_id") if data.get("lead_image_id") in images else None
    )
    topics = edit_string_for_tags([Tag(name=name) for name in data.get("topics", [])])
    form = model_admin.get_form(request, article, change=True)(
        instance=article, initial={"topics": topics}
    )
    posted = QueryDict(mutable=True)
    for name, value in _posted(form).items():
        posted.setlist(form.add_prefix(name), value)

    exists = {
        "author_id": Author.objects.in_bulk([p["author_id"] for p in data.get("byline", [])]),
        "expert_id": Expert.objects.in_bulk([p["expert_id"] for p in data.get("perspectives", [])]),
        "image_id": images,
        "source_id": Source.objects.in_bulk(
            [p.get("source_id") for p in data.get("citations", [])]
        ),
    }
    formsets, _ = model_admin._create_formsets(request, article, change=True)
    for formset in formsets:
        if formset.model in PARTS:
            rows = _inline_rows(formset, data, exists, warnings)
        else:  # corrections: not content of a revision, posted as they are
            rows = [(form, _posted(form)) for form in formset.forms]
        initial = sum(1 for form, _ in rows if form is not None)
        management = {"TOTAL_FORMS": len(rows), "INITIAL_FORMS": initial}
        for name, value in _posted(formset.management_form).items():
            posted.setlist(f"{formset.prefix}-{name}", [management.get(name, value[0])])
        for index, (_form, values) in enumerate(rows):
            for name, value in values.items():
                posted.setlist(f"{formset.prefix}-{index}-{name}", value)
    return posted, warnings


def _inline_rows(formset, data, exists, warnings):
    """
    (current form or None, posted values) for each row of the inline: the current rows
    the revision keeps, in its order, then the current rows it does not have (DELETE),
    then its parts that are no longer rows (new rows).
    """
    key, field_for = PARTS[formset.model]
    current = {form.instance.pk: form for form in formset.initial_forms}
    parts = [{"text": part} if isinstance(part, str) else part for part in data.get(key, [])]
    parts = [part for part in parts if _still_possible(formset.model, part, exists, warnings)]
    paired = {}
    for number, part in enumerate(parts):
        if part.get("id") in current and part["id"] not in paired.values():
            paired[number] = part["id"]
    if same := SAME_PART.get(formset.model):
        for number, part in enumerate(parts):
            if number in paired:
                continue
            for pk, form in current.items():
                if pk not in paired.values() and getattr(form.instance, same) == part.get(same):
                    paired[number] = pk
                    break
    kept, new = [], []
    for number, part in enumerate(parts, start=1):
        form = current.get(paired.get(number - 1))
        values = _posted(form if form is not None else formset.empty_form)
        for name, snapshot_key in field_for.items():
            if name in formset.empty_form.fields:
                value = part.get(snapshot_key)
                if snapshot_key in exists and value not in exists[snapshot_key]:
                    value = None  # an image or source deleted since: left empty
                values[name] = ["" if value is None else str(value)]
        values["position"] = [str(number)]
        (kept if form is not None else new).append((form, values))
    removed = []
    for pk, form in current.items():
        if pk in paired.values():
            continue
        values = _posted(form)
        values["DELETE"] = ["on"]
        removed.append((form, values))
    if removed and not formset.can_delete:
        warnings.append(
            f"You may not remove {formset.model._meta.verbose_name_plural}: "
            "the current ones stay in the form."
        )
    return kept + removed + [(None, values) for _, values in new]


def _still_possible(model, part, exists, warnings) -> bool:
    if model is Byline and part["author_id"] not in exists["author_id"]:
        warnings.append(f"Author {part['name']} no longer exists; left out of the byline.")
        return False
    if model is Perspective and part["expert_id"] not in exists["expert_id"]:
        warnings.append(f"Expert {part['expert']} no longer exists; perspective left out.")
        return False
    return True


def _posted(form) -> dict[str, list[str]]:
    """What a browser posts for `form` as rendered, untouched: {field name: values}."""
    values = {}
    for bound in form:
        value = bound.value()
        # The admin wraps related-object widgets (the "+" links); what is posted is inside.
        widget = getattr(bound.field.widget, "widget", bound.field.widget)
        if isinstance(widget, forms.SplitDateTimeWidget):
            for index, part in enumerate(widget.decompress(value)):
                values[f"{bound.name}_{index}"] = [widget.widgets[index].format_value(part) or ""]
        elif isinstance(widget, forms.FileInput):
            continue  # never posted back: an empty file input keeps the stored file
        elif isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                values[bound.name] = ["on"]
        elif getattr(widget, "allow_multiple_selected", False):
            values[bound.name] = [str(item) for item in value or []]
        else:
            formatted = widget.format_value(value)
            if isinstance(formatted, list | tuple):  # a select: its one chosen value
                formatted = formatted[0] if formatted else ""
            values[bound.name] = ["" if formatted is None else str(formatted)]
    return values
