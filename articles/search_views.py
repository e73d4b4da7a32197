"""The reader's search page: /search/?q=… with filters, pagination and result groups."""

import re

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.decorators import method_decorator
from django.views.generic import ListView

from newsroom.ratelimit import rate_limited

from .models import Article, Author, Category
from .search import SearchText, search_engine
from .views import ForgivingPaginationMixin

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ListedChoices(ModelChoiceIterator):
    """
    The choices read in one ordinary query.

    Django's iterator reads them through `QuerySet.iterator()`, which on PostgreSQL opens
    a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE): several round trips and a
    materialized cursor for a few dozen rows, on every search page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


class SearchFilterForm(forms.Form):
    """The filters beside the query. An invalid filter is reported and ignored, never fatal."""

    category = ListedModelChoiceField(
        Category.objects.all(), to_field_name="slug", required=False, empty_label="Any category"
    )
    topic = forms.SlugField(required=False, max_length=100)
    author = ListedModelChoiceField(
        Author.objects.all(), to_field_name="slug", required=False, empty_label="Any author"
    )
    published_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "The end date is before the start date.")
        return cleaned

    def apply(self, articles):
        """Narrow `articles` by every filter that is valid; invalid ones are left out."""
        if not self.is_bound:
            return articles
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value}
        if category := values.get("category"):
            articles = articles.filter(category=category)
        if topic := values.get("topic"):
            articles = articles.filter(topics__slug=topic)
        if author := values.get("author"):
            articles = articles.filter(byline__author=author)
        if start := values.get("published_from"):
            articles = articles.filter(published_at__date__gte=start)
        if end := values.get("published_to"):
            articles = articles.filter(published_at__date__lte=end)
        return articles

    @property
    def has_filters(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


def _clean_parameters(query_dict) -> dict[str, str]:
    """The request's parameters without control characters (PostgreSQL refuses NUL)."""
    return {key: _CONTROL_CHARACTERS.sub("", value) for key, value in query_dict.items()}


# Full-text queries are the most expensive public request: limited per client.
@method_decorator(rate_limited("search"), name="dispatch")
class SearchView(ForgivingPaginationMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        parameters = _clean_parameters(self.request.GET)
        self.engine = search_engine()
        self.search = SearchText.from_input(self.request.GET.get("q"))
        self.filter_form = SearchFilterForm(
            {key: value for key, value in parameters.items() if key != "q"}
        )
        articles = self.filter_form.apply(Article.objects.published().for_cards())
        if self.search:
            return self.engine.search(articles, self.search)
        if self.filter_form.has_filters:
            return articles
        return Article.objects.none()

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        # Already counted by the engine (PostgresSearch.search): no COUNT query.
        if (count := getattr(queryset, "known_count", None)) is not None:
            paginator.count = count  # a cached_property: the instance's value wins
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = context["page_obj"]
        for article in page_obj.object_list:
            article.snippet = self.engine.snippet(article, self.search) if self.search else None
        first_page = page_obj.number == 1
        total = page_obj.paginator.count
        context |= {
            "search": self.search,
            "filter_form": self.filter_form,
            "result_count": total,
            # Only a bounded set of matches is ranked (PostgresSearch.candidates): say so.
            "more_results": bool(
                self.search
                and self.engine.ranked_candidates
                and total >= self.engine.ranked_candidates
            ),
            "experts": self.engine.experts(self.search) if first_page else [],
            "topics": self.engine.topics(self.search) if first_page else [],
            "suggestion": self.engine.suggest(self.search) if self.search and not total else None,
            "engine": self.engine.name,
        }
        return context
