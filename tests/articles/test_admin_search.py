"""The admin's article search uses the search engine, drafts included."""

import pytest
from django.urls import reverse

from articles.models import Article, Section
from tests.articles.test_admin import article_post
from tests.factories import make_article

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="a-long-test-password")
    client.force_login(user)
    return client


def results(client, term) -> list[str]:
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return sorted(article.headline for article in response.context["cl"].result_list)


def test_editors_find_drafts_by_their_content(staff_client):
    draft = make_article(headline="Untitled draft", status=Article.Status.DRAFT)
    Section.objects.create(article=draft, position=1, heading="Notes", body="<p>Hydrogen</p>")
    make_article(headline="Other")
    assert results(staff_client, "hydrogen") == ["Untitled draft"]


def test_editors_still_find_articles_by_slug(staff_client):
    make_article(headline="Grain corridor", slug="grain-corridor-2025")
    assert results(staff_client, "corridor-2025") == ["Grain corridor"]


@pytest.mark.parametrize("hostile", ["'", "\\", "&", "<script>", "\x00", '"open', "x" * 3000])
def test_hostile_admin_searches_do_not_fail(staff_client, hostile):
    make_article()
    results(staff_client, hostile)


@pytest.mark.postgres
def test_an_admin_save_with_inlines_leaves_the_vector_complete(staff_client):
    response = staff_client.post(reverse("admin:articles_article_add"), article_post())
    assert response.status_code == 302
    vector = Article.objects.values_list("search_vector", flat=True).get()
    # headline, brief, topic, section, expert, quote, citation, watch item, bottom line
    for lexeme in [
        "moscow",
        "territori",
        "diplomaci",
        "root",
        "galeotti",
        "vision",
        "isw",
        "european",
        "breakthrough",
    ]:
        assert f"'{lexeme}'" in vector, lexeme
    assert results(staff_client, "galeotti") == ["Why the Moscow meeting failed"]
