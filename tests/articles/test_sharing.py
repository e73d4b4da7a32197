"""The generated share card and the check on uploaded share images."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageFont, features

from articles.sharing import (
    ARABIC_FONT,
    CARD_HEIGHT,
    CARD_SHAPES,
    CARD_WIDTH,
    CJK_FONT,
    LATIN_FONT,
    MARGIN,
    CardText,
    card_path,
    font_at,
    font_path_for,
    render_card,
    validate_share_image,
    wrap,
)
from site_settings.models import SiteSettings
from tests.factories import make_article, make_category

LONG = (
    "Why the Moscow meeting failed: territory, sanctions, and the long shadow of a war "
    "that neither side can afford to lose nor win outright, as winter closes in on the "
    "front lines and the talks stall again"
)
ARABIC = "لماذا فشل اجتماع موسكو: الأرض والعقوبات وظل الحرب الطويل على خطوط المواجهة"
CHINESE = "莫斯科会谈为何失败：领土、制裁与战争的长影，冬季来临前线局势紧张，谈判再度陷入僵局"


def card(headline: str, category="World", colour="#8a1c1c") -> CardText:
    return CardText(headline=headline, category=category, site_name="The Newsroom", colour=colour)


def ink_bbox(image: Image.Image, colour: str):
    """The bounding box of everything drawn on the plain background."""
    background = Image.new("RGB", image.size, colour)
    return ImageChops.difference(image, background).getbbox()


def is_tofu(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """Whether the font draws `char` as its missing-glyph box."""
    missing = "\U000f0000"  # a private-use code point no bundled font has
    return bytes(font.getmask(char)) == bytes(font.getmask(missing))


def test_pillow_has_raqm_for_shaping_and_bidi():
    assert features.check("raqm"), "Pillow needs Raqm (with FriBiDi) to shape Arabic"


def test_two_hundred_character_headline():
    assert len(LONG) >= 200


@pytest.mark.parametrize(
    "headline", [LONG, ARABIC, CHINESE, "Short", "Averyveryverylongwordwithoutanyspaces" * 8]
)
def test_card_is_1200_by_630_with_everything_inside_the_margins(headline):
    image = render_card(card(headline))
    assert image.size == (CARD_WIDTH, CARD_HEIGHT) == (1200, 630)
    left, top, right, bottom = ink_bbox(image, "#8a1c1c")
    assert left >= MARGIN - 4 and right <= CARD_WIDTH - MARGIN + 4
    assert top >= MARGIN - 4 and bottom <= CARD_HEIGHT - MARGIN + 12  # descenders of the name


@pytest.mark.parametrize("shape", ["16x9", "4x3", "1x1"])
@pytest.mark.parametrize("headline", [LONG, ARABIC, CHINESE])
def test_cards_for_structured_data_keep_their_ratio_and_margins(shape, headline):
    width, height = CARD_SHAPES[shape]
    ratio = {"16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1}[shape]
    assert abs(width / height - ratio) < 0.01 and width * height >= 50_000
    image = render_card(card(headline), (width, height))
    assert image.size == (width, height)
    left, top, right, bottom = ink_bbox(image, "#8a1c1c")
    assert left >= MARGIN - 4 and right <= width - MARGIN + 4
    assert top >= MARGIN - 4 and bottom <= height - MARGIN + 12


@pytest.mark.parametrize("headline", [LONG, ARABIC, CHINESE])
def test_headline_fills_at_most_its_box(headline):
    text = card(headline, category="")
    image = render_card(text)
    # Paint over the footer (rule and site name) and measure the headline alone.
    footer_top = CARD_HEIGHT - MARGIN - 30 - 15 - 2
    image.paste("#8a1c1c", (0, footer_top, CARD_WIDTH, CARD_HEIGHT))
    left, top, right, bottom = ink_bbox(image, "#8a1c1c")
    assert MARGIN - 4 <= left < right <= CARD_WIDTH - MARGIN + 4
    assert top >= MARGIN and bottom < footer_top


@pytest.mark.parametrize("size", [(1200, 630), (1200, 1200)])
def test_every_line_of_an_arabic_headline_is_set_from_the_right(size):
    # At 1200×1200 the last line is "COP28" alone: it must still sit at the right margin.
    headline = ARABIC + " في COP28"
    width, height = size
    image = render_card(card(headline, category=""), size)
    image.paste("#8a1c1c", (0, height - MARGIN - 60, width, height))  # the footer
    rows = [y for y in range(height) if ink_bbox(image.crop((0, y, width, y + 1)), "#8a1c1c")]
    # Split the inked rows into lines at the blank gaps between them.
    lines, start = [], rows[0]
    for previous, row in zip(rows, rows[1:], strict=False):
        if row != previous + 1:
            lines.append((start, previous))
            start = row
    lines.append((start, rows[-1]))
    lines = [(top, bottom) for top, bottom in lines if bottom - top > 20]  # not lone dots
    assert len(lines) >= 2
    for top, bottom in lines:
        _, _, right, _ = ink_bbox(image.crop((0, top, width, bottom + 1)), "#8a1c1c")
        assert right >= width - MARGIN - 8, (top, bottom)  # flush with the right margin


def test_arabic_is_shaped_not_drawn_as_isolated_letters():
    font = font_at(ARABIC_FONT, 60)
    word = "سلام"
    joined = font.getlength(word)
    isolated = sum(font.getlength(letter) for letter in word)
    assert joined < isolated  # joined forms are narrower than the isolated ones


@pytest.mark.parametrize(
    "headline, font_path",
    [(LONG, LATIN_FONT), (ARABIC, ARABIC_FONT), (CHINESE, CJK_FONT), ("Ελλάδα Россия", LATIN_FONT)],
)
def test_each_script_gets_a_font_that_has_its_letters(headline, font_path):
    assert font_path_for(headline) == font_path
    font = font_at(font_path, 40)
    missing = {char for char in headline if not char.isspace() and is_tofu(font, char)}
    assert not missing


def test_the_missing_glyph_check_can_fail():
    assert is_tofu(font_at(LATIN_FONT, 40), "莫")
    assert is_tofu(font_at(LATIN_FONT, 40), "س")


def test_chinese_wraps_between_characters():
    lines = wrap(CHINESE, font_at(CJK_FONT, 76), CARD_WIDTH - 2 * MARGIN)
    assert len(lines) > 1 and "".join(lines) == CHINESE


def test_card_text_hash_changes_with_what_is_drawn():
    assert card("A").digest == card("A").digest
    assert card("A").digest != card("B").digest
    assert card("A").digest != card("A", colour="#000000").digest


@pytest.mark.django_db
def test_card_url_is_absolute_and_changes_with_the_headline(client):
    article = make_article(headline="First headline", category=make_category(name="World"))
    first = article.share_image()
    assert first.url.startswith(f"https://news.example.org/share/{article.uuid}/og/")
    assert (first.width, first.height) == (1200, 630)
    article.headline = "Second headline"
    article.save()
    assert article.share_image().url != first.url


@pytest.mark.django_db
def test_card_view_draws_once_and_serves_a_png(client, django_assert_num_queries):
    article = make_article(headline="Talks end", category=make_category())
    url = article.share_image().url.removeprefix("https://news.example.org")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    image = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert image.size == (1200, 630)
    path = card_path(article.uuid, article.card_text())
    assert default_storage.exists(path)
    square = client.get(url.replace("/og/", "/1x1/"))
    assert Image.open(BytesIO(b"".join(square.streaming_content))).size == (1200, 1200)
    assert client.get(url.replace("/og/", "/3x2/")).status_code == 404
    stored_at = default_storage.get_modified_time(path)
    client.get(url)
    assert default_storage.get_modified_time(path) == stored_at  # not drawn again


@pytest.mark.django_db
def test_stale_card_address_redirects_to_the_current_card(client):
    article = make_article(headline="Old")
    old_url = article.share_image().url.removeprefix("https://news.example.org")
    article.headline = "New"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 302
    assert response["Location"] == article.share_image().url.removeprefix(
        "https://news.example.org"
    )


@pytest.mark.django_db
def test_cards_of_drafts_are_not_served(client):
    from articles.models import Article

    draft = make_article(status=Article.Status.DRAFT)
    url = draft.share_image().url.removeprefix("https://news.example.org")
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_card_uses_the_brand_colour_from_site_settings():
    SiteSettings(site_name="Daily Analysis", brand_colour="#114477").save()
    article = make_article()
    assert article.card_text().colour == "#114477"
    assert article.card_text().site_name == "Daily Analysis"
    assert render_card(article.card_text()).getpixel((5, 5)) == (0x11, 0x44, 0x77)


def image_upload(format="PNG", size=(1200, 630), name="share.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "#336699").save(buffer, format=format)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_real_share_image_is_accepted():
    validate_share_image(image_upload())
    validate_share_image(image_upload("JPEG", name="share.jpg"))


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("evil.png", b"<svg onload=alert(1)></svg>"), "not an image"),
        (SimpleUploadedFile("cut.png", image_upload().read()[:200]), "not an image"),
        (image_upload(size=(300, 200)), "at least 600×315"),
        (image_upload("BMP", name="share.png"), "BMP images are not accepted"),
    ],
)
def test_bad_share_images_are_refused_with_a_reason(upload, message):
    with pytest.raises(ValidationError, match=message):
        validate_share_image(upload)


@pytest.mark.django_db
def test_staff_see_the_card_of_a_draft_privately(client):
    from articles.models import Article
    from tests.factories import make_user

    draft = make_article(status=Article.Status.DRAFT)
    url = draft.share_image().url.removeprefix("https://news.example.org")
    client.force_login(make_user(is_staff=True))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


@pytest.mark.django_db
def test_admin_form_shows_the_share_image(client):
    from django.urls import reverse

    from tests.factories import make_user

    article = make_article(headline="Talks end")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert f'<img src="{article.share_image().url}" width="400" height="210"'.encode() in html


@pytest.mark.django_db
def test_a_bad_social_image_is_refused_in_the_form_and_nothing_is_stored(settings):
    from django import forms

    from articles.models import Article

    class SharingForm(forms.ModelForm):
        class Meta:
            model = Article
            fields = ["social_image"]

    article = make_article()
    for upload, message in [
        (SimpleUploadedFile("small.png", image_upload(size=(300, 200)).read()), "at least"),
        (SimpleUploadedFile("evil.png", b"<svg onload=alert(1)></svg>"), "valid image"),
    ]:
        form = SharingForm(instance=article, files={"social_image": upload})
        assert not form.is_valid()
        assert message in str(form.errors["social_image"])
    assert not (settings.MEDIA_ROOT / "social").exists()
    article.refresh_from_db()
    assert not article.social_image


@pytest.mark.django_db
def test_card_is_served_unstored_and_briefly_cached_when_storage_is_full(client, monkeypatch):
    article = make_article(headline="Talks end")
    url = article.share_image().url.removeprefix("https://news.example.org")
    path = card_path(article.uuid, article.card_text())

    def disk_full(name, content, max_length=None):
        with default_storage.open(name, "wb") as half_written:
            half_written.write(content.read()[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", disk_full)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=300"
    assert Image.open(BytesIO(response.content)).size == (1200, 630)
    assert not default_storage.exists(path)  # no cut-short file served as the card later
    monkeypatch.undo()
    assert "immutable" in client.get(url)["Cache-Control"]  # stored once storage takes it
