"""
The XSS corpus through the two inputs tests/browser/test_xss_corpus.py does not fill:
image fields (alt text, caption, credit, licence: the image library) and import files
(the admin's "Import from text", the same code as `manage.py import_articles`).

Editors upload the hostile files in Chromium, through the real admin form, with hostile
file names too (and one file the importer refuses, whose error quotes it); the results
page is audited. The imported articles are then published, given hostile pictures as lead
image, section images and portraits, and their pages audited with the CSP switched off
in the browser, so escaping alone must hold. Each page carries a whole group of vectors,
and the site settings' handles and profile links carry more.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Section
from images.models import Image
from site_settings.models import SiteSettings
from tests.browser.csp import sign_in
from tests.browser.test_xss_corpus import DOM_AUDIT, visit
from tests.images.pictures import jpeg, upload
from tests.security.hostile import hostile_import_text, load_vectors, pack_for_headlines

pytestmark = pytest.mark.django_db(transaction=True)


def hostile_image(vectors: list[str], number: int) -> Image:
    joined = " ".join(vectors)
    image = Image(
        file=upload(jpeg((400, 300)), f"hostile-{number}.jpg"),
        alt_text=joined[:300],
        caption="\n".join(vectors),
        credit=vectors[-1][:200],
        licence=vectors[0][:200],
    )
    image.save()
    return image


def file_name(vector: str, number: int) -> str:
    # A browser sends only the base name: keep the rest of the vector in it.
    return f"{vector[:60].replace('/', '∕')}-{number}.txt"


def test_import_files_and_image_fields_run_no_vector(new_context, live_server):
    vectors = load_vectors()
    groups = pack_for_headlines(vectors)
    editor = get_user_model().objects.create_superuser("importer", password="not-used-here-1")
    context = new_context(bypass_csp=True, java_script_enabled=True)
    context.set_default_timeout(60_000)
    sign_in(context, editor, live_server.url)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # The admin's import, driven like an editor: hostile names, contents and one refusal.
    files = [
        {
            "name": file_name(group[0], number),
            "mimeType": "text/plain",
            "buffer": hostile_import_text(group, number).encode(),
        }
        for number, group in enumerate(groups)
    ]
    refused = groups[0][0]
    files.append({"name": file_name(refused, 999), "mimeType": "text/plain",
                  "buffer": f"{refused}\n\nBrief\n{refused}\n".encode()})  # fmt: skip
    # The admin's own chrome (its icon sprites, its i18n script): what the audit finds on
    # admin pages before anything hostile is in the database is allowed there, nothing more.
    page.goto("/admin/auth/group/")  # a change list, with the roles' plain names
    chrome = set(audit(page))
    page.goto("/admin/articles/article/import/")
    chrome |= set(audit(page))
    page.set_input_files("input[type=file]", files)
    page.click("input[type=submit]")
    page.wait_for_load_state("load")
    problems = [f"import results: {problem}" for problem in set(audit(page)) - chrome]
    problems += [f"import results: dialog {text}" for text in dialogs]
    dialogs.clear()
    assert page.locator(".import-ok").count() == len(groups), page.content()[:2000]
    assert page.locator(".import-error").count() == 1
    # Escaped, not lost: the refused file's name reads as it was sent.
    assert file_name(refused, 999) in page.locator(".import-error").inner_text()

    imported = list(Article.objects.order_by("pk"))
    assert len(imported) == len(groups)
    now = timezone.now()
    for number, (article, group) in enumerate(zip(imported, groups, strict=True)):
        image = hostile_image(group, number)
        article.status = Article.Status.PUBLISHED
        article.published_at = now - timezone.timedelta(hours=number + 1)
        article.lead_image = image
        article.save()
        Section.objects.filter(article=article).update(image=image)
        for entry in article.byline.select_related("author"):
            entry.author.portrait = image
            entry.author.save()
        for perspective in article.perspectives.select_related("expert"):
            perspective.expert.portrait = image
            perspective.expert.save()

    # The site settings' other text fields too (written directly, past the form's checks):
    # the X handle reaches every page's <meta>, the profile links the JSON-LD's sameAs.
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={
            "site_name": groups[1][0][:120],
            "x_handle": groups[2][0][:50],
            "bluesky_handle": groups[3][0][:100],
            "facebook_url": groups[4][0][:200],
            "linkedin_url": "javascript:alert(1)",
            "mastodon_url": groups[5][0][:200],
        },
    )
    visited = 1
    for article in imported:
        paths = [
            article.get_absolute_url(),
            article.byline.first().author.get_absolute_url(),
            article.perspectives.first().expert.get_absolute_url(),
        ]
        for path in paths:
            problems += visit(page, path, dialogs)
            dialogs.clear()
            visited += 1
        page.goto(article.get_absolute_url())
        # The pictures reached the page with their hostile text as text.
        assert page.locator("figure.lead-image img").get_attribute("alt") == (
            article.lead_image.alt_text
        )
        assert page.locator("figure.lead-image figcaption .credit").count() == 1
        handle = page.locator("meta[name='twitter:site']").get_attribute("content")
        assert handle == "@" + groups[2][0][:50]
    for path in ["/", imported[0].category.get_absolute_url()]:
        problems += visit(page, path, dialogs)
        visited += 1
    # The image library's list shows alt text and credits.
    page.goto("/admin/images/image/")
    problems += [f"image list: {problem}" for problem in set(audit(page)) - chrome]
    problems += [f"image list: dialog {text}" for text in dialogs]
    print(f"\nXSS corpus through imports and images: {len(groups)} files, {visited} pages")
    assert problems == [], "\n".join(problems)


def audit(page) -> list[str]:
    page.wait_for_load_state("load")
    page.wait_for_timeout(30)
    # Nonces change with every response.
    return [re.sub(r'nonce="[^"]*"', "nonce", problem) for problem in page.evaluate(DOM_AUDIT)]
