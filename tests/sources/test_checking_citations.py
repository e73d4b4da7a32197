"""Checking citations: tasks, the command, the back-off, and what editors and readers see."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Citation
from sources import linkcheck, tasks
from sources.models import LinkState, Source
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def cite(article, url, position=1, **fields):
    fields = {"claim": f"Claim {position}"} | fields
    return Citation.objects.create(article=article, position=position, source_url=url, **fields)


def test_the_task_records_the_result_on_every_citation_of_the_address(web):
    url = f"{web}/gone"
    first, second = cite(make_article(), url), cite(make_article(), url)
    assert tasks.check_link.enqueue(url).return_value == LinkState.DEAD
    for citation in (first, second):
        citation.refresh_from_db()
        assert (citation.link_state, citation.link_status_code) == (LinkState.DEAD, 410)
        assert citation.link_checked_at is not None
    assert len(web.requests) == 1  # one check per address, not per citation


def test_a_moved_link_keeps_its_final_address(web):
    citation = cite(make_article(), f"{web}/chain-1")
    tasks.check_link.enqueue(citation.source_url)
    citation.refresh_from_db()
    assert (citation.link_state, citation.link_final_url) == (LinkState.MOVED, f"{web}/ok")


def test_a_failed_link_is_rechecked_after_a_growing_back_off_not_in_a_loop(web):
    citation = cite(make_article(), f"{web}/missing")
    gaps = []
    for _ in range(3):
        tasks.check_link.enqueue(citation.source_url)
        citation.refresh_from_db()
        gaps.append(citation.link_recheck_after - citation.link_checked_at)
    assert gaps == [timedelta(days=1), timedelta(days=2), timedelta(days=4)]
    assert tasks.due_urls() == []  # not due again until the back-off has passed
    assert tasks.due_urls(now=timezone.now() + timedelta(days=5)) == [citation.source_url]


def test_a_healthy_link_resets_the_back_off(web):
    citation = cite(make_article(), f"{web}/ok", link_failures=4)
    tasks.check_link.enqueue(citation.source_url)
    citation.refresh_from_db()
    assert citation.link_failures == 0
    assert citation.link_recheck_after - citation.link_checked_at == timedelta(days=30)


def test_check_links_queues_due_addresses_once_each(web):
    article = make_article()
    cite(article, f"{web}/ok", 1)
    cite(article, f"{web}/ok", 2)
    cite(article, f"{web}/gone", 3)
    out = StringIO()
    call_command("check_links", stdout=out)  # the immediate backend runs them at once
    assert "2 address(es) queued" in out.getvalue()
    states = dict(Citation.objects.values_list("position", "link_state"))
    assert states == {1: LinkState.OK, 2: LinkState.OK, 3: LinkState.DEAD}
    out = StringIO()
    call_command("check_links", stdout=out)
    assert "0 address(es) queued" in out.getvalue()


def test_queued_addresses_are_not_queued_again_before_the_worker_runs(web, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    cite(make_article(), f"{web}/ok")
    call_command("check_links", stdout=StringIO())
    assert tasks.due_urls() == []
    assert web.requests == []  # nothing ran: only the worker checks


def test_check_links_run_checks_here_and_reports(web):
    cite(make_article(), f"{web}/missing")
    out = StringIO()
    call_command("check_links", "--run", stdout=out)
    assert "dead" in out.getvalue() and "1 address(es) checked" in out.getvalue()


def test_the_database_backend_stores_the_task_for_the_worker(web, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    cite(make_article(), f"{web}/ok")
    call_command("check_links", stdout=StringIO())
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "sources.tasks.check_link"
    assert web.requests == []


def test_pages_never_check_links(client, monkeypatch):
    def refuse(url):
        raise AssertionError("a page request checked a link")

    monkeypatch.setattr(linkcheck, "check_url", refuse)
    monkeypatch.setattr(tasks, "check_url", refuse)
    article = make_article()
    cite(article, "https://example.org/never-checked")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_readers_get_the_archived_copy_only_when_the_original_is_dead(client):
    article = make_article()
    citation = cite(
        article, "https://example.org/old", archived_url="https://web.archive.org/web/1/x"
    )
    assert "Read the archived copy" not in client.get(article.get_absolute_url()).text
    citation.record_check(linkcheck.CheckResult(LinkState.DEAD, 404, citation.source_url))
    citation.save()
    html = client.get(article.get_absolute_url()).text
    assert "Read the archived copy" in html and "https://web.archive.org/web/1/x" in html


def test_a_source_page_lists_every_published_claim_based_on_it(client):
    isw = Source.objects.create(name="Institute for the Study of War", url="https://isw.example")
    published, draft = make_article(), make_article(status="draft")
    cite(published, "https://isw.example/a", claim="Russian forces gained ground.", source=isw)
    cite(draft, "https://isw.example/b", claim="A claim in a draft.", source=isw)
    html = client.get(isw.get_absolute_url()).text
    assert "Russian forces gained ground." in html and published.headline in html
    assert "A claim in a draft." not in html
    assert isw.name in client.get(reverse("sources:list")).text
    # The article links its source's page.
    assert isw.get_absolute_url() in client.get(published.get_absolute_url()).text


def editor_client(client):
    editor = make_user(is_staff=True, is_superuser=True)
    client.force_login(editor)
    return client


def test_editors_see_dead_and_moved_links_on_the_article_form_and_can_filter(client, web):
    article, healthy = make_article(), make_article()
    cite(article, f"{web}/gone", 1)
    cite(article, f"{web}/chain-1", 2)
    cite(healthy, f"{web}/ok", 1)
    call_command("check_links", stdout=StringIO())
    editor_client(client)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "Source links need attention" in html
    assert "Dead (404 or 410)" in html and f"now at <code>{web}/ok</code>" in html
    healthy_form = client.get(reverse("admin:articles_article_change", args=[healthy.pk])).text
    assert "Source links need attention" not in healthy_form
    listed = client.get(reverse("admin:articles_article_changelist"), {"links": "problem"})
    assert list(listed.context["cl"].result_list) == [article]
    assert "Broken source links (1)" in listed.text


def test_changing_an_address_in_the_article_form_forgets_the_old_result(client, web):
    from tests.articles.admin_forms import change_form_data, change_url

    article = make_article()
    citation = cite(article, f"{web}/gone")
    tasks.check_link.enqueue(citation.source_url)
    editor_client(client)
    data = change_form_data(client, article, **{"citations-0-source_url": f"{web}/ok"})
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    citation.refresh_from_db()
    assert (citation.source_url, citation.link_state) == (f"{web}/ok", LinkState.UNCHECKED)


def test_the_checked_links_list_queues_a_check(client, web):
    citation = cite(make_article(), f"{web}/missing")
    editor_client(client)
    response = client.post(
        reverse("admin:articles_citation_changelist"),
        {"action": "check_now", "_selected_action": [citation.pk]},
        follow=True,
    )
    assert "1 address(es) queued" in response.text
    citation.refresh_from_db()
    assert citation.link_state == LinkState.DEAD
