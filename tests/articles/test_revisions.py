"""
Revisions: a snapshot per save, a structural diff, and restore: the revision put into the
change form, unsaved, saved by the editor as a new revision.
"""

import re

import pytest
from django.urls import reverse
from taggit.utils import parse_tags

from articles.models import Article
from articles.revisions import Revision, diff, snapshot, word_diff
from experts.models import Perspective
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_author, make_expert, make_full_article, make_staff

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


def restore(client, article, number):
    """Press Restore on revision `number`: the change form, filled with it, unsaved."""
    response = client.get(reverse("admin:articles_article_restore", args=[article.pk, number]))
    assert response.status_code == 200, response.status_code
    return response


def save_restored(client, article, response, **changes):
    """Press a save button of the restored form: it posts what the form shows."""
    data = response.context["adminform"].form.data.copy()  # as the autosave tests do
    data.update(changes)
    hidden = re.search(r'name="_restored_from" value="(\d+)"', response.content.decode())
    data["_restored_from"] = hidden[1]
    saved = client.post(change_url(article), data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    article.refresh_from_db()
    return saved


def content(data: dict) -> dict:
    """A snapshot without its parts' row ids: what an editor wrote."""
    return {
        key: [{k: v for k, v in part.items() if k != "id"} for part in value]
        if isinstance(value, list) and value and isinstance(value[0], dict)
        else value
        for key, value in data.items()
    }


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
            "watch_items-3-text": "A development added later.",
        },
    )
    assert snapshot(article) != original
    save_restored(editor_client, article, restore(editor_client, article, 1))
    restored = snapshot(article)
    assert content(restored) == content(original)
    # The parts that still existed kept their rows; the deleted section came back as a new one.
    kept = lambda data, key: [part["id"] for part in data[key]]  # noqa: E731
    assert kept(restored, "sections")[:2] == kept(original, "sections")[:2]
    assert kept(restored, "sections")[2] != kept(original, "sections")[2]
    for key in ("perspectives", "citations", "watch_items"):
        assert kept(restored, key) == kept(original, key)
    # Nothing lost: the edited version is still in the history, and restoring made a new one.
    notes = list(article.revisions.order_by("number").values_list("note", flat=True))
    assert notes == [
        "As it was before its first tracked edit",
        "Edited",
        "Restored from revision 1",
    ]
    assert article.revisions.get(number=3).restored_from == article.revisions.get(number=1)
    assert article.revisions.get(number=2).snapshot["brief"] == "A different brief."


def test_restoring_a_published_article_changes_nothing_until_it_is_saved(editor_client):
    article = make_full_article(parts=2)
    assert article.is_published
    edit(editor_client, article, headline="Edited headline", brief="The edited brief.")
    row = Article.objects.filter(pk=article.pk).values().get()
    live = editor_client.get(article.get_absolute_url()).content.decode()
    revisions = list(article.revisions.values_list("pk", "snapshot"))

    response = restore(editor_client, article, 1)

    html = response.content.decode()
    assert (
        "Revision 1 restored into the form: nothing is saved until you save; "
        "the current version stays as revision 2."
    ) in html
    assert "Please correct" not in html  # a notice, not an error
    assert f'action="{change_url(article)}"' in html  # Save posts to the change form
    assert Article.objects.filter(pk=article.pk).values().get() == row
    assert list(article.revisions.values_list("pk", "snapshot")) == revisions
    assert editor_client.get(article.get_absolute_url()).content.decode() == live
    assert "The edited brief." in live


def test_the_restored_form_shows_the_old_content(editor_client):
    article = make_full_article(parts=2, headline="The old headline", brief="The old brief.")
    old = snapshot(article)
    experts = [make_expert(name="Another Expert"), make_expert(name="A Third Expert")]
    edit(
        editor_client,
        article,
        headline="New headline",
        brief="New brief.",
        topics="Elsewhere",
        **{
            "sections-0-heading": "A new heading",
            "sections-1-body": "<p>New body.</p>",
            "perspectives-0-expert": str(experts[0].pk),
            "perspectives-1-quote": "A new quote.",
            "citations-1-claim": "A new claim.",
            "watch_items-0-text": "A new watch item.",
        },
    )
    response = restore(editor_client, article, 1)
    data = response.context["adminform"].form.data
    assert (data["headline"], data["brief"]) == ("The old headline", "The old brief.")
    assert sorted(parse_tags(data["topics"])) == ["Topic 1", "Topic 2"]
    shown = {
        key: [
            {name: data[f"{key}-{index}-{name}"] for name in names}
            for index in range(int(data[f"{key}-TOTAL_FORMS"]))
            if f"{key}-{index}-DELETE" not in data
        ]
        for key, names in [
            ("sections", ["heading", "body"]),
            ("perspectives", ["expert", "quote"]),
            ("citations", ["claim", "source_url"]),
            ("watch_items", ["text"]),
        ]
    }
    assert shown == {
        key: [{name: str(part[name.replace("expert", "expert_id")]) for name in names}
              for part in old[key]]
        for key, names in [
            ("sections", ["heading", "body"]),
            ("perspectives", ["expert", "quote"]),
            ("citations", ["claim", "source_url"]),
            ("watch_items", ["text"]),
        ]
    }  # fmt: skip
    html = response.content.decode()
    assert "The old headline" in html and "Body 2" in html and "Claim 2" in html
    assert "New brief." not in html and "A new watch item." not in html


def test_saving_a_restored_form_goes_through_the_version_check(client, editor_client):
    article = make_full_article()
    edit(editor_client, article, brief="Second brief.")
    response = restore(editor_client, article, 1)
    other = make_staff("Editor")
    client.force_login(other)
    edit(client, article, brief="Someone else's brief.")

    data = response.context["adminform"].form.data.copy()
    refused = editor_client.post(change_url(article), data)

    assert refused.status_code == 200
    assert "Edit conflict" in refused.content.decode()
    article.refresh_from_db()
    assert article.brief == "Someone else's brief."


def test_publishing_a_restored_revision_still_goes_through_the_checklist(editor_client):
    article = make_full_article(status="draft", published_at=None)
    Article.objects.filter(pk=article.pk).update(brief=("Far too long. " * 20).strip())
    article.refresh_from_db()
    Revision.capture(article, note="An overlong brief")
    edit(editor_client, article, brief="A brief that fits.")

    response = restore(editor_client, article, 1)
    saved = save_restored(editor_client, article, response, _transition="publish")

    messages = [str(m) for m in editor_client.get(saved.url).context["messages"]]
    assert any("not done (Publish now)" in m and "Shorten the brief" in m for m in messages)
    assert article.status == "draft" and not article.is_published
    assert article.brief.startswith("Far too long.")  # saved as a draft, not published
    assert article.revisions.first().note == "Restored from revision 1"

    # Restoring the revision that passes the checklist publishes it.
    save_restored(editor_client, article, restore(editor_client, article, 2), _transition="publish")
    assert article.status == "published" and article.brief == "A brief that fits."


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
    url = reverse("admin:articles_article_restore", args=[article.pk, 1])
    response = client.get(url)
    assert response.status_code == 403
    assert "Body 1" not in response.content.decode()


def test_writers_restore_their_own_drafts(client):
    writer = make_staff("Writer")
    article = make_full_article(status="draft", created_by=writer, brief="First brief.")
    article.byline.update(author=make_author(user=writer))
    client.force_login(writer)
    edit(client, article, brief="Second brief.")
    save_restored(client, article, restore(client, article, 1))
    assert article.brief == "First brief."


def test_restore_is_not_a_post(editor_client):
    article = make_full_article()
    Revision.capture(article)
    url = reverse("admin:articles_article_restore", args=[article.pk, 1])
    assert editor_client.post(url).status_code == 405


def test_restore_reports_an_expert_deleted_since(editor_client):
    article = make_full_article()
    Revision.capture(article)
    expert = article.perspectives.get().expert
    Perspective.objects.filter(article=article).delete()
    expert.delete()
    response = restore(editor_client, article, 1)
    assert "no longer exists" in response.content.decode()
    save_restored(editor_client, article, response)
    assert not article.perspectives.exists()
    assert article.sections.get().heading == "Section 1"


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


def test_restore_keeps_the_ids_of_parts_that_still_exist_so_diffs_pair_them(editor_client):
    article = make_full_article(parts=2)
    first, second = article.sections.values_list("pk", flat=True)
    edit(editor_client, article, **{"sections-0-DELETE": "on"})
    save_restored(editor_client, article, restore(editor_client, article, 1))
    assert list(article.sections.values_list("heading", flat=True)) == ["Section 1", "Section 2"]
    assert article.sections.get(heading="Section 2").pk == second
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


def test_restoring_keeps_corrections_outcomes_and_fields_a_revision_does_not_hold(editor_client):
    """Corrections, watch-item outcomes and the sharing fields are not content of a revision."""
    from articles.corrections import Correction

    article = make_full_article(parts=2)
    edit(editor_client, article, brief="Second brief.")
    Correction.objects.create(article=article, text="The date was wrong.")
    Article.objects.filter(pk=article.pk).update(social_title="Shared as this")
    item = article.watch_items.get(position=1)
    item.resolve("happened", by=make_full_article())
    item.save()
    article.refresh_from_db()

    save_restored(editor_client, article, restore(editor_client, article, 1))

    assert article.brief != "Second brief."
    assert list(article.corrections.values_list("text", flat=True)) == ["The date was wrong."]
    assert article.social_title == "Shared as this"
    assert article.watch_items.get(position=1).status == "happened"
