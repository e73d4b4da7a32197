"""The reader's search page: /search/?q=…"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from experts.models import Perspective
from tests.factories import make_article, make_author, make_category, make_expert

pytestmark = pytest.mark.django_db
URL = reverse("articles:search")


def headlines(response) -> list[str]:
    return [article.headline for article in response.context["articles"]]


def test_search_page_lists_matches_with_count_and_keeps_the_query(client):
    make_article(headline="Undersea cable sabotage", brief="A cable was cut.")
    make_article(headline="Freight costs")
    response = client.get(URL, {"q": "cable"})
    assert response.status_code == 200
    assert headlines(response) == ["Undersea cable sabotage"]
    html = response.content.decode()
    assert "1 article for “cable”" in html
    assert 'name="q" value="cable"' in html
    assert "<mark>" in html


def test_empty_query_shows_the_search_form_and_no_results(client):
    make_article()
    response = client.get(URL)
    assert response.status_code == 200
    assert headlines(response) == []
    assert "Use quotes for a phrase" in response.content.decode()


def test_drafts_never_appear_on_the_search_page(client):
    make_article(headline="Draft budget leak", status=Article.Status.DRAFT)
    response = client.get(URL, {"q": "budget"})
    assert headlines(response) == []
    assert b"Draft budget leak" not in response.content
    assert "0 articles" in response.content.decode()


def test_filters_narrow_results(client):
    world, economy = make_category(name="World"), make_category(name="Economy")
    author = make_author(name="Sarah Johnson")
    now = timezone.now()
    match = make_article(
        headline="Grid storage one", category=world, authors=[author], published_at=now
    )
    match.topics.add("Energy")
    make_article(headline="Grid storage two", category=economy, published_at=now)
    make_article(headline="Grid storage three", category=world, published_at=now - timedelta(400))
    response = client.get(
        URL,
        {
            "q": "grid",
            "category": "world",
            "topic": "energy",
            "author": author.slug,
            "published_from": (now - timedelta(days=3)).date().isoformat(),
            "published_to": now.date().isoformat(),
        },
    )
    assert headlines(response) == ["Grid storage one"]
    assert set(headlines(client.get(URL, {"q": "grid", "category": "world"}))) == {
        "Grid storage one",
        "Grid storage three",
    }


def test_filters_alone_list_articles_newest_first(client):
    world = make_category(name="World")
    old = make_article(category=world, published_at=timezone.now() - timedelta(days=5))
    new = make_article(category=world)
    make_article()
    response = client.get(URL, {"category": "world"})
    assert list(response.context["articles"]) == [new, old]


@pytest.mark.parametrize(
    "params",
    [
        {"category": "nowhere"},
        {"author": "nobody\x00"},
        {"topic": "<script>"},
        {"published_from": "yesterday"},
        {"published_from": "2025-02-01", "published_to": "2025-01-01"},
    ],
)
def test_invalid_filters_are_reported_and_ignored(client, params):
    make_article(headline="Grid storage")
    response = client.get(URL, {"q": "grid", **params})
    assert response.status_code == 200
    assert headlines(response) == ["Grid storage"]
    assert "(ignored)" in response.content.decode()


@pytest.mark.parametrize(
    "hostile",
    [
        "'",
        "\\",
        "&",
        "<script>alert(1)</script>",
        "nul\x00byte",
        '"unbalanced quote',
        "'; DROP TABLE articles_article; --",
        "a & b | !c :* (d",
        "x" * 5000,
    ],
)
def test_hostile_queries_give_a_normal_page(client, hostile):
    make_article(headline="Anything at all")
    response = client.get(URL, {"q": hostile})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "\x00" not in html


def test_a_very_long_query_is_cut_and_the_reader_is_told(client):
    make_article(headline="Cable")
    response = client.get(URL, {"q": "cable " + "x" * 2000})
    assert response.status_code == 200
    assert "only its first 1,000 were used" in response.content.decode()
    assert len(response.context["search"].text) == 1000


def test_search_results_paginate_and_keep_the_query(client):
    for number in range(23):
        make_article(headline=f"Tariff story {number}")
    first = client.get(URL, {"q": "tariff", "category": ""})
    assert len(first.context["articles"]) == 20
    html = first.content.decode()
    assert "23 articles" in html
    assert 'href="?q=tariff&amp;category=&amp;page=2"' in html
    second = client.get(URL, {"q": "tariff", "page": "2"})
    assert len(second.context["articles"]) == 3
    assert client.get(URL, {"q": "tariff", "page": "abc"}).status_code == 200


def test_the_site_header_has_a_search_box(client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert f'action="{URL}"' in html


# Statements that choose a plan (PostgresSearch.candidate_plan) rather than read rows.
PLAN_STATEMENTS = ("EXPLAIN", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "SELECT reltuples")


def reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(PLAN_STATEMENTS)
        and not q["sql"].startswith(("SELECT set_config", "SELECT current_setting"))
    ]


def test_search_page_query_count_does_not_grow_with_results(client):
    for _ in range(20):
        make_article(headline="Tariff story")
    client.get(URL, {"q": "tariff"})  # navigation, groups and filter caches, as in production
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "tariff"})
    assert response.context["result_count"] == 20
    # The page and its bylines, and the count; on PostgreSQL instead of the count the
    # candidates the page ranks, found once and counted in Python (PostgresSearch.search).
    # The experts and topics groups and the filters come from the cache.
    assert len(reads(queries)) == 3, reads(queries)
    # Choosing the plan: the estimate (2), and the settings for the bitmap in a savepoint.
    assert len(queries.captured_queries) <= 3 + 8


def test_filter_choices_are_rendered_once_until_a_category_or_author_changes(client):
    make_category(name="Energy", slug="energy")
    author = make_author(name="Ada Writer", slug="ada-writer")
    client.get(URL)  # navigation and content-type caches, as in production
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    assert '<option value="energy">Energy</option>' in html
    assert '<option value="ada-writer">Ada Writer</option>' in html
    assert len(queries.captured_queries) == 0
    author.name = "Ada Editor"
    author.save()
    make_category(name="Climate", slug="climate")
    html = client.get(URL).content.decode()
    assert '<option value="ada-writer">Ada Editor</option>' in html
    assert '<option value="climate">Climate</option>' in html


def test_filters_in_use_read_their_choices_in_one_plain_query_each(client):
    make_category(name="Energy", slug="energy")
    make_author(name="Ada Writer", slug="ada-writer")
    client.get(URL)  # navigation and content-type caches, as in production
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"category": "energy"}).content.decode()
    assert '<option value="energy" selected>Energy</option>' in html
    assert '<option value="ada-writer">Ada Writer</option>' in html
    # No server-side cursor (DECLARE, FETCH, CLOSE on PostgreSQL) for a few dozen rows.
    assert not [q["sql"] for q in queries.captured_queries if "CURSOR" in q["sql"].upper()]
    # The chosen category, the articles' count and page (none), and the two choices.
    assert len(queries.captured_queries) == 4


def test_experts_and_topics_groups_are_cached_until_content_changes(client):
    article = make_article(headline="Talks")
    expert = make_expert(name="Fiona Hill")
    Perspective.objects.create(article=article, expert=expert, position=1, quote="Q.")
    article.topics.add("Diplomacy")
    response = client.get(URL, {"q": "hill diplomacy"})
    assert [e.name for e in response.context["experts"]] == ["Fiona Hill"]
    assert [t.name for t in response.context["topics"]] == ["Diplomacy"]
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "hill diplomacy"})
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # (SQLite's search itself joins them: the groups would read them first.)
    assert 'FROM "experts_expert"' not in sql
    assert 'FROM "taggit_tag"' not in sql
    # Any change to public content is seen at once (the page cache's generation).
    expert.name = "Fiona Hillary"
    expert.save()
    later = make_article(headline="Later")
    later.topics.add("Diplomatic cables")
    response = client.get(URL, {"q": "hill diplomacy diplomatic"})
    assert [e.name for e in response.context["experts"]] == ["Fiona Hillary"]
    assert [t.name for t in response.context["topics"]] == ["Diplomacy", "Diplomatic cables"]
    expert_url = response.context["experts"][0].get_absolute_url()
    assert f'href="{expert_url}"' in response.content.decode()


@pytest.mark.postgres
def test_did_you_mean_appears_when_nothing_is_found(client):
    make_article(headline="Ukraine talks stall")
    response = client.get(URL, {"q": "ukriane talks"})
    html = response.content.decode()
    assert "Did you mean" in html
    assert 'href="?q=ukraine+talks"' in html


@pytest.mark.postgres
def test_did_you_mean_is_not_looked_for_when_something_is_found(client):
    make_article(headline="Ukraine talks stall")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "ukraine talks"})
    assert response.context["suggestion"] is None
    assert not [q["sql"] for q in queries.captured_queries if "WORD_SIMILARITY" in q["sql"]]


@pytest.mark.postgres
def test_did_you_mean_is_looked_for_in_one_query(client):
    make_article(headline="Ukraine talks stall")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "ukriane talsk"})
    assert response.context["suggestion"] == "ukraine talks"
    trigram = [q["sql"] for q in queries.captured_queries if "WORD_SIMILARITY" in q["sql"]]
    assert len(trigram) == 1  # every word, from headlines, topics and experts
