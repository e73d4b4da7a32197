"""The load-test tool itself: loopback only, and it posts a form back as a browser would."""

import pytest
from django.core.management import CommandError, call_command

from newsroom.loadtest import check_loopback, form_fields, with_value

FORM = """
<form id="other"><input name="ignored" value="x"></form>
<form id="article_form" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input name="headline" value="A &amp; B">
  <textarea name="brief">
Line one
Line two</textarea>
  <select name="status"><option value="draft">Draft</option>
    <option value="published" selected>Published</option></select>
  <input type="checkbox" name="flag" checked><input type="checkbox" name="off">
  <input type="submit" name="_save" value="Save">
</form>
"""


def test_form_fields_are_what_a_browser_would_send():
    fields = form_fields(FORM, "article_form")
    assert fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("headline", "A & B"),
        ("brief", "Line one\nLine two"),
        ("status", "published"),
        ("flag", "on"),
    ]
    assert ("brief", "new") in with_value(fields, "brief", "new")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:80"]
)
def test_loopback_addresses_are_allowed(url):
    check_loopback(url)


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:8000", "https://news.example.org", "http://192.168.1.2", "http://"]
)
def test_any_other_address_is_refused(url):
    with pytest.raises(ValueError, match="only run against this machine"):
        check_loopback(url)


@pytest.mark.django_db
def test_load_test_command_refuses_a_remote_server():
    with pytest.raises(CommandError, match="only run against this machine"):
        call_command("load_test", "--url", "http://203.0.113.5:8000", "--seconds", "1")
