"""Experts over time: merging duplicates (perspectives move, old pages redirect) and the
expert page's record (credential as printed, disclosures, topics)."""

import pytest
from django.urls import reverse

from experts.merging import merge_experts
from experts.models import Expert, ExpertRedirect, Perspective
from tests.experts.test_views import quote
from tests.factories import make_article, make_expert, make_staff

pytestmark = pytest.mark.django_db


def test_merging_moves_every_perspective_and_redirects_the_old_page(client):
    kept = make_expert(name="Fiona Hill", credential="", bio="")
    duplicate = make_expert(name="Dr Fiona Hill", credential="senior fellow", bio="Wrote a book.")
    first, second = make_article(), make_article()
    quote(kept, first, "First words.")
    old_quote = quote(duplicate, second, "Second words.", credential="then at the NSC")
    old_url = duplicate.get_absolute_url()

    assert merge_experts(kept, [duplicate]) == 1

    assert not Expert.objects.filter(pk=duplicate.pk).exists()
    old_quote.refresh_from_db()
    assert old_quote.expert == kept
    assert old_quote.credential == "then at the NSC"  # as printed, never rewritten
    kept.refresh_from_db()
    assert (kept.credential, kept.bio) == ("senior fellow", "Wrote a book.")  # filled blanks
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()
    html = client.get(kept.get_absolute_url()).text
    assert "First words." in html and "Second words." in html


def test_merging_again_keeps_earlier_redirects_pointing_at_the_survivor(client):
    a, b, c = make_expert(name="A"), make_expert(name="B"), make_expert(name="C")
    merge_experts(b, [a])
    merge_experts(c, [b])
    assert dict(ExpertRedirect.objects.values_list("old_slug", "expert__slug")) == {
        "a": "c",
        "b": "c",
    }
    assert client.get("/experts/a/")["Location"] == c.get_absolute_url()


def test_an_unknown_slug_is_still_404(client):
    assert client.get("/experts/nobody-at-all/").status_code == 404


def test_editors_merge_from_the_expert_list_choosing_who_to_keep(client):
    client.force_login(make_staff("Editor"))
    kept, duplicate = make_expert(name="Mark Galeotti"), make_expert(name="M. Galeotti")
    quote(duplicate, make_article(), "A show of willingness to talk.")
    url = reverse("admin:experts_expert_changelist")
    selected = {"action": "merge", "_selected_action": [kept.pk, duplicate.pk]}
    page = client.post(url, selected)
    assert page.status_code == 200 and "Keep this expert" in page.text
    done = client.post(url, selected | {"keep": kept.pk}, follow=True)
    assert "Merged M. Galeotti into Mark Galeotti: 1 perspective(s) moved" in done.text
    assert list(Expert.objects.values_list("name", flat=True)) == ["Mark Galeotti"]
    assert Perspective.objects.get().expert == kept


def test_writers_cannot_merge_experts(client):
    client.force_login(make_staff("Writer"))
    a, b = make_expert(), make_expert()
    client.post(
        reverse("admin:experts_expert_changelist"),
        {"action": "merge", "_selected_action": [a.pk, b.pk], "keep": a.pk},
    )
    assert Expert.objects.count() == 2


def test_the_expert_page_shows_disclosures_and_the_topics_they_were_quoted_on(client):
    expert = make_expert(name="Marguerite Lindell", credential="senior adviser")
    energy, trade = make_article(headline="On energy"), make_article(headline="On trade")
    energy.topics.add("Energy")
    trade.topics.add("Trade", "Energy")
    perspective = quote(expert, energy, "Volumes matter.", credential="then an adviser")
    Perspective.objects.filter(pk=perspective.pk).update(
        disclosure="Her forum is funded in part by mining companies."
    )
    quote(expert, trade, "Tariffs matter less.")
    response = client.get(expert.get_absolute_url())
    html = response.text
    assert "Disclosure:</strong> Her forum is funded in part by mining companies." in html
    assert "then an adviser" in html and "senior adviser" in html
    assert [topic.name for topic in response.context["topics"]] == ["Energy", "Trade"]
    article_html = client.get(energy.get_absolute_url()).text
    assert "Her forum is funded in part by mining companies." in article_html
