"""Revisions: a snapshot per save, a structural diff, restore as a new revision."""

import pytest
from django.urls import reverse

from articles.revisions import Revision, diff, snapshot, word_diff
from experts.models import Perspective
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_expert, make_full_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff("Editor"))
    return client


def edit(client, article, **changes):
    response = client.post(change_url(article), change_form_data(client, article, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()


def test_every_admin_save_stores_a_complete_snapshot(editor_client):
    article = make_full_article(parts=2)
    edit(editor_client, article, headline="Changed")
    before, revision = article.revisions.order_by("number")
    assert before.snapshot["headline"] != "Changed"  # the state before the first edit
    data = revision.snapshot
    assert data["headline"] == "Changed"
    assert [s["heading"] for s in data["sections"]] == ["Section 1", "Section 2"]
    assert len(data["perspectives"]) == len(data["citations"]) == len(data["watch_items"]) == 2
    assert data["topics"] == ["Topic 1", "Topic 2"]
    assert data["byline"][0]["name"] == article.byline_authors[0].name
    assert revision.created_by.groups.get().name == "Editor"


def test_revision_round_trips_with_every_inline_intact(editor_client):
    article = make_full_article(parts=3)
    original = snapshot(article)  # revision 1 will be this, captured before the first edit
    other_expert = make_expert(name="Mark Galeotti")
    edit(
        editor_client,
        article,
        brief="A different brief.",
        topics="Something else",
        **{
            "sections-1-body": "<p>Rewritten body.</p>",
            "sections-2-DELETE": "on",
            "perspectives-0-expert": str(other_expert.pk),
            "citations-0-source_url": "https://example.com/moved",
            "watch_items-1-text": "Another watch item.",
        },
    )
    assert snapshot(article) != original
    response = editor_client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    assert response.status_code == 302
    article.refresh_from_db()
    restored = snapshot(article)
    assert restored == original
    # Nothing lost: the edited version is still in the history, and restoring made a new one.
    numbers = list(article.revisions.order_by("number").values_list("number", "note"))
    assert [note for _, note in numbers] == [
        "As it was before its first tracked edit",
        "Edited",
        "Restored from revision 1",
    ]
    assert article.revisions.get(number=2).snapshot["brief"] == "A different brief."


def test_diff_speaks_the_article_structure(editor_client):
    article = make_full_article(parts=2)
    first_expert = article.perspectives.get(position=2).expert
    edit(editor_client, article)
    other = make_expert(name="Mark Galeotti")
    edit(
        editor_client,
        article,
        **{
            "sections-0-heading": "The Bigger Picture",
            "sections-0-body": "<p>Body one, now longer.</p>",
            "perspectives-1-expert": str(other.pk),
            "citations-0-source_url": "https://example.com/new",
        },
    )
    _, first, second = article.revisions.order_by("number")
    summaries = [change.summary for change in diff(first.snapshot, second.snapshot)]
    assert f"perspective 2 re-attributed from {first_expert.name} to Mark Galeotti" in summaries
    assert "citation 1: source URL changed" in summaries
    assert "section “The Bigger Picture” edited" in summaries
    html = editor_client.get(
        reverse("admin:articles_article_revision", args=[article.pk, 3])
    ).content.decode()
    assert "<del>Body 1</del>" in html or "<del>1</del>" in html
    assert "<ins>one, now longer.</ins>" in html


def test_word_diff_marks_changed_words():
    assert word_diff("the cat sat", "the dog sat") == [
        ("same", "the"),
        ("del", "cat"),
        ("ins", "dog"),
        ("same", "sat"),
    ]


def test_history_lists_revisions_with_who_and_state(editor_client):
    article = make_full_article()
    edit(editor_client, article, headline="One")
    response = editor_client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Published" in html and "Edited" in html


def test_restoring_is_refused_to_who_may_not_edit(client):
    writer = make_staff("Writer")
    article = make_full_article()
    Revision.capture(article)
    client.force_login(writer)
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    assert response.status_code == 403


def test_restore_reports_an_expert_deleted_since(editor_client):
    article = make_full_article()
    Revision.capture(article)
    expert = article.perspectives.get().expert
    Perspective.objects.filter(article=article).delete()
    expert.delete()
    response = editor_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, 1]), follow=True
    )
    assert "no longer exists" in response.content.decode()
    assert not article.perspectives.exists()


def test_reordering_sections_shows_as_a_move_not_as_every_section_edited(editor_client):
    article = make_full_article(parts=3)
    edit(editor_client, article)
    # The editor moves the third section to the top (order numbers), and edits it.
    edit(
        editor_client,
        article,
        **{
            "sections-0-position": "2",
            "sections-1-position": "3",
            "sections-2-position": "1",
            "sections-2-body": "<p>Body 3, sharpened.</p>",
        },
    )
    _, first, second = article.revisions.order_by("number")
    assert [s["heading"] for s in second.snapshot["sections"]] == [
        "Section 3",
        "Section 1",
        "Section 2",
    ]
    summaries = [change.summary for change in diff(first.snapshot, second.snapshot)]
    assert summaries == [
        "section 3 (“Section 3”) moved to position 1",
        "section “Section 3” edited",
    ]


def test_removing_and_adding_parts_is_said_by_name(editor_client):
    article = make_full_article(parts=2)
    edit(editor_client, article)
    first_expert = article.perspectives.get(position=1).expert
    edit(
        editor_client,
        article,
        **{
            "sections-0-DELETE": "on",
            "perspectives-0-DELETE": "on",
            "watch_items-2-text": "A new development.",
        },
    )
    _, first, second = article.revisions.order_by("number")
    summaries = [change.summary for change in diff(first.snapshot, second.snapshot)]
    assert summaries == [
        "section 1 (“Section 1”) removed",
        f"perspective 1 (“{first_expert.name}”) removed",
        "development to watch 3 added",
    ]


def test_snapshots_without_part_ids_are_still_compared_by_position():
    old = {"sections": [{"heading": "A", "body": "x", "image_id": None}], "watch_items": ["w"]}
    new = {
        "sections": [{"id": 7, "heading": "A", "body": "y", "image_id": None}],
        "watch_items": [{"id": 3, "text": "w, edited"}],
    }
    summaries = [change.summary for change in diff(old, new)]
    assert summaries == ["section “A” edited", "development to watch 1 edited"]


def test_restore_gives_parts_back_their_ids_so_later_diffs_pair_them(editor_client):
    article = make_full_article(parts=2)
    ids = list(article.sections.values_list("pk", flat=True))
    edit(editor_client, article, **{"sections-0-DELETE": "on"})
    editor_client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    assert list(article.sections.values_list("pk", flat=True)) == ids
    latest, before = article.revisions.order_by("-number")[:2]
    assert [c.summary for c in diff(before.snapshot, latest.snapshot)] == [
        "section 1 (“Section 1”) added"
    ]


def test_any_two_revisions_can_be_compared_from_the_history(editor_client):
    article = make_full_article()
    edit(editor_client, article, brief="Second brief.")
    edit(editor_client, article, brief="Third brief.")
    history = reverse("admin:articles_article_revisions", args=[article.pk])
    assert 'name="from"' in editor_client.get(history).content.decode()
    response = editor_client.get(history, {"from": "1", "to": "3"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/revisions/3/?against=1")
    assert "brief edited" in html and "<ins>Third brief.</ins>" in html
