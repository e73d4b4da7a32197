"""
Search: one interface, two strategies, chosen by the database in use.

`search_engine()` returns the strategy for the current connection:

- PostgreSQL (production): full-text search over the stored, weighted
  `Article.search_vector` (kept current by triggers, see migration 0002_search), with
  the GIN index, web-style query syntax (`"a phrase"`, `-word`, `or`), `ts_rank`
  relevance with a mild recency boost, `ts_headline` snippets and a "did you mean"
  suggestion from trigram similarity (pg_trgm) when nothing is found.
- SQLite (the embedded default): case-insensitive substring matching. The same query
  syntax is understood (phrases, `-exclusion`, `or`), every word must appear somewhere in
  the article or its parts, headline matches come first, then newest first. No stemming
  ("sanction" does not find "sanctions" only because "sanctions" contains it; "ran" does
  not find "run"), ASCII-only case folding, the snippet comes from the brief, and there
  is no "did you mean".

Both strategies answer the same questions: `filter()` (matches, for the admin, drafts
included when the caller's queryset has them), `search()` (matches ranked, for readers),
`snippet()`, `suggest()`, `experts()` and `topics()`.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag, TaggedItem

from experts.models import Expert, Perspective

from .models import Article, Citation, Section, WatchItem

MAX_QUERY_LENGTH = 1000
SEARCH_CONFIG = "english"
# Markers ts_headline puts around matches; control characters never typed by a reader.
_MARK_START, _MARK_STOP = "\x02", "\x03"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STOP_WORDS = frozenset("a an and are as at be by for from in is it of on or the to with".split())


@dataclass(frozen=True)
class SearchText:
    """What a reader typed, made safe to search: no control characters, at most 1,000."""

    text: str
    truncated: bool = False

    @classmethod
    def from_input(cls, raw: str | None) -> SearchText:
        text = _CONTROL_CHARACTERS.sub(" ", raw or "")
        text = " ".join(text.split())
        truncated = len(text) > MAX_QUERY_LENGTH
        if truncated:
            text = text[:MAX_QUERY_LENGTH].rstrip()
        return cls(text=text, truncated=truncated)

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass
class ParsedQuery:
    """Web-style syntax: groups of alternatives (all groups must match), and exclusions."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def positive_terms(self) -> list[str]:
        return [term for group in self.groups for term in group]

    @property
    def has_phrase(self) -> bool:
        """A term of several words must match as a phrase (quoted, or joined by a hyphen)."""
        return any(len(re.findall(r"\w+", term)) > 1 for term in self.positive_terms)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(text: str) -> ParsedQuery:
    """`a "b c" or d -e` → groups [[a], [b c, d]], excluded [e]: websearch_to_tsquery's rules."""
    parsed = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.lower() == "or" and parsed.groups:
                join_next = True
                continue
            negated, word = ("-", word[1:]) if word.startswith("-") else ("", word)
            term = word.strip("\"'")
        else:
            term = " ".join(phrase.split())
        if not term:
            continue
        if negated:
            parsed.excluded.append(term)
        elif join_next:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        join_next = False
    return parsed


def search_engine():
    """The strategy for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresSearch()
    return SimpleSearch()


def _published_topics() -> QuerySet[Tag]:
    """Topics carried by at least one published article (EXISTS: stops at the first)."""
    article_type = ContentType.objects.get_for_model(Article)
    published = Article.objects.published().filter(pk=OuterRef("object_id"))
    tagged = TaggedItem.objects.filter(content_type=article_type, tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(tagged.filter(Exists(published))))


def _name_words(search: SearchText) -> list[str]:
    words = re.findall(r"\w+", search.text.lower())
    return [word for word in words if len(word) >= 3 and word not in _STOP_WORDS][:8]


class BaseSearch:
    name = ""
    # How many matches at most are ranked and shown; None: all of them (see PostgresSearch).
    ranked_candidates: int | None = None

    def filter(self, articles: QuerySet[Article], search: SearchText) -> QuerySet[Article]:
        raise NotImplementedError

    def search(self, articles: QuerySet[Article], search: SearchText) -> QuerySet[Article]:
        raise NotImplementedError

    def snippet(self, article: Article, search: SearchText) -> SafeString:
        raise NotImplementedError

    def suggest(self, search: SearchText) -> str | None:
        return None

    def experts(self, search: SearchText, limit: int = 6) -> list[Expert]:
        """Quoted experts whose name contains one of the query's words."""
        words = _name_words(search)
        if not words:
            return []
        return [
            Expert(pk=pk, name=name, slug=slug, credential=credential)
            for pk, name, slug, credential in _names_containing(words, "experts", limit)
        ]

    def topics(self, search: SearchText, limit: int = 8) -> list[Tag]:
        """Topics of published articles whose name contains one of the query's words."""
        words = _name_words(search)
        if not words:
            return []
        return [
            Tag(pk=pk, name=name, slug=slug)
            for pk, name, slug in _names_containing(words, "topics", limit)
        ]


# The experts and topics groups: every search's first page shows them, so their names are
# read once and kept in the cache (a few hundred short rows), then matched in Python.
SEARCH_GROUPS_SECONDS = 10 * 60


def search_group_names() -> dict[str, list[tuple]]:
    """
    Quoted experts and published topics, each ordered by name as the database orders it.

    Keyed by the page cache's content generation, which any change to public content
    replaces (an expert renamed, a perspective added, an article published or a topic
    changed: newsroom/caching.py), and kept no longer than the next moment an article
    goes live or away by time alone.
    """
    from newsroom.caching import cached_in_generation

    def read():
        experts = Expert.objects.quoted().order_by("name")
        return {
            "experts": list(experts.values_list("pk", "name", "slug", "credential")),
            "topics": list(_published_topics().order_by("name").values_list("pk", "name", "slug")),
        }

    return cached_in_generation("search-groups", read, SEARCH_GROUPS_SECONDS)


def _names_containing(words: list[str], group: str, limit: int) -> list[tuple]:
    """The first `limit` rows of `group` whose name (case-insensitively) holds any word."""
    found = []
    for row in search_group_names()[group]:
        name = row[1].lower()
        if any(word in name for word in words):
            found.append(row)
            if len(found) == limit:
                break
    return found


# What migration 0012's articles_phrase_pairs() holds instead of pairs it could not keep.
PHRASE_PAIRS_INCOMPLETE = "phrase pairs incomplete"


def _tsquery_lexeme(lexeme: str) -> str:
    """`lexeme` quoted for tsquery's input syntax (backslashes and quotes escaped)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _required(part: str, query: str) -> bool:
    """Whether tsquery text `part` is in `query` (a conjunction, no `|`) other than negated."""
    start = query.find(part)
    while start != -1:
        if not query[:start].rstrip(" (").endswith("!"):
            return True
        start = query.find(part, start + 1)
    return False


def _escape_in_sql(field_name: str) -> Func:
    """A plain-text field as HTML text (& < > escaped), to sit beside sanitized HTML."""
    expression = F(field_name)
    for character, entity in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")]:
        expression = Func(
            expression,
            Value(character),
            Value(entity),
            function="replace",
            output_field=TextField(),
        )
    return expression


class PostgresSearch(BaseSearch):
    name = "postgresql"
    # Relevance is multiplied by 1 / (1 + age in years / 5): a year-old article keeps 83%
    # of its score, a five-year-old one half. Enough to order near-equals, not to bury.
    RECENCY_YEARS = 5
    # Ranking is bounded by design. ts_rank reads each match's whole search vector (a few
    # kilobytes, kept out of line in TOAST and compressed), so ranking every article that
    # holds a common word, 35,000 of 100,000 in the benchmark, took seconds. Instead only
    # a bounded set of candidates is ranked by relevance and paginated (`candidates()`,
    # one query per search whose list the page and its count both use):
    # - the newest `ranked_candidates` matches, found through the GIN index and picked by
    #   published_at, which needs no vector;
    # - and the newest `headline_candidates` articles whose headline alone matches,
    #   however old, through an index on the headline (migration 0007): the strongest
    #   matches of all, which ranking puts first.
    # A query with fewer matches than that, which is any precise query, is ranked whole
    # and exactly as before; a broad one shows the most relevant of its recent matches and
    # of its headline matches, and the date filters (applied before the cut) reach older
    # ones. The page says "500+" rather than counting every match.
    # tests/articles/test_search.py checks the bound and the plans' shape.
    ranked_candidates = 500
    headline_candidates = 100

    def _query(self, search: SearchText) -> SearchQuery:
        return SearchQuery(search.text, search_type="websearch", config=SEARCH_CONFIG)

    def filter(self, articles, search):
        if not search:
            return articles.none()
        return articles.filter(search_vector=self._query(search))

    def search(self, articles, search):
        query = self._query(search)
        age_in_days = Func(
            Coalesce("published_at", "created_at"),
            template="EXTRACT(EPOCH FROM (NOW() - %(expressions)s)) / 86400.0",
            output_field=FloatField(),
        )
        recency = Value(1.0) / (Value(1.0) + age_in_days / Value(365.0 * self.RECENCY_YEARS))
        # A list, not a subquery: PostgreSQL would otherwise find the candidates twice,
        # for the page and again for its count.
        with self.candidate_plan(search):
            candidates = list(self.candidates(articles, search))
        ranked = (
            articles.filter(pk__in=candidates)
            .annotate(
                rank=SearchRank(F("search_vector"), query, normalization=Value(1)) * recency,
                search_snippet=SearchHeadline(
                    self._snippet_document(),
                    query,
                    config=SEARCH_CONFIG,
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
        # The page's count is the candidates' (same articles, same filters): the view's
        # paginator takes it instead of asking PostgreSQL to count them again. A queryset
        # derived from this one (sliced, filtered) does not carry it and is counted.
        ranked.known_count = len(candidates)
        return ranked

    def candidates(self, articles, search) -> QuerySet:
        """The ids of the matches that get ranked (see `ranked_candidates`): one query
        (for a phrase, after one reading its word pairs: `phrase_pairs()`)."""
        newest = self.filter(articles, search)
        if search and (pairs := self.phrase_pairs(search)):
            # The pairs index finds the articles holding every pair of the phrase; only
            # those are checked for the query itself, as a function call, which the
            # planner cannot answer from the vector's GIN index: the bitmap of every
            # article holding the phrase's words would otherwise be joined in, and each
            # pairs-matching row rechecked by computing its pairs again.
            newest = articles.filter(
                RawSQL(
                    "articles_phrase_pairs(search_vector) @@ %s::tsquery",
                    [pairs],
                    output_field=BooleanField(),
                ),
                Func(
                    F("search_vector"),
                    self._query(search),
                    function="ts_match_vq",
                    output_field=BooleanField(),
                ),
            )
        newest = newest.order_by("-published_at", "-pk")
        newest = newest.values_list("pk", flat=True)[: self.ranked_candidates]
        if not search:
            return newest
        query = self._query(search)
        in_headline = articles.alias(headline_vector=self.headline_vector()).filter(
            headline_vector=query
        )
        if parse_query(search.text).excluded:
            # "-word" may be in the body although not in the headline: check the article.
            # Without exclusions a headline that matches means the article does.
            in_headline = in_headline.filter(search_vector=query)
        in_headline = in_headline.order_by("-published_at", "-pk")
        in_headline = in_headline.values_list("pk", flat=True)[: self.headline_candidates]
        return newest.union(in_headline).order_by()

    def phrase_pairs(self, search: SearchText) -> str | None:
        """
        The adjacent word pairs every match must hold (migration 0012), as a tsquery.

        Only for phrases the whole query requires: none when the query has an `or`, which
        could make a phrase optional. A phrase's words are read as PostgreSQL reads the
        query's (same parser, same positions), and the phrase must appear as such, not
        excluded, in the query PostgreSQL makes of the whole text. A phrase whose words
        are not adjacent (a stop word between them) gives no pair: checked whole.
        """
        terms = parse_query(search.text).positive_terms
        phrases = list(dict.fromkeys(t for t in terms if len(re.findall(r"\w+", t)) > 1))
        if not phrases:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT websearch_to_tsquery(%s::regconfig, %s)::text, phrase, "
                "phraseto_tsquery(%s::regconfig, phrase)::text, "
                "(SELECT array_agg(ARRAY[lexeme, position::text]) FROM unnest("
                "to_tsvector(%s::regconfig, phrase)), unnest(positions) AS position) "
                "FROM unnest(%s::text[]) AS phrase",
                [SEARCH_CONFIG, search.text, SEARCH_CONFIG, SEARCH_CONFIG, phrases],
            )
            rows = cursor.fetchall()
        pairs = set()
        for whole, _, phrase_query, words in rows:
            if "|" in whole:
                return None
            if not (phrase_query and words and _required(phrase_query, whole)):
                continue
            at: dict[int, list[str]] = {}
            for lexeme, position in words:
                at.setdefault(int(position), []).append(lexeme)
            if any(len(lexemes) > 1 for lexemes in at.values()):
                continue  # several readings of one word: any of them may match
            pairs |= {f"{at[p][0]} {at[p + 1][0]}" for p in at if p + 1 in at}
        # Too long for a lexeme: never kept in an article's pairs (it is marked instead).
        pairs = {pair for pair in pairs if len(pair.encode()) <= 2047}
        if not pairs:
            return None
        required = " & ".join(_tsquery_lexeme(pair) for pair in sorted(pairs))
        # Articles whose pairs could not all be kept are marked, and checked whole.
        return f"( {required} ) | {_tsquery_lexeme(PHRASE_PAIRS_INCOMPLETE)}"

    # Walking the newest-first index tests each article's vector (kilobytes, out of line)
    # and stops at the `ranked_candidates`th match, so it reads ranked_candidates × total /
    # matches articles; the GIN bitmap reads every match but no vector. Measured on the
    # benchmark's 100,000 articles a walked row costs about six bitmap rows.
    WALKED_ROW_COST = 6

    @contextmanager
    def candidate_plan(self, search: SearchText):
        """
        Planner settings for finding `candidates()`: through the GIN index when cheaper.

        The planner costs testing a vector like any comparison, so for the newest matches
        of any word it walks the newest-first index: right for a word in a third of the
        articles (about 1,500 read to find 500), slow for one in a twelfth (6,000 vectors
        read, 140 ms, where the bitmap of its 8,000 matches takes 25 ms). Its estimate of
        the matches is good for words, so `prefers_bitmap()` decides from it. A phrase is
        estimated as common as all its words ("borrowing cables": 39,000 estimated, 281
        real) and always goes through the GIN index, which finds the articles holding
        every word without reading a vector; only those are checked for the phrase.
        """
        if not (search and self.prefers_bitmap(search)):
            yield
            return
        # Bitmap scans (the GIN index) only, for this query alone: transaction-local. In
        # a caller's transaction (tests, admin) they are put back afterwards, or rolled
        # back with the savepoint if the query fails.
        nested = connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            if nested:
                cursor.execute(
                    "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')"
                )
                previous = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('enable_indexscan', 'off', true), "
                "set_config('enable_seqscan', 'off', true)"
            )
            yield
            if nested:
                cursor.execute(
                    "SELECT set_config('enable_indexscan', %s, true), "
                    "set_config('enable_seqscan', %s, true)",
                    previous,
                )

    def prefers_bitmap(self, search: SearchText) -> bool:
        """Whether the GIN bitmap finds this query's newest matches cheaper than a walk."""
        if parse_query(search.text).has_phrase:
            return True
        matches = Article.objects.filter(search_vector=self._query(search)).values("pk")
        sql, params = matches.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [Article._meta.db_table],
            )
            total = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimated = plan[0]["Plan"]["Plan Rows"]
        # reltuples is -1 before the table's first ANALYZE: small, so the bitmap is cheap.
        return (
            estimated**2 <= self.WALKED_ROW_COST * self.ranked_candidates * max(total, 0)
            or total < 0
        )

    @staticmethod
    def headline_vector() -> Func:
        """The headline's own vector: exactly the expression indexed by migration 0007."""
        return Func(
            F("headline"),
            template=f"to_tsvector('{SEARCH_CONFIG}'::regconfig, %(expressions)s)",
            output_field=SearchVectorField(),
        )

    @staticmethod
    def _snippet_document():
        """Brief, sections (tags removed) and perspectives: where a reader sees the match."""
        plain_body = Func(
            F("body"),
            Value("<[^>]*>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        sections = Section.objects.filter(article=OuterRef("pk")).order_by().values("article")
        sections = sections.annotate(text=StringAgg(plain_body, Value(" "))).values("text")
        quotes = Perspective.objects.filter(article=OuterRef("pk")).order_by().values("article")
        quotes = quotes.annotate(text=StringAgg(_escape_in_sql("quote"), Value(" ")))
        quotes = quotes.values("text")
        return Concat(
            _escape_in_sql("brief"),
            Value(" "),
            Coalesce(Subquery(sections), Value(""), output_field=TextField()),
            Value(" "),
            Coalesce(Subquery(quotes), Value(""), output_field=TextField()),
            output_field=TextField(),
        )

    def snippet(self, article, search):
        raw = getattr(article, "search_snippet", None) or article.brief
        # The document is HTML text without tags (plain fields were escaped in SQL, tags
        # stripped from sections): decode it, escape it all, then turn only our markers
        # into <mark>.
        text = escape(html.unescape(raw))
        text = text.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
        return mark_safe(" ".join(text.split()))  # escaped two lines above

    def suggest(self, search):
        """A respelling of the query from headlines, topics and expert names, or None."""
        words = re.findall(r"\w+", search.text.lower())[:6]
        if not words:
            return None
        closest = self._closest_words([word for word in words if len(word) >= 3])
        suggestion = " ".join(closest.get(word, word) for word in words)
        return suggestion if suggestion != " ".join(words) else None

    def _closest_words(self, words: list[str]) -> dict[str, str]:
        """For each word, the most similar word of a headline, topic or expert name."""
        if not words:
            return {}
        sources = [
            (Article.objects.published(), "headline"),
            (_published_topics(), "name"),
            (Expert.objects.all(), "name"),
        ]
        # Five texts per word and source through the trigram indexes, in one query.
        nearest = [
            queryset.filter(**{f"{field_name}__trigram_word_similar": word})
            .annotate(similarity=TrigramWordSimilarity(Value(word), field_name), word=Value(word))
            .order_by("-similarity")
            .values_list("word", field_name)[:5]
            for word in dict.fromkeys(words)
            for queryset, field_name in sources
        ]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)"
                )
            found = list(nearest[0].union(*nearest[1:], all=True).order_by())
        closest = {}
        for word in words:
            best, best_score = word, 0.0
            for text in (text for of, text in found if of == word):
                for candidate in re.findall(r"\w+", text.lower()):
                    score = trigram_similarity(word, candidate)
                    if score > best_score:
                        best, best_score = candidate, score
            closest[word] = best if best_score >= 0.3 else word
        return closest


class SimpleSearch(BaseSearch):
    name = "simple"

    @staticmethod
    def _term_matches(term: str) -> Q:
        """The article, or one of its parts, contains `term` (case-insensitive substring)."""
        parts = [
            Section.objects.filter(Q(heading__icontains=term) | Q(body__icontains=term)),
            Perspective.objects.filter(Q(quote__icontains=term) | Q(expert__name__icontains=term)),
            Citation.objects.filter(Q(claim__icontains=term) | Q(source_name__icontains=term)),
            WatchItem.objects.filter(text__icontains=term),
        ]
        condition = (
            Q(headline__icontains=term)
            | Q(brief__icontains=term)
            | Q(looking_ahead_intro__icontains=term)
            | Q(bottom_line__icontains=term)
            | Q(editors_comment__icontains=term)
            | Q(topics__name__icontains=term)
        )
        for part in parts:
            condition |= Exists(part.filter(article=OuterRef("pk")))
        return condition

    def filter(self, articles, search):
        parsed = parse_query(search.text)
        if not parsed.groups:
            return articles.none()
        for group in parsed.groups:
            alternatives = Q()
            for term in group:
                alternatives |= self._term_matches(term)
            articles = articles.filter(pk__in=Article.objects.filter(alternatives).values("pk"))
        for term in parsed.excluded:
            excluded = Article.objects.filter(self._term_matches(term)).values("pk")
            articles = articles.exclude(pk__in=excluded)
        return articles

    def search(self, articles, search):
        terms = parse_query(search.text).positive_terms
        in_headline = [When(headline__icontains=term, then=Value(1)) for term in terms]
        headline_hits = sum(
            (Case(when, default=Value(0), output_field=IntegerField()) for when in in_headline),
            start=Value(0),
        )
        return (
            self.filter(articles, search)
            .annotate(rank=headline_hits)
            .order_by("-rank", "-published_at", "-pk")
        )

    def snippet(self, article, search):
        text = escape(article.brief)
        for term in sorted(parse_query(search.text).positive_terms, key=len, reverse=True):
            pattern = re.compile(re.escape(escape(term)), re.IGNORECASE)
            text = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", text)
        text = text.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
        return mark_safe(text)  # the brief was escaped first


def _trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before, one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() for two single words, in Python."""
    a = unicodedata.normalize("NFKC", a.lower())
    b = unicodedata.normalize("NFKC", b.lower())
    first, second = _trigrams(a), _trigrams(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0
