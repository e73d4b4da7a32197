"""Helpers to post the real admin change form back, as a browser would, with edits."""

from django import forms
from django.urls import reverse


def _form_fields(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.SplitDateTimeWidget):
            parts = widget.decompress(value)
            for index, part in enumerate(parts):
                if part is not None:
                    data[f"{bound.html_name}_{index}"] = part.isoformat()
            continue
        if value is None:
            continue
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, list | tuple) and not hasattr(widget, "tag_string"):
            formatted = widget.format_value(value)
            data[bound.html_name] = formatted if isinstance(formatted, str) else list(value)
            continue
        formatted = widget.format_value(value)
        data[bound.html_name] = "" if formatted is None else formatted
    return data


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data_from(response) -> dict:
    """Everything a change form response would post back, untouched."""
    data = _form_fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _form_fields(formset.management_form)
        for form in formset.forms:
            data |= _form_fields(form)
    return data


def change_form_data(client, article, **changes) -> dict:
    """GET the article's change form and return its data with `changes` applied."""
    response = client.get(change_url(article))
    assert response.status_code == 200, response.status_code
    return form_data_from(response) | changes
