"""{% address 'name' arg… %}: {% url %} from memory (newsroom/addresses.py)."""

from django import template

from newsroom import addresses

register = template.Library()


@register.simple_tag
def address(name, *args, **kwargs):
    return addresses.address(name, *args, **kwargs)
