"""Issue 10 in Chromium: an editor resolves an earlier watch item from the later article's
form with the admin's own autocomplete (no CDN), and readers see the outcome."""

from articles.models import WatchItem
from tests.browser.audit import axe_violations, describe
from tests.browser.test_editor_journey import PASSWORD, sign_in  # noqa: F401
from tests.factories import make_article, make_user


def test_editor_resolves_an_item_from_the_later_article(page, transactional_db):
    editor = make_user("editor", is_staff=True, is_superuser=True)
    earlier = make_article(headline="The Price of Staying Dry")
    item = WatchItem.objects.create(
        article=earlier, position=1, text="Whether the Harbour Cities bond is priced."
    )
    WatchItem.objects.create(article=earlier, position=2, text="Something else entirely.")
    later = make_article(headline="After the Floods")
    sign_in(page, editor)
    page.goto(f"/admin/articles/article/{later.pk}/change/")

    box = page.locator("#id_resolves + .select2 .select2-search__field")
    box.click()
    box.fill("harbour")
    page.locator(".select2-results__option", has_text="Harbour Cities bond").click()
    page.locator("#id_resolves_status").select_option("happened")
    page.locator("#id_resolves_note").fill("It priced on 25 November.")
    serious = axe_violations(page, "the article form with an item chosen")
    assert not serious, describe(serious)
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist .success")

    item.refresh_from_db()
    assert (item.status, item.resolved_by_id) == ("happened", later.pk)
    page.goto(earlier.get_absolute_url())
    outcome = page.locator(f"#watch-{item.pk} .watch-outcome").inner_text()
    assert "this happened — read After the Floods" in outcome
    page.goto(later.get_absolute_url())
    assert (
        "Whether the Harbour Cities bond is priced."
        in page.locator(".closing-the-loop").inner_text()
    )
