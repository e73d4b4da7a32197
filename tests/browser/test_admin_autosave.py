"""
The article form's two live helpers, in Chromium: autosave (static/articles/autosave.js)
keeps a never-saved article through a reload, and the publish checklist
(static/articles/checklist.js) follows the editor's typing before anything is saved.
"""

import re

import pytest

from articles.admin import ArticleAdmin
from articles.autosave import Autosave
from articles.models import Article
from tests.browser.content import make_analysis_article
from tests.browser.test_editor_journey import sign_in, type_in_tinymce
from tests.factories import make_staff

# Skips (as conftest's fixtures do) where the playwright package is missing.
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor(monkeypatch):
    # Every second instead of every 30: the test waits for the status, not for a clock.
    monkeypatch.setattr(ArticleAdmin, "autosave_interval", 1)
    return make_staff("Editor", username="desk-editor")


def test_a_new_article_survives_a_reload_through_autosave(page, editor):
    sign_in(page, editor)
    page.goto("/admin/articles/article/add/")
    page.wait_for_selector("#id_sections-0-body_ifr")
    # An untouched page is not autosaved, however long it stays open (two rounds here).
    page.wait_for_function(
        "() => Number(document.getElementById('article-autosave').dataset.ticks) >= 2",
        timeout=10_000,
    )
    assert not Autosave.objects.exists()
    page.get_by_label("Headline").fill("Harbours After the Storm")
    page.locator("#id_brief").fill("Typed, never saved: the tab is about to die.")
    type_in_tinymce(page, "id_sections-0-body", "Cranes stood idle for a week.")

    status = page.locator("#article-autosave")
    expect(status).to_have_text(re.compile(r"autosaved at \d\d:\d\d"))
    assert not Article.objects.exists()

    # The tab is reloaded (as after a crash): the add page offers the text back.
    page.reload()
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text("You have an unsaved new article, “Harbours After the Storm”")
    with page.expect_navigation():
        offer.get_by_role("link", name="Restore it").click()
    expect(page.locator("#id_brief")).to_have_value("Typed, never saved: the tab is about to die.")
    expect(page.get_by_label("Headline")).to_have_value("Harbours After the Storm")
    body = page.frame_locator("#id_sections-0-body_ifr").locator("body")
    expect(body).to_contain_text("Cranes stood idle for a week.")
    expect(page.locator(".errornote, .errorlist, .restored-notice")).to_contain_text(
        ["Nothing is saved yet"]
    )
    assert not Article.objects.exists()
    assert Autosave.objects.get().article is None


def test_unsaved_edits_to_an_article_survive_a_reload_through_autosave(page, editor):
    article = make_analysis_article(status="in_review")
    sign_in(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_brief").fill("An edit the editor never saved.")
    expect(page.locator("#article-autosave")).to_have_text(re.compile(r"autosaved at \d\d:\d\d"))

    page.reload()
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text("You have unsaved changes to this article from")
    with page.expect_navigation():
        offer.get_by_role("link", name="Restore them").click()
    expect(page.locator("#id_brief")).to_have_value("An edit the editor never saved.")
    article.refresh_from_db()
    assert article.brief != "An edit the editor never saved."


def test_publish_checklist_follows_the_typing_before_any_save(page, editor):
    article = make_analysis_article(status="in_review")
    sign_in(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    checklist = page.locator("#publish-checklist")
    expect(checklist.locator(".checklist-ok")).to_be_visible()  # as last saved

    bottom_line = page.get_by_role("textbox", name="Bottom line")
    bottom_line.fill("")
    page.locator("#id_brief").fill("x" * 320)
    expect(checklist.locator(".checklist-problem")).to_have_text(
        ["✗ Shorten the brief to 200 characters at most (it has 320).", "✗ Write the bottom line."]
    )
    expect(checklist).to_contain_text("as you type, not saved yet")

    bottom_line.fill("Written again.")
    page.locator("#id_brief").fill("Short again.")
    expect(checklist.locator(".checklist-ok")).to_have_text(
        "✓ Complete: ready to publish or schedule."
    )
    # Nothing was saved by checking.
    article.refresh_from_db()
    assert article.bottom_line != "Written again." and article.brief != "Short again."
