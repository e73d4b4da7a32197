import pytest

from articles.models import Article
from experts.models import Perspective
from tests.factories import make_article, make_expert

pytestmark = pytest.mark.django_db


def quote(expert, article, text, credential=""):
    position = article.perspectives.count() + 1
    return Perspective.objects.create(
        article=article, expert=expert, position=position, quote=text, credential=credential
    )


def test_expert_page_lists_every_published_perspective_across_articles(client):
    expert = make_expert(name="Fiona Hill", credential="former NSC Russia expert")
    first, second = make_article(headline="First"), make_article(headline="Second")
    quote(expert, first, "Moscow views it as a sphere of influence.", "then a fellow")
    quote(expert, second, "Any plan must face the fundamentals.")
    quote(expert, make_article(status=Article.Status.DRAFT), "Unpublished words.")
    response = client.get(expert.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Moscow views it as a sphere of influence." in html
    assert "Any plan must face the fundamentals." in html
    assert "then a fellow" in html  # the credential as printed at the time
    assert "Unpublished words." not in html


def test_expert_index_lists_quoted_experts_with_counts(client):
    quoted, unquoted = make_expert(name="Quoted Person"), make_expert(name="Never Quoted")
    quote(quoted, make_article(), "Something.")
    quote(quoted, make_article(), "Something more.")
    quote(quoted, make_article(status=Article.Status.DRAFT), "Not yet public.")
    response = client.get("/experts/")
    assert list(response.context["experts"]) == [quoted]
    assert b"2 perspectives" in response.content
    assert unquoted.name.encode() not in response.content


def test_unknown_expert_is_404(client):
    assert client.get("/experts/nobody/").status_code == 404


def test_expert_page_query_count_does_not_grow(client, django_assert_num_queries):
    expert = make_expert()
    for _ in range(5):
        quote(expert, make_article(), "Words.")
    client.get("/")
    # Expert, count, perspectives, and the topics they were quoted on (issue 10).
    with django_assert_num_queries(4):
        client.get(expert.get_absolute_url())
