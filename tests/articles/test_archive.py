"""The JSON archive: every field of every object survives export, an empty database, restore."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from taggit.models import Tag, TaggedItem

from articles import archive
from articles.models import Article, Author, SlugRedirect
from experts.models import Expert
from tests.articles.import_samples import SAMPLE_FILES
from tests.factories import make_author, make_full_article, make_user

pytestmark = pytest.mark.django_db


def test_the_archive_knows_every_concrete_field_of_every_model_it_writes():
    """Fails when a model gains a field the archive does not write: add it to archive.SPEC."""
    for part in [*archive.TOP.values(), *archive.NESTED.values()]:
        fields = {f.name for f in part.model._meta.concrete_fields if not f.primary_key}
        skipped = ({part.parent} | archive.DERIVED.get(part.model, set())) - {""}
        if part.model is archive.User:
            # Accounts are not newsroom content: only what names an author or editor.
            continue
        assert fields - skipped == set(part.fields), part.model.__name__


def test_the_archive_knows_every_relation_to_an_article_and_its_people():
    """Fails when a new model points to an article, expert, author or category: archive it."""
    nested = {part.model for part in archive.NESTED.values()}
    written = nested | {part.model for part in archive.TOP.values()}
    for model in (Article, Expert, Author, archive.Category):
        for relation in model._meta.related_objects:
            related = relation.related_model
            if related is TaggedItem or related in written:
                continue
            if related.__name__ in archive.NOT_ARCHIVED:  # each with its reason
                continue
            raise AssertionError(f"{related.__name__}.{relation.field.name} is not archived")


def snapshot() -> dict:
    """Every row of every archived model, every concrete field but the primary key, with
    relations as the natural key of their target: independent of the archive's field lists."""
    natural = {
        Article: "uuid", Tag: "name", archive.User: "username", archive.Image: "file",
        archive.Revision: "number",
    }  # fmt: skip

    def key(obj):
        value = getattr(obj, natural.get(type(obj), "slug"))
        return getattr(value, "name", None) or str(value)

    models_ = [part.model for part in [*archive.TOP.values(), *archive.NESTED.values()]]
    data = {}
    for model in models_:
        rows = []
        for obj in model._default_manager.all():
            row = {}
            for field in model._meta.concrete_fields:
                if field.name in archive.DERIVED.get(model, ()):
                    continue
                if field.primary_key or (model is archive.User and field.name not in
                                         archive.TOP["users"].fields):  # fmt: skip
                    continue
                if field.is_relation:
                    target = getattr(obj, field.name)
                    row[field.name] = None if target is None else key(target)
                elif isinstance(field, models.FileField):
                    row[field.name] = getattr(obj, field.name).name
                else:
                    row[field.name] = getattr(obj, field.name)
            rows.append(row)
        data[model.__name__] = sorted(rows, key=repr)
    data["topics"] = sorted(
        (str(Article.objects.get(pk=item.object_id).uuid), item.tag.name)
        for item in TaggedItem.objects.select_related("tag")
    )
    return data


def a_rich_newsroom():
    from django.conf import settings
    from PIL import Image

    card = settings.MEDIA_ROOT / "social" / "2025" / "01" / "card.png"
    card.parent.mkdir(parents=True)
    Image.new("RGB", (1200, 630), "navy").save(card)
    from tests.images.pictures import make_image

    editor = make_user("editor", first_name="Eve", last_name="Ditor", email="eve@example.org")
    lead = make_image(name="harbour.jpg", caption="The harbour.", credit="Eve/Agency",
                      licence="CC BY 4.0", focal_x=0.25, uploaded_by=editor)  # fmt: skip
    author = make_author(
        name="Zoë Ångström", bio="Writes on Nordic energy.", user=editor, portrait=make_image()
    )
    article = make_full_article(
        parts=3,
        authors=[author, make_author()],
        editors_comment="Signed.",
        editors_comment_by=editor,
        social_title="Shared title",
        social_description="Shared description",
        social_image="social/2025/01/card.png",
        social_image_alt="A harbour at dawn",
        lead_image=lead,
    )
    article.sections.filter(position=2).update(image=lead)
    archive.Correction.objects.create(article=article, text="A date was wrong.", created_by=editor)
    archive.Transition.objects.create(
        article=article,
        name=archive.Transition._meta.get_field("name").choices[0][0],
        from_status="draft",
        to_status="published",
        note="Checked.",
        by=editor,
    )
    first = archive.Revision.objects.create(
        article=article, number=901, created_by=editor, status="draft", article_version=1,
        note="First.", snapshot={"headline": "Old", "sections": [{"heading": "H"}]},
    )  # fmt: skip
    archive.Revision.objects.create(
        article=article, number=902, created_by=editor, status="draft", article_version=2,
        restored_from=first, snapshot={"headline": "Old again"},
    )  # fmt: skip
    Article.objects.filter(pk=article.pk).update(version=7, created_by=editor)
    article.slug = "renamed-slug"
    article.save()  # remembers the old slug
    draft = make_full_article(status=Article.Status.DRAFT, headline="Ünïcode “draft” 日本")
    draft.citations.update(source_date=datetime.date(2024, 2, 29))
    Expert.objects.filter(perspectives__article=draft).update(
        url="https://example.org/expert", affiliation="Institute", bio="Bio.", portrait=lead
    )
    with_editorial_trust(article, draft)
    return article, draft


def with_editorial_trust(article, draft):
    """Issue 10: sources, link-check results, resolved watch items, disclosures, correction
    parts and a merged expert's redirect, so the round trip covers them."""
    from experts.merging import merge_experts
    from sources.linkcheck import CheckResult
    from sources.models import LinkState, Source

    isw = Source.objects.create(
        name="Institute for the Study of War", url="https://isw.example", description="Tanks."
    )
    citation = article.citations.first()
    citation.source = isw
    citation.archived_url = "https://web.archive.org/web/1/https://example.org/1"
    citation.record_check(CheckResult(LinkState.DEAD, 404, "https://example.org/1", "HTTP 404"))
    citation.save()
    # The draft resolves an item of the published article, and the reverse.
    article.watch_items.filter(position=1).update(check_by=datetime.date(2026, 1, 31))
    item = article.watch_items.get(position=2)
    item.resolve("happened", by=draft, note="It did.", on=datetime.date(2026, 3, 12))
    item.save()
    back = draft.watch_items.first()
    back.resolve("superseded", by=article, on=datetime.date(2026, 4, 1))
    back.save()
    article.perspectives.update(disclosure="Advises the ministry.")
    archive.Correction.objects.filter(article=article).update(part="Data & Evidence, claim 2")
    keep = article.perspectives.first().expert
    merge_experts(keep, [Expert.objects.create(name="A duplicate of the first expert")])


def export_json() -> str:
    out = StringIO()
    call_command("export_articles", "--format", "json", stdout=out)
    return out.getvalue()


def empty_the_database():
    for model in (Article, Expert, Author, archive.Category, Tag, archive.Image, archive.User):
        model._default_manager.all().delete()
    assert not SlugRedirect.objects.exists() and not TaggedItem.objects.exists()


def test_json_export_then_restore_into_an_empty_database_loses_nothing(tmp_path):
    a_rich_newsroom()
    for path in SAMPLE_FILES:
        call_command("import_articles", str(path), stdout=StringIO())
    before = snapshot()
    assert len(before["Article"]) == 2 + len(SAMPLE_FILES) and before["SlugRedirect"]
    path = tmp_path / "archive.json"
    path.write_text(export_json(), encoding="utf-8")

    empty_the_database()
    call_command("import_articles", "--json", str(path), stdout=StringIO())

    assert snapshot() == before
    restored_user = archive.User.objects.get(username="editor")
    assert not restored_user.is_active and not restored_user.has_usable_password()


def test_a_second_export_equals_the_first_after_restore(tmp_path):
    a_rich_newsroom()
    first = json.loads(export_json())
    empty_the_database()
    archive.restore_document(first)
    second = json.loads(export_json())
    assert first.pop("exported_at") and second.pop("exported_at")
    assert second == first


def test_the_document_names_images_and_holds_every_part():
    article, _ = a_rich_newsroom()
    document = json.loads(export_json())
    row = next(r for r in document["articles"] if r["uuid"] == str(article.uuid))
    assert row["social_image"] == "social/2025/01/card.png"
    assert row["lead_image"] == article.lead_image.file.name
    [image] = [i for i in document["images"] if i["file"] == row["lead_image"]]
    assert image["credit"] == "Eve/Agency" and image["renditions"]["files"]
    assert image["uploaded_by"] == "editor"
    assert (row["social_image_width"], row["social_image_height"]) == (1200, 630)
    assert row["old_slugs"][0]["old_slug"] != "renamed-slug"
    assert row["editors_comment_by"] == "editor"
    assert [
        len(row[name]) for name in ("sections", "perspectives", "citations", "watch_items")
    ] == [3] * 4
    assert len(row["topics"]) == 3 and row["byline"][0]["author"] == "zoe-angstrom"
    assert "password" not in document["users"][0]


def test_restoring_over_existing_articles_is_refused_whole(tmp_path):
    a_rich_newsroom()
    path = tmp_path / "archive.json"
    path.write_text(export_json(), encoding="utf-8")
    Article.objects.filter(headline__startswith="Ünïcode").delete()
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("import_articles", "--json", str(path), stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not json", "not a JSON document"),
        (b'{"format": "something-else"}', "not a newsroom-articles document"),
        (b'{"format": "newsroom-articles", "version": 99}', "unsupported version 99"),
        (
            b'{"format": "newsroom-articles", "version": 1, "articles": [{"uuid": '
            b'"6f1c1a55-0000-4000-8000-000000000000", "headline": "H", "slug": "h", '
            b'"category": "nowhere"}]}',
            "category 'nowhere' is referred to but not found",
        ),
        (
            b'{"format": "newsroom-articles", "version": 1, "articles": [{"headline": 1}]}',
            "malformed document",
        ),
    ],
)
def test_a_bad_archive_is_refused_with_a_reason_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", "--json", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()
    assert not Article.objects.exists()
