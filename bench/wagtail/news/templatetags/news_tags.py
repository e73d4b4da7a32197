from django import template

from news.models import Category

register = template.Library()


@register.simple_tag
def navigation_categories():
    """The header's and footer's sections: one query a page, as a Wagtail site does it."""
    return list(Category.objects.all())
