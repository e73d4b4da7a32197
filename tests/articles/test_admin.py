import pytest
from django.urls import reverse

from articles.models import ANALYSIS_TEMPLATE_HEADINGS, Article
from experts.models import Expert
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_author, make_category, make_expert, make_full_article, make_staff

pytestmark = pytest.mark.django_db

INLINE_PREFIXES = ["byline", "sections", "perspectives", "citations", "watch_items"]


def inline_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """POST data for one admin inline: its management form plus one entry per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def article_post(**overrides) -> dict:
    author, category = make_author(name="Sarah Johnson"), make_category(name="World")
    fiona, mark = make_expert(name="Fiona Hill"), make_expert(name="Mark Galeotti")
    data = {
        "headline": "Why the Moscow meeting failed",
        "slug": "why-the-moscow-meeting-failed",
        "brief": "Territory still blocks a deal.",
        "category": str(category.pk),
        "topics": "Diplomacy, Ukraine",
        "_transition": "publish",
        "published_at_0": "2025-12-03",
        "published_at_1": "09:00:00",
        "looking_ahead_intro": "Key developments to watch include:",
        "bottom_line": "No breakthrough.",
        "editors_comment": "A revealing meeting.",
    }
    data |= inline_data("byline", [{"author": author.pk, "position": 1}])
    data |= inline_data(
        "sections",
        [
            {"position": 1, "heading": "Opening Analysis", "body": "<p>Five hours.</p>"},
            {
                "position": 2,
                "heading": "The Bigger Picture",
                "body": '<p>Roots <img src=x onerror="alert(1)"><a href="javascript:x">x</a></p>',
            },
        ],
    )
    data |= inline_data(
        "perspectives",
        [
            {"position": 1, "expert": fiona.pk, "credential": "former NSC", "quote": "Visions."},
            {"position": 2, "expert": mark.pk, "credential": "analyst", "quote": "Show."},
        ],
    )
    data |= inline_data(
        "citations",
        [
            {
                "position": 1,
                "claim": "Russian forces made gains.",
                "source_name": "ISW",
                "source_url": "https://understandingwar.org/",
                "source_date": "2025-12-01",
            }
        ],
    )
    data |= inline_data("watch_items", [{"position": 1, "text": "European coordination."}])
    data |= inline_data("corrections", [])
    return data | overrides


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="a-long-test-password")
    client.force_login(user)
    return client


def test_one_admin_post_creates_a_full_article(superuser_client):
    response = superuser_client.post(reverse("admin:articles_article_add"), article_post())
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get()
    assert article.byline_authors[0].name == "Sarah Johnson"
    assert [s.heading for s in article.sections.all()] == ["Opening Analysis", "The Bigger Picture"]
    assert article.sections.get(position=2).body == "<p>Roots <a>x</a></p>"
    assert [p.expert.name for p in article.perspectives.all()] == ["Fiona Hill", "Mark Galeotti"]
    assert article.citations.get().source_name == "ISW"
    assert article.watch_items.get().text == "European coordination."
    assert sorted(article.topics.names()) == ["Diplomacy", "Ukraine"]
    assert article.editors_comment_by.username == "chief"
    assert superuser_client.get(article.get_absolute_url()).status_code == 200


def test_publishing_without_a_date_publishes_now(superuser_client):
    data = article_post(published_at_0="", published_at_1="")
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get()
    assert article.is_published
    assert superuser_client.get(article.get_absolute_url()).status_code == 200


def test_invalid_post_keeps_everything_the_editor_typed(superuser_client):
    response = superuser_client.post(
        reverse("admin:articles_article_add"), article_post(headline="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "Territory still blocks a deal." in html
    assert "Five hours." in html
    assert "European coordination." in html
    assert not Article.objects.exists()


def test_bad_citation_url_is_refused_with_a_message(superuser_client):
    data = article_post() | {"citations-0-source_url": "javascript:alert(1)"}
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Article.objects.exists()


def test_new_article_form_starts_with_the_analysis_template(superuser_client):
    html = superuser_client.get(reverse("admin:articles_article_add")).content.decode()
    for heading in ANALYSIS_TEMPLATE_HEADINGS:
        assert f'value="{heading}"' in html


def test_untouched_template_sections_are_not_saved(superuser_client):
    data = article_post()
    data |= inline_data(
        "sections",
        [
            {"position": 1, "heading": "Opening Analysis", "body": "<p>Written.</p>"},
            {"position": 2, "heading": "The Bigger Picture", "body": ""},
        ],
    )
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert [s.heading for s in Article.objects.get().sections.all()] == ["Opening Analysis"]


def test_sections_can_be_reordered_by_number(superuser_client):
    article = make_full_article(parts=3)
    sections = list(article.sections.all())
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        # File fields are not posted back as values (an empty upload keeps no image).
        if name not in ("topics", "published_at", "social_image") and value is not None
    }
    data |= {
        "category": article.category_id,
        "topics": "Topic 1",
        "published_at_0": article.published_at.date().isoformat(),
        "published_at_1": "09:00:00",
    }
    data |= inline_data(
        "byline",
        [
            {"id": e.pk, "article": article.pk, "author": e.author_id, "position": 1}
            for e in article.byline.all()
        ],
        initial=1,
    )
    # Move the third section to the top; the others keep their relative order.
    data |= inline_data(
        "sections",
        [
            {
                "id": s.pk,
                "article": article.pk,
                "position": new,
                "heading": s.heading,
                "body": s.body,
            }
            for s, new in zip(sections, [2, 3, 1], strict=True)
        ],
        initial=3,
    )
    for prefix, related in [
        ("perspectives", article.perspectives.all()),
        ("citations", article.citations.all()),
        ("watch_items", article.watch_items.all()),
    ]:
        rows = [{"id": obj.pk, "article": article.pk, "position": obj.position} for obj in related]
        for row, obj in zip(rows, related, strict=True):
            if prefix == "perspectives":
                row |= {"expert": obj.expert_id, "credential": obj.credential, "quote": obj.quote}
            elif prefix == "citations":
                row |= {
                    "claim": obj.claim,
                    "source_name": obj.source_name,
                    "source_url": obj.source_url,
                }
            else:
                row |= {"text": obj.text}
        data |= inline_data(prefix, rows, initial=len(rows))
    data |= inline_data("corrections", [])
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert [s.heading for s in article.sections.all()] == ["Section 3", "Section 1", "Section 2"]
    assert [s.position for s in article.sections.all()] == [1, 2, 3]


def test_expert_autocomplete_offers_adding_an_expert_in_place(superuser_client):
    html = superuser_client.get(reverse("admin:articles_article_add")).content.decode()
    assert reverse("admin:experts_expert_add") in html
    response = superuser_client.post(
        reverse("admin:experts_expert_add") + "?_popup=1",
        {"name": "Mark Galeotti", "slug": "mark-galeotti", "credential": "analyst", "_popup": "1"},
    )
    assert response.status_code == 200
    assert Expert.objects.get().name == "Mark Galeotti"


def test_article_list_searches_and_filters(superuser_client):
    make_full_article(headline="Grain corridor reopens")
    make_full_article(headline="Another story")
    response = superuser_client.get(reverse("admin:articles_article_changelist"), {"q": "grain"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = superuser_client.get(
        reverse("admin:articles_article_changelist"), {"status__exact": "draft"}
    )
    assert response.context["cl"].result_count == 0


def test_inline_inputs_are_labelled_for_screen_readers(superuser_client):
    # Tabular inlines show names only as column headers; each input carries its own name.
    html = superuser_client.get(reverse("admin:articles_article_add")).content.decode()
    for name in ["Claim", "Source name", "Source url", "Order", "Text"]:
        assert f'aria-label="{name}"' in html, name
    assert "js/admin-autocomplete-names.js" in html


def test_a_part_added_without_an_order_number_goes_at_the_end(client):
    client.force_login(make_staff("Editor"))
    article = make_full_article(parts=2)
    response = client.get(change_url(article))
    # The blank row's order box is empty ("at the end"), not the model's default of 1.
    assert response.context["inline_admin_formsets"][1].formset.forms[2]["position"].value() is None
    data = change_form_data(
        client, article, **{"sections-2-heading": "Added", "sections-2-body": "<p>New.</p>"}
    )
    assert client.post(change_url(article), data).status_code == 302
    assert [s.heading for s in article.sections.all()] == ["Section 1", "Section 2", "Added"]
