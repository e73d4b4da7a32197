"""The admin works fully under the enforced Content Security Policy, in real Chromium."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from tests.browser.csp import recorded_violations, sign_in, watch_for_violations
from tests.factories import make_author, make_category, make_expert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_page(new_context, live_server):
    user = get_user_model().objects.create_superuser("chief", password="a-long-test-password")
    context = new_context()
    problems = watch_for_violations(context)
    sign_in(context, user, live_server.url)
    page = context.new_page()
    return page, problems


def test_article_form_with_tinymce_autocomplete_and_popup_reports_no_violation(editor_page):
    page, problems = editor_page
    make_author(name="Sarah Johnson")
    make_expert(name="Dr Ana Costa")
    make_category(name="World")

    page.goto("/admin/articles/article/add/")
    # TinyMCE 7 has drawn its editors (toolbar and editing frame) from our static files.
    page.locator(".tox-tinymce").first.wait_for(state="visible")
    editor = page.frame_locator(".tox-edit-area iframe").first.locator("body")
    editor.click()
    editor.type("Typed under the policy.")
    page.locator(".tox-tbtn[aria-label='Bold']").first.click()

    page.fill("#id_headline", "Under the policy")
    page.fill("#id_brief", "The admin keeps working.")
    # Slug prepopulation (admin's own script) still runs.
    assert page.input_value("#id_slug") == "under-the-policy"

    # Author autocomplete (select2, fetched from the admin's autocomplete view).
    page.locator("#byline-0 .select2-selection, .field-author .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill("Sarah")
    page.locator(".select2-results__option", has_text="Sarah Johnson").click()

    # The "+" popup for a new expert opens, and the new expert comes back into the form.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_perspectives-0-expert").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#id_name", "Prof Lee Min")
    popup.fill("#id_credential", "economist")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    selected = page.locator("#id_perspectives-0-expert option:checked")
    assert selected.inner_text() == "Prof Lee Min"
    page.fill("#id_perspectives-0-quote", "A quote.")

    # A new article is a draft (the workflow's state field is read-only in the form).
    # The live checklist posts the form as typed; let a check in flight finish first (the
    # live server's in-memory SQLite has one connection for all its threads).
    page.wait_for_function("() => !document.querySelector('#publish-checklist[data-busy]')")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/articles/article/")
    assert Article.objects.get().sections.first().body.startswith("<p>")
    assert "Typed under the policy." in Article.objects.get().sections.first().body

    violations = recorded_violations(page) + problems
    assert violations == []


def test_admin_changelist_and_dashboard_report_no_violation(editor_page):
    page, problems = editor_page
    for path in ["/admin/", "/admin/articles/article/", "/admin/experts/expert/add/"]:
        page.goto(path)
        page.wait_for_load_state("load")
        problems += recorded_violations(page)
    assert problems == []
