"""The demo loader: its `editor` account is an Editor by role, not by raw permissions."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_editor_is_in_the_editor_group_and_can_publish():
    call_command("load_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    assert [group.name for group in editor.groups.all()] == ["Editor"]
    assert not editor.user_permissions.exists()
    assert editor.has_perm("articles.publish_article")


def test_the_demo_shows_editorial_trust_without_checking_any_link(client, monkeypatch):
    """Issue 10: a resolved watch item, a dead link with its stored result, a correction."""
    from articles.corrections import Correction
    from articles.models import Citation, WatchItem
    from sources import linkcheck
    from sources.models import LinkState, Source

    monkeypatch.setattr(linkcheck, "check_url", lambda url: pytest.fail("a link was checked"))
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # twice: nothing twice

    [resolved] = WatchItem.objects.exclude(status="open")
    assert resolved.status == "happened" and resolved.resolved_by is not None
    assert resolved.resolved_by.published_at > resolved.article.published_at
    [dead] = Citation.objects.filter(link_state=LinkState.DEAD)
    assert (dead.link_status_code, dead.link_checked_at is not None) == (404, True)
    assert dead.archived_url and dead.offers_archived_copy
    [correction] = Correction.objects.all()
    assert correction.part
    assert Source.objects.exists()
    assert not Citation.objects.exclude(source_name="").filter(source__isnull=True).exists()

    assert "this happened" in client.get(resolved.article.get_absolute_url()).text
    assert "Read the archived copy" in client.get(dead.article.get_absolute_url()).text
    assert correction.part in client.get("/corrections/").text.replace("&amp;", "&")
