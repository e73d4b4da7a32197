"""Watch items that close the loop: resolved from a later article, shown on both, listed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import WatchItem
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def watch(article, text="Whether the bond is priced by November.", position=1, **fields):
    return WatchItem.objects.create(article=article, position=position, text=text, **fields)


@pytest.fixture
def editor(client):
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_an_editor_resolves_an_item_from_the_later_articles_form(client, editor):
    earlier = make_article(headline="Municipal borrowing")
    item = watch(earlier)
    later = make_article(headline="The protection gap")
    data = change_form_data(
        client,
        later,
        resolves=[str(item.pk)],
        resolves_status="happened",
        resolves_note="It priced on 25 November.",
    )
    response = client.post(change_url(later), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolution_note) == (
        "happened",
        later,
        "It priced on 25 November.",
    )
    assert item.resolved_on == timezone.localdate()
    # The earlier article now shows an outcome: its modified date moves, as for a correction.
    before = earlier.updated_at
    earlier.refresh_from_db()
    assert earlier.updated_at > before and earlier.modified_at > earlier.published_at


def test_the_outcome_shows_beside_the_item_and_on_the_later_article(client):
    earlier = make_article(headline="Municipal borrowing")
    later = make_article(headline="The protection gap")
    item = watch(earlier)
    item.resolve("happened", by=later, note="It priced early.", on=datetime.date(2027, 3, 12))
    item.save()
    original = client.get(earlier.get_absolute_url()).text
    assert 'Update, <time datetime="2027-03-12">12 March 2027</time>: this happened' in original
    assert f'read <a href="{later.get_absolute_url()}">The protection gap</a>' in original
    assert "It priced early." in original
    resolving = client.get(later.get_absolute_url()).text
    assert "Closing the loop" in resolving and item.text in resolving
    assert f"{earlier.get_absolute_url()}#watch-{item.pk}" in resolving


def test_an_unpublished_later_article_is_not_linked(client):
    earlier, draft = make_article(), make_article(status="draft")
    item = watch(earlier)
    item.resolve("did_not_happen", by=draft)
    item.save()
    html = client.get(earlier.get_absolute_url()).text
    assert "this did not happen" in html and draft.headline not in html


def test_dropping_an_item_from_the_later_article_reopens_it(client, editor):
    earlier, later = make_article(), make_article()
    item = watch(earlier)
    item.resolve("happened", by=later)
    item.save()
    data = change_form_data(client, later)
    assert [str(pk) for pk in data["resolves"]] == [str(item.pk)]
    data["resolves"] = []
    assert client.post(change_url(later), data).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolved_on) == ("open", None, None)


def test_an_article_cannot_resolve_its_own_items(client, editor):
    article = make_article()
    item = watch(article)
    data = change_form_data(client, article, resolves=[str(item.pk)])
    response = client.post(change_url(article), data)
    assert response.status_code == 200  # refused: not a valid choice
    item.refresh_from_db()
    assert item.is_open


def test_the_resolves_box_autocompletes_over_open_items_only(client, editor):
    earlier, later = make_article(headline="Borrowing"), make_article()
    wanted = watch(earlier, "Whether the bond is priced.", 1)
    watch(earlier, "Whether rates fall.", 2, status="happened")
    watch(later, "An item of the article being edited.", 1)
    url = reverse("admin:articles_watchitem_open_autocomplete")
    found = client.get(url, {"term": "whether", "exclude": later.pk}).json()["results"]
    assert [result["id"] for result in found] == [str(wanted.pk)]
    by_headline = client.get(url, {"term": "borrowing"}).json()["results"]
    assert [result["id"] for result in by_headline] == [str(wanted.pk)]
    html = client.get(change_url(later)).text
    assert url in html and "admin-autocomplete" in html  # Django's own select2, no CDN


def test_readers_cannot_use_the_autocomplete(client):
    client.force_login(make_user())  # not staff
    response = client.get(reverse("admin:articles_watchitem_open_autocomplete"))
    assert response.status_code == 302  # to the admin login


def test_an_item_is_resolved_from_its_own_admin_page(client, editor):
    earlier, later = make_article(), make_article()
    item = watch(earlier)
    url = reverse("admin:articles_watchitem_change", args=[item.pk])
    response = client.post(
        url,
        {"check_by": "", "status": "superseded", "resolved_on": "2027-03-12",
         "resolved_by": later.pk, "resolution_note": "Overtaken by the election."},
    )  # fmt: skip
    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolved_on) == (
        "superseded",
        later,
        datetime.date(2027, 3, 12),
    )


def test_editors_see_items_past_their_check_by_date(client, editor):
    article = make_article()
    today = timezone.localdate()
    overdue = watch(article, "Overdue.", 1, check_by=today - datetime.timedelta(days=1))
    watch(article, "Not yet due.", 2, check_by=today + datetime.timedelta(days=10))
    watch(article, "Undated.", 3)
    done = watch(article, "Resolved.", 4, check_by=today - datetime.timedelta(days=5))
    done.resolve("happened")
    done.save()
    response = client.get(reverse("admin:articles_watchitem_changelist"), {"due": "overdue"})
    assert list(response.context["cl"].result_list) == [overdue]
    listing = client.get(reverse("admin:articles_article_changelist")).text
    assert "Watch items overdue (1)" in listing


def test_what_we_are_watching_lists_open_items_with_their_age(client):
    old = make_article(published_at=timezone.now() - datetime.timedelta(days=60))
    watch(old, "Still open.", 1, check_by=datetime.date(2030, 1, 31))
    watch(old, "Already resolved.", 2, status="happened")
    watch(make_article(status="draft"), "In a draft.", 1)
    html = client.get(reverse("articles:watching")).text
    assert "Still open." in html and "31 January 2030" in html
    assert "1\xa0month" in html  # its age (timesince joins with no-break spaces)
    assert "Already resolved." in html  # under "Recently resolved", not the open list
    assert "In a draft." not in html
    open_items = client.get(reverse("articles:watching")).context["items"]
    assert [item.text for item in open_items] == ["Still open."]


def test_a_topic_has_its_own_watching_page(client):
    climate, other = make_article(), make_article()
    climate.topics.add("Climate")
    watch(climate, "Climate item.")
    watch(other, "Other item.")
    response = client.get(reverse("articles:topic-watching", args=["climate"]))
    assert [item.text for item in response.context["items"]] == ["Climate item."]
    assert client.get(reverse("articles:topic-watching", args=["nothing"])).status_code == 404
    assert (
        reverse("articles:topic-watching", args=["climate"])
        in client.get(reverse("articles:topic", args=["climate"])).text
    )


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_the_resolutions_feed_lists_outcomes(client, format):
    earlier, later = make_article(), make_article(headline="The later one")
    item = watch(earlier, "Whether it happens.")
    item.resolve("happened", by=later, note="It did.")
    item.save()
    watch(earlier, "Still open.", 2)
    body = client.get(reverse("articles:resolutions-feed", args=[format])).text
    assert "This happened: Whether it happens." in body and "It did." in body
    assert "Still open." not in body
    assert f"https://news.example.org{later.get_absolute_url()}#watch-{item.pk}" in body


def test_the_database_keeps_an_open_item_without_an_outcome():
    item = watch(make_article())
    item.resolve("happened", by=make_article())
    item.save()
    item.status = "open"
    item.save()  # reopening clears the outcome
    item.refresh_from_db()
    assert (item.resolved_by, item.resolved_on) == (None, None)


def test_restoring_an_old_revision_keeps_outcomes_sources_and_link_checks(client, editor):
    """Outcomes and link checks are facts about the world: a restore does not undo them."""
    from articles.models import Citation
    from articles.revisions import Revision
    from experts.models import Perspective
    from sources.linkcheck import CheckResult
    from sources.models import LinkState, Source
    from tests.factories import make_expert

    earlier, later = make_article(), make_article()
    item = watch(earlier, "Whether it happens.")
    source = Source.objects.create(name="Statistics Office")
    citation = Citation.objects.create(
        article=earlier, position=1, claim="A claim.", source=source,
        source_url="https://stats.example/a", archived_url="https://archive.example/a",
    )  # fmt: skip
    Perspective.objects.create(
        article=earlier, expert=make_expert(), position=1, quote="Q.", disclosure="Paid adviser."
    )
    old = Revision.capture(earlier, note="Before the outcome")
    item.resolve("happened", by=later)
    item.save()
    citation.record_check(CheckResult(LinkState.DEAD, 404, citation.source_url, "HTTP 404"))
    citation.save()

    # The old revision restored into the form, then saved.
    restored = client.get(reverse("admin:articles_article_restore", args=[earlier.pk, old.number]))
    assert restored.status_code == 200
    saved = client.post(change_url(earlier), restored.context["adminform"].form.data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert earlier.revisions.first().restored_from == old

    item = earlier.watch_items.get()
    assert (item.status, item.resolved_by) == ("happened", later)
    citation = earlier.citations.get()
    assert (citation.source, citation.archived_url) == (source, "https://archive.example/a")
    assert citation.link_state == LinkState.DEAD
    assert earlier.perspectives.get().disclosure == "Paid adviser."


def test_writers_do_not_resolve_items_and_their_saves_reopen_nothing(client):
    """An outcome shows on someone else's published article: only editors record one."""
    from tests.factories import make_staff

    writer = make_staff("Writer")
    earlier = make_article()
    item = watch(earlier)
    own = make_article(status="draft", created_by=writer)
    editor_resolution = make_article()
    item.resolve("happened", by=editor_resolution)
    item.save()
    other = watch(earlier, "Another item.", 2)
    client.force_login(writer)
    data = change_form_data(client, own)
    assert "resolves" not in data
    assert "This article resolves" not in client.get(change_url(own)).text
    data["resolves"] = [str(other.pk)]  # posted anyway: ignored
    assert client.post(change_url(own), data).status_code == 302
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.resolved_by == editor_resolution and other.is_open


def test_writers_see_but_cannot_resolve_items_in_the_item_admin(client):
    from tests.factories import make_staff

    client.force_login(make_staff("Writer"))
    item = watch(make_article())
    url = reverse("admin:articles_watchitem_change", args=[item.pk])
    assert client.get(url).status_code == 200  # read-only
    client.post(url, {"status": "happened", "resolved_on": "2027-03-12"})
    item.refresh_from_db()
    assert item.is_open
