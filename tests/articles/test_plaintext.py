"""Specification of the plain-text analysis-article format (articles.plaintext)."""

import datetime
import time
from pathlib import Path

import pytest

from articles.plaintext import (
    ParsedArticle,
    ParsedCitation,
    ParsedPerspective,
    ParsedSection,
    PlainTextError,
    normalize_name,
    parse_article,
    render_article,
)

EXAMPLE = Path("/work/shared/examples/analysis-article.txt")
HEADER = "A Headline\n\nSarah Johnson\nDecember 3, 2025\nBrief\nThe dek.\n"
BODY = "Opening Analysis\nA body paragraph.\n"


def article(*parts: str) -> ParsedArticle:
    """Parse a minimal valid article with `parts` (lines of text) appended."""
    return parse_article(HEADER + BODY + "\n".join(parts) + "\n")


def refusal(text: str | bytes) -> PlainTextError:
    with pytest.raises(PlainTextError) as caught:
        parse_article(text)
    return caught.value


# --- The real example -------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> ParsedArticle:
    if not EXAMPLE.exists():
        pytest.skip(f"the example article {EXAMPLE} is not on this machine")
    return parse_article(EXAMPLE.read_bytes())


def test_example_header(example):
    assert example.headline == (
        "Why the Latest Putin-Witkoff-Kushner Meeting Failed to Unlock a Ukraine Peace Deal"
    )
    assert example.authors == ["Sarah Johnson"]
    assert example.published == datetime.date(2025, 12, 3)
    assert example.category == ""
    assert example.brief.startswith("In-depth analysis of the recent Putin-Witkoff-Kushner")


def test_example_has_three_body_sections_in_file_order(example):
    headings = [section.heading for section in example.sections]
    assert headings == ["Opening Analysis", "The Bigger Picture", "What This Really Means"]
    assert [len(section.paragraphs) for section in example.sections] == [1, 2, 2]


def test_example_perspectives_tolerate_the_missing_closing_quote(example):
    hill, galeotti = example.perspectives
    assert (hill.expert_name, hill.credential) == (
        "Dr. Fiona Hill",
        "former National Security Council Russia expert",
    )
    assert hill.quote.startswith("The problem is not just")
    assert hill.quote.endswith("rejected or worse, sidelined.")
    assert (galeotti.expert_name, galeotti.credential) == (
        "Mark Galeotti",
        "Moscow-based security analyst",
    )
    assert galeotti.quote.endswith("essential territorial claims.")


def test_example_has_four_citations_the_first_attributed_to_the_isw(example):
    assert len(example.citations) == 4
    first = example.citations[0]
    assert first.source_name == "the Institute for the Study of War"
    assert first.claim.startswith("According to the Institute for the Study of War, Russian")
    assert [citation.source_name for citation in example.citations[1:]] == ["", "", ""]


def test_example_looking_ahead_has_an_intro_and_four_watch_items(example):
    assert example.looking_ahead_intro.endswith("Key future developments to watch include:")
    assert len(example.watch_items) == 4
    assert example.watch_items[0].startswith("Whether Ukraine’s coordination")


def test_example_topics_are_empty_and_editors_comments_are_one_paragraph(example):
    assert example.topics == []
    assert len(example.bottom_line) == 1
    assert len(example.editors_comments) == 1
    assert example.editors_comments[0].endswith("under the guise of dialogue?")


def test_example_contains_no_share_boilerplate(example):
    everything = repr(example) + render_article(example)
    for phrase in ("Like this article", "If you find this article", "Thank you for your support"):
        assert phrase not in everything


def test_example_survives_a_render_and_parse_round_trip(example):
    assert parse_article(render_article(example)) == example


# --- Header: headline, byline, date, category --------------------------------------------


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Sarah Johnson", ["Sarah Johnson"]),
        ("By Sarah Johnson", ["Sarah Johnson"]),
        ("By A Person and B Person", ["A Person", "B Person"]),
        ("A Person, B Person and C Person", ["A Person", "B Person", "C Person"]),
        ("A Person, B Person, and C Person", ["A Person", "B Person", "C Person"]),
        ("A Person & B Person", ["A Person", "B Person"]),
        ("by: Alexandra Andrews", ["Alexandra Andrews"]),
    ],
)
def test_byline_lists_one_or_more_authors(byline, authors):
    parsed = parse_article(f"Headline\n{byline}\n2025-12-03\nBrief\nDek.\n{BODY}")
    assert parsed.authors == authors


@pytest.mark.parametrize(
    "written",
    [
        "December 3, 2025",
        "Dec 3, 2025",
        "Dec. 3, 2025",
        "3 December 2025",
        "December 3 2025",
        "december 3rd, 2025",
        "Wednesday, December 3, 2025",
        "2025-12-03",
    ],
)
def test_common_written_dates_and_iso_dates_are_read(written):
    parsed = parse_article(f"Headline\nSarah Johnson\n{written}\nBrief\nDek.\n{BODY}")
    assert parsed.published == datetime.date(2025, 12, 3)


def test_iso_datetime_keeps_its_time_and_offset():
    parsed = parse_article(f"Headline\nSarah Johnson\n2025-12-03T09:30:00+00:00\n{BODY}")
    assert parsed.published == datetime.datetime(2025, 12, 3, 9, 30, tzinfo=datetime.UTC)


def test_missing_date_is_none():
    parsed = parse_article(f"Headline\nSarah Johnson\nBrief\nDek.\n{BODY}")
    assert parsed.published is None
    assert parsed.authors == ["Sarah Johnson"]


def test_category_line_follows_the_date():
    parsed = parse_article(f"Headline\nSarah Johnson\nDecember 3, 2025\nCategory: World\n{BODY}")
    assert parsed.category == "World"
    assert parsed.brief == ""


def test_impossible_date_is_refused_with_its_line():
    error = refusal(f"Headline\nSarah Johnson\nFebruary 30, 2025\n{BODY}")
    assert error.line == 3
    assert "February 30, 2025" in str(error)


def test_hash_marked_headline_loses_its_marker():
    assert parse_article(f"# Headline\nSarah Johnson\n{BODY}").headline == "Headline"


# --- Headings ----------------------------------------------------------------------------


def test_known_headings_ignore_case_and_surrounding_whitespace():
    parsed = parse_article(
        "Headline\nA Writer\n  BRIEF  \nDek.\n"
        f"{BODY}  the bottom LINE \nDone.\nDATA AND EVIDENCE\n- A claim.\n"
    )
    assert parsed.brief == "Dek."
    assert parsed.bottom_line == ["Done."]
    assert parsed.citations == [ParsedCitation("A claim.")]


@pytest.mark.parametrize(
    "heading",
    ["Editor's Comments", "Editor’s Comments", "Editors' Comments", "Editors’ Comments"],
)
def test_curly_and_straight_apostrophes_name_the_same_heading(heading):
    assert article(heading, "A comment.").editors_comments == ["A comment."]


def test_any_other_short_heading_starts_a_body_section():
    parsed = article("Why It Matters Now", "Because.", "Second Thoughts", "Indeed.")
    assert [section.heading for section in parsed.sections] == [
        "Opening Analysis",
        "Why It Matters Now",
        "Second Thoughts",
    ]
    assert parsed.sections[1].paragraphs == ["Because."]


def test_hash_marked_line_is_a_heading_even_when_long_or_punctuated():
    long_heading = "What comes next? " + "A long heading that goes on and on " * 3
    parsed = article(f"## {long_heading}", "Text.", "# Short", "More text.")
    assert [section.heading for section in parsed.sections][1:] == [long_heading.strip(), "Short"]


def test_short_line_ending_in_sentence_punctuation_is_a_paragraph():
    parsed = article("It failed.", "Nobody was surprised.")
    assert parsed.sections[0].paragraphs == [
        "A body paragraph.",
        "It failed.",
        "Nobody was surprised.",
    ]


def test_short_line_followed_by_a_blank_line_is_a_paragraph():
    parsed = article("Not a heading", "", "Still the same section.")
    assert len(parsed.sections) == 1
    assert parsed.sections[0].paragraphs[1:] == ["Not a heading", "Still the same section."]


def test_short_line_right_before_a_known_heading_is_a_paragraph():
    parsed = article("Stay tuned", "The Bottom Line", "Done.")
    assert parsed.sections[0].paragraphs[-1] == "Stay tuned"


def test_long_line_is_never_an_unmarked_heading():
    long_line = " ".join(["word"] * 13)
    assert article(long_line, "Next.").sections[0].paragraphs[1:] == [long_line, "Next."]


def test_body_sections_keep_file_order_and_known_parts_may_appear_anywhere():
    parsed = parse_article(
        "Headline\nA Writer\nTopics\nEnergy\nThe Bottom Line\nFirst.\n"
        "Later Section\nText.\nBrief\nDek.\nEarly Section\nMore.\n"
    )
    assert [section.heading for section in parsed.sections] == ["Later Section", "Early Section"]
    assert (parsed.topics, parsed.bottom_line, parsed.brief) == (["Energy"], ["First."], "Dek.")


def test_blank_lines_between_paragraphs_are_ignored():
    parsed = parse_article(f"Headline\n\nA Writer\n\nBrief\n\nDek.\n\n{BODY}\nSecond.\n\n")
    assert parsed.sections == [ParsedSection("Opening Analysis", ["A body paragraph.", "Second."])]


def test_short_dek_right_under_brief_is_not_a_heading():
    parsed = parse_article(f"Headline\nA Writer\nBrief\nA short dek\n{BODY}")
    assert parsed.brief == "A short dek"


def test_text_between_the_header_and_the_first_heading_joins_the_brief():
    parsed = parse_article(f"Headline\nA Writer\nA lead paragraph.\n{BODY}")
    assert parsed.brief == "A lead paragraph."


# --- Expert Perspectives -----------------------------------------------------------------


def perspectives(*lines: str) -> list[ParsedPerspective]:
    return article("Expert Perspectives", *lines).perspectives


def test_comma_separates_expert_from_credential():
    assert perspectives('Jane Doe, economist at X: "Prices rise."') == [
        ParsedPerspective("Jane Doe", "economist at X", "Prices rise.")
    ]


@pytest.mark.parametrize("dash", ["—", "–", " — ", " – "])
def test_em_or_en_dash_separates_expert_from_credential(dash):
    assert perspectives(f'Jane Doe{dash}economist, author: "Prices rise."') == [
        ParsedPerspective("Jane Doe", "economist, author", "Prices rise.")
    ]


def test_spaced_hyphen_separates_expert_from_credential():
    assert perspectives('Jane Doe - Moscow-based analyst: "Yes."') == [
        ParsedPerspective("Jane Doe", "Moscow-based analyst", "Yes.")
    ]


def test_only_the_first_separator_counts_so_year_ranges_stay_in_the_credential():
    assert perspectives('Jane Doe, ambassador 2014–2017: "Yes."') == [
        ParsedPerspective("Jane Doe", "ambassador 2014–2017", "Yes.")
    ]


def test_curly_quotes_are_removed_from_the_quote():
    assert perspectives("Jane Doe, economist: “Prices rise.”")[0].quote == "Prices rise."


def test_missing_closing_quote_is_tolerated():
    assert perspectives('Jane Doe, economist: "Prices rise.')[0].quote == "Prices rise."


def test_colon_inside_the_quote_stays_in_the_quote():
    assert perspectives('Jane Doe, economist: "One thing: prices."')[0] == ParsedPerspective(
        "Jane Doe", "economist", "One thing: prices."
    )


def test_expert_without_credential():
    assert perspectives('Jane Doe: "Prices rise."') == [
        ParsedPerspective("Jane Doe", "", "Prices rise.")
    ]


def test_perspective_bullets_and_short_lines_are_not_headings():
    assert perspectives('- Jane Doe: "Yes"', 'Joe Bloggs: "No') == [
        ParsedPerspective("Jane Doe", "", "Yes"),
        ParsedPerspective("Joe Bloggs", "", "No"),
    ]


def test_perspective_without_a_quote_is_refused_naming_its_line():
    error = refusal(HEADER + BODY + "Expert Perspectives\nJane Doe, economist: Prices rise.\n")
    assert error.line == 10
    assert str(error).startswith("line 10: ")
    assert "quote" in str(error)


def test_perspective_without_an_expert_name_is_refused_naming_its_line():
    error = refusal(HEADER + BODY + 'Expert Perspectives\n"Prices rise."\n')
    assert str(error).startswith("line 10: ")


# --- Data & Evidence ---------------------------------------------------------------------


def citations(*lines: str) -> list[ParsedCitation]:
    return article("Data & Evidence", *lines).citations


@pytest.mark.parametrize("bullet", ["- ", "* ", "• ", "•", ""])
def test_claims_may_be_bullets_or_plain_lines(bullet):
    assert citations(f"{bullet}Prices rose 3%", f"{bullet}Wages fell") == [
        ParsedCitation("Prices rose 3%"),
        ParsedCitation("Wages fell"),
    ]


def test_explicit_source_with_name_url_and_date():
    line = "- Prices rose 3% (Source: Office for Statistics, https://example.org/a,b, 2025-06-12)"
    assert citations(line) == [
        ParsedCitation(
            "Prices rose 3%",
            "Office for Statistics",
            "https://example.org/a,b",
            datetime.date(2025, 6, 12),
        )
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Reuters", ("Reuters", "", None)),
        ("Reuters, London", ("Reuters, London", "", None)),
        ("Reuters, 2025-06-12", ("Reuters", "", datetime.date(2025, 6, 12))),
        ("Reuters, http://example.com/x", ("Reuters", "http://example.com/x", None)),
        ("https://example.com/x", ("", "https://example.com/x", None)),
        ("Office (ONS)", ("Office (ONS)", "", None)),
    ],
)
def test_explicit_source_url_and_date_are_optional(source, expected):
    (citation,) = citations(f"- Prices rose (Source: {source}).")
    assert citation.claim == "Prices rose"
    assert (citation.source_name, citation.source_url, citation.source_date) == expected


def test_according_to_names_the_source_and_keeps_the_claim_whole():
    claim = "According to the Central Bank, inflation slowed."
    assert citations(f"- {claim}") == [ParsedCitation(claim, "the Central Bank")]


def test_explicit_source_wins_over_according_to():
    (citation,) = citations("- According to rumours, prices rose (Source: Reuters)")
    assert citation == ParsedCitation("According to rumours, prices rose", "Reuters")


def test_claim_without_attribution_has_an_empty_source():
    assert citations("- Prices rose (in 2024).") == [ParsedCitation("Prices rose (in 2024).")]


def test_impossible_source_date_is_refused_with_its_line():
    error = refusal(HEADER + BODY + "Data & Evidence\n- Claim (Source: X, 2025-13-01)\n")
    assert str(error).startswith("line 10: ")


# --- Looking Ahead, Bottom Line, Topics, Editor's Comments -------------------------------


def test_looking_ahead_intro_paragraphs_come_before_the_bullets():
    parsed = article("Looking Ahead", "First.", "Second:", "- One thing", "* Another")
    assert parsed.looking_ahead_intro == "First.\n\nSecond:"
    assert parsed.watch_items == ["One thing", "Another"]


def test_looking_ahead_without_bullets_has_an_intro_line_then_one_item_per_line():
    parsed = article("Looking Ahead", "Watch these", "Ceasefire talks", "Sanctions vote")
    assert parsed.looking_ahead_intro == "Watch these"
    assert parsed.watch_items == ["Ceasefire talks", "Sanctions vote"]


def test_bottom_line_and_editors_comments_are_paragraphs():
    parsed = article("Bottom Line", "One.", "", "Two.", "Editors' Comments", "Three.")
    assert (parsed.bottom_line, parsed.editors_comments) == (["One.", "Two."], ["Three."])


@pytest.mark.parametrize(
    "lines",
    [
        ["Energy, Shipping & Ports, Trade"],
        ["Energy", "Shipping & Ports", "Trade"],
        ["- Energy", "- Shipping & Ports", "• Trade"],
        ["Energy,, Shipping & Ports,", "energy", "Trade"],
    ],
)
def test_topics_are_comma_separated_or_one_per_line(lines):
    assert article("Topics", *lines).topics == ["Energy", "Shipping & Ports", "Trade"]


def test_topics_may_be_empty():
    assert article("Topics", "Editor's Comments", "Fine.").topics == []


# --- Share boilerplate -------------------------------------------------------------------


def test_share_boilerplate_is_ignored():
    parsed = article(
        "The Bottom Line",
        "Done.",
        "If you find this article interesting, feel free to share it!",
        "Thank you for your support! Sharing helps.",
        "Like this article? Share it with your friends!",
        "Anything after this is dropped too",
        "More.",
    )
    assert parsed.bottom_line == ["Done."]
    assert len(parsed.sections) == 1


# --- Untrusted input ---------------------------------------------------------------------


def test_utf8_bytes_with_bom_and_crlf_line_ends_are_read():
    data = ("\ufeff" + HEADER + BODY).replace("\n", "\r\n").encode("utf-8")
    parsed = parse_article(data)
    assert parsed.headline == "A Headline"
    assert parsed.sections == [ParsedSection("Opening Analysis", ["A body paragraph."])]


def test_old_mac_cr_line_ends_are_read():
    assert parse_article((HEADER + BODY).replace("\n", "\r")).brief == "The dek."


def test_str_with_a_bom_is_read():
    assert parse_article("\ufeff" + HEADER + BODY).headline == "A Headline"


def test_bytes_that_are_not_utf8_are_refused_with_the_line():
    data = (HEADER + BODY).encode("utf-8") + "Café\n".encode("latin-1")
    error = refusal(data)
    assert str(error) == "line 9: not UTF-8 text"


def test_utf16_is_refused_as_not_utf8():
    assert "not UTF-8" in str(refusal((HEADER + BODY).encode("utf-16")))


@pytest.mark.parametrize("text", [HEADER + "Open\x00ing\n" + BODY, (HEADER + "\x00").encode()])
def test_nul_byte_means_not_a_text_file(text):
    error = refusal(text)
    assert str(error).startswith("line 7: not a text file")


@pytest.mark.parametrize("text", ["", b"", "\n \n\t\n", b"\xef\xbb\xbf", "Like this article?\n"])
def test_empty_file_is_refused(text):
    assert str(refusal(text)) == "line 1: the file is empty"


def test_file_starting_with_a_section_heading_has_no_headline():
    error = refusal("Brief\nDek.\n" + BODY)
    assert str(error).startswith("line 1: no headline")


def test_article_without_body_is_refused_where_the_body_should_start():
    error = refusal(HEADER + "The Bottom Line\nDone.\n")
    assert error.line == 7
    assert str(error).startswith("line 7: no body")


def test_article_with_only_a_header_is_refused_for_having_no_body():
    assert str(refusal("Headline\nSarah Johnson\n")).startswith("line 3: no body")


@pytest.mark.parametrize(
    "text",
    [
        "Headline\nA" + " " * 50_000 + "B\n" + BODY,
        HEADER + BODY + "Data & Evidence\n- c (Source: a" + " " * 50_000 + ", 2025-01-01 x)\n",
        HEADER + BODY + "Data & Evidence\n- According to a" + " " * 50_000 + "b\n",
        HEADER + BODY + "Expert Perspectives\nA" + " " * 50_000 + 'B — C: "q"\n',
    ],
)
def test_long_whitespace_runs_take_linear_time(text):
    started = time.monotonic()
    parse_article(text)
    assert time.monotonic() - started < 5  # quadratic backtracking took minutes here


def test_non_text_input_type_is_a_type_error():
    with pytest.raises(TypeError):
        parse_article(42)  # type: ignore[arg-type]


def test_error_without_a_line_is_just_the_message():
    assert str(PlainTextError("broken")) == "broken"
    assert str(PlainTextError("broken", line=12)) == "line 12: broken"


# --- normalize_name ----------------------------------------------------------------------


def test_normalize_name_folds_case_width_spacing_and_apostrophes_but_keeps_titles():
    assert normalize_name("  Dr.  Fiona\tHILL ") == "dr. fiona hill"
    assert normalize_name("Editor’s ｐｉｃｋ") == normalize_name("editor's pick")
    assert normalize_name("Prof. Ó Briain") != normalize_name("O Briain")


# --- Rendering ---------------------------------------------------------------------------


RICH = ParsedArticle(
    headline="Brief Encounters: A Headline",
    authors=["Ana Ruiz", "Bo Chen", "Chidi Okafor"],
    published=datetime.date(2025, 1, 9),
    category="World",
    brief="First dek paragraph.\n\nSecond dek paragraph",
    sections=[
        ParsedSection("Opening Analysis", ["Short one", "A longer paragraph, with commas."]),
        ParsedSection("Why Now?", ["Because."]),
        ParsedSection("An Empty Section", []),
        ParsedSection("Expert Perspectives Revisited", ["Not the known heading."]),
    ],
    perspectives=[
        ParsedPerspective("Dr. Jane Doe", "economist, author", 'Colon: inside "quote"'),
        ParsedPerspective("Ann Lee", "fellow — emerita, 2010–2015", ""),
        ParsedPerspective("Sam Roe", "", "Short"),
    ],
    citations=[
        ParsedCitation("Prices rose", "ONS", "https://example.org/x", datetime.date(2025, 2, 1)),
        ParsedCitation("According to the IMF, growth slowed.", "the IMF"),
        ParsedCitation("According to the IMF, growth slowed.", "Reuters"),
        ParsedCitation("Unsourced claim."),
        ParsedCitation("Dated only", source_date=datetime.date(2024, 12, 31)),
    ],
    looking_ahead_intro="What to watch",
    watch_items=["The vote", "- A dash item", "Brief"],
    bottom_line=["One.", "Two"],
    topics=["Energy", "Shipping & Ports"],
    editors_comments=["A comment"],
)


def test_rendered_article_reads_back_equal():
    assert parse_article(render_article(RICH)) == RICH


def test_render_writes_the_canonical_shape():
    text = render_article(
        ParsedArticle(
            headline="Headline",
            authors=["Ana Ruiz", "Bo Chen"],
            published=datetime.date(2025, 12, 3),
            category="World",
            brief="Dek.",
            sections=[ParsedSection("Opening Analysis", ["One.", "Two."])],
            perspectives=[ParsedPerspective("Jane Doe", "economist", "Yes.")],
            citations=[ParsedCitation("Claim.", "ONS", "", datetime.date(2025, 1, 2))],
            looking_ahead_intro="Watch:",
            watch_items=["Item"],
            bottom_line=["End."],
            topics=["Energy", "Trade"],
            editors_comments=["Note."],
        )
    )
    assert text == (
        "Headline\n\nBy Ana Ruiz and Bo Chen\nDecember 3, 2025\nCategory: World\n\n"
        "Brief\nDek.\n\nOpening Analysis\nOne.\n\nTwo.\n\n"
        'Expert Perspectives\nJane Doe, economist: "Yes."\n\n'
        "Data & Evidence\n- Claim. (Source: ONS, 2025-01-02)\n\n"
        "Looking Ahead\nWatch:\n\n- Item\n\nThe Bottom Line\nEnd.\n\n"
        "Topics\nEnergy, Trade\n\nEditor's Comments\nNote.\n"
    )


def test_render_writes_a_single_author_without_by_and_datetimes_in_iso():
    moment = datetime.datetime(2025, 12, 3, 9, 30, tzinfo=datetime.UTC)
    parsed = ParsedArticle("H", ["Sarah Johnson"], moment, sections=[ParsedSection("S", ["P."])])
    text = render_article(parsed)
    assert text.startswith("H\n\nSarah Johnson\n2025-12-03T09:30:00+00:00\n\nBrief\n")
    assert parse_article(text) == parsed


def test_render_escapes_lines_that_would_read_as_something_else():
    tricky = ParsedArticle(
        headline="# Hashed",
        authors=["3 May 2025"],
        sections=[ParsedSection("Ends with a period.", ["Text."])],
        topics=["Brief"],
    )
    text = render_article(tricky)
    assert "# # Hashed\n" in text
    assert "By 3 May 2025\n" in text
    assert "## Ends with a period.\n" in text
    assert parse_article(text) == tricky


# --- Property: whatever parses, renders and reads back the same ---------------------------

FRAGMENTS = [
    "Brief", "Topics", "Expert Perspectives", "Data & Evidence", "Looking Ahead",
    "The Bottom Line", "Editor’s Comments", "Opening Analysis", "## Marked", "# ",
    "- ", "* ", "•", "-", "By ", "and ", " & ", ", ", ": ", '"', "“", "”", "—", " – ",
    "According to X, ", "(Source: ", ")", "https://e.org/a,b", "2025-01-02", "2025-13-40",
    "December 3, 2025", "3 May 2025", "Category: ", "Like this article?",
    "Thank you for your support!", "word", "Two words", "end.", "?", "'", "’", "Jr.",
    " - ", "2014–2017",
]  # fmt: skip


def test_any_parsed_article_renders_and_reads_back_equal(tmp_path):
    hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is not installed")
    st = pytest.importorskip("hypothesis.strategies")
    configuration = pytest.importorskip("hypothesis.configuration")
    printable = st.characters(exclude_categories=("Cc", "Cs"))  # control characters are refused
    fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(printable, min_size=1, max_size=6))
    line = st.lists(fragment, max_size=5).map("".join)
    lines = st.lists(line, max_size=12)
    # Around a known-good section, so most documents parse and the rest is exercised.
    document = st.builds(lambda before, after: "\n".join([*before, BODY, *after]), lines, lines)

    @hypothesis.settings(max_examples=100, deadline=None, database=None)
    @hypothesis.given(document)
    def check(text: str) -> None:
        try:
            parsed = parse_article(text)
        except PlainTextError:
            return
        assert parse_article(render_article(parsed)) == parsed

    configuration.set_hypothesis_home_dir(tmp_path)  # keep Hypothesis's caches out of the checkout
    try:
        check()
    finally:
        configuration.set_hypothesis_home_dir(None)
