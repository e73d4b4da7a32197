"""
The newsroom's shared example article (../shared/examples/analysis-article.txt): uploaded
as is through the admin's import, published by an editor with the workflow's button, and
read on the public site with every part in place (issue 2, with issue 3's checklist).
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import BRIEF_MAX_LENGTH, Article
from articles.plaintext import parse_article
from tests.articles.admin_forms import change_form_data, change_url
from tests.articles.import_samples import SHARED_EXAMPLE
from tests.factories import make_staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not SHARED_EXAMPLE.exists(), reason=f"{SHARED_EXAMPLE} is not beside this checkout"
    ),
]


@pytest.fixture
def example_text() -> str:
    return SHARED_EXAMPLE.read_text(encoding="utf-8")


def test_the_example_brief_is_kept_as_written_though_over_the_publishing_limit(example_text):
    brief = parse_article(example_text).brief
    assert len(brief) > BRIEF_MAX_LENGTH  # 206: authorable, and the checklist asks to cut


def test_shared_example_is_imported_published_and_read_as_is(client, example_text):
    parsed = parse_article(example_text)
    editor = make_staff("Editor")
    client.force_login(editor)

    # Uploaded in the admin as the file it is: a draft.
    upload = {"files": _upload(example_text)}
    response = client.post(reverse("admin:articles_article_import"), upload)
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.brief == parsed.brief
    # The checklist says what issue 3's rules still ask of it: a brief of 200 characters at
    # most (the example's has 206), and a source for every claim (three of four name none).
    unsourced = [n for n, c in enumerate(parsed.citations, 1) if not c.source_name]
    assert unsourced == [2, 3, 4]
    assert article.publish_problems() == [
        f"Shorten the brief to {BRIEF_MAX_LENGTH} characters at most (it has 206).",
        *[f"Citation {n} needs a source." for n in unsourced],
    ]

    # Published with the change form's "Save and publish now", once an editor has cut the
    # brief and named the three sources; every other part goes as imported.
    brief = parsed.brief.replace(", despite constructive dialogue.", ".")
    assert len(brief) <= BRIEF_MAX_LENGTH
    sources = {f"citations-{n - 1}-source_name": f"Source {n}" for n in unsourced}
    data = change_form_data(client, article, _transition="publish", brief=brief, **sources)
    response = client.post(change_url(article), data, follow=True)
    html = response.content.decode()
    assert "not done" not in html, html
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_published

    # Readers see it, every part in the example's order.
    client.logout()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    text = text[text.index("<main") :]
    expected_in_order = [
        escape(parsed.headline),
        escape(brief),
        *[escape(section.heading) for section in parsed.sections],
        "Expert Perspectives",
        "Data &amp; Evidence",
        "Looking Ahead",
        "The Bottom Line",
        "Editor's Comments",
    ]
    positions = []
    for fragment in expected_in_order:
        assert fragment in text, fragment
        positions.append(text.index(fragment, positions[-1] if positions else 0))
    assert positions == sorted(positions)
    assert article.perspectives.count() == len(parsed.perspectives)
    assert article.citations.count() == len(parsed.citations)


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("analysis-article.txt", text.encode(), content_type="text/plain")
