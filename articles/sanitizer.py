"""
The one place rich text is cleaned.

Editors paste from documents and the web; what reaches a reader's page must be
plain structural markup. Rich text is cleaned when saved (models call
`sanitize_html` in `save`), so templates can trust the stored HTML.
"""

import re

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark",
        "a", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "code", "pre",
        "h3", "h4", "h5", "figure", "figcaption", "hr", "span",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "q": ["cite"],
    "blockquote": ["cite"],
}
# Only web and mail links: javascript:, data: and vbscript: URLs are dropped.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_HIDDEN_ELEMENTS = re.compile(
    r"<(script|style|template|noscript)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)


def sanitize_html(html: str) -> str:
    """Return `html` with every tag, attribute and URL outside the allowlist removed."""
    if not html:
        return ""
    # Drop the contents of script and style elements, not only their tags:
    # bleach's strip keeps inner text, which would show code to readers.
    html = _HIDDEN_ELEMENTS.sub("", html)
    cleaned = _cleaner.clean(html).strip()
    # html5lib can serialise mis-nested input (a heading inside a heading) as markup that
    # parses differently the next time; cleaning again until nothing changes means that a
    # stored body never changes on a later save. Two passes settle every case we know.
    for _ in range(3):
        again = _cleaner.clean(cleaned).strip()
        if again == cleaned:
            break
        cleaned = again
    return cleaned
