"""Property-based tests (Hypothesis): the sanitizer, the plain-text importer and query strings
hold for any input, not only for the cases we thought of."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.plaintext import PlainTextError, parse_article
from articles.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, sanitize_html
from tests.security.hostile import load_vectors

TAGS = sorted(ALLOWED_TAGS) + [
    "script", "style", "img", "svg", "math", "iframe", "object", "a", "form", "template",
    "noscript", "textarea", "title", "xmp", "body", "base", "meta", "link", "input",
]  # fmt: skip
ATTRIBUTES = ["href", "src", "title", "rel", "cite", "style", "onclick", "onerror", "class",
              "xlink:href", "formaction", "srcdoc", "id", "onload"]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:x", "data:text/html,x",
         "https://example.org/", "mailto:a@example.org", "vbscript:x", "&#106;avascript:x",
         "x\" onmouseover=\"alert(1)", "expression(alert(1))"]
    ),
    st.text(max_size=20),
)  # fmt: skip


@st.composite
def html_fragments(draw, depth=0):
    """Tag soup: allowed and hostile tags, attributes and values, nested, sometimes broken."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "element", "broken", "vector"]))
        if kind == "text":
            parts.append(draw(st.text(max_size=15)))
        elif kind == "vector":
            parts.append(draw(st.sampled_from(load_vectors())))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(
                f' {name}="{value}"'
                for name, value in draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), VALUES),
                                                 max_size=3))
            )  # fmt: skip
            inner = draw(html_fragments(depth + 1)) if depth < 2 else ""
            closing = "" if kind == "broken" else f"</{tag}>"
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def tags_in(html: str):
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


@settings(max_examples=150, deadline=None)
@given(st.one_of(html_fragments(), st.text()))
@example("<a href='java&#x09;script:alert(1)'>x</a>")
@example("<scr<script>ipt>alert(1)</script>")
def test_sanitized_html_holds_only_allowed_tags_attributes_and_protocols(html):
    clean = sanitize_html(html)
    for tag, attrs in tags_in(clean):
        assert tag in ALLOWED_TAGS, clean
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, []), clean
            if name in {"href", "cite"} and value and ":" in value.split("/")[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                assert scheme in ALLOWED_PROTOCOLS, clean
    lowered = clean.lower()
    assert "<script" not in lowered and "<style" not in lowered


@settings(max_examples=100, deadline=None)
@given(st.one_of(html_fragments(), st.text()))
def test_sanitizing_twice_changes_nothing(html):
    once = sanitize_html(html)
    assert sanitize_html(once) == once


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.binary()))
def test_importer_parse_raises_nothing_but_plaintexterror_on_any_input(data):
    try:
        parse_article(data)
    except PlainTextError:
        pass


HEADINGS = [
    "Brief", "Expert Perspectives", "Data & Evidence", "Looking Ahead", "The Bottom Line",
    "Topics", "Editor's Comments", "## Anything", "Opening Analysis", "# Headline",
]  # fmt: skip
LINES = st.one_of(
    st.sampled_from(HEADINGS),
    st.sampled_from(["By A and B", "December 3, 2025", "2025-13-45", "Category: World",
                     '- claim (Source: name, https://example.org, 2025-01-01)',
                     'Name, credential: "quote"', "Name — credential: “quote”", ', : ""',
                     "• item", "* item", "Like this article? Share it", "\ufeff", "\t", ""]),
    st.text(max_size=40),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]))
def test_importer_parse_of_article_shaped_text_raises_only_plaintexterror(lines, newline):
    text = newline.join(lines)
    try:
        article = parse_article(text)
    except PlainTextError as error:
        assert str(error)  # says what is wrong
        return
    assert article.headline.strip()


QUERY_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["0", "-1", "9999999999999999999999", "1e3", "last", "' OR 1=1 --", "\\",
                     "<script>alert(1)</script>", "%00", "2.5", " 1", "１"]),
)  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=QUERY_VALUES, junk=st.dictionaries(st.text(max_size=8), QUERY_VALUES, max_size=3))
def test_listing_pages_answer_any_query_string_with_a_page(page, junk):
    from tests.factories import make_category

    category = make_category()
    client = Client()
    for path in ["/", category.get_absolute_url(), "/experts/"]:
        response = client.get(path, {"page": page, **junk})
        assert response.status_code == 200, (path, page, junk)
        assert b"<script>alert(1)</script>" not in response.content


SEARCH_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="\"-'\\&|!():*<> orOR\x00\t", max_size=30),  # the query syntax's edges
    st.sampled_from(load_vectors()),
)


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=SEARCH_TEXT,
    filters=st.dictionaries(
        st.sampled_from(["category", "topic", "author", "published_from", "published_to",
                         "page"]),
        QUERY_VALUES,
        max_size=4,
    ),
)  # fmt: skip
@example(q='"unbalanced -"" or or -', filters={"published_from": "2025-13-45"})
@example(q="\x00\x00", filters={"page": "-1"})
def test_the_search_page_answers_any_query_and_filters_with_a_page(q, filters):
    from django.test import override_settings

    from tests.factories import make_article

    make_article(headline="Undersea cables and energy security")
    with override_settings(RATE_LIMITS={}):
        response = Client().get("/search/", {"q": q, **filters})
    assert response.status_code == 200, (q, filters)
    assert b"<script>alert(1)</script>" not in response.content
