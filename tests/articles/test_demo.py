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
