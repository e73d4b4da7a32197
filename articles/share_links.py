"""
Share links for the article page: plain addresses of each network's share form.

They work without JavaScript and load nothing from the networks (no widgets, no
trackers). The shared address carries UTM parameters naming the network, so the
newsroom's analytics can tell which network sent a reader.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .models import Article, absolute_url


@dataclass(frozen=True)
class ShareLink:
    network: str  # also the utm_source
    label: str
    url: str


def tracked_url(article: Article, source: str) -> str:
    """The article's canonical address with UTM parameters for one network."""
    query = urlencode(
        {"utm_source": source, "utm_medium": "social", "utm_campaign": "article-share"}
    )
    return f"{absolute_url(article.get_absolute_url())}?{query}"


def share_links(article: Article) -> list[ShareLink]:
    title = article.get_share_title()

    def link(network: str, label: str, base: str, params) -> ShareLink:
        url = tracked_url(article, network)
        query = urlencode([(key, value.format(url=url, title=title)) for key, value in params])
        return ShareLink(network, label, f"{base}?{query}")

    email_url = tracked_url(article, "email")
    return [
        link("x", "X", "https://x.com/intent/post", [("url", "{url}"), ("text", "{title}")]),
        link(
            "facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php", [("u", "{url}")]
        ),
        link(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/",
            [("url", "{url}")],
        ),
        link("bluesky", "Bluesky", "https://bsky.app/intent/compose", [("text", "{title} {url}")]),
        link("whatsapp", "WhatsApp", "https://wa.me/", [("text", "{title} {url}")]),
        ShareLink(
            "email",
            "Email",
            # mailto: wants %20 for spaces, not +.
            f"mailto:?subject={quote(title, safe='')}"
            f"&body={quote(f'{title}\n\n{email_url}', safe='')}",
        ),
    ]
