import pytest

from articles.sanitizer import sanitize_html


def test_script_elements_are_removed_with_their_contents():
    assert sanitize_html("<p>Hello</p><script>alert(1)</script>") == "<p>Hello</p>"


def test_event_handler_attributes_are_removed():
    cleaned = sanitize_html('<p onclick="alert(1)">Hi <img src=x onerror="alert(1)"></p>')
    assert "onerror" not in cleaned
    assert "onclick" not in cleaned
    assert "<img" not in cleaned
    assert cleaned == "<p>Hi </p>"


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:msgbox"]
)
def test_dangerous_link_protocols_are_removed(href):
    cleaned = sanitize_html(f'<a href="{href}">click</a>')
    assert "href" not in cleaned
    assert "click" in cleaned


def test_allowed_markup_is_kept():
    html = (
        '<p>A <strong>bold</strong> and <em>careful</em> <a href="https://example.org/x">link</a>'
        "</p><ul><li>one</li></ul><blockquote>quoted</blockquote>"
    )
    assert sanitize_html(html) == html


def test_style_and_unknown_attributes_are_dropped():
    assert sanitize_html('<p style="color:red" class="x">Hi</p>') == "<p>Hi</p>"


def test_empty_input_stays_empty():
    assert sanitize_html("") == ""


def test_mis_nested_markup_is_cleaned_to_a_fixed_point():
    # Found by Hypothesis: html5lib serialised a heading inside a heading, which the next
    # clean parsed differently, so saving the same body twice changed it.
    once = sanitize_html('<abbr><h3><a></abbr><h3><a href="javascript:alert(1)">click</a></h3>')
    assert sanitize_html(once) == once
    assert "javascript" not in once
