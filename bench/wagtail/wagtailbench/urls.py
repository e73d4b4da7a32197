from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls


def robots(request):
    # newsroom.bench.Server waits for /robots.txt before it measures; Newsroom has one too.
    return HttpResponse("User-agent: *\nAllow: /\n", content_type="text/plain")


urlpatterns = [
    path("robots.txt", robots),
    # Every other address is a page of the tree: Wagtail's own serve view routes it.
    path("", include(wagtail_urls)),
]
