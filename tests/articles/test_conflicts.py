"""
Edit conflicts: two people open the same article and both save. The second save is
refused with what the first changed, keeps the second person's text in the form, and
overwrites nothing. Guarded by the row's version (UPDATE … WHERE version = n).
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from articles.admin_workflow import WorkflowAdminMixin
from articles.models import Article
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import make_full_article, make_staff


def two_editors():
    first, second = Client(), Client()
    first.force_login(make_staff("Editor", "alice"))
    second.force_login(make_staff("Editor", "bob"))
    return first, second


@pytest.mark.django_db
def test_second_save_is_refused_and_keeps_the_second_persons_text():
    first, second = two_editors()
    article = make_full_article()
    alice_form = change_form_data(first, article, brief="Alice's brief.")
    bob_form = change_form_data(
        second, article, brief="Bob's brief.", **{"sections-0-body": "<p>Bob's body.</p>"}
    )
    assert first.post(change_url(article), alice_form).status_code == 302

    response = second.post(change_url(article), bob_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Edit conflict" in html
    assert "alice saved this article at" in html
    assert "brief edited" in html  # what Alice changed, said as a diff
    assert "Bob&#x27;s brief." in html and "Bob&#x27;s body." in html  # Bob's text is kept
    article.refresh_from_db()
    assert article.brief == "Alice's brief."  # Alice's save is not overwritten
    assert article.version == 2

    # Having seen the conflict, Bob saves again on purpose: his version wins, recorded.
    retry = response.context["adminform"].form.data.copy()
    assert second.post(change_url(article), retry).status_code == 302
    article.refresh_from_db()
    assert article.brief == "Bob's brief."
    assert article.revisions.count() == 3  # the state before, then Alice, then Bob


@pytest.mark.django_db
def test_a_save_without_a_version_is_refused():
    first, _ = two_editors()
    article = make_full_article()
    data = change_form_data(first, article, headline="No version")
    del data["base_version"]
    response = first.post(change_url(article), data)
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).headline != "No version"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_two_connections_let_exactly_one_win(monkeypatch):
    assert connection.vendor == "postgresql"
    first, second = two_editors()
    article = make_full_article()
    forms = [
        change_form_data(first, article, headline="Alice's headline"),
        change_form_data(second, article, headline="Bob's headline"),
    ]

    # Hold each save open a moment after it claimed the row, so the two overlap.
    original_save_model = WorkflowAdminMixin.save_model

    def slow_save_model(self, request, obj, form, change):
        original_save_model(self, request, obj, form, change)
        time.sleep(0.5)

    monkeypatch.setattr(WorkflowAdminMixin, "save_model", slow_save_model)
    barrier = threading.Barrier(2)
    results = {}

    def save(name, client, data):
        try:
            barrier.wait()
            results[name] = client.post(change_url(article), data)
        finally:
            connection.close()  # each thread had its own database connection

    threads = [
        threading.Thread(target=save, args=(name, client, data))
        for name, client, data in zip(["alice", "bob"], [first, second], forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    codes = sorted(response.status_code for response in results.values())
    assert codes == [200, 302]
    loser = next(name for name, response in results.items() if response.status_code == 200)
    winner = "bob" if loser == "alice" else "alice"
    assert "Edit conflict" in results[loser].content.decode()
    article.refresh_from_db()
    assert article.headline == f"{winner.capitalize()}'s headline"
    assert article.version == 2
