"""Importing plain-text articles: the command, the admin form, reuse by name, refusals."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from taggit.models import Tag

from articles.importing import import_texts
from articles.models import Article, Author, Byline, Category, Citation, Section, WatchItem
from experts.models import Expert, Perspective
from tests.articles.import_samples import MINIMAL, SAMPLE_FILES
from tests.factories import make_author, make_expert, make_user

pytestmark = pytest.mark.django_db

ALL_MODELS = [Article, Author, Byline, Category, Citation, Section, WatchItem, Expert,
              Perspective, Tag]  # fmt: skip


def row_counts() -> dict:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def run(*args) -> tuple[str, str, CommandError | None]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def write(folder, name, content) -> str:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_each_sample_file_imports_as_one_complete_draft(path):
    out, err, error = run(str(path))
    assert error is None, err
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.sections.count() >= 3
    assert article.perspectives.count() >= 2
    assert article.citations.exists() and article.watch_items.exists()
    assert f"created draft {article.headline!r}" in out


def test_a_folder_imports_every_txt_file_in_it(tmp_path):
    for path in SAMPLE_FILES:
        write(tmp_path, path.name, path.read_bytes())
    write(tmp_path, "notes.md", "not an article")
    out, err, error = run(str(tmp_path))
    assert error is None, err
    assert Article.objects.count() == len(SAMPLE_FILES)
    assert f"{len(SAMPLE_FILES)} imported, 0 refused." in out


def test_standard_input_is_read_with_a_dash(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MINIMAL.encode())))
    out, err, error = run("-")
    assert error is None, err
    assert Article.objects.get().headline == "A Short Headline About Ports"


def test_experts_authors_topics_and_categories_are_reused_by_normalized_name(tmp_path):
    make_author(name="Ann Lee")
    make_expert(name="Dr. Ada Obi", credential="old credential")
    Tag.objects.create(name="shipping")
    text = MINIMAL.replace("By Ann Lee", "By  ANN  lee").replace(
        "2025-12-03", "2025-12-03\nCategory: Trade"
    )
    run(
        write(tmp_path, "a.txt", text),
        write(tmp_path, "b.txt", text.replace("Ports are", "Ports were")),
    )
    assert Article.objects.count() == 2
    assert Author.objects.filter(name__iexact="ann lee").count() == 1
    assert Expert.objects.filter(name="Dr. Ada Obi").count() == 1
    assert Tag.objects.filter(name__iexact="shipping").count() == 1
    assert Category.objects.filter(name="Trade").count() == 1
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Ports", "shipping"]
    # The article keeps the credential it printed; the expert keeps theirs.
    assert Perspective.objects.first().credential == "port economist"


def test_dry_run_says_what_would_be_created_and_writes_nothing(tmp_path):
    make_author(name="Ann Lee")
    before = row_counts()
    out, err, error = run("--dry-run", write(tmp_path, "a.txt", MINIMAL))
    assert error is None, err
    assert row_counts() == before
    assert "draft 'A Short Headline About Ports' at /a-short-headline-about-ports/" in out
    assert "authors: Ann Lee (existing), Bo Chen (new)" in out
    assert "experts: Dr. Ada Obi (new)" in out
    assert "topics: Shipping (new), Ports (new)" in out
    assert "1 would be imported, 0 refused." in out


REFUSALS = {
    "binary.txt": (b"GIF89a\x01\x00\x01\x00\x00\x00", "not a text file", 1),
    "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8", 1),
    "latin1.txt": ("Headline\n\nBrief\nCaf\xe9 society\n".encode("latin-1"), "not UTF-8", 4),
    "empty.txt": (b"\n\n  \n", "the file is empty", 1),
    "no-headline.txt": (b"Brief\nSomething.\n\nSection\nText.\n", "no headline", 1),
    "no-body.txt": (b"A Headline\n\nBrief\nOnly a brief.\n", "no body", 5),
    "bad-date.txt": (b"A Headline\nAnn Lee\n2025-02-30\n\nS\nText.\n", "not a valid date", 3),
    "no-quote.txt": (
        b"A Headline\n\nBrief\nB.\n\nSection\nText.\n\nExpert Perspectives\nAda Obi said so\n",
        "expert perspective has no quote",
        10,
    ),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_a_refused_file_names_itself_and_its_line_and_changes_nothing(tmp_path, name):
    content, message, line = REFUSALS[name]
    make_author(name="Ann Lee")
    before = row_counts()
    out, err, error = run(write(tmp_path, name, content))
    assert error is not None  # exit status 1
    assert row_counts() == before
    assert f"{name}: line {line}: {message}" in err


def test_one_refused_file_does_not_stop_the_others(tmp_path):
    good = write(tmp_path, "good.txt", MINIMAL)
    bad = write(tmp_path, "bad.txt", b"\x00\x01binary")
    other = write(tmp_path, "other.txt", MINIMAL.replace("Short", "Long"))
    out, err, error = run(good, bad, other)
    assert "1 of 3 files refused" in str(error)
    assert "bad.txt: line 1: not a text file" in err
    assert Article.objects.count() == 2


def test_a_file_the_database_refuses_is_reported_and_the_batch_still_lands(monkeypatch):
    """The batch is written again file by file: the one at fault leaves nothing, not even the
    expert only it named, and the lookups forget that expert too."""
    from django.db import IntegrityError

    import articles.importing as importing

    real = importing.Citation.objects.bulk_create

    def refuse_poison(objs, *args, **kwargs):
        objs = list(objs)
        if any("POISON" in citation.claim for citation in objs):
            raise IntegrityError("citation refused")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(importing.Citation.objects, "bulk_create", refuse_poison)
    poison = MINIMAL.replace("Dr. Ada Obi", "Only Here").replace(
        "Topics", "Data & Evidence\n- POISON claim\n\nTopics"
    )
    texts = [
        ("a.txt", MINIMAL),
        ("poison.txt", poison.replace("Short", "Bad")),
        ("c.txt", MINIMAL.replace("Short", "Long")),
        ("d.txt", MINIMAL.replace("Dr. Ada Obi", "Only Here").replace("Short", "Good")),
    ]
    results = import_texts(texts)
    assert [r.ok for r in results] == [True, False, True, True]
    assert results[1].error == "poison.txt: the database refused it: citation refused"
    assert Article.objects.count() == 3
    assert not Article.objects.filter(headline__contains="Bad").exists()
    assert Expert.objects.filter(name="Only Here").count() == 1  # created once, by d.txt


def test_a_batch_larger_than_one_transaction_gets_distinct_slugs(monkeypatch):
    import articles.importing as importing

    monkeypatch.setattr(importing, "BATCH_SIZE", 3)
    results = import_texts([(f"{n}.txt", MINIMAL) for n in range(7)])
    assert all(r.ok for r in results)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 7 and "a-short-headline-about-ports-7" in slugs


def test_a_missing_path_is_reported_and_fails_the_run(tmp_path):
    out, err, error = run(str(tmp_path / "nowhere.txt"))
    assert "nowhere.txt: no such file or folder" in err
    assert error is not None


# --- Variations of the format -------------------------------------------------------------

VARIANT = """\
\ufeffA Variant Headline\r
By Ann Lee and Bo Chen\r
{date}\r
\r
Brief\r
The brief.\r
\r
Body Heading\r
A paragraph.\r
\r
Expert Perspectives\r
Dr. Ada Obi — port economist: “Ports: bigger, slower.”\r
Bo Ek, analyst: "Straight quotes"\r
\r
Data & Evidence\r
{bullet} A claim (Source: Port Office, https://example.org/p, 2025-01-02)\r
\r
Looking Ahead\r
What to watch:\r
{bullet} First thing\r
{bullet} Second thing\r
\r
Topics\r
{topics}\r
"""


@pytest.mark.parametrize("bullet", ["-", "*", "•"])
@pytest.mark.parametrize("date", ["December 3, 2025", "3 Dec 2025", "2025-12-03"])
@pytest.mark.parametrize(
    "topics", ["Shipping, Ports", "Shipping\r\nPorts", "- Shipping\r\n- Ports"]
)
def test_variations_of_the_format_import_the_same_article(bullet, date, topics):
    text = VARIANT.format(bullet=bullet, date=date, topics=topics)
    [result] = import_texts([("v.txt", text.encode())])
    assert result.ok, result.error
    article = Article.objects.get()
    assert article.byline_authors and [a.name for a in article.byline_authors] == [
        "Ann Lee",
        "Bo Chen",
    ]
    assert article.published_at.date() == datetime.date(2025, 12, 3)
    first, second = article.perspectives.select_related("expert")
    assert (first.expert.name, first.credential, first.quote) == (
        "Dr. Ada Obi", "port economist", "Ports: bigger, slower."
    )  # fmt: skip
    assert (second.expert.name, second.quote) == ("Bo Ek", "Straight quotes")
    citation = article.citations.get()
    assert (citation.claim, citation.source_name, citation.source_url, citation.source_date) == (
        "A claim", "Port Office", "https://example.org/p", datetime.date(2025, 1, 2)
    )  # fmt: skip
    assert article.looking_ahead_intro == "What to watch:"
    assert list(article.watch_items.values_list("text", flat=True)) == [
        "First thing",
        "Second thing",
    ]
    assert sorted(article.topics.names()) == ["Ports", "Shipping"]
    assert article.sections.get().body == "<p>A paragraph.</p>"


def test_html_in_a_text_file_is_shown_as_text_not_run():
    text = MINIMAL.replace("Cranes got bigger.", "<script>alert(1)</script> & <b>bold</b>")
    [result] = import_texts([("x.txt", text)])
    assert result.article.sections.get().body == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>"
    )


# --- The admin form -----------------------------------------------------------------------


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


@pytest.fixture
def editor_client(client):
    from django.contrib.auth.models import Permission

    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_article", "view_article"])
    )
    client.force_login(user)
    return client


def test_the_article_list_offers_import_to_staff_who_may_add(editor_client):
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse("admin:articles_article_import") in html
    assert "Import from text" in html


def test_admin_upload_imports_drafts_and_reports_each_refused_file(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"files": [upload("good.txt", MINIMAL), upload("bad.txt", b"Brief\nNo headline.\n")]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.created_by.is_staff  # the editor who uploaded it
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert "bad.txt: line 1: no headline" in html


def test_admin_dry_run_writes_nothing(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"files": [upload("a.txt", MINIMAL)], "dry_run": "on"},
    )
    assert "Bo Chen (new)" in response.content.decode()
    assert not Article.objects.exists()


def test_staff_without_add_permission_may_not_import(client):
    from django.contrib.auth.models import Permission

    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Import from text" not in changelist
    url = reverse("admin:articles_article_import")
    assert client.get(url).status_code == 403
    assert client.post(url, {"files": [upload("a.txt", MINIMAL)]}).status_code == 403
    assert not Article.objects.exists()


def test_readers_are_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:articles_article_import"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_imported_section_bodies_are_exactly_what_the_cleaner_would_store():
    """section_html() skips bleach for plain escaped text: prove the result is the same."""
    hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is not installed")
    st = pytest.importorskip("hypothesis.strategies")
    from articles.importing import paragraphs_to_html, section_html
    from articles.sanitizer import sanitize_html

    tricky = st.sampled_from("\t\x0b\x0c\x1f\x7f\x85\ufffe\uffff\u2028\u00a0&<>\"';#x/p")
    character = st.one_of(st.characters(exclude_categories=("Cs",)), tricky)
    paragraph = st.text(character, min_size=1, max_size=40).map(str.strip).filter(bool)

    @hypothesis.settings(max_examples=500, deadline=None, database=None)
    @hypothesis.given(st.lists(paragraph, min_size=1, max_size=4))
    def check(paragraphs):
        body = section_html(paragraphs)
        # What Section.save() would store for the same HTML, and a fixed point of the cleaner.
        assert body == sanitize_html(paragraphs_to_html(paragraphs))
        assert body == sanitize_html(body)

    check()
