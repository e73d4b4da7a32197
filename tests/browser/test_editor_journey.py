"""
An editor's day in the admin, in Chromium: sign in, write a full analysis article (TinyMCE
sections, a perspective from an expert added in place, evidence, watch items), watch the
publish checklist follow the typing, preview it, publish it and find it on the site. The
add-article form is checked with axe-core on the way.
"""

import re

import pytest

from articles.models import Article
from tests.browser.audit import axe_violations, describe, save_screenshots
from tests.factories import make_author, make_category, make_user

# Skips (as conftest's fixtures do) where the playwright package is missing.
expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a-long-test-password"


@pytest.fixture
def editor(transactional_db):
    make_category(name="World")
    make_author(name="Helena Marsh")
    return make_user("editor", is_staff=True, is_superuser=True)


def sign_in(page, user):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def choose_in_autocomplete(page, select_id: str, typed: str, option: str):
    """Pick an option in one of the admin's select2 autocomplete widgets."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).click()


def type_in_tinymce(page, textarea_id: str, text: str, *, key_by_key=False):
    """Write into a TinyMCE editor, which edits a document inside an iframe."""
    page.frame_locator(f"#{textarea_id}_ifr").locator("body").click()
    if key_by_key:
        page.keyboard.type(text)
    else:  # one input event: the same path for TinyMCE, much faster than a key at a time
        page.keyboard.insert_text(text)


def test_editor_writes_publishes_and_finds_a_full_analysis_article(page, editor):
    """The whole journey in one test: each step needs the one before it."""
    sign_in(page, editor)
    page.get_by_role("rowheader", name="Articles").get_by_role("link").click()
    page.get_by_role("link", name=re.compile("Add article")).click()

    # The form is accessible as it opens (TinyMCE up, autocompletes named).
    page.wait_for_selector("#id_sections-2-body_ifr")
    page.wait_for_function(
        "[...document.querySelectorAll('.select2-selection[role=combobox]')]"
        ".every(box => box.dataset.named)"
    )
    serious = axe_violations(page, "the admin's add-article form")
    assert not serious, describe(serious)
    save_screenshots(page, "admin-article-form")

    page.get_by_label("Headline").fill("Cables, Coastguards and the Cost of Repair")
    page.locator("#id_brief").fill("Who pays when the seabed's wires break, and who waits.")
    assert page.locator("#id_slug").input_value() == "cables-coastguards-and-the-cost-of-repair"
    page.get_by_label("Category").select_option(label="World")
    page.locator("#id_topics").fill("Undersea Cables, Shipping")

    choose_in_autocomplete(page, "id_byline-0-author", "Hel", "Helena Marsh")

    # The analysis template's three sections are there, headed; the editor writes them.
    assert page.locator("#id_sections-0-heading").input_value() == "Opening Analysis"
    type_in_tinymce(
        page, "id_sections-0-body", "Repair ships are few and slow to arrive.", key_by_key=True
    )
    page.keyboard.press("Enter")
    page.keyboard.insert_text("Coastguards cannot order them about.")
    type_in_tinymce(page, "id_sections-1-body", "The seabed is shared; the cables are private.")
    type_in_tinymce(page, "id_sections-2-body", "Outages will keep surprising governments.")

    # A new expert, added in place through the "+" popup, without leaving the article.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_perspectives-0-expert").click()
    popup = popup_info.value
    popup.get_by_label("Name").fill("Dr. Amara Okafor")
    popup.get_by_label("Credential").fill("maritime security fellow")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    expert_select = page.locator("#id_perspectives-0-expert")
    assert expert_select.locator("option:checked").inner_text() == "Dr. Amara Okafor"
    page.locator("#id_perspectives-0-quote").fill("Nobody owns the whole problem.")

    page.locator("#id_citations-0-claim").fill("Fewer than 60 repair ships serve the world.")
    page.locator("#id_citations-0-source_name").fill("Harbour Institute")
    page.locator("#id_citations-0-source_url").fill("https://example.org/repair-ships")
    page.locator("#id_citations-0-source_date").fill("2025-10-01")

    page.get_by_label("Looking Ahead introduction").fill("Watch for these:")
    page.locator("#id_watch_items-0-text").fill("Whether insurers price deliberate damage.")
    page.get_by_role("textbox", name="Bottom line").fill(
        "Repair capacity is the real security gap."
    )
    page.get_by_role("textbox", name="Editor's comments").fill("A follow-up to our 2024 reporting.")

    # The checklist has followed the typing: nothing is missing before the first save.
    expect(page.locator("#publish-checklist .checklist-ok")).to_have_text(
        "✓ Complete: ready to publish or schedule."
    )

    # Preview: the unsaved article in the public template, in a new tab, marked as such.
    with page.context.expect_page() as preview_info:
        page.get_by_role("button", name="Preview", exact=True).click()
    preview = preview_info.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview")
    expect(preview.locator("h1")).to_have_text("Cables, Coastguards and the Cost of Repair")
    assert preview.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    for text in ["Coastguards cannot order them about.", "Nobody owns the whole problem."]:
        expect(preview.locator("main")).to_contain_text(text)
    save_screenshots(preview, "article-preview", widths=(390,))
    preview.close()
    assert not Article.objects.exists()  # previewing saved nothing

    # Publishing is a workflow step (issue 3): the button saves, then publishes.
    with page.expect_navigation():
        page.get_by_role("button", name="Save and publish now").click()
    assert not page.locator(".errornote, .errorlist li").all_inner_texts()
    success = " ".join(page.locator(".messagelist .success").all_inner_texts())
    assert "was added successfully" in success
    assert "is now published" in success

    article = Article.objects.get(slug="cables-coastguards-and-the-cost-of-repair")
    assert article.is_published
    assert article.sections.count() == 3
    assert article.perspectives.get().expert.credential == "maritime security fellow"

    # "View on site" leads the editor to the public page, where every part shows.
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Cables, Coastguards and the Cost of Repair"
    main = page.locator("main")
    for text in [
        "Helena Marsh",
        "Repair ships are few and slow to arrive.",
        "Coastguards cannot order them about.",
        "What This Really Means",
        "Nobody owns the whole problem.",
        "Dr. Amara Okafor",
        "maritime security fellow",
        "Fewer than 60 repair ships serve the world.",
        "Harbour Institute",
        "Whether insurers price deliberate damage.",
        "Repair capacity is the real security gap.",
        "A follow-up to our 2024 reporting.",
        "Undersea Cables",
    ]:
        assert text in main.inner_text(), text
    assert main.locator(".evidence a").get_attribute("href") == "https://example.org/repair-ships"
    assert page.locator("h1").count() == 1

    # And it leads the front page.
    page.goto("/")
    first_card = page.locator(".article-card").first
    assert "Cables, Coastguards and the Cost of Repair" in first_card.inner_text()
