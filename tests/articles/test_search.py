"""The search engine: PostgreSQL full-text search, and the SQLite fallback behind the same API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Citation, Section, WatchItem
from articles.search import (
    PostgresSearch,
    SearchText,
    SimpleSearch,
    _tsquery_lexeme,
    parse_query,
    search_engine,
    trigram_similarity,
)
from experts.models import Perspective
from tests.factories import make_article, make_expert, make_full_article

pytestmark = pytest.mark.django_db


def found(text, articles=None):
    engine = search_engine()
    articles = Article.objects.published() if articles is None else articles
    return list(engine.search(articles, SearchText.from_input(text)))


def vector_of(article) -> str:
    return Article.objects.filter(pk=article.pk).values_list("search_vector", flat=True).get()


# What every database does -------------------------------------------------------------


def test_engine_is_chosen_by_the_database():
    expected = PostgresSearch if connection.vendor == "postgresql" else SimpleSearch
    assert isinstance(search_engine(), expected)


def test_search_text_removes_control_characters_and_collapses_spaces():
    assert SearchText.from_input("  energy\x00   security\t\n").text == "energy security"
    assert SearchText.from_input(None).text == ""
    assert not SearchText.from_input("   ")


def test_search_text_keeps_the_first_thousand_characters_and_says_so():
    search = SearchText.from_input("word " * 400)
    assert search.truncated
    assert len(search.text) <= 1000
    assert not SearchText.from_input("short").truncated


def test_parse_query_understands_phrases_exclusions_and_or():
    parsed = parse_query('cable "energy security" or grid -russia -"cold war" "unbalanced')
    assert parsed.groups == [["cable"], ["energy security", "grid"], ["unbalanced"]]
    assert parsed.excluded == ["russia", "cold war"]


def test_a_term_of_several_words_is_a_phrase():
    assert parse_query('"energy security" grid').has_phrase
    assert parse_query("state-owned grid").has_phrase  # websearch joins it as a phrase
    assert not parse_query("energy security").has_phrase
    assert not parse_query('grid -"cold war"').has_phrase  # only what must match counts


def test_every_word_must_match():
    both = make_article(headline="Undersea cables", brief="Sabotage in the Baltic.")
    make_article(headline="Undersea volcanoes", brief="Eruptions.")
    assert found("undersea sabotage") == [both]


def test_matches_in_every_part_of_the_article_are_found():
    article = make_full_article()
    Section.objects.create(article=article, position=9, heading="More", body="<p>lithium</p>")
    Citation.objects.create(article=article, position=9, claim="Cobalt prices fell.")
    WatchItem.objects.create(article=article, position=9, text="Watch the nickel market.")
    Perspective.objects.create(
        article=article, expert=make_expert(name="Zelda Quist"), position=9, quote="Graphite."
    )
    article.topics.add("Rare earths")
    for word in ["lithium", "cobalt", "nickel", "graphite", "quist", "rare earths"]:
        assert found(word) == [article], word


def test_a_draft_never_appears():
    make_article(headline="Secret tariff plan", status=Article.Status.DRAFT)
    public = make_article(headline="Public tariff analysis")
    assert found("tariff") == [public]


def test_a_future_publication_does_not_appear_yet():
    make_article(headline="Embargoed tariff story", published_at=timezone.now() + timedelta(1))
    assert found("tariff") == []


def test_headline_match_outranks_body_match():
    body = make_article(headline="A quiet week", brief="Shipping insurance rose sharply.")
    Section.objects.create(article=body, position=1, heading="Costs", body="<p>Insurance.</p>")
    headline = make_article(
        headline="Insurance gaps widen",
        brief="Nothing else here.",
        published_at=timezone.now() - timedelta(days=30),
    )
    assert found("insurance") == [headline, body]


def test_exclusion_leaves_articles_out():
    cables = make_article(headline="Cable repairs in the Baltic")
    make_article(headline="Cable repairs near Russia")
    assert found("cable -russia") == [cables]


def test_or_finds_either_word():
    a = make_article(headline="Copper demand")
    b = make_article(headline="Nickel demand")
    make_article(headline="Zinc demand")
    assert set(found("copper or nickel")) == {a, b}


def test_quoted_phrase_matches_the_phrase_only():
    phrase = make_article(headline="The energy security debate")
    make_article(headline="Security of energy grids")
    assert found('"energy security"') == [phrase]


@pytest.mark.parametrize(
    "hostile",
    ["'", "\\", "&", "<script>alert(1)</script>", "\x00", '"unbalanced', "a & | ! :* ()", "--"],
)
def test_hostile_queries_search_without_error(hostile):
    make_article(headline="Anything")
    assert isinstance(found(hostile), list)


def test_snippet_highlights_matches_and_escapes_the_rest():
    article = make_article(headline="Ports", brief="Freight <b>costs</b> & freight rates rose.")
    engine = search_engine()
    search = SearchText.from_input("freight")
    [result] = engine.search(Article.objects.published(), search)
    snippet = str(engine.snippet(result, search))
    assert "<mark>Freight</mark>" in snippet
    assert "&lt;b&gt;" in snippet and "<b>" not in snippet
    assert "&amp;" in snippet
    assert article.pk == result.pk


def test_an_expert_quoted_in_many_articles_is_listed_once():
    expert = make_expert(name="Fiona Hill")
    for position in range(3):
        Perspective.objects.create(
            article=make_article(), expert=expert, position=position + 1, quote="Q."
        )
    assert search_engine().experts(SearchText.from_input("fiona hill")) == [expert]


def test_experts_and_topics_are_their_own_results():
    article = make_article(headline="Talks")
    Perspective.objects.create(
        article=article, expert=make_expert(name="Fiona Hill"), position=1, quote="Q."
    )
    article.topics.add("Diplomacy")
    hidden = make_article(status=Article.Status.DRAFT)
    Perspective.objects.create(
        article=hidden, expert=make_expert(name="Hidden Hillary"), position=1, quote="Q."
    )
    hidden.topics.add("Diplomatic secrets")
    engine = search_engine()
    assert [e.name for e in engine.experts(SearchText.from_input("hill"))] == ["Fiona Hill"]
    assert [t.name for t in engine.topics(SearchText.from_input("diplomacy"))] == ["Diplomacy"]
    assert [t.name for t in engine.topics(SearchText.from_input("diplomatic"))] == []


def test_trigram_similarity_matches_pg_trgm():
    assert trigram_similarity("word", "word") == 1.0
    assert trigram_similarity("ukriane", "ukraine") == pytest.approx(4 / 12)
    assert trigram_similarity("abc", "xyz") == 0.0


# SQLite: the documented differences --------------------------------------------------


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback only")
def test_sqlite_matches_substrings_without_stemming():
    make_article(headline="Sanctions bite")
    assert len(found("sanction")) == 1  # a substring of the word
    assert found("sanctioned") == []  # PostgreSQL's stemming would find it


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback only")
def test_sqlite_offers_no_suggestion():
    assert search_engine().suggest(SearchText.from_input("ukriane")) is None


# PostgreSQL --------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_stems_words():
    article = make_article(headline="Sanctions bite")
    assert found("sanctioned") == [article]


@pytest.mark.postgres
def test_vector_weights_headline_a_brief_b_body_c():
    article = make_article(headline="Zebra", brief="Yak", editors_comment="Walrus")
    Section.objects.create(article=article, position=1, heading="H", body="<p>Xerus</p>")
    vector = vector_of(article)
    assert "'zebra':1A" in vector
    assert "'yak':2B" in vector
    assert "'xerus'" in vector and "C" in vector.split("'xerus':")[1][:5]
    assert "'walrus'" in vector and "'walrus':" in vector


@pytest.mark.postgres
def test_vector_updates_when_a_section_changes():
    article = make_article(headline="Plain")
    section = Section.objects.create(article=article, position=1, heading="H", body="<p>Alpaca</p>")
    assert "alpaca" in vector_of(article)
    section.body = "<p>Llama</p>"
    section.save()
    assert "llama" in vector_of(article) and "alpaca" not in vector_of(article)
    section.delete()
    assert "llama" not in vector_of(article)


@pytest.mark.postgres
def test_vector_updates_when_a_perspective_or_its_expert_changes():
    article = make_article(headline="Plain")
    expert = make_expert(name="Ada Lovelace")
    perspective = Perspective.objects.create(
        article=article, expert=expert, position=1, quote="Engines compute."
    )
    assert "lovelac" in vector_of(article) and "engin" in vector_of(article)
    perspective.quote = "Looms weave."
    perspective.save()
    assert "loom" in vector_of(article) and "engin" not in vector_of(article)
    expert.name = "Grace Hopper"
    expert.save()
    assert "hopper" in vector_of(article) and "lovelac" not in vector_of(article)


@pytest.mark.postgres
def test_vector_updates_when_topics_change_or_are_renamed():
    article = make_article(headline="Plain")
    article.topics.add("Geothermal")
    assert "geotherm" in vector_of(article)
    tag = article.topics.get()
    tag.name = "Hydropower"
    tag.save()
    assert "hydropow" in vector_of(article) and "geotherm" not in vector_of(article)
    article.topics.clear()
    assert "hydropow" not in vector_of(article)


@pytest.mark.postgres
def test_vector_updates_when_citations_watch_items_and_the_article_change():
    article = make_article(headline="Plain")
    Citation.objects.create(article=article, position=1, claim="Bauxite output", source_name="USGS")
    WatchItem.objects.create(article=article, position=1, text="Watch vanadium")
    assert all(word in vector_of(article) for word in ["bauxit", "usg", "vanadium"])
    article.headline = "Tungsten"
    article.save()
    assert "tungsten" in vector_of(article) and "bauxit" in vector_of(article)
    Article.objects.filter(pk=article.pk).update(bottom_line="Molybdenum matters")
    assert "molybdenum" in vector_of(article)


@pytest.mark.postgres
def test_recency_orders_otherwise_equal_matches():
    old = make_article(headline="Grid storage", published_at=timezone.now() - timedelta(days=900))
    new = make_article(headline="Grid storage", published_at=timezone.now() - timedelta(days=2))
    assert found("grid storage") == [new, old]


@pytest.mark.postgres
def test_a_strong_match_beats_a_newer_weak_one():
    strong = make_article(
        headline="Desalination costs", published_at=timezone.now() - timedelta(days=700)
    )
    weak = make_article(headline="Water", brief="One line on desalination costs.")
    assert found("desalination costs") == [strong, weak]


@pytest.mark.postgres
def test_suggestion_respells_from_headlines_topics_and_experts():
    article = make_article(headline="Ukraine talks stall")
    article.topics.add("Semiconductors")
    Perspective.objects.create(
        article=article, expert=make_expert(name="Fiona Hill"), position=1, quote="Q."
    )
    engine = search_engine()
    assert engine.suggest(SearchText.from_input("ukriane")) == "ukraine"
    assert engine.suggest(SearchText.from_input("semiconductrs")) == "semiconductors"
    assert engine.suggest(SearchText.from_input("fionna")) == "fiona"
    assert engine.suggest(SearchText.from_input("ukraine")) is None
    assert engine.suggest(SearchText.from_input("qqqqzzzz")) is None


@pytest.mark.postgres
def test_suggestion_never_comes_from_a_draft():
    make_article(headline="Hypersonic missiles", status=Article.Status.DRAFT)
    assert search_engine().suggest(SearchText.from_input("hypersonik")) is None


# The bound on ranking (PostgresSearch.ranked_candidates) --------------------------------


@pytest.mark.postgres
def test_ranked_are_the_newest_matches_and_the_newest_headline_matches(monkeypatch):
    monkeypatch.setattr(PostgresSearch, "ranked_candidates", 3)
    monkeypatch.setattr(PostgresSearch, "headline_candidates", 2)
    now = timezone.now()

    def written(days_ago, headline, brief="Plain."):
        return make_article(headline=headline, brief=brief, published_at=now - timedelta(days_ago))

    newest_body, older_body, oldest_body = (
        written(days, f"Mines {days}", brief="Cobalt.") for days in (1, 3, 4)
    )
    recent_headline = written(2, "Cobalt prices")
    old_headline = written(400, "Cobalt history")
    ancient_headline = written(4000, "Cobalt in antiquity")  # beyond the two newest
    results = found("cobalt")
    # The newest three matches, and the two newest headline matches however old.
    assert set(results) == {newest_body, recent_headline, older_body, old_headline}
    assert oldest_body not in results and ancient_headline not in results
    # Ranked by relevance: the headline matches first, though one is over a year old.
    assert set(results[:2]) == {recent_headline, old_headline}
    assert results[2:] == [newest_body, older_body]


@pytest.mark.postgres
def test_an_exclusion_found_in_the_body_keeps_a_headline_match_out(monkeypatch):
    monkeypatch.setattr(PostgresSearch, "ranked_candidates", 1)
    now = timezone.now()
    make_article(headline="Mines 1", brief="Cobalt.", published_at=now - timedelta(days=1))
    in_congo = make_article(
        headline="Cobalt mines", brief="In Congo.", published_at=now - timedelta(days=300)
    )
    elsewhere = make_article(
        headline="Cobalt mines", brief="In Zambia.", published_at=now - timedelta(days=301)
    )
    results = found("cobalt -congo")
    assert in_congo not in results and elsewhere in results


@pytest.mark.postgres
def test_precise_queries_rank_every_match(monkeypatch):
    monkeypatch.setattr(PostgresSearch, "ranked_candidates", 3)
    articles = [make_article(headline=f"Lithium story {n}") for n in range(3)]
    assert sorted(found("lithium"), key=lambda a: a.pk) == articles


@pytest.mark.postgres
def test_search_page_says_when_only_the_newest_matches_are_shown(client, monkeypatch):
    monkeypatch.setattr(PostgresSearch, "ranked_candidates", 2)
    for n in range(4):
        make_article(headline=f"Nickel {n}")
    html = client.get("/search/", {"q": "nickel"}).content.decode()
    assert "4+ articles for “nickel”: the most recent, and those with it in their headline" in html
    html = client.get("/search/", {"q": "nickel 3"}).content.decode()
    assert "1 article for “nickel 3”" in html


def make_copper_and_uranium_stories():
    """1,000 published stories, one hour apart: 20 about uranium, the rest about copper."""
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"{'Uranium' if n % 50 == 0 else 'Copper'} story {n}",
            slug=f"story-{n}",
            brief="What the article argues.",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(1000)
    )


@pytest.mark.postgres
def test_candidates_are_found_through_the_indexes_and_bounded():
    """The plan's shape: each index finds its matches, a Limit bounds what is ranked."""
    make_copper_and_uranium_stories()
    engine = search_engine()
    candidates = engine.candidates(Article.objects.published(), SearchText.from_input("uranium"))
    sql, params = candidates.query.sql_with_params()
    with connection.cursor() as cursor:
        # As in production after a while: fresh statistics, new rows moved into the indexes
        # proper (GIN's fast-update lists hold them at first).
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SELECT gin_clean_pending_list('articles_article_search_gin')")
        cursor.execute("SELECT gin_clean_pending_list('articles_article_headline_fts')")
        # A thousand short rows are cheaper to read whole; 100,000 real ones are not.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "articles_article_search_gin" in plan, plan
    assert "articles_article_headline_fts" in plan, plan
    limits = [line for line in plan.splitlines() if line.strip().startswith(("Limit", "->  Limit"))]
    assert len(limits) == 2, plan  # one per kind of candidate
    assert f"LIMIT {PostgresSearch.ranked_candidates}" in sql
    assert f"LIMIT {PostgresSearch.headline_candidates}" in sql
    assert len(list(candidates)) == 20


@pytest.mark.postgres
def test_the_ranked_page_reads_only_the_candidates():
    for n in range(3):
        make_article(headline=f"Zinc {n}")
    engine = search_engine()
    with CaptureQueriesContext(connection) as queries:
        ranked = engine.search(Article.objects.published(), SearchText.from_input("zinc"))
    # The candidates are found once; the planner's estimate is asked first (EXPLAIN).
    full_text = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert len(full_text) == 2, full_text
    assert full_text[0].startswith("EXPLAIN")
    sql = str(ranked.query)
    assert "@@" not in sql  # no second full-text match: the candidates' ids only
    assert "ts_rank" in sql


@pytest.mark.postgres
def test_phrase_candidates_are_found_through_the_gin_index():
    """
    A phrase is estimated as common as all its words together, so the planner would walk
    the newest-first index and check each article's vector; the GIN index must find them.
    """
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            # Every article holds both words; one in fifty holds them as the phrase.
            brief="Borrowing cables." if n % 50 == 0 else "Cables need borrowing.",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(1000)
    )
    engine = search_engine()
    search = SearchText.from_input('"borrowing cables"')
    candidates = engine.candidates(Article.objects.published(), search)
    sql, params = candidates.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        # As autovacuum would: entries waiting in a GIN index's pending list (earlier
        # tests' rolled-back rows too) make the planner cost the index higher.
        cursor.execute("SELECT gin_clean_pending_list('articles_article_search_gin')")
        cursor.execute("SELECT gin_clean_pending_list('articles_article_phrase_pairs')")
        with engine.candidate_plan(search):
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        # The settings are this query's alone: put back for whatever the transaction does next.
        cursor.execute(
            "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')"
        )
        assert cursor.fetchone() == ("on", "on")
    # The pairs index (migration 0012) finds the articles holding the phrase's words side
    # by side; no vector is read for the others.
    assert "articles_article_phrase_pairs" in plan, plan
    assert "article_newest_idx" not in plan, plan
    assert len(found('"borrowing cables"')) == 20


def plan_settings(engine, text):
    with connection.cursor() as cursor, engine.candidate_plan(SearchText.from_input(text)):
        cursor.execute("SELECT current_setting('enable_indexscan')")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_word_in_a_few_articles_is_found_through_the_gin_index(monkeypatch):
    """
    Walking newest first reads ranked_candidates × total / matches vectors: for a word in
    few articles, far more than the bitmap of its matches, which reads none.
    """
    make_copper_and_uranium_stories()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    # 1,000 articles: walking for 3 copper stories reads 3; the 20 uranium ones, 150.
    monkeypatch.setattr(PostgresSearch, "ranked_candidates", 3)
    engine = search_engine()
    assert not engine.prefers_bitmap(SearchText.from_input("copper"))
    assert engine.prefers_bitmap(SearchText.from_input("uranium"))
    assert plan_settings(engine, "copper") == "on"  # left to the planner
    assert plan_settings(engine, "uranium") == "off"
    # Put back after the query, in the caller's transaction too.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on",)
    assert len(found("uranium")) == 20  # every match, through the bitmap


@pytest.mark.postgres
def test_phrase_pairs_are_the_adjacent_words_the_vector_holds():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT articles_phrase_pairs(to_tsvector('english', %s))::text",
            ["Borrowing cables is hard; borrowing the cables is harder."],
        )
        # "is" and "the" are stop words: they keep their places, so no pair spans them.
        assert cursor.fetchone() == ("'borrow cabl' 'hard borrow'",)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ('"borrowing cables"', "'borrow cabl'"),
        ('exactly "borrowing cables"', "'borrow cabl'"),
        ('"undersea borrowing cables"', "'borrow cabl' & 'undersea borrow'"),
        ("cross-border", "'cross border' & 'cross-bord cross'"),
        ('"borrowing the cables"', None),  # a stop word between: checked whole
        ('"borrowing cables" or copper', None),  # the phrase is not required
        ('"borrowing cables" -copper', "'borrow cabl'"),
        ('copper -"borrowing cables"', None),  # excluded, not required
        ('"borrowing cables" -"borrowing cables"', "'borrow cabl'"),  # nothing matches
        ("cables", None),
    ],
)
def test_phrase_pairs_only_for_phrases_the_query_requires(text, pairs):
    expected = pairs and f"( {pairs} ) | 'phrase pairs incomplete'"
    assert search_engine().phrase_pairs(SearchText.from_input(text)) == expected


@pytest.mark.postgres
@pytest.mark.parametrize(
    "text",
    [
        '"borrowing cables"',
        '"borrowing the cables"',
        '"cables borrowing"',
        'undersea "borrowing cables"',
        '"borrowing cables" or copper',
        '"borrowing cables" -undersea',
        'cables -"borrowing cables"',
        '"cables borrowing" -"borrowing cables"',
        "cross-border",
    ],
)
def test_phrases_find_every_match_with_the_pairs_index(text):
    """The candidates (through the pairs index) are exactly the articles that match."""
    texts = [
        "Borrowing cables.",
        "Cables need borrowing.",
        "Borrowing the cables.",
        "Undersea cables: borrowing cables again.",
        "Cables borrowing, cross-border.",
        "Copper. Borrowing",  # the phrase across two parts: the brief and a section
    ]
    for n, brief in enumerate(texts):
        article = make_article(headline=f"Story {n}", brief=brief)
        Section.objects.create(article=article, position=1, heading="Cables", body="<p>x</p>")
    engine = search_engine()
    search = SearchText.from_input(text)
    articles = Article.objects.published()
    with engine.candidate_plan(search):
        candidates = set(engine.candidates(articles, search))
    assert candidates == set(engine.filter(articles, search).values_list("pk", flat=True))


@pytest.mark.postgres
@pytest.mark.parametrize("lexeme", ["o'brien", "back\\slash", "a:b & !c", "it''s"])
def test_pairs_are_quoted_for_tsquery(lexeme):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_to_tsvector(ARRAY[%s]) @@ %s::tsquery",
            [lexeme, _tsquery_lexeme(lexeme)],
        )
        assert cursor.fetchone() == (True,)


@pytest.mark.postgres
def test_an_article_whose_pairs_do_not_fit_is_saved_and_still_found():
    """
    A tsvector's lexemes hold at most 2,047 bytes: two long adjacent words (a pasted hash,
    a data address) make a pair too long to keep. The article is marked instead, saves,
    and every phrase search checks it whole.
    """
    # 400 characters of three bytes each: a query of 801 characters, a pair of 2,401 bytes.
    long_words = f"{'あ' * 400} {'い' * 400}"
    article = make_article(headline="Borrowing cables", brief=long_words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'phrase pairs incomplete' = ANY(tsvector_to_array("
            "articles_phrase_pairs(search_vector))) FROM articles_article WHERE id = %s",
            [article.pk],
        )
        assert cursor.fetchone() == (True,)
    assert found('"borrowing cables"') == [article]
    assert found(f'"{long_words}"') == [article]


@pytest.mark.postgres
def test_an_article_with_more_pairs_than_a_tsvector_holds_is_saved_and_still_found():
    """A tsvector holds 1 MB of lexemes: 60,000 distinct pairs of 17 bytes do not fit."""
    words = [f"w{n:07d}" for n in range(60_000)]  # distinct, not stemmed, 8 bytes each
    article = make_article(headline="Borrowing cables")
    Section.objects.create(
        article=article, position=1, heading="Data", body=f"<p>{' '.join(words)}</p>"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT articles_phrase_pairs(search_vector)::text FROM articles_article WHERE id = %s",
            [article.pk],
        )
        assert cursor.fetchone() == ("'phrase pairs incomplete'",)
    assert found('"borrowing cables"') == [article]
    assert found('"w0000007 w0000008"') == [article]
