"""The new admin pages open for editors in their role (not only for superusers)."""

import pytest
from django.urls import reverse

from articles.models import Citation, WatchItem
from experts.models import ExpertRedirect
from sources.models import Source
from tests.factories import make_article, make_expert, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["Editor", "Admin"])
def test_editors_open_every_new_admin_page(client, role):
    client.force_login(make_staff(role))
    article = make_article()
    source = Source.objects.create(name="Statistics Office")
    citation = Citation.objects.create(
        article=article, position=1, claim="A claim.", source=source, source_url="https://a.example"
    )
    item = WatchItem.objects.create(article=article, position=1, text="An item.")
    redirect = ExpertRedirect.objects.create(old_slug="old", expert=make_expert())
    urls = [
        reverse("admin:sources_source_changelist"),
        reverse("admin:sources_source_change", args=[source.pk]),
        reverse("admin:sources_source_add"),
        reverse("admin:articles_citation_changelist"),
        reverse("admin:articles_citation_change", args=[citation.pk]),
        reverse("admin:articles_watchitem_changelist") + "?due=overdue",
        reverse("admin:articles_watchitem_change", args=[item.pk]),
        reverse("admin:experts_expertredirect_changelist"),
        reverse("admin:experts_expertredirect_change", args=[redirect.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_add"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_writers_can_pick_and_add_sources_but_not_merge_or_redirect(client):
    client.force_login(make_staff("Writer"))
    assert client.get(reverse("admin:sources_source_add")).status_code == 200
    assert client.get(reverse("admin:experts_expertredirect_changelist")).status_code == 403
