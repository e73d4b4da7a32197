"""
JSON-LD for search engines: the article as schema.org `AnalysisNewsArticle`, with its
breadcrumb trail, its expert quotes as `Quotation`s, its sources as `citation`s and its
corrections as `correction` (CorrectionComment).

Built as plain dicts, serialized with json.dumps and escaped so that no text in
any field (a headline containing "</script>", say) can end the script element.
The tag's type is application/ld+json: data, never run, so a strict CSP is fine.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Article, absolute_url

# Google shows at most 110 characters of a headline.
HEADLINE_LIMIT = 110

# The characters that could close the element or start markup, as JSON escapes.
SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def json_ld_script(data) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    # U+2028/2029 are valid in JSON but end lines in some script parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def organization(site) -> dict:
    data = {"@type": "NewsMediaOrganization", "name": site.name, "url": absolute_url("/")}
    if site.logo:
        data["logo"] = {"@type": "ImageObject", "url": absolute_url(site.logo.url)}
    if same_as := site.same_as:
        data["sameAs"] = same_as
    return data


def article_data(article: Article, site) -> dict:
    """The article's JSON-LD graph, from an article loaded with `for_page()`."""
    url = absolute_url(article.get_absolute_url())
    news_article = {
        "@type": "AnalysisNewsArticle",
        "@id": f"{url}#article",
        "mainEntityOfPage": url,
        "url": url,
        "headline": cut(article.headline, HEADLINE_LIMIT),
        "description": article.brief,
        "image": [
            {
                "@type": "ImageObject",
                "url": image.url,
                "width": image.width,
                "height": image.height,
                "caption": image.alt,
            }
            for image in article.share_images()
        ],
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(author.get_absolute_url()),
            }
            for author in article.byline_authors
        ],
        "publisher": organization(site),
        "isAccessibleForFree": True,
        "inLanguage": settings.LANGUAGE_CODE,
        "identifier": f"urn:uuid:{article.uuid}",
    }
    if article.category_id:
        news_article["articleSection"] = article.category.name
    if topics := [topic.name for topic in article.topics.all()]:
        news_article["keywords"] = topics
    if quotations := [quotation(perspective) for perspective in article.perspectives.all()]:
        news_article["hasPart"] = quotations
    if citations := [citation(entry) for entry in article.citations.all()]:
        news_article["citation"] = citations
    if corrections := [correction(entry) for entry in article.corrections.all()]:
        news_article["correction"] = corrections
    return {
        "@context": "https://schema.org",
        "@graph": [news_article, breadcrumbs(article, site)],
    }


def quotation(perspective) -> dict:
    expert = perspective.expert
    creator = {
        "@type": "Person",
        "name": expert.name,
        "url": absolute_url(expert.get_absolute_url()),
    }
    if perspective.credential:
        creator["jobTitle"] = perspective.credential
    if expert.affiliation:
        creator["affiliation"] = {"@type": "Organization", "name": expert.affiliation}
    return {"@type": "Quotation", "text": perspective.quote, "creator": creator}


def citation(entry) -> dict:
    data = {"@type": "CreativeWork", "description": entry.claim}
    if name := entry.source_label:
        data["name"] = name
        data["publisher"] = {"@type": "Organization", "name": name}
        if entry.source_id:
            data["publisher"]["url"] = absolute_url(entry.source.get_absolute_url())
    if entry.source_url:
        data["url"] = entry.source_url
    if entry.source_date:
        data["datePublished"] = entry.source_date.isoformat()
    return data


def correction(entry) -> dict:
    """A correction, clarification or update as schema.org's CorrectionComment."""
    text = entry.text if not entry.part else f"{entry.text} ({entry.part})"
    return {
        "@type": "CorrectionComment",
        "name": entry.get_kind_display(),
        "text": text,
        "datePublished": entry.created_at.isoformat(),
        "url": absolute_url(entry.get_absolute_url()),
    }


def breadcrumbs(article: Article, site) -> dict:
    trail = [(site.name, absolute_url(reverse("articles:home")))]
    if article.category_id:
        trail.append((article.category.name, absolute_url(article.category.get_absolute_url())))
    trail.append((cut(article.headline, HEADLINE_LIMIT), absolute_url(article.get_absolute_url())))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }
