"""Addresses from memory: the same as reverse(), under any script prefix."""

from django.template import engines
from django.urls import reverse, set_script_prefix

from newsroom.addresses import address


def test_an_address_is_what_reverse_gives():
    assert address("articles:detail", slug="oil-talks") == reverse(
        "articles:detail", kwargs={"slug": "oil-talks"}
    )
    assert address("articles:feed", "rss") == reverse("articles:feed", args=["rss"])
    assert address("articles:home") == "/"


def test_an_address_follows_the_script_prefix():
    assert address("experts:list") == "/experts/"
    set_script_prefix("/desk/")
    try:
        assert address("experts:list") == "/desk/experts/"
    finally:
        set_script_prefix("/")
    assert address("experts:list") == "/experts/"


def test_the_template_tag_gives_the_same_and_can_name_its_result():
    template = engines["django"].from_string(
        "{% load addresses %}{% address 'articles:topic' 'energy' %} "
        "{% address 'articles:detail' slug=slug as link %}[{{ link }}]"
    )
    assert template.render({"slug": "oil-talks"}) == "/topics/energy/ [/articles/oil-talks/]"
