"""
What readers and editors see while the database is unreachable.

A database that is down or restarting makes Django raise OperationalError (or
InterfaceError on a connection that died mid-request). Instead of a 500 and a logged
traceback, the site answers 503 Service Unavailable with a page that says so and when to
retry. The page is rendered without the request's context processors, which would
themselves need the database (navigation, site settings, the signed-in user).

An editor's save that fails this way is not silently lost: the 503 page says plainly that
nothing was saved and shows every text field of the submitted form, so the text can be
copied back once the site recovers (the browser's Back button usually keeps it as well).
The page only ever reaches the person who posted it: the CSRF check, which needs no
database, has already passed, and every value is escaped.

Connections recover by themselves: CONN_HEALTH_CHECKS makes Django test a persistent
connection before reusing it (CONN_MAX_AGE), and a broken one is replaced.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# Form fields that carry no one's writing: tokens, buttons and formset bookkeeping.
NOT_TEXT = ("csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew")
NOT_TEXT_SUFFIXES = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS", "-id")


def submitted_text(request) -> list[tuple[str, str]]:
    """The non-empty text fields of a POST, in form order, without passwords or bookkeeping."""
    if request.method != "POST":
        return []
    fields = []
    for name, values in request.POST.lists():
        if name in NOT_TEXT or name.endswith(NOT_TEXT_SUFFIXES) or "password" in name.lower():
            continue
        fields += [(name, value) for value in values if value.strip()]
    return fields


def database_unavailable(request) -> HttpResponse:
    fields = submitted_text(request)
    html = render_to_string(
        "503.html",
        {"fields": fields, "was_post": request.method == "POST", "retry": RETRY_AFTER_SECONDS},
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage inside a view into the 503 page (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s %s: %s", request.method, request.path,
                           exception)  # fmt: skip
            return database_unavailable(request)
        return None


def server_error(request, template_name="500.html") -> HttpResponse:
    """handler500: the 503 page for an outage met outside a view (in a middleware)."""
    _, error, _ = sys.exc_info()
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request)
    try:
        return defaults.server_error(request, template_name)
    except Exception:  # the 500 template itself failed: still answer
        return HttpResponseServerError("<h1>Server error</h1>", content_type="text/html")
