from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Byline, Section, SlugRedirect
from tests.factories import make_article, make_author, make_category, make_full_article

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_future_publish_times():
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(hours=1))
    assert list(Article.objects.published()) == [live]


def test_publishing_without_a_date_stamps_now():
    article = make_article(published_at=None)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_slug_is_made_from_the_headline_and_kept_unique():
    first = make_article(headline="Why the talks failed")
    second = make_article(headline="Why the talks failed")
    assert first.slug == "why-the-talks-failed"
    assert second.slug == "why-the-talks-failed-2"


def test_changing_the_slug_remembers_the_old_one():
    article = make_article(headline="Old headline")
    article.slug = "new-headline"
    article.save()
    assert SlugRedirect.objects.get(old_slug="old-headline").article == article


def test_database_refuses_a_blank_headline():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="   ", slug="blank", brief="x")


def test_database_refuses_duplicate_slugs():
    make_article(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="Other", slug="same", brief="x")


def test_database_refuses_a_published_article_without_a_date():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_database_refuses_two_sections_in_the_same_position():
    article = make_article()
    Section.objects.create(article=article, position=1, heading="A", body="<p>a</p>")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(article=article, position=1, heading="B", body="<p>b</p>")


def test_database_refuses_the_same_author_twice_in_a_byline():
    author = make_author()
    article = make_article(authors=[author])
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=article, author=author, position=2)


def test_database_refuses_a_non_web_citation_url():
    article = make_full_article()
    citation = article.citations.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(citation).objects.filter(pk=citation.pk).update(source_url="javascript:alert(1)")


def test_section_body_is_sanitized_when_saved():
    article = make_article()
    section = Section.objects.create(
        article=article, position=1, heading="A", body="<p>ok</p><script>alert(1)</script>"
    )
    section.refresh_from_db()
    assert section.body == "<p>ok</p>"


def test_perspective_takes_the_experts_credential_when_none_is_given():
    article = make_full_article()
    perspective = article.perspectives.get()
    assert perspective.credential == perspective.expert.credential


def test_reading_time_counts_every_part():
    article = make_full_article(parts=3)
    assert article.reading_minutes == 1


def test_category_slug_is_generated():
    assert make_category(name="World Affairs").slug == "world-affairs"
