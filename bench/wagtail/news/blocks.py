"""The StreamField blocks of an article: its ordered parts, as a Wagtail editor adds them."""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=200)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])

    class Meta:
        template = "news/blocks/section.html"
        icon = "doc-full"


class PerspectiveBlock(blocks.StructBlock):
    expert = SnippetChooserBlock("news.Expert")
    credential = blocks.CharBlock(required=False, max_length=200)
    quote = blocks.TextBlock()
    disclosure = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        template = "news/blocks/perspective.html"
        icon = "openquote"


class CitationBlock(blocks.StructBlock):
    claim = blocks.TextBlock()
    source_label = blocks.CharBlock(required=False, max_length=200)
    source_url = blocks.URLBlock(required=False)
    source_date = blocks.DateBlock(required=False)

    class Meta:
        template = "news/blocks/citation.html"
        icon = "link"


class WatchItemBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    status = blocks.ChoiceBlock(
        choices=[
            ("open", "Open"),
            ("happened", "This happened"),
            ("did_not_happen", "This did not happen"),
            ("superseded", "Superseded by events"),
        ],
        default="open",
    )

    class Meta:
        template = "news/blocks/watch_item.html"
        icon = "view"
