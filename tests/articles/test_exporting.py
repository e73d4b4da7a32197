"""Plain-text export: re-importing gives the same article; the public page shows the file."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from articles.exporting import article_text, for_export, html_to_paragraphs
from articles.importing import import_texts
from articles.models import Article, Section
from tests.articles.import_samples import MINIMAL, SAMPLE_FILES
from tests.factories import make_full_article

pytestmark = pytest.mark.django_db


def content(article: Article) -> dict:
    """Everything the text shape holds, as plain data."""
    article = for_export(Article.objects.filter(pk=article.pk)).get()
    return {
        "headline": article.headline,
        "brief": article.brief,
        "authors": [entry.author.name for entry in article.byline.all()],
        "category": article.category.name if article.category else None,
        "published_at": article.published_at,
        "sections": [(s.heading, s.body) for s in article.sections.all()],
        "perspectives": [
            (p.expert.name, p.credential, p.quote) for p in article.perspectives.all()
        ],
        "citations": [
            (c.claim, c.source_name, c.source_url, c.source_date) for c in article.citations.all()
        ],
        "looking_ahead_intro": article.looking_ahead_intro,
        "watch_items": [item.text for item in article.watch_items.all()],
        "bottom_line": article.bottom_line,
        "topics": sorted(tag.name for tag in article.topics.all()),
        "editors_comment": article.editors_comment,
    }


def reimport(article: Article) -> Article:
    [result] = import_texts([("export.txt", article_text(article))])
    assert result.ok, result.error
    return result.article


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_exported_text_reimports_as_the_same_article(path):
    [first] = import_texts([(path.name, path.read_bytes())])
    second = reimport(first.article)
    assert second.pk != first.article.pk
    assert content(second) == content(first.article)


def test_exported_text_of_an_admin_article_reimports_the_same(settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = make_full_article(parts=3, editors_comment="One.\n\nTwo.")
    assert content(reimport(article)) == content(article)


def test_rich_text_is_exported_as_paragraphs_and_inline_markup_is_dropped():
    html = (
        '<p>A <a href="https://example.org">linked</a> <em>word</em>.</p>'
        "<ul><li>First</li><li>Second<br>line</li></ul><h3>Sub</h3>"
        "<blockquote><p>Quoted</p></blockquote>tail &amp; end"
    )
    assert html_to_paragraphs(html) == [
        "A linked word.", "- First", "- Second line", "Sub", "Quoted", "tail & end"
    ]  # fmt: skip
    article = make_full_article()
    Section.objects.filter(article=article).update(body=html)
    section = reimport(article).sections.get()
    assert section.body == (
        "<p>A linked word.</p>\n<p>- First</p>\n<p>- Second line</p>\n<p>Sub</p>\n"
        "<p>Quoted</p>\n<p>tail &amp; end</p>"
    )


def test_export_command_writes_one_file_per_article(tmp_path):
    for path in SAMPLE_FILES:
        import_texts([(path.name, path.read_bytes())])
    call_command("export_articles", "--output", str(tmp_path), stderr=StringIO())
    files = sorted(tmp_path.glob("*.txt"))
    assert [f.stem for f in files] == sorted(Article.objects.values_list("slug", flat=True))
    assert files[0].read_text(encoding="utf-8") == article_text(
        Article.objects.get(slug=files[0].stem)
    )


def test_export_command_prints_one_article_on_stdout():
    [result] = import_texts([("a.txt", MINIMAL)])
    out = StringIO()
    call_command("export_articles", "--slug", result.article.slug, stdout=out)
    assert out.getvalue() == article_text(result.article)
    assert out.getvalue().startswith("A Short Headline About Ports\n\nBy Ann Lee and Bo Chen\n")


# --- The public page shows the file -------------------------------------------------------


class _Text(HTMLParser):
    """The text inside <article>, as a reader sees it."""

    def __init__(self):
        super().__init__()
        self.depth, self.chunks = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.chunks.append(data)


QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normalize(text: str) -> str:
    return " ".join(text.translate(QUOTES).split())


PERSPECTIVE = re.compile(
    r'^(?P<name>[^,—–]+)[,—–]\s*(?P<credential>[^:"“]+):\s*["“](?P<quote>.*?)["”]?$'
)
TOPICS = object()  # where the topics stand: a set on the page, in no particular order
KNOWN = {"brief", "expert perspectives", "data & evidence", "looking ahead", "the bottom line",
         "topics", "editor's comments"}  # fmt: skip


def expected_pieces(text: str) -> tuple[list[str], list[str]]:
    """The file's body text in reading order, and its topics (a set on the page)."""
    lines = [normalize(line) for line in text.split("\n")]
    body = lines[lines.index("Brief") :]
    pieces, topics, part = [], [], None
    for line in body:
        if not line or line.startswith("Like this article?"):
            if line:
                break
            continue
        if line.casefold().translate(QUOTES) in KNOWN:
            part = line.casefold()
            pieces.append(TOPICS if part == "topics" else line)
            continue
        line = re.sub(r"^[-*•]\s*", "", line)
        if part == "expert perspectives":
            match = PERSPECTIVE.match(line)
            pieces += [match["quote"], match["name"].strip(), match["credential"].strip()]
        elif part == "data & evidence":
            claim, _, source = line.partition(" (Source: ")
            pieces.append(claim)
            if source:
                pieces.append(source.removesuffix(")").split(",")[0].strip())
        elif part == "topics":
            topics += [t.strip() for t in line.split(",") if t.strip()]
        else:
            pieces.append(line)
    return pieces, topics


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_published_import_shows_every_part_of_the_file_in_order(client, path):
    text = path.read_bytes().decode("utf-8-sig")
    [result] = import_texts([(path.name, text)])
    article = result.article
    article.status = Article.Status.PUBLISHED
    article.save()
    parser = _Text()
    parser.feed(client.get(article.get_absolute_url()).content.decode())
    page = normalize(" ".join(parser.chunks))

    headline, byline = [normalize(line) for line in text.split("\n") if line.strip()][:2]
    assert page.startswith(normalize(f"{article.category or ''} {headline}"))
    assert normalize(byline).removeprefix("By ") in page
    assert article.published_at.strftime("%-d %B %Y") in page
    pieces, topics = expected_pieces(text)
    assert len(pieces) > 20
    cursor = 0
    for piece in pieces:
        if piece is TOPICS:
            if topics:  # the heading, then every topic (the page has no topic without one)
                cursor = page.find("Topics", cursor)
                found = [page.find(topic, cursor) for topic in topics]
                assert cursor >= 0 and min(found) >= 0, f"topics missing: {topics}"
                cursor = max(at + len(topic) for at, topic in zip(found, topics, strict=True))
            continue
        found = page.find(piece, cursor)
        assert found >= 0, f"not on the page, or out of order: {piece!r}"
        cursor = found + len(piece)
