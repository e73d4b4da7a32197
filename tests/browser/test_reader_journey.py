"""
A reader's visit, in Chromium: the front page, an article, its share links, a topic paged
through, and search.
"""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from tests.browser.content import has_search_page, make_analysis_article, make_topic_archive

# Skips (as conftest's fixtures do) where the playwright package is missing.
expect = pytest.importorskip("playwright.sync_api").expect

TOPIC = "Undersea Cables"


@pytest.fixture
def article(transactional_db):
    # 13 older articles on the same topic: with the article, two pages of topic results.
    make_topic_archive(TOPIC, 13)
    return make_analysis_article(published_at=timezone.now() - timedelta(hours=1))


def test_reader_goes_from_the_front_page_to_an_article_and_through_its_topic(page, article):
    page.goto("/")
    lead = page.locator(".article-card").first
    assert article.headline in lead.inner_text()  # the newest leads
    lead.get_by_role("link", name=article.headline).click()

    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.title().startswith(article.headline)
    assert page.locator("h1").inner_text() == article.headline
    byline = page.locator(".article-header").inner_text()
    assert "Helena Marsh" in byline and "Mateo Ibáñez" in byline and "min read" in byline

    # The share links are labelled by what they do, and carry the article's canonical URL.
    canonical = settings.SITE_URL + article.get_absolute_url()
    share = page.get_by_role("complementary", name="Share this article")
    links = share.get_by_role("link")
    assert links.count() >= 3
    for name in links.all_inner_texts():
        assert name.startswith("Share"), name
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        assert quote(canonical, safe="") in href

    # Each step waits for the page it leads to (expect retries), never reads the old one.
    page.get_by_role("link", name=TOPIC, exact=True).click()
    expect(page.locator("h1")).to_have_text(TOPIC)
    cards = page.locator(".article-card")
    pages = page.get_by_role("navigation", name="Pages")
    expect(cards).to_have_count(12)
    expect(pages).to_contain_text("Page 1 of 2")

    page.get_by_role("link", name="Older").click()
    expect(pages).to_contain_text("Page 2 of 2")
    expect(cards).to_have_count(2)
    expect(cards.last).to_contain_text("part 13")  # the oldest comes last

    page.get_by_role("link", name="Newer").click()
    expect(pages).to_contain_text("Page 1 of 2")
    expect(cards.first).to_contain_text(article.headline)


def test_copy_link_button_puts_the_article_address_on_the_clipboard(new_context, article):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(article.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    # Waits for the status text (the clipboard answers asynchronously), never a fixed delay.
    expect(page.get_by_role("status")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    # The canonical address, tagged so the newsroom can count shares from copied links.
    assert copied.startswith(settings.SITE_URL + article.get_absolute_url() + "?")
    assert "utm_source=share-sheet" in copied


def test_reader_searches_sees_highlights_filters_and_opens_a_result(page, article):
    if not has_search_page():
        pytest.skip("there is no search page at /search/ yet (issue 5 adds it)")
    page.goto("/")
    # The header's search box, named as the site's search.
    header_search = page.get_by_role("search", name="Site")
    header_search.get_by_role("searchbox").fill("cables")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=cables"))
    assert page.locator("h1").inner_text() == "Search"
    page_search = page.get_by_role("search", name="Search articles")
    expect(page_search.get_by_role("searchbox")).to_have_value("cables")

    # Results: the analysis article and the 13-part topic archive, counted and paged.
    count = page.locator(".result-count")
    expect(count).to_contain_text("14 articles for “cables”")
    results = page.locator(".search-results .article-card")
    expect(results).to_have_count(14)
    # The matched word is highlighted in the snippets.
    marks = page.locator(".search-results .snippet mark")
    assert marks.count() >= 1
    assert all(m.lower().startswith("cable") for m in marks.all_inner_texts())
    assert page.locator(".search-results mark").first.evaluate(
        "m => getComputedStyle(m).backgroundColor"
    ) not in ("rgba(0, 0, 0, 0)", "transparent")

    # A filter narrows them: only the World category, where the analysis article is.
    page_search.locator("summary", has_text="Filters").click()  # folded away until wanted
    page_search.get_by_label("Category").select_option(label="World")
    with page.expect_navigation():
        page_search.get_by_role("button", name="Search").click()
    assert "category=world" in page.url
    expect(page_search.locator("summary")).to_have_text("Filters (in use)")
    expect(count).to_contain_text("1 article for “cables”")
    expect(results).to_have_count(1)

    # Opening the result leads to the article.
    results.first.get_by_role("link", name=article.headline).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == article.headline
