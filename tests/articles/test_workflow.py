"""States, scheduling by query-time visibility, the publish checklist, named times."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import BRIEF_MAX_LENGTH, Article, Citation, Section
from experts.models import Perspective
from tests.articles.admin_forms import change_form_data, change_url, form_data_from
from tests.factories import make_article, make_author, make_full_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """An injected clock: `clock.now` is what timezone.now() returns until changed."""

    class Clock:
        now = timezone.now()

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def test_scheduled_article_is_404_before_its_time_and_200_after(client, clock):
    article = make_full_article(status="scheduled", published_at=clock.now + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article not in Article.objects.published()
    clock.now += timedelta(hours=2)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article in Article.objects.published()


def test_unpublish_time_takes_an_article_off_the_site(client, clock):
    article = make_full_article(unpublish_at=clock.now + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 200
    clock.now += timedelta(hours=2)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert not Article.objects.get(pk=article.pk).is_published


@pytest.mark.parametrize("status", ["draft", "in_review", "unpublished"])
def test_only_scheduled_and_published_states_are_public(client, status):
    article = make_full_article(status=status, published_at=timezone.now() - timedelta(days=1))
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", ["scheduled", "published", "unpublished"])
def test_a_dated_state_needs_a_date_in_the_database(status):
    article = make_article(status="draft")
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status=status)


def test_scheduling_needs_a_future_time():
    editor = make_staff("Editor")
    article = make_full_article(status="in_review", published_at=None)
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.perform(article, "schedule", editor)
    assert "publish time in the future" in refused.value.reasons[0]


def test_publishing_keeps_the_first_publication_date():
    editor = make_staff("Editor")
    first = timezone.now() - timedelta(days=3)
    article = make_full_article(status="published", published_at=first)
    workflow.perform(article, "unpublish", editor, note="Legal check")
    workflow.perform(article, "publish", editor)
    article.refresh_from_db()
    assert article.published_at == first
    names = list(article.transitions.order_by("at", "pk").values_list("name", "note"))
    assert names == [("unpublish", "Legal check"), ("publish", "")]


def test_publishing_early_moves_a_future_date_to_now():
    editor = make_staff("Editor")
    article = make_full_article(status="scheduled", published_at=timezone.now() + timedelta(days=1))
    workflow.perform(article, "publish", editor)
    assert article.published_at <= timezone.now()


def complete_article(**overrides):
    return make_full_article(status="in_review", **overrides)


INCOMPLETE = {
    "long brief": (
        lambda a: Article.objects.filter(pk=a.pk).update(brief="x" * (BRIEF_MAX_LENGTH + 1)),
        "Shorten the brief",
    ),
    "no section": (lambda a: a.sections.all().delete(), "at least one section"),
    "perspective without credential": (
        lambda a: Perspective.objects.filter(article=a).update(credential=""),
        "needs a credential",
    ),
    "citation without source": (
        lambda a: Citation.objects.filter(article=a).update(source_name="", source_url=""),
        "needs a source",
    ),
    "no bottom line": (
        lambda a: Article.objects.filter(pk=a.pk).update(bottom_line=" "),
        "bottom line",
    ),
}


@pytest.mark.parametrize("case", INCOMPLETE)
@pytest.mark.parametrize("name", ["publish", "schedule"])
def test_publish_checklist_refuses_each_incomplete_case(case, name):
    editor = make_staff("Editor")
    article = complete_article(published_at=timezone.now() + timedelta(days=1))
    break_it, problem = INCOMPLETE[case]
    break_it(article)
    article.refresh_from_db()
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.perform(article, name, editor)
    assert any(problem in reason for reason in refused.value.reasons)
    article.refresh_from_db()
    assert article.status == "in_review"


def test_publish_checklist_allows_a_complete_article():
    article = complete_article()
    assert article.publish_problems() == []
    workflow.perform(article, "publish", make_staff("Editor"))
    assert Article.objects.get(pk=article.pk).status == "published"


def test_a_brief_at_the_limit_passes():
    assert BRIEF_MAX_LENGTH == 200  # issue 3's checklist
    article = complete_article(brief="x" * BRIEF_MAX_LENGTH)
    assert article.publish_problems() == []


def test_the_brief_limit_is_told_to_editors_in_the_admin(client):
    client.force_login(make_staff("Editor"))
    html = client.get(change_url(complete_article())).content.decode()
    assert f"at most {BRIEF_MAX_LENGTH} characters" in html


def test_refused_publish_lists_the_problems_in_the_admin(client):
    editor = make_staff("Editor")
    article = complete_article()
    Section.objects.filter(article=article).delete()
    client.force_login(editor)
    data = change_form_data(client, article, _transition="publish")
    response = client.post(change_url(article), data, follow=True)
    assert "Add at least one section." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "in_review"


def test_change_form_shows_the_checklist_while_editing(client):
    editor = make_staff("Editor")
    article = complete_article()
    client.force_login(editor)
    assert "Complete: ready to publish" in client.get(change_url(article)).content.decode()
    Perspective.objects.filter(article=article).update(credential="")
    html = client.get(change_url(article)).content.decode()
    assert "needs a credential" in html


def test_admin_list_says_what_is_scheduled_and_when_in_newsroom_time(client, settings):
    settings.TIME_ZONE = "Europe/London"
    editor = make_staff("Editor")
    client.force_login(editor)
    make_full_article(
        headline="Coming soon",
        status="scheduled",
        published_at=datetime(2099, 1, 5, 9, 0, tzinfo=UTC),
    )
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled for 5 Jan 2099, 09:00 GMT" in html


def test_times_are_named_in_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert workflow.newsroom_time(summer) == "1 Jul 2026, 09:00 BST"
    assert workflow.newsroom_time(summer, with_date=False) == "09:00 BST"


def test_an_article_without_a_lead_image_can_be_published():
    article = complete_article()
    assert article.lead_image_id is None
    assert article.publish_problems() == []


# The checklist as the editor types (static/articles/checklist.js asks this endpoint) ------

WRITES = {"INSERT", "UPDATE", "DELETE"}


def test_live_checklist_reflects_the_form_as_typed_without_saving_it(client):
    editor = make_staff("Editor")
    article = complete_article()
    client.force_login(editor)
    url = reverse("admin:articles_article_checklist", args=[article.pk])
    html = client.get(change_url(article)).content.decode()
    assert f'data-url="{url}"' in html and "articles/checklist.js" in html

    data = change_form_data(client, article)
    assert client.post(url, data).json() == {"problems": [], "complete": True}
    typed = data | {"brief": "x" * (BRIEF_MAX_LENGTH + 5), "bottom_line": ""}
    with CaptureQueriesContext(connection) as queries:
        problems = client.post(url, typed).json()["problems"]
    # Checked in memory: no article row written per keystroke (the session's expiry moves
    # on with every staff request, by design: STAFF_IDLE_MINUTES).
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in WRITES and "django_session" not in q["sql"]
    ]
    assert not writes, writes
    assert problems == [
        f"Shorten the brief to {BRIEF_MAX_LENGTH} characters at most "
        f"(it has {BRIEF_MAX_LENGTH + 5}).",
        "Write the bottom line.",
    ]
    # Nothing was saved: the row, its version and its history are as they were.
    stored = Article.objects.get(pk=article.pk)
    assert stored.brief == article.brief and stored.bottom_line == article.bottom_line
    assert stored.version == article.version and not stored.revisions.exists()


def test_live_checklist_on_the_add_page_lists_missing_fields_then_structure(client):
    client.force_login(make_staff("Editor"))
    url = reverse("admin:articles_article_checklist_new")
    response = client.get(reverse("admin:articles_article_add"))
    assert f'data-url="{url}"' in response.content.decode()
    data = form_data_from(response)
    problems = client.post(url, data).json()["problems"]
    assert "Headline: This field is required." in problems
    data |= {"headline": "Ports", "slug": "ports", "brief": "Ports are changing."}
    data |= {"byline-0-author": make_author().pk}
    problems = client.post(url, data).json()["problems"]
    assert problems == ["Add at least one section.", "Write the bottom line."]
    assert not Article.objects.exists()


def test_live_checklist_is_refused_to_who_may_not_edit(client):
    article = complete_article()
    client.force_login(make_staff("Writer"))
    url = reverse("admin:articles_article_checklist", args=[article.pk])
    assert client.post(url, {"brief": "x"}).status_code == 403
    assert client.get(url).status_code == 405


def test_live_checklist_counts_what_saving_fills_in(client):
    # A perspective with no printed credential gets the expert's on save: no problem then.
    article = complete_article()
    client.force_login(make_staff("Editor"))
    url = reverse("admin:articles_article_checklist", args=[article.pk])
    data = change_form_data(client, article, **{"perspectives-0-credential": ""})
    expert = article.perspectives.get().expert
    assert expert.credential
    assert client.post(url, data).json()["problems"] == []
    type(expert).objects.filter(pk=expert.pk).update(credential="")
    assert client.post(url, data).json()["problems"] == [
        f"Perspective 1 ({expert}) needs a credential."
    ]
