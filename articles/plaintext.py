"""
Parse and render the plain-text "analysis article" format (standard library only).

A file, as in /work/shared/examples/analysis-article.txt: the headline (first non-empty line),
then by position and each optional a byline ("Sarah Johnson", "By A and B", "A, B and C",
"A & B"), a date ("December 3, 2025", "3 Dec 2025", "2025-12-03", an ISO datetime) and our
"Category: X" line. Then sections: Brief (the dek), any number of body sections, and the known
parts Expert Perspectives (Name, credential: "quote"), Data & Evidence (- claim (Source: name,
https://url, YYYY-MM-DD)), Looking Ahead (intro, then bullets), The Bottom Line, Topics and
Editor's Comments. One paragraph per line; blank lines are ignored. Text before the first
heading joins the brief. Share boilerplate from "Like this article?" on is dropped.

Heading rule. A line is a section heading when
  1. it is a known heading (Brief, Expert Perspectives, Data & Evidence / Data and Evidence,
     Looking Ahead, (The) Bottom Line, Topics, Editor's / Editors' Comments), compared
     case-insensitively with curly apostrophes folded, ignoring a "#" marker or a final ":"; or
  2. it starts with one to six "#" and a space ("## Anything"); or
  3. it is heading-shaped (at most 80 characters and 12 words, not a bullet, not ending in
     . ! ? : ; , " ” ' ’ …) and the very next line is neither blank nor a rule 1 or 2 heading.
Rule 3 applies only where paragraphs are expected (before the first heading, Brief, body
sections, The Bottom Line, Editor's Comments), never to the line right under "Brief". In the
list sections (Expert Perspectives, Data & Evidence, Looking Ahead, Topics) each line is an
item, so only rules 1 and 2 end them: a body section after a list section needs "## ".

render_article() writes the canonical form: the example's shape with a blank line between
blocks and paragraphs (so a short paragraph never reads as a heading), and "## " only before
body headings that rule 3 would miss.
"""

import codecs
import datetime
import re
import unicodedata
from dataclasses import dataclass, field


class PlainTextError(ValueError):
    """The text is not a usable article; `line` is 1-based. The caller adds the file name."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedPerspective:
    expert_name: str
    credential: str
    quote: str


@dataclass(frozen=True)
class ParsedCitation:
    claim: str
    source_name: str = ""
    source_url: str = ""
    source_date: datetime.date | None = None


@dataclass
class ParsedSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ParsedArticle:
    headline: str
    authors: list[str] = field(default_factory=list)
    published: datetime.date | datetime.datetime | None = None
    category: str = ""
    brief: str = ""  # paragraphs joined by a blank line
    sections: list[ParsedSection] = field(default_factory=list)
    perspectives: list[ParsedPerspective] = field(default_factory=list)
    citations: list[ParsedCitation] = field(default_factory=list)
    looking_ahead_intro: str = ""  # paragraphs joined by a blank line
    watch_items: list[str] = field(default_factory=list)
    bottom_line: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    editors_comments: list[str] = field(default_factory=list)


# Known headings by their normalize_name() form -> the part of the article they fill.
KNOWN_HEADINGS = {
    "brief": "brief",
    "expert perspectives": "perspectives",
    "data & evidence": "data",
    "data and evidence": "data",
    "looking ahead": "looking_ahead",
    "the bottom line": "bottom_line",
    "bottom line": "bottom_line",
    "topics": "topics",
    "editor's comments": "editors_comments",
    "editors' comments": "editors_comments",
    "editors comments": "editors_comments",
}
# One item per line: rule 3 would mistake short items for headings.
LIST_SECTIONS = frozenset({"perspectives", "data", "looking_ahead", "topics"})
MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12
SENTENCE_END = ".!?:;,\"”'’…"
QUOTE_MARKS = '"“”'
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
BOILERPLATE_END = "like this article?"  # everything from here on is share boilerplate
BOILERPLATE_LINES = ("if you find this article interesting", "thank you for your support!")
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTHS = {"sept": 9}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    MONTHS[_name] = MONTHS[_name[:3]] = _number

# Control characters other than tab/newlines/form feed, and lone surrogates: not text.
BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
MARKED_HEADING = re.compile(r"^\#{1,6}\s+(?P<text>\S.*)$")
BULLET = re.compile(
    r"""
    ^(?: [-*]\s+     # "- item", "* item": the space tells a bullet from "-5%" or "*note"
       | •\s*        # "•item": the dot is unambiguous
    )
    (?P<text>\S.*)$
    """,
    re.VERBOSE,
)
CATEGORY = re.compile(r"^category\s*:\s*(?P<name>.*)$", re.IGNORECASE)
BY_PREFIX = re.compile(r"^by\b:?\s*", re.IGNORECASE)
# Each alternative starts with a fixed character, so splitting long lines stays linear.
AUTHOR_SEPARATOR = re.compile(
    r"""
      ,                     # "A, B", and with the "and" below the Oxford comma "A, B, and C"
    | &                     # "A & B"
    | (?<=\s) and (?=\s)    # "A and B"
    """,
    re.VERBOSE | re.IGNORECASE,
)
ISO_DATE = re.compile(
    r"""
    ^\d{4}-\d{2}-\d{2}
    (?: [T\ ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?   # optional time
        (?:Z|[+-]\d{2}(?::?\d{2})?)?            # optional UTC offset
    )?$
    """,
    re.VERBOSE | re.ASCII,
)
WRITTEN_DATE = re.compile(
    r"""
    ^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?     # optional weekday
    (?: (?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})
      | (?P<day_first>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month_second>[a-z]+)\.?,?\s+
        (?P<year_last>\d{4})
    )$
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
# Between expert and credential: a comma, an em or en dash, or a spaced hyphen.
SPEAKER_SEPARATOR = re.compile(r",|[—–]|\s-\s")
SOURCE_OPENING = re.compile(r"\(\s*source\s*:", re.IGNORECASE)
SOURCE_CLOSING = re.compile(r"(?P<body>.*)\)\s*\.?\s*$")  # greedy: up to the last ")"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
URL = re.compile(r"https?://\S+", re.IGNORECASE)
ACCORDING_TO = re.compile(r"^according\s+to\s+(?P<name>[^,]+),", re.IGNORECASE)


def normalize_name(name: str) -> str:
    """Matching key for experts, authors and topics: NFKC, casefold, straight ', one space."""
    text = unicodedata.normalize("NFKC", name).translate(APOSTROPHES)
    return " ".join(text.casefold().split())


# --- Reading ------------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # a KNOWN_HEADINGS value, "body", or "lead" (text before the first heading)
    heading: str
    line_no: int  # of the heading
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)

    def last_line(self) -> int:
        return self.lines[-1][0] if self.lines else self.line_no


def parse_article(text: str | bytes) -> ParsedArticle:
    """Parse one article; raise PlainTextError (with a line number) when it is unusable."""
    lines = _drop_boilerplate([line.strip() for line in _decode(text).split("\n")])
    filled = [index for index, line in enumerate(lines) if line]
    if not filled:
        raise PlainTextError("the file is empty", line=1)
    headline = _headline_of(lines[filled[0]])
    if headline is None:
        raise PlainTextError("no headline: the file starts with a section heading", filled[0] + 1)
    authors, published, category, position = _parse_header(lines, filled[0] + 1)
    blocks = _split_blocks(lines, position)

    sections = [
        ParsedSection(block.heading, [text for _, text in block.lines])
        for block in blocks
        if block.kind == "body"
    ]
    if not any(section.paragraphs for section in sections):
        intro_end = max(b.last_line() for b in blocks if b.kind in ("lead", "brief"))
        raise PlainTextError(
            "no body: expected a section heading and its paragraphs after the brief",
            line=min(intro_end + 1, len(lines)),
        )
    intro, watch_items = _parse_looking_ahead(_texts(blocks, "looking_ahead"))
    return ParsedArticle(
        headline=headline,
        authors=authors,
        published=published,
        category=category,
        brief="\n\n".join(_texts(blocks, "lead", "brief")),
        sections=sections,
        perspectives=[_parse_perspective(t, n) for n, t in _numbered(blocks, "perspectives")],
        citations=[_parse_citation(t, n) for n, t in _numbered(blocks, "data")],
        looking_ahead_intro=intro,
        watch_items=watch_items,
        bottom_line=_texts(blocks, "bottom_line"),
        topics=_parse_topics(_texts(blocks, "topics")),
        editors_comments=_texts(blocks, "editors_comments"),
    )


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes | bytearray):
        data = bytes(text).removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            before = data[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            raise PlainTextError("not UTF-8 text", line=before.count(b"\n") + 1) from None
    elif not isinstance(text, str):
        raise TypeError(f"expected str or bytes, not {type(text).__name__}")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    binary = BINARY.search(text)
    if binary:
        code = ord(binary.group())
        line = text.count("\n", 0, binary.start()) + 1
        raise PlainTextError(f"not a text file (contains the character U+{code:04X})", line)
    return text


def _drop_boilerplate(lines: list[str]) -> list[str]:
    kept = []
    for line in lines:
        if line.casefold().startswith(BOILERPLATE_END):
            break
        # Blank rather than delete, so later line numbers stay right.
        kept.append("" if _is_boilerplate(line) else line)
    return kept


def _is_boilerplate(line: str) -> bool:
    return line.casefold().startswith((BOILERPLATE_END, *BOILERPLATE_LINES))


def _known_key(line: str) -> str | None:
    marked = MARKED_HEADING.match(line)
    text = marked["text"] if marked else line
    return KNOWN_HEADINGS.get(normalize_name(text).removesuffix(":").rstrip())


def _is_structural(line: str) -> bool:
    """A heading by rule 1 or 2, wherever it stands."""
    return _known_key(line) is not None or MARKED_HEADING.match(line) is not None


def _is_heading_shaped(line: str) -> bool:
    return (
        len(line) <= MAX_HEADING_CHARS
        and len(line.split()) <= MAX_HEADING_WORDS
        and line[-1] not in SENTENCE_END
        and BULLET.match(line) is None
    )


def _headline_of(line: str) -> str | None:
    if _known_key(line) is not None:
        return None
    marked = MARKED_HEADING.match(line)
    return marked["text"].strip() if marked else line


def _bullet_text(line: str) -> str | None:
    bullet = BULLET.match(line)
    return bullet["text"] if bullet else None


def _header_kind(line: str, line_no: int) -> str | None:
    """'category', 'date' or 'byline'; None when the line ends the header."""
    if _is_structural(line):
        return None
    if CATEGORY.match(line):
        return "category"
    if _parse_date(line, line_no) is not None:
        return "date"
    return "byline"


def _parse_header(lines: list[str], start: int) -> tuple[list[str], datetime.date | None, str, int]:
    authors: list[str] = []
    published: datetime.date | None = None
    category = ""
    seen: set[str] = set()
    index = start
    while index < len(lines):
        line = lines[index]
        if line:
            kind = _header_kind(line, index + 1)
            # Each line at most once, and the byline only first.
            if kind is None or kind in seen or (kind == "byline" and seen):
                break
            seen.add(kind)
            if kind == "byline":
                authors = _split_authors(line)
            elif kind == "date":
                published = _parse_date(line, index + 1)
            else:
                category = CATEGORY.match(line)["name"].strip()
        index += 1
    return authors, published, category, index


def _split_authors(byline: str) -> list[str]:
    authors = []
    for piece in AUTHOR_SEPARATOR.split(BY_PREFIX.sub("", byline, count=1)):
        words = piece.split()
        # "A and, B" leaves "A and": drop the dangling word so rendering splits the same way.
        while words and words[0].casefold() == "and":
            words.pop(0)
        while words and words[-1].casefold() == "and":
            words.pop()
        if words:
            authors.append(" ".join(words))
    return authors


def _parse_date(text: str, line_no: int) -> datetime.date | None:
    """A date or datetime; None when `text` is not shaped like a date; refuse impossible ones."""
    try:
        if ISO_DATE.match(text):
            if len(text) == len("2025-12-03"):
                return datetime.date.fromisoformat(text)
            return datetime.datetime.fromisoformat(text)
        written = WRITTEN_DATE.match(text)
        if not written:
            return None
        month = MONTHS.get((written["month"] or written["month_second"]).casefold())
        if month is None:
            return None
        day = int(written["day"] or written["day_first"])
        return datetime.date(int(written["year"] or written["year_last"]), month, day)
    except ValueError:
        raise PlainTextError(f"not a valid date: {text!r}", line=line_no) from None


def _split_blocks(lines: list[str], start: int) -> list[_Block]:
    blocks = [_Block("lead", "", start)]
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        current = blocks[-1]
        # The line right under "Brief" is the dek even when it is short.
        heuristic = current.kind not in LIST_SECTIONS and not (
            current.kind == "brief" and index == current.line_no
        )
        heading = _heading_at(lines, index, heuristic)
        if heading is None:
            current.lines.append((index + 1, line))
        else:
            blocks.append(_Block(heading[0], heading[1], index + 1))
    return blocks


def _heading_at(lines: list[str], index: int, heuristic: bool) -> tuple[str, str] | None:
    line = lines[index]
    known = _known_key(line)
    if known is not None:
        return known, line
    marked = MARKED_HEADING.match(line)
    if marked:
        return "body", marked["text"].strip()
    if heuristic and _is_heading_shaped(line):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following and not _is_structural(following):
            return "body", line
    return None


def _numbered(blocks: list[_Block], *kinds: str) -> list[tuple[int, str]]:
    found = []
    for block in blocks:
        if block.kind in kinds:
            found.extend(block.lines)
    return found


def _texts(blocks: list[_Block], *kinds: str) -> list[str]:
    return [text for _, text in _numbered(blocks, *kinds)]


def _first_index(text: str, characters: str) -> int:
    return min((text.find(character) for character in characters if character in text), default=-1)


def _parse_perspective(line: str, line_no: int) -> ParsedPerspective:
    text = _bullet_text(line) or line
    quote_at = _first_index(text, QUOTE_MARKS)
    if quote_at < 0:
        expected = 'expected Name, credential: "quote"'
        raise PlainTextError(f"expert perspective has no quote: {expected}", line=line_no)
    speaker = text[:quote_at].strip().removesuffix(":").strip()
    quote = text[quote_at + 1 :].rstrip()
    if quote and quote[-1] in QUOTE_MARKS:  # the closing mark may be missing
        quote = quote[:-1]
    # The first separator counts, so "Name, envoy 2014–2017" keeps its year range.
    separator = SPEAKER_SEPARATOR.search(speaker)
    name, credential = speaker, ""
    if separator:
        name, credential = speaker[: separator.start()], speaker[separator.end() :]
    if not name.strip():
        raise PlainTextError("expert perspective has no expert name", line=line_no)
    return ParsedPerspective(name.strip(), credential.strip(), quote.strip())


def _parse_citation(line: str, line_no: int) -> ParsedCitation:
    claim = _bullet_text(line) or line
    openings = list(SOURCE_OPENING.finditer(claim))
    closing = SOURCE_CLOSING.fullmatch(claim[openings[-1].end() :]) if openings else None
    if closing and closing["body"].strip():
        name, url, date = _split_source(closing["body"], line_no)
        return ParsedCitation(claim[: openings[-1].start()].rstrip(), name, url, date)
    according = ACCORDING_TO.match(claim)
    return ParsedCitation(claim, according["name"].strip() if according else "")


def _split_source(body: str, line_no: int) -> tuple[str, str, datetime.date | None]:
    """ "name, url, date" where url and date are optional and known by their form."""
    name, url, date = body, "", None
    head, _, last = body.rpartition(",")
    if ISO_DAY.fullmatch(last.strip()):
        try:
            name, date = head, datetime.date.fromisoformat(last.strip())
        except ValueError:
            raise PlainTextError(f"not a valid date: {last.strip()!r}", line_no) from None
    # A URL has no spaces: it is the last word, after a comma unless it stands alone.
    words = name.rsplit(maxsplit=1)
    if words and URL.fullmatch(words[-1]):
        before = words[0] if len(words) == 2 else ""
        if not before or before.endswith(","):
            name, url = before.removesuffix(","), words[-1]
    return name.strip(), url, date


def _parse_looking_ahead(lines: list[str]) -> tuple[str, list[str]]:
    bullets = [_bullet_text(line) for line in lines]
    if all(bullet is None for bullet in bullets):
        return (lines[0] if lines else ""), lines[1:]
    intro: list[str] = []
    items: list[str] = []
    for line, bullet in zip(lines, bullets, strict=True):
        if bullet is None and not items:
            intro.append(line)
        else:
            items.append(line if bullet is None else bullet)
    return "\n\n".join(intro), items


def _parse_topics(lines: list[str]) -> list[str]:
    topics: list[str] = []
    seen: set[str] = set()
    for line in lines:
        for piece in (_bullet_text(line) or line).split(","):
            topic = piece.strip()
            if topic and normalize_name(topic) not in seen:
                seen.add(normalize_name(topic))
                topics.append(topic)
    return topics


# --- Writing ------------------------------------------------------------------------------


def render_article(article: ParsedArticle) -> str:
    """The canonical text of `article`; parse_article() reads it back to an equal article."""
    headline = article.headline
    plain = not _is_boilerplate(headline) and _headline_of(headline) == headline
    blocks = [headline if plain else f"# {headline}"]
    header = []
    if article.authors:
        header.append(_byline(article.authors))
    if article.published is not None:
        header.append(_format_date(article.published))
    if article.category:
        header.append(f"Category: {article.category}")
    if header:
        blocks.append("\n".join(header))
    blocks.append(_titled("Brief", [article.brief] if article.brief else []))
    for section in article.sections:
        blocks.append(_titled(_body_heading(section), section.paragraphs))
    if article.perspectives:
        lines = [_guard_item(_perspective_line(p)) for p in article.perspectives]
        blocks.append(_titled("Expert Perspectives", lines, separator="\n"))
    if article.citations:
        lines = [_citation_line(citation) for citation in article.citations]
        blocks.append(_titled("Data & Evidence", lines, separator="\n"))
    if article.looking_ahead_intro or article.watch_items:
        chunks = [article.looking_ahead_intro] if article.looking_ahead_intro else []
        if article.watch_items:
            chunks.append("\n".join(f"- {item}" for item in article.watch_items))
        blocks.append(_titled("Looking Ahead", chunks))
    if article.bottom_line:
        blocks.append(_titled("The Bottom Line", article.bottom_line))
    topics = [_guard_item(", ".join(article.topics))] if article.topics else []
    blocks.append(_titled("Topics", topics))  # always present, as in the example
    if article.editors_comments:
        blocks.append(_titled("Editor's Comments", article.editors_comments))
    return "\n\n".join(blocks) + "\n"


def _titled(heading: str, chunks: list[str], separator: str = "\n\n") -> str:
    return f"{heading}\n{separator.join(chunks)}" if chunks else heading


def _byline(authors: list[str]) -> str:
    if len(authors) == 1:
        joined = authors[0]
        if _reads_as_byline(joined, authors):  # "Sarah Johnson", as in the example
            return joined
    else:
        joined = f"{', '.join(authors[:-1])} and {authors[-1]}"
    return f"By {joined}"


def _reads_as_byline(line: str, authors: list[str]) -> bool:
    try:
        kind = _header_kind(line, line_no=1)
    except PlainTextError:  # shaped like a date but impossible: not a byline either
        return False
    return kind == "byline" and not _is_boilerplate(line) and _split_authors(line) == authors


def _format_date(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat()  # keeps the time and offset
    month = MONTH_NAMES[value.month - 1].capitalize()
    return f"{month} {value.day}, {value.year:04d}"


def _body_heading(section: ParsedSection) -> str:
    heading = section.heading
    plain = (
        section.paragraphs
        and _is_heading_shaped(heading)
        and not _is_structural(heading)
        and not _is_boilerplate(heading)
    )
    return heading if plain else f"## {heading}"


def _guard_item(line: str) -> str:
    """Prefix "- " when a list line would otherwise lose a bullet or read as a heading."""
    if BULLET.match(line) or _is_structural(line) or _is_boilerplate(line):
        return f"- {line}"
    return line


def _perspective_line(perspective: ParsedPerspective) -> str:
    # Parsed names hold no separator, so the first comma is ours.
    speaker = perspective.expert_name
    if perspective.credential:
        speaker = f"{speaker}, {perspective.credential}"
    return f'{speaker}: "{perspective.quote}"'


def _citation_line(citation: ParsedCitation) -> str:
    short = f"- {citation.claim}"
    # "According to X, ..." already names X: no need to repeat it as "(Source: X)".
    try:
        if _parse_citation(short, line_no=1) == citation:
            return short
    except PlainTextError:  # the claim itself ends in a malformed "(Source: ...)"
        pass
    date = citation.source_date.isoformat() if citation.source_date else ""
    parts = [part for part in (citation.source_name, citation.source_url, date) if part]
    return f"- {citation.claim} (Source: {', '.join(parts)})"
