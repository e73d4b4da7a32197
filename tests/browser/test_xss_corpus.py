"""
The XSS corpus (tests/security/xss_vectors.txt) through every text field that reaches a
page, rendered in real Chromium: no script runs, nothing executable reaches the DOM, and
the markup editors may use survives.

The corpus runs twice: once with the Content Security Policy switched off in the browser
(so escaping and the sanitizer alone must hold), once with it on (no violation may be
reported: nothing injected even tries). Many vectors share a page, so the run stays fast.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from site_settings.models import SiteSettings
from tests.browser.csp import recorded_violations, watch_for_violations
from tests.security.hostile import load_vectors, make_hostile_article, pack_for_headlines

pytestmark = pytest.mark.django_db(transaction=True)

# Evaluated in each page: everything in the DOM that could run script, now or on a click.
DOM_AUDIT = """
() => {
  const problems = [];
  const origin = location.origin;
  for (const script of document.querySelectorAll("script")) {
    if (script.type === "application/ld+json") {
      try { JSON.parse(script.textContent); }
      catch (error) { problems.push("JSON-LD that does not parse: " + error); }
    } else if (!script.src.startsWith(origin + "/static/")) {
      problems.push("script: " + script.outerHTML.slice(0, 120));
    }
  }
  const urlAttributes = ["href", "src", "action", "formaction", "data", "background",
                         "poster", "cite", "xlink:href", "srcset"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`${name} on <${element.localName}>`);
      if (name === "srcdoc" || name === "style") problems.push(`${name} on <${element.localName}>`);
      if (urlAttributes.includes(name)) {
        let protocol;
        try { protocol = new URL(attribute.value, document.baseURI).protocol; }
        catch { continue; }
        if (!["http:", "https:", "mailto:"].includes(protocol)) {
          problems.push(`${name}="${attribute.value.slice(0, 60)}" on <${element.localName}>`);
        }
      }
    }
  }
  const forbidden = "iframe, frame, frameset, object, embed, applet, base, template, " +
    "body style, body link, meta[http-equiv], math, svg, form[action^='javascript' i]";
  for (const element of document.querySelectorAll(forbidden)) {
    problems.push("element: " + element.outerHTML.slice(0, 120));
  }
  if (window.__xss) problems.push("window.__xss was set");
  return problems;
}
"""


@pytest.fixture
def hostile_site(db, settings):
    """Published articles carrying the whole corpus, and the pages that show it."""
    # One search per article group: more than a reader's rate limit allows.
    settings.RATE_LIMITS = {}
    vectors = load_vectors()
    assert len(vectors) >= 100
    editor = get_user_model().objects.create_user(
        "hostile-editor", first_name=vectors[0][:150], last_name=vectors[1][:150]
    )
    articles = [
        make_hostile_article(group, number, editor)
        for number, group in enumerate(pack_for_headlines(vectors))
    ]
    return vectors, articles


def pages_for(article) -> list[str]:
    author = article.byline_authors[0]
    expert = article.perspectives.first().expert
    topic = article.topics.order_by("name").first()
    return [
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        author.get_absolute_url(),
        expert.get_absolute_url(),
        f"/topics/{topic.slug}/" if topic else "/",
        # The search query (kept in the box, echoed in the results) holding the vectors,
        # which also find this article: its hostile headline comes back as a snippet.
        "/search/?" + urlencode({"q": article.headline}),
    ]


def visit(page, path, dialogs) -> list[str]:
    response = page.goto(path)
    assert response.status == 200, path
    # Give timers, autofocus handlers and image errors their chance to fire.
    page.wait_for_load_state("load")
    page.wait_for_timeout(30)
    problems = [f"{path}: {problem}" for problem in page.evaluate(DOM_AUDIT)]
    return problems + [f"{path}: dialog {text}" for text in dialogs]


def test_no_vector_runs_even_without_the_csp(new_context, hostile_site):
    vectors, articles = hostile_site
    context = new_context(bypass_csp=True, java_script_enabled=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems, visited = [], 0

    for article in articles:
        # The site's name (site settings) carries a vector on every page it titles.
        SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": article.headline[:120]})
        paths = pages_for(article)
        for path in paths:
            problems += visit(page, path, dialogs)
            dialogs.clear()
            visited += 1
        page.goto(article.get_absolute_url())
        # Escaped, not stripped: the headline reads exactly as the editor typed it.
        shown = page.locator("h1").inner_text()
        assert squash(shown) == squash(article.headline)
        # The allowed markup came through the sanitizer onto the page.
        sections = article.sections.count()
        assert page.locator(".body-section strong", has_text="kept-bold").count() == sections
        assert page.locator(".body-section em", has_text="kept-em").count() == sections
        assert page.locator(".body-section a[href='https://example.org/kept']").count() == sections
        assert page.locator(".body-section li", has_text="kept-item").count() == sections
    for path in ["/", "/experts/"]:
        problems += visit(page, path, dialogs)
        visited += 1

    print(f"\nXSS corpus: {len(vectors)} vectors, {len(articles)} articles, {visited} pages")
    assert problems == []


def test_no_vector_trips_the_csp_on_article_pages(new_context, hostile_site):
    vectors, articles = hostile_site
    context = new_context()
    console_problems = watch_for_violations(context)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    violations = []
    for article in articles:
        page.goto(article.get_absolute_url())
        page.wait_for_load_state("load")
        violations += recorded_violations(page)
    assert violations == console_problems == dialogs == []


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_corpus_is_varied_enough():
    vectors = load_vectors()
    assert len(set(vectors)) == len(vectors) >= 100
    kinds = {
        "event handler": r"\bon[a-z]+\s*=",
        "javascript: URL": r"(?i)java",
        "data: URL": r"(?i)data:",
        "SVG": r"(?i)<svg",
        "MathML": r"(?i)<math",
        "entity trick": r"&#",
        "CSS expression": r"(?i)expression\(",
        "broken tag": r"<[a-z]+[^>]*$",
    }
    for kind, pattern in kinds.items():
        assert any(re.search(pattern, vector) for vector in vectors), kind
    assert slugify("<script>")  # the slugs of hostile names are still usable
